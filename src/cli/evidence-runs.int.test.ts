import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useCli } from '../test-support/cli.js';
import { DIALECTS } from '../test-support/stores.js';

describe.each(DIALECTS)('dossier evidence tests, relabel and void on %s', (dialect) => {
  const cli = useCli(dialect);
  const dossier = cli.dossier;
  const file = (name: string, text: string): string => {
    const p = join(cli.dir(), name);
    writeFileSync(p, text);
    return p;
  };

  it('files in another order are the same run; a run without a version is attached, relabelled and voided by number', async () => {
    expect((await dossier('product', 'create', '--key', 'RPM', '--name', 'Remote monitoring', '--intended-use', 'Sends readings', '--class', 'b')).code).toBe(0);
    const unit = file('unit.xml', '<testsuite name="u" timestamp="2026-11-20T09:00:00"><testcase classname="u" name="a"/><testcase classname="u" name="b" status="disabled"/></testsuite>');
    const e2e = file('e2e.xml', '<testsuite name="e"><testcase classname="e" name=""><failure message="hook failed"/><error message="teardown"/></testcase></testsuite>');
    const first = await dossier('evidence', 'tests', unit, e2e);
    expect(first.out).toMatch(/^test run 1: 3 results \(1 passed, 0 failed, 1 errors, 1 skipped, 0 flaky\)$/m);
    expect((await dossier('evidence', 'tests', e2e, unit)).out).toMatch(/already imported as test run 1 .*; nothing changed/);
    const attached = await dossier('evidence', 'tests', e2e, unit, '--version', '1.0.0');
    expect(attached.out, attached.err).toMatch(/already imported as test run 1 .* without a version; now labelled 1\.0\.0/);
    const moved = await dossier('evidence', 'relabel', '1', '--version', '1.0.1', '--reason', 'the job tagged the wrong version');
    expect([moved.code, moved.out.trim(), moved.err]).toEqual([0, 'test run 1 is now labelled 1.0.1; a release of that version takes it when frozen (dossier release create)', '']);
    const refused = await dossier('evidence', 'tests', unit, e2e, '--version', '2.0.0');
    expect([refused.code, refused.err.trim()]).toEqual([3, 'dossier: these files are test run 1 of RPM, labelled 1.0.1; to move it to 2.0.0: dossier evidence relabel 1 --version 2.0.0 --reason "…"']);
    expect((await dossier('evidence', 'void', '1', '--reason', 'ran against staging')).out).toMatch(/^test run 1 is void \(ran against staging\)/);
    const list = await dossier('evidence', 'list');
    expect(list.out).toMatch(/^1\s+test_run\s+.*\s+3\s+1\.0\.1\s+\S+\s+erin\s+void: ran against staging$/m);
    expect((await dossier('evidence', 'void', 'one', '--reason', 'x')).err).toMatch(/a test run is named by its number/);
    const twice = await dossier('evidence', 'void', '1', '--reason', 'x');
    expect(twice.code, twice.err).toBe(2);
    const log = (JSON.parse((await dossier('--json', 'audit', 'log', '--entity', 'RPM/evidence/1')).out) as { events: { action: string }[] }).events;
    expect(log.map((e) => e.action)).toEqual(['EVIDENCE_IMPORTED', 'EVIDENCE_RELABELLED', 'EVIDENCE_RELABELLED', 'EVIDENCE_VOIDED']);
    expect((await dossier('audit', 'verify')).code).toBe(0);
  });

  it('caps long outputs at --max-text (or DOSSIER_JUNIT_MAX_TEXT) and refuses a cap it cannot use', async () => {
    expect((await dossier('product', 'create', '--key', 'RPM', '--name', 'Remote monitoring', '--intended-use', 'Sends readings', '--class', 'b')).code).toBe(0);
    const big = file('big.xml', `<testsuite name="s"><testcase classname="c" name="t"><failure message="boom">${'x'.repeat(100_000)}</failure></testcase></testsuite>`);
    const bad = await dossier('evidence', 'tests', big, '--max-text', 'lots');
    expect([bad.code, bad.err.trim()]).toEqual([2, "dossier: --max-text (or DOSSIER_JUNIT_MAX_TEXT) must be a number of bytes from 256 to 67108864, not 'lots'"]);
    expect((await dossier('evidence', 'tests', big, '--max-text', '1024')).code).toBe(0);
    const exported = JSON.parse((await dossier('export', 'json')).out) as { evidenceItems: { data: { message: string } }[] };
    const message = exported.evidenceItems[0]?.data.message ?? '';
    expect(message.length).toBeLessThan(1100);
    expect(message).toMatch(/^boom\nx+\n\[… \d+ bytes cut …\]\nx+$/);
  });
});
