import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { processServices } from '../../app/process-services.js';
import { DEFAULT_CATALOG } from '../../core/catalog/catalog.js';
import { SYSTEM_CLOCK } from '../../core/ports.js';
import type { KyselyStore } from '../../storage/kysely-store.js';
import { openStore } from '../../storage/open-store.js';
import type { Dialect } from '../../storage/schema.js';
import type { OqCase, OqContext } from './oq-case.js';

/** Where OQ runs: SQLite in a temporary folder, or a throwaway schema on a PostgreSQL server. */
export type OqEngine = { readonly dialect: 'sqlite' } | { readonly dialect: 'postgres'; readonly url: string };

/** One case's result on one engine. */
export interface OqResult {
  readonly caseId: string;
  readonly dialect: Dialect;
  readonly outcome: 'passed' | 'failed';
  readonly durationMs: number;
  /** Why it failed (the assertion's or error's message); null when it passed. */
  readonly message: string | null;
}

/** A throwaway store and how to remove every trace of it. */
interface Throwaway {
  readonly store: KyselyStore;
  dispose(): Promise<void>;
}

async function throwawayStore(engine: OqEngine): Promise<Throwaway> {
  if (engine.dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'dossier-oq-'));
    const store = await openStore({ dialect: 'sqlite', location: join(dir, 'oq.db') });
    return {
      store,
      async dispose() {
        await store.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  // A schema of its own: the customer's database keeps nothing of the run once it is dropped.
  const schema = `dossier_oq_${randomBytes(6).toString('hex')}`;
  const store = await openStore({ dialect: 'postgres', location: engine.url, schema });
  return {
    store,
    async dispose() {
      await store.close();
      const client = new pg.Client({ connectionString: engine.url });
      await client.connect();
      try {
        await client.query(`drop schema if exists ${schema} cascade`);
      } finally {
        await client.end();
      }
    },
  };
}

/** The context a case runs with on a store (also used by Dossier's own suite, on its test stores). */
export function oqContext(store: KyselyStore, dialect: Dialect): OqContext {
  return {
    dialect,
    store,
    deps: { store, clock: SYSTEM_CLOCK, catalog: DEFAULT_CATALOG, actor: { id: 'oq-operator' } },
    services: processServices(DEFAULT_CATALOG),
  };
}

function messageOf(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  return text.length > 2000 ? `${text.slice(0, 2000)}…` : text;
}

/**
 * Runs every case on every engine, each on a fresh store that is thrown away after it; a case that throws failed
 * (with its message), and the next one still runs. A store that cannot be opened fails the case with the reason.
 * @param onResult - called after each case (progress)
 */
export async function runOq(cases: readonly OqCase[], engines: readonly OqEngine[], onResult?: (r: OqResult, done: number, total: number) => void): Promise<OqResult[]> {
  const results: OqResult[] = [];
  const total = cases.length * engines.length;
  for (const engine of engines) {
    for (const c of cases) {
      const started = performance.now();
      let outcome: OqResult['outcome'] = 'passed';
      let message: string | null = null;
      let place: Throwaway | undefined;
      try {
        place = await throwawayStore(engine);
        await c.run(oqContext(place.store, engine.dialect));
      } catch (e) {
        outcome = 'failed';
        message = messageOf(e);
      } finally {
        await place?.dispose().catch(() => undefined);
      }
      const r: OqResult = { caseId: c.id, dialect: engine.dialect, outcome, durationMs: Math.round(performance.now() - started), message };
      results.push(r);
      onResult?.(r, results.length, total);
    }
  }
  return results;
}
