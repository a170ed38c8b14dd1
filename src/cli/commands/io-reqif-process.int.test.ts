import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DIALECTS, openTestStore, type TestStore } from '../../test-support/stores.js';

const ROOT = process.cwd();
const MAIN = join(ROOT, 'dist/cli/main.js');
const FIX = 'test/fixtures/reqif';

/** Runs the built CLI as a child process (its own Node, its own exit code). */
function dossier(db: string, ...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const env = { ...process.env, DOSSIER_DEBUG: '', DOSSIER_DB: '', DOSSIER_ACTOR: '', FORCE_COLOR: '0' };
  return new Promise((resolve) => {
    execFile(process.execPath, [MAIN, '--db', db, '--actor', 'ci-bot', ...args], { cwd: ROOT, env, timeout: 120_000 }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : -1, out: stdout, err: stderr });
    });
  });
}

describe.each(DIALECTS)('the built dossier import reqif / export reqif on %s', (dialect) => {
  let t: TestStore;
  let dir: string;
  beforeEach(async () => {
    if (!existsSync(MAIN)) throw new Error('dist/cli/main.js is missing: run `npm run build` before these tests');
    t = await openTestStore(dialect);
    dir = mkdtempSync(join(tmpdir(), 'dossier-reqif-'));
  });
  afterEach(async () => {
    rmSync(dir, { recursive: true, force: true });
    await t.cleanup();
  });

  it('imports with a JSON report, exports a file, and refuses a script with exit 2 and no stack trace', async () => {
    expect((await dossier(t.dbArg, 'product', 'create', '--key', 'RPM', '--name', 'Pump', '--intended-use', 'Infuses drugs', '--class', 'B')).code).toBe(0);
    const imp = await dossier(t.dbArg, '--json', 'import', 'reqif', `${FIX}/polarion-like.reqif`, '--map', `${FIX}/polarion-like.map.yaml`);
    expect(imp).toMatchObject({ code: 0, err: '' });
    expect((JSON.parse(imp.out) as { created: unknown[] }).created).toHaveLength(3);
    const file = join(dir, 'out.reqif');
    const exp = await dossier(t.dbArg, 'export', 'reqif', '--out', file);
    expect(exp.code, exp.err).toBe(0);
    expect(readFileSync(file, 'utf8')).toMatch(/^<\?xml version="1\.0" encoding="UTF-8"\?>\n<REQ-IF /);
    const bad = await dossier(t.dbArg, 'import', 'reqif', `${FIX}/bad/xhtml-script.reqif`, '--map', `${FIX}/minimal.map.yaml`);
    expect(bad.code).toBe(2);
    expect(bad.out).toMatch(/xhtml-script\.reqif:28:\d+: spec object 'R1'/);
    expect(bad.err).not.toMatch(/\bat .*\.js:\d+/);
    const xml = await dossier(t.dbArg, 'import', 'reqif', `${FIX}/bad/invalid-xml.reqif`);
    expect(xml).toMatchObject({ code: 2, out: '' });
    expect(xml.err).toMatch(/^dossier: .*invalid-xml\.reqif:29:\d+: malformed XML: .*\n$/);
  });
});
