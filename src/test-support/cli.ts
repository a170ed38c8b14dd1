import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import { runCli } from '../cli/main.js';
import type { Dialect } from '../storage/schema.js';
import { openTestStore, type TestStore } from './stores.js';

/** What one in-process `dossier` run gave. */
export interface Run {
  code: number;
  out: string;
  err: string;
}

/** A fresh store per test and a `dossier` runner bound to it. */
export function useCli(dialect: Dialect): {
  t: () => TestStore;
  dir: () => string;
  dossier: (...args: string[]) => Promise<Run>;
  /** Runs `dossier` with this text on standard input (a password for `--password-stdin`). */
  dossierWithInput: (stdin: string, ...args: string[]) => Promise<Run>;
} {
  let t: TestStore | undefined;
  let dir = '';
  beforeEach(async () => {
    t = await openTestStore(dialect);
    dir = mkdtempSync(join(tmpdir(), 'dossier-cli-'));
  });
  afterEach(async () => t?.cleanup());
  const store = (): TestStore => {
    if (t === undefined) throw new Error('no test store');
    return t;
  };
  return {
    t: store,
    dir: () => dir,
    dossier: (...args: string[]): Promise<Run> => run(undefined, args),
    dossierWithInput: (stdin: string, ...args: string[]): Promise<Run> => run(stdin, args),
  };

  async function run(stdin: string | undefined, args: readonly string[]): Promise<Run> {
    let out = '';
    let err = '';
    const io = { out: (s: string) => (out += s), err: (s: string) => (err += s), interactive: false, ...(stdin === undefined ? {} : { stdin: () => Promise.resolve(stdin) }) };
    const code = await runCli(['--db', store().dbArg, '--actor', 'erin', ...args], io, {});
    return { code, out, err };
  }
}

