import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { openStore, type StoreTarget } from '../storage/open-store.js';
import type { Dialect } from '../storage/schema.js';

/**
 * A throwaway store for a benchmark: a SQLite file in a new folder under the system temp folder, or a new PostgreSQL
 * schema. `cleanup` removes it (set KEEP to keep a SQLite folder and print where it is).
 */
export async function benchStore(dialect: Dialect, name: string, pgUrl: string): Promise<{ store: Awaited<ReturnType<typeof openStore>>; cleanup: () => Promise<void> }> {
  let target: StoreTarget;
  let cleanup: () => Promise<void>;
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), `dossier-${name}-bench-`));
    target = { dialect, location: join(dir, 'bench.db') };
    cleanup = () => {
      if (process.env['KEEP'] === undefined) rmSync(dir, { recursive: true, force: true });
      else process.stderr.write(`kept ${dir}\n`);
      return Promise.resolve();
    };
  } else {
    const schema = `bench_${name}_${Date.now().toString(36)}`;
    target = { dialect, location: pgUrl, schema };
    cleanup = async () => {
      const s = await openStore({ dialect, location: pgUrl });
      await sql.raw(`drop schema ${schema} cascade`).execute(s.db);
      await s.close();
    };
  }
  return { store: await openStore(target), cleanup };
}

/** The median of some timings. */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
}
