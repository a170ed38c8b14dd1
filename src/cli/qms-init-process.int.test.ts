import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DIALECTS, openTestStore, type TestStore } from '../test-support/stores.js';

const ROOT = process.cwd();
const MAIN = join(ROOT, 'dist/cli/main.js');

/** Runs the built CLI as a child process (its own Node, its own exit code). */
function dossier(db: string, ...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const env = { ...process.env, DOSSIER_DEBUG: '', DOSSIER_DB: '', DOSSIER_ACTOR: '', FORCE_COLOR: '0' };
  return new Promise((resolve) => {
    execFile(process.execPath, [MAIN, '--db', db, '--actor', 'ci-bot', ...args], { cwd: ROOT, env, timeout: 120_000 }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : -1, out: stdout, err: stderr });
    });
  });
}

describe.each(DIALECTS)('the built dossier qms init on %s', (dialect) => {
  let t: TestStore;
  beforeEach(async () => {
    if (!existsSync(MAIN)) throw new Error('dist/cli/main.js is missing: run `npm run build` before these tests');
    t = await openTestStore(dialect);
  });
  afterEach(async () => t.cleanup());

  it('exits 0 with JSON on stdout, then 2 with one line on stderr and no stack trace', async () => {
    expect((await dossier(t.dbArg, 'product', 'create', '--key', 'RPM', '--name', 'VitalLink', '--intended-use', 'Monitors vitals', '--class', 'B')).code).toBe(0);
    const first = await dossier(t.dbArg, '--json', 'qms', 'init', '--owner', 'quinn');
    expect(first).toMatchObject({ code: 0, err: '' });
    expect((JSON.parse(first.out) as { documents: unknown[] }).documents.length).toBeGreaterThan(20);
    const second = await dossier(t.dbArg, 'qms', 'init');
    expect(second).toMatchObject({ code: 2, out: '' });
    expect(second.err).toMatch(/^dossier: the starter QMS is already in RPM: QM-001 is DOC-1 .*nothing was written\n$/);
  });
});
