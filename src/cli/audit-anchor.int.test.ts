import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DIALECTS, openTestStore, type TestStore } from '../test-support/stores.js';
import { runCli } from './main.js';

const BUILT = 'dist/cli/main.js';

describe.each(DIALECTS)('dossier audit anchor and verify --anchor on %s', (dialect) => {
  let t: TestStore;
  beforeEach(async () => {
    t = await openTestStore(dialect);
  });
  afterEach(async () => t.cleanup());

  async function dossier(...args: string[]): Promise<{ code: number; out: string; err: string }> {
    let out = '';
    let err = '';
    const code = await runCli(['--db', t.dbArg, '--actor', 'erin', ...args], { out: (s) => (out += s), err: (s) => (err += s), interactive: false }, {});
    return { code, out, err };
  }

  it('prints the head as SEQ:HASH, verify holds the store to it, and a cut-back trail fails against it [DOSSIER-SRS-6] [DOSSIER-SRS-51]', async () => {
    expect((await dossier('audit', 'anchor')).err).toBe('dossier: the audit trail is empty: there is nothing to anchor yet\n');
    expect((await dossier('product', 'create', '--key', 'ECG', '--name', 'ECG viewer', '--intended-use', 'Shows ECGs', '--class', 'b')).code).toBe(0);
    expect((await dossier('record', 'add', '--type', 'srs', '--title', 'Shows leads I-III')).code).toBe(0);
    expect((await dossier('record', 'add', '--type', 'tc', '--title', 'Leads I-III shown', '--set', 'level=system')).code).toBe(0);
    expect((await dossier('link', 'add', 'TC-1', 'verifies', 'SRS-1')).code).toBe(0);
    const anchor = await dossier('audit', 'anchor');
    expect(anchor).toMatchObject({ code: 0, err: '' });
    expect(anchor.out).toMatch(/^4:[0-9a-f]{64}\n$/);
    const json = JSON.parse((await dossier('--json', 'audit', 'anchor')).out) as Record<string, unknown>;
    expect(json).toMatchObject({ seq: 4, anchor: anchor.out.trim() });

    const log = (JSON.parse((await dossier('--json', 'audit', 'log')).out) as { events: { seq: number; hash: string }[] }).events;
    const ok = await dossier('audit', 'verify', '--anchor', anchor.out.trim(), '--anchor', `2:${log[1]?.hash ?? ''}`);
    expect(ok.code).toBe(0);
    expect(ok.out).toMatch(/no mismatch \(head: event 4, [0-9a-f]{64}\); the chain holds all 2 anchors/);

    const bad = await dossier('audit', 'verify', '--anchor', '4:abc');
    expect(bad).toMatchObject({ code: 2, out: '' });
    expect(bad.err).toBe('dossier: --anchor "4:abc": expected SEQ:HASH, an event number and its SHA-256 in hex, as `dossier audit anchor` prints it\n');

    // The newest event deleted behind the application's back: consistent in itself, but the anchor is gone.
    if (dialect === 'postgres') await sql`alter table audit_events disable trigger user`.execute(t.store.db);
    else await sql`drop trigger audit_events_no_delete`.execute(t.store.db);
    await sql`delete from audit_events where seq = 4`.execute(t.store.db);
    // The link the deleted event created is current state no event proves, so the state check finds this cut
    // even without an anchor; a cut that also removes the rows it wrote would need the anchor.
    const plain = await dossier('audit', 'verify');
    expect(plain.code).toBe(1);
    expect(plain.out).toMatch(/link ECG\/link\/1/);
    const cut = await dossier('audit', 'verify', '--anchor', anchor.out.trim());
    expect(cut.code).toBe(1);
    expect(cut.out).toMatch(/^audit trail verification FAILED: anchor 4:[0-9a-f]{12}… names event 4, but the trail ends at event 3: events were removed from its end$/m);
  });

  it.runIf(existsSync(BUILT))('the built dossier prints an anchor that the built dossier then verifies (exit codes)', async () => {
    expect((await dossier('product', 'create', '--key', 'ECG', '--name', 'ECG viewer', '--intended-use', 'Shows ECGs', '--class', 'b')).code).toBe(0);
    const run = (...args: string[]): ReturnType<typeof spawnSync> => spawnSync(process.execPath, [BUILT, '--db', t.dbArg, ...args], { encoding: 'utf8' });
    const anchor = run('audit', 'anchor');
    expect(anchor.status).toBe(0);
    expect(anchor.stdout).toMatch(/^1:[0-9a-f]{64}\n$/);
    const ok = run('audit', 'verify', '--anchor', String(anchor.stdout).trim());
    expect({ status: ok.status, stderr: ok.stderr }).toEqual({ status: 0, stderr: '' });
    const wrong = run('audit', 'verify', '--anchor', `1:${'0'.repeat(64)}`);
    expect(wrong.status).toBe(1);
    expect(wrong.stdout).toMatch(/FAILED: audit event 1 does not have the hash recorded by anchor 1:000000000000…/);
  });
});
