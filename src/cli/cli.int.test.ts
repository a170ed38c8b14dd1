import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DIALECTS, openTestStore, type TestStore } from '../test-support/stores.js';
import { runCli } from './main.js';

interface Run {
  code: number;
  out: string;
  err: string;
}

describe.each(DIALECTS)('dossier CLI on %s', (dialect) => {
  let t: TestStore;
  let dir: string;
  beforeEach(async () => {
    t = await openTestStore(dialect);
    dir = mkdtempSync(join(tmpdir(), 'dossier-cli-'));
  });
  afterEach(async () => t.cleanup());

  async function dossier(...args: string[]): Promise<Run> {
    let out = '';
    let err = '';
    const code = await runCli(['--db', t.dbArg, '--actor', 'erin', ...args], {
      out: (s) => (out += s),
      err: (s) => (err += s),
      interactive: false,
    }, {});
    return { code, out, err };
  }

  it('runs the demo and lists its records', async () => {
    const demo = await dossier('demo');
    expect(demo.code).toBe(0);
    expect(demo.out).toMatch(/created demo product RPM .* with 119 records and 188 links/);
    const list = await dossier('record', 'list', '--product', 'RPM');
    expect(list.code).toBe(0);
    expect(list.out.split('\n')[0]).toMatch(/^ID\s+STATUS\s+REV\s+TITLE$/);
    expect(list.out).toMatch(/^UN-1\s+approved\s+1\s+Patients can take and send a reading/m);
    expect(list.out).toMatch(/^SRS-3\s+approved\s+2\s+The upload client uses TLS 1.3 only/m);
    expect(list.out).toMatch(/119 records/);
    const json = JSON.parse((await dossier('--json', 'record', 'list', '--type', 'HAZ')).out) as { key: string }[];
    expect(json.map((r) => r.key)).toEqual(['HAZ-1', 'HAZ-2', 'HAZ-3', 'HAZ-4', 'HAZ-5', 'HAZ-6', 'HAZ-7', 'HAZ-8']);
    const again = await dossier('demo');
    expect(again.code).toBe(3);
    expect(again.err).toMatch(/already has product RPM/);
  });

  it('works a record through its life and shows history and diff', async () => {
    expect((await dossier('product', 'create', '--key', 'ECG', '--name', 'ECG viewer', '--intended-use', 'Shows ECGs', '--class', 'c')).code).toBe(0);
    const add = await dossier('record', 'add', '--type', 'swi', '--title', 'Renderer', '--set', 'level=item', '--set', 'safetyClass=C');
    expect(add).toMatchObject({ code: 0 });
    expect(add.out).toMatch(/added ECG\/SWI-1/);
    expect((await dossier('record', 'status', 'SWI-1', 'in_review', '--base', '1')).code).toBe(0);
    expect((await dossier('record', 'status', 'SWI-1', 'approved', '--base', '1')).code).toBe(0);
    const edit = await dossier('record', 'edit', 'SWI-1', '--base', '1', '--title', 'ECG renderer', '--reason', 'rename');
    expect(edit.out).toMatch(/revision 2 \(draft\)/);
    const stale = await dossier('record', 'edit', 'SWI-1', '--base', '1', '--title', 'Other');
    expect(stale.code).toBe(3);
    expect(stale.err).toMatch(/^dossier: ECG\/SWI-1 has changed: the edit is based on revision 1 but the latest is revision 2/);
    const show = await dossier('record', 'show', 'SWI-1', '--approved');
    expect(show.out).toMatch(/ECG\/SWI-1 {2}Renderer/);
    expect(show.out).toMatch(/revision:\s+1 of 2/);
    const history = await dossier('record', 'history', 'SWI-1');
    expect(history.out).toMatch(/erin\s+revised to revision 2\s+rename/);
    const diff = await dossier('record', 'diff', 'SWI-1');
    expect(diff.out).toContain('title: Renderer\n    → ECG renderer');
    const log = await dossier('audit', 'log', '--entity', 'ECG/SWI-1');
    expect(log.out.match(/RECORD_/g)).toHaveLength(4);
  });

  it('gives exit 2 and a clear message for bad input, and changes nothing', async () => {
    await dossier('demo');
    const before = (await dossier('export', 'json')).out;
    const cases: [string[], RegExp][] = [
      [['record', 'add', '--type', 'XYZ', '--title', 'x'], /unknown record type 'XYZ'/],
      [['record', 'add', '--type', 'SWI', '--title', 'x', '--set', 'level=module', '--set', 'safetyClass=B'], /new SWI record \(Software item\) has invalid fields: fields\.level/],
      [['record', 'add', '--type', 'TC', '--title', 'x'], /fields\.level/],
      [['link', 'add', 'TC-1', 'verifies', 'SRS-999'], /record RPM\/SRS-999 does not exist/],
      [['link', 'add', 'SRS-1', 'verifies', 'TC-1'], /'verifies' link cannot go from SRS-1 \(SRS\) to TC-1 \(TC\)/],
      [['record', 'status', 'SRS-20', 'approved', '--base', '1'], /SRS-20 is draft; it cannot move to approved/],
      [['record', 'edit', 'SRS-1', '--base', 'one', '--title', 'x'], /--base must be a positive whole number/],
      [['record', 'show', 'SRS-1', '--revision', '9'], /has no revision 9/],
      [['record', 'frobnicate'], /unknown command 'frobnicate'/],
    ];
    for (const [args, message] of cases) {
      const r = await dossier(...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err, args.join(' ')).toMatch(message);
      expect(r.err).not.toMatch(/\n\s+at /); // no stack trace
    }
    expect((await dossier('export', 'json')).out).toBe(before);
  });

  it('exports and imports the whole store; malformed files are named with line and column', async () => {
    await dossier('demo');
    const file = join(dir, 'store.json');
    expect((await dossier('export', 'json', '--out', file)).code).toBe(0);
    const fresh = await openTestStore(dialect);
    try {
      const bad = join(dir, 'bad.json');
      writeFileSync(bad, readFileSync(file, 'utf8').replace('"products": [', '"products": [,'));
      let out = '';
      let err = '';
      const io = { out: (s: string) => (out += s), err: (s: string) => (err += s), interactive: false };
      expect(await runCli(['--db', fresh.dbArg, 'import', 'json', bad], io, {})).toBe(2);
      expect(err).toMatch(new RegExp(`dossier: ${bad.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:4:\\d+: malformed JSON: value expected`));
      expect(await runCli(['--db', fresh.dbArg, 'import', 'json', file], io, {})).toBe(0);
      expect(out).toMatch(/imported 1 products, 119 records/);
      out = '';
      expect(await runCli(['--db', fresh.dbArg, 'export', 'json'], io, {})).toBe(0);
      expect(out).toBe(readFileSync(file, 'utf8'));
    } finally {
      await fresh.cleanup();
    }
  });

  it('audit verify exits 1 and names the first altered event', async () => {
    await dossier('demo');
    const ok = await dossier('audit', 'verify');
    expect(ok.code).toBe(0);
    expect(ok.out).toMatch(/audit trail verified: 544 events, 120 revisions, no mismatch/);
    const db = t.store.db;
    if (dialect === 'postgres') await sql`alter table audit_events disable trigger user`.execute(db);
    else await sql`drop trigger audit_events_no_update`.execute(db);
    await sql`update audit_events set reason = 'nothing to see' where seq = 200`.execute(db);
    const bad = await dossier('audit', 'verify');
    expect(bad.code).toBe(1);
    expect(bad.out).toMatch(/FAILED: audit event 200 \(.*\) does not match its hash/);
  });
});
