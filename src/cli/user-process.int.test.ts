import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { built } from '../test-support/processes.js';
import { DIALECTS, openTestStore, type TestStore } from '../test-support/stores.js';

/** Runs the built `dossier` with `input` on its standard input. */
function dossierWithStdin(
  args: readonly string[],
  input: string,
  env: NodeJS.ProcessEnv = {},
): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [built('cli/main.js'), ...args], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out, err }));
    child.stdin.end(input);
  });
}

describe.each(DIALECTS)('the built dossier reads a new password from standard input on %s', (dialect) => {
  let t: TestStore;
  beforeEach(async () => {
    t = await openTestStore(dialect);
  });
  afterEach(async () => t.cleanup());

  it('creates the first admin with --password-stdin and stores only its argon2id hash [DOSSIER-SRS-28]', { timeout: 60_000 }, async () => {
    const password = 'first-admin-password-for-this-store';
    const ok = await dossierWithStdin(['--db', t.dbArg, 'user', 'create', 'ada', '--name', 'Ada Lovelace', '--admin', '--password-stdin'], `${password}\n`);
    expect(ok).toEqual({ code: 0, out: 'created user ada (Ada Lovelace), admin on every product\n', err: '' });
    const rows = await t.store.db.selectFrom('users').selectAll().execute();
    expect(rows.map((r) => [r.username, r.must_change_password])).toEqual([['ada', 0]]);
    expect(rows[0]?.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(JSON.stringify(rows)).not.toContain(password);
    const short = await dossierWithStdin(['--db', t.dbArg, 'user', 'create', 'bob', '--name', 'Bob', '--password-stdin'], 'short\n');
    expect(short).toEqual({ code: 2, out: '', err: 'dossier: invalid password: it must be at least 12 characters long\n' });
  });

  it('applies the identity policy of DOSSIER_IDENTITY_POLICY, and names the file and line of a bad one [DOSSIER-SRS-28]', { timeout: 60_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dossier-policy-'));
    const policy = join(dir, 'identity-policy.yaml');
    writeFileSync(policy, '# our password rules\npasswordMinLength: 20\nlockoutAttempts: 3\n');
    const args = ['--db', t.dbArg, 'user', 'create', 'ada', '--name', 'Ada Lovelace', '--admin', '--password-stdin'];
    const refused = await dossierWithStdin(args, 'fourteen chars\n', { DOSSIER_IDENTITY_POLICY: policy });
    expect(refused).toEqual({ code: 2, out: '', err: 'dossier: invalid password: it must be at least 20 characters long\n' });
    writeFileSync(policy, 'passwordMinLength: 20\nlockoutAttempts: none\n');
    const bad = await dossierWithStdin(args, 'a long enough password for twenty\n', { DOSSIER_IDENTITY_POLICY: policy });
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(new RegExp(`^dossier: ${policy.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:2:\\d+: .*lockoutAttempts`));
    expect(await t.store.db.selectFrom('users').selectAll().execute()).toEqual([]);
    // Without the policy, the defaults hold (12 characters).
    expect((await dossierWithStdin(args, 'fourteen chars\n')).code).toBe(0);
  });
});
