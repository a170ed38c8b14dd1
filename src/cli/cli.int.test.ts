import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { DIALECTS, openTestStore, testDeps } from '../test-support/stores.js';
import { signDemoRecords } from '../demo/seed-demo.js';
import { SYSTEM_CLOCK } from '../core/ports.js';
import { stringify } from 'yaml';
import { DEFAULT_RISK_POLICY } from '../core/risk/policy.js';
import { useCli, type Run } from '../test-support/cli.js';
import { runCli } from './main.js';

describe.each(DIALECTS)('dossier CLI on %s', (dialect) => {
  const cli = useCli(dialect);
  const dossier = cli.dossier;

  it('runs the demo and lists its records [DOSSIER-SRS-52]', async () => {
    const demo = await dossier('demo');
    expect(demo.code).toBe(0);
    expect(demo.out).toMatch(/created demo product RPM .* with 201 records and 319 links/);
    const list = await dossier('record', 'list', '--product', 'RPM');
    expect(list.code).toBe(0);
    expect(list.out.split('\n')[0]).toMatch(/^ID\s+STATUS\s+REV\s+TITLE$/);
    expect(list.out).toMatch(/^UN-1\s+approved\s+1\s+Patients can take and send a reading/m);
    expect(list.out).toMatch(/^SRS-3\s+approved\s+2\s+The upload client uses TLS 1.3 only/m);
    expect(list.out).toMatch(/201 records/);
    const json = JSON.parse((await dossier('--json', 'record', 'list', '--type', 'HAZ')).out) as { key: string }[];
    expect(json.map((r) => r.key)).toEqual(['HAZ-1', 'HAZ-2', 'HAZ-3', 'HAZ-4', 'HAZ-5', 'HAZ-6', 'HAZ-7', 'HAZ-8']);
    const again = await dossier('demo');
    expect(again.code).toBe(3);
    expect(again.err).toMatch(/already has product RPM/);
    const quiet = await dossier('demo', '--if-missing');
    expect(quiet.code).toBe(0);
    expect(quiet.out).toMatch(/already has the demo product RPM/);
  });

  it('works a record through its life and shows history and diff [DOSSIER-SRS-2]', async () => {
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

  it('gives exit 2 and a clear message for bad input, and changes nothing [DOSSIER-SRS-1] [DOSSIER-SRS-11] [DOSSIER-SRS-37]', async () => {
    await dossier('demo');
    const before = (await dossier('export', 'json')).out;
    const cases: [string[], RegExp][] = [
      [['record', 'add', '--type', 'XYZ', '--title', 'x'], /unknown record type 'XYZ'/],
      [['record', 'add', '--type', 'SWI', '--title', 'x', '--set', 'level=module', '--set', 'safetyClass=B'], /--set level=module: level is one of system, item, unit/],
      [['record', 'add', '--type', 'TC', '--title', 'x'], /fields\.level/],
      [['link', 'add', 'TC-1', 'verifies', 'SRS-999'], /record RPM\/SRS-999 does not exist/],
      [['link', 'add', 'SRS-1', 'verifies', 'TC-1'], /'verifies' link cannot go from SRS-1 \(SRS\) to TC-1 \(TC\)/],
      [['record', 'status', 'SRS-20', 'approved', '--base', '1'], /SRS-20 is draft; it cannot move to approved/],
      [['record', 'edit', 'SRS-1', '--base', 'one', '--title', 'x'], /--base must be a positive whole number/],
      [['record', 'show', 'SRS-1', '--revision', '9'], /has no revision 9/],
      [['record', 'frobnicate'], /unknown command 'frobnicate'/],
      [['import', 'json', '/nonexistent/store.json'], /cannot read \/nonexistent\/store\.json/],
      [['check', '--format', 'html'], /--format must be text, json, junit or sarif, not 'html'/],
      [['trace', 'matrix', '--from', 'UN', '--to', 'XYZ'], /unknown record type 'XYZ'/],
      [['impact', 'SRS-999'], /record RPM\/SRS-999 does not exist/],
      [['rules', 'severity', 'IEC62304-5.7.1-SRS-VERIFIED', 'fatal', '--justification', 'long enough reason'], /severity must be error, warning or info/],
    ];
    for (const [args, message] of cases) {
      const r = await dossier(...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err, args.join(' ')).toMatch(message);
      expect(r.err).not.toMatch(/\n\s+at /); // no stack trace
    }
    expect((await dossier('export', 'json')).out).toBe(before);
  });

  it('exports and imports the whole store; malformed files are named with line and column [DOSSIER-SRS-9]', async () => {
    await dossier('demo');
    const file = join(cli.dir(), 'store.json');
    expect((await dossier('export', 'json', '--out', file)).code).toBe(0);
    const fresh = await openTestStore(dialect);
    try {
      const bad = join(cli.dir(), 'bad.json');
      writeFileSync(bad, readFileSync(file, 'utf8').replace('"products": [', '"products": [,'));
      let out = '';
      let err = '';
      const io = { out: (s: string) => (out += s), err: (s: string) => (err += s), interactive: false };
      expect(await runCli(['--db', fresh.dbArg, 'import', 'json', bad], io, {})).toBe(2);
      expect(err).toMatch(new RegExp(`dossier: ${bad.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:4:\\d+: malformed JSON: value expected`));
      expect(await runCli(['--db', fresh.dbArg, 'import', 'json', file], io, {})).toBe(0);
      expect(out).toMatch(/imported 1 products, 201 records/);
      out = '';
      expect(await runCli(['--db', fresh.dbArg, 'export', 'json'], io, {})).toBe(0);
      expect(out).toBe(readFileSync(file, 'utf8'));
    } finally {
      await fresh.cleanup();
    }
  });

  it('audit verify exits 1 and names the first altered event [DOSSIER-SRS-6]', async () => {
    await dossier('demo');
    const ok = await dossier('audit', 'verify');
    expect(ok.code).toBe(0);
    expect(ok.out).toMatch(/audit trail verified: 1571 events, 225 revisions, 5 evidence imports, no mismatch/);
    expect(ok.out).toMatch(/current state: \d+ rows and 1 release baseline\(s\) match the trail/);
    const db = cli.t().store.db;
    if (dialect === 'postgres') await sql`alter table audit_events disable trigger user`.execute(db);
    else await sql`drop trigger audit_events_no_update`.execute(db);
    await sql`update audit_events set reason = 'nothing to see' where seq = 200`.execute(db);
    const bad = await dossier('audit', 'verify');
    expect(bad.code).toBe(1);
    expect(bad.out).toMatch(/FAILED: audit event 200 \(.*\) does not match its hash/);
  });
});

/** SOUP fields the demo's new components need before release (IEC 62304 5.3.3, 7.1.2, 7.1.3, 8.1.2). */
const SOUP_ASSESSMENT = [
  '--set', 'functionalRequirements=Stores and renders what the app needs',
  '--set', 'performanceRequirements=No measurable delay on reference phones',
  '--set', 'riskAssessment=Failure shows as an app error; no path to a wrong reading',
  '--set', 'anomalyReview=Reviewed the issue tracker for this version on 2026-11-21: nothing relevant',
];

/**
 * Closes every gap the demo leaves for `dossier check`, the way a team would: links, assessments, residual
 * estimates, a passing rerun of the failed tests, and a risk review of what new information flagged.
 */
async function fixDemoGaps(dossier: (...args: string[]) => Promise<Run>, dir: string): Promise<void> {
  const rerun = join(dir, 'rerun.xml');
  const demoRun = readFileSync('demo/junit-1.2.0.xml', 'utf8');
  writeFileSync(rerun, demoRun.replace(/<failure[\s\S]*?<\/failure>/, '').replace(/<error[\s\S]*?<\/error>/, ''));
  const steps: string[][] = [
    ['link', 'add', 'HS-7', 'results_in', 'HARM-2'],
    ['link', 'add', 'RISK-8', 'assesses', 'HARM-2'],
    ['record', 'edit', 'RISK-8', '--base', '1', '--set', 'residualSeverity=S3', '--set', 'residualExploitability=E1'],
    ['link', 'add', 'VAL-3', 'validates', 'UN-10'],
    ['link', 'add', 'TC-25', 'verifies', 'SRS-20'],
    ['link', 'add', 'SWI-2', 'implements', 'SRS-15'],
    ['record', 'edit', 'SRS-18', '--base', '1', '--set', 'riskControl=true'],
    ['link', 'add', 'SRS-18', 'implements', 'RC-12'],
    ['link', 'add', 'TC-3', 'verifies', 'RC-12'],
    ['record', 'edit', 'SOUP-1', '--base', '2', '--set', 'anomalyReview=Reviewed the 0.74.5 release notes on 2026-11-21: no issue in paths we use'],
    ['record', 'edit', 'VULN-1', '--base', '1', '--set', 'triage=not_affected', '--set', 'justification=The app uses ws only as a client; the flaw is in the server'],
    ['record', 'edit', 'RISK-9', '--base', '1', '--set', 'residualSeverity=S2', '--set', 'residualProbability=P2'],
    ['link', 'add', 'VAL-3', 'validates', 'RC-3'], ['link', 'add', 'VAL-1', 'validates', 'RC-4'], ['link', 'add', 'VAL-1', 'validates', 'RC-6'],
    ['link', 'add', 'VAL-1', 'validates', 'RC-7'], ['link', 'add', 'VAL-2', 'validates', 'RC-9'], ['link', 'add', 'VAL-2', 'validates', 'RC-10'],
    ['link', 'add', 'VAL-1', 'validates', 'RC-12'],
    ['evidence', 'tests', rerun, '--version', '1.2.0', '--build', 'ci-2297'],
  ];
  for (const soup of ['SOUP-6', 'SOUP-15', 'SOUP-18', 'SOUP-19']) {
    steps.push(['record', 'edit', soup, '--base', '1', ...SOUP_ASSESSMENT, '--set', 'supplier=The package maintainers (npm)'], ['link', 'add', 'SWI-2', 'uses', soup]);
  }
  steps.push(['risk', 'review', '--all', '--outcome', 'no_change', '--note', 'Complaint PPI-1 and the ws advisory reviewed: estimates hold']);
  for (const step of steps) {
    const r = await dossier(...step);
    expect(r.code, `${step.join(' ')}: ${r.err}`).toBe(0);
  }
}

describe.each(DIALECTS)('dossier trace, check and explain on %s', (dialect) => {
  const cli = useCli(dialect);
  const dossier = cli.dossier;

  it('check finds an author approving their own revision; the demo\'s approvals by quality are not flagged', async () => {
    await dossier('demo');
    expect((await dossier('check')).out).not.toMatch(/SELF-APPROVAL/);
    expect((await dossier('record', 'edit', 'UN-10', '--base', '1', '--body', 'Includes exports and support access.')).err).toBe('');
    expect((await dossier('record', 'status', 'UN-10', 'in_review', '--base', '2')).err).toBe('');
    expect((await dossier('record', 'status', 'UN-10', 'approved', '--base', '2')).err).toBe('');
    const check = await dossier('check');
    expect(check.code).toBe(1);
    expect(check.out).toMatch(/^ISO 13485 4\.2\.4\n {2}error {3}UN-10 {4}UN-10 was approved by erin, who also wrote the approved revision {2}\[DC-4\.2\.4-SELF-APPROVAL\]$/m);
    const audit = (JSON.parse((await dossier('--json', 'audit', 'log', '--entity', 'RPM/UN-10')).out) as { events: { action: string; actor: string; newValue: string | null }[] }).events;
    expect(audit.at(-1)).toMatchObject({ action: 'RECORD_STATUS_CHANGED', actor: 'erin', newValue: '{"approvedBy":"erin","revision":2,"status":"approved"}' });
  });

  it('check gates on findings, explains rules, and clears a finding once the gap is fixed [DOSSIER-SRS-15] [DOSSIER-SRS-16] [DOSSIER-SRS-25]', async () => {
    await dossier('demo');
    const check = await dossier('check');
    expect(check.code).toBe(1);
    expect(check.out).toMatch(/^ISO 14971 5\.5\n(?: {2}.*\n)*? {2}error {3}HS-7 {5}HS-7 results in no harm {2}\[ISO14971-5\.5-SITUATION-HARM\]/m);
    expect(check.out).toMatch(/^ {2}error {3}RC-9 {5}RC-9 is not verified by a passing test \(verification: failed\) {2}\[ISO14971-7\.2-CONTROL-VERIFIED\]$/m);
    expect(check.out).toMatch(/^ {2}error {3}RISK-5 {3}RISK-5 needs a risk review \(review state: flagged\) {2}\[ISO14971-10-REVIEW-CURRENT\]$/m);
    expect(check.out).toMatch(/FAILED: 30 findings at or above error/);
    expect((await dossier('check', '--fail-on', 'fatal')).err).toMatch(/--fail-on must be error, warning or info/);
    const junit = join(cli.dir(), 'check.xml');
    expect((await dossier('check', '--format', 'junit', '--out', junit)).code).toBe(1);
    expect(readFileSync(junit, 'utf8')).toMatch(/^<\?xml version="1\.0" encoding="UTF-8"\?>\n<testsuites name="dossier check RPM" tests="\d+" failures="30"/);
    const sarif = JSON.parse((await dossier('check', '--format', 'sarif')).out) as { version: string };
    expect(sarif.version).toBe('2.1.0');

    const explain = await dossier('explain', 'iso14971-5.5-situation-harm');
    expect(explain.code).toBe(0);
    expect(explain.out).toContain('clause:   ISO 14971 5.5');
    expect(explain.out).toContain("For every Hazardous situation (HS) that is not obsolete, Dossier checks that it has at least 1 'results_in' link to Harm (HARM).");
    expect((await dossier('explain', 'NOPE-1')).code).toBe(2);
    const allocated = await dossier('explain', 'DC-7.3.3-SYSTEM-REQUIREMENT-REFINED');
    expect(allocated.out).toContain('except one with allocation = hardware or other_system');
    expect((await dossier('rules', 'list')).out).toMatch(/^DC-7\.3\.3-SYSTEM-REQUIREMENT-REFINED\s+ISO 13485 7\.3\.3\s+error\s+on\s+Every system requirement is refined/m);
    const sys13 = await dossier('record', 'show', 'SYS-13');
    expect(sys13.out).toMatch(/allocation\W+other_system/);
    const unallocated = await dossier('record', 'edit', 'SYS-1', '--base', '1', '--set', 'allocation=hardware');
    expect(unallocated.code).toBe(2);
    expect(unallocated.err).toMatch(/SYS-1 \(System requirement\) has invalid fields: fields\.allocationReason: required when allocation is hardware/);
    const computed = await dossier('explain', 'ISO14971-7.2-CONTROL-VERIFIED');
    expect(computed.out).toContain("For every Risk control (RC) that is not obsolete, Dossier checks that it has 'verification' = passed (computed: passed, failed, not_run or untested:");

    await fixDemoGaps(dossier, cli.dir());
    // What is left at warning are the demo's two honest quality-system gaps, which the design fixes do not touch.
    const clean = await dossier('check', '--fail-on', 'warning');
    const left = clean.out.split('\n').filter((l) => /^ {2}(error|warning) /.test(l)).map((l) => /\[(\S+)\]$/.exec(l)?.[1]);
    expect(left).toEqual(['ISO13485-6.2-SIGNED-UNTRAINED', 'ISO13485-7.4.1-SUPPLIER-REEVALUATION']);
    const gate = await dossier('check', '--fail-on', 'error');
    expect(gate.out).toMatch(/passed: no finding at or above error/);
    expect(gate.code).toBe(0);
  });

  it('shows the trace matrix, suspect links and impact; confirms suspects [DOSSIER-SRS-12] [DOSSIER-SRS-13] [DOSSIER-SRS-14]', async () => {
    await dossier('demo');
    const m = await dossier('trace', 'matrix', '--from', 'HAZ', '--to', 'TC');
    expect(m.out).toMatch(/^HAZ-1\s+yes\s+TC-4, TC-5, TC-6, TC-7/m);
    expect(m.out).toMatch(/HAZ → TC: \d+ of 8 covered/);
    const csv = await dossier('trace', 'matrix', '--from', 'UN', '--to', 'SYS', '--format', 'csv');
    expect(csv.out.split('\n')[0]).toBe('UN,UN title,SYS,SYS title,through');
    expect(csv.out).toContain('UN-1,Patients can take and send a reading in under a minute,SYS-2,');
    const s = await dossier('trace', 'suspects');
    expect(s.code).toBe(1);
    expect(s.out).toMatch(/^72\s+TC-4\s+verifies\s+SRS-3\s+upstream changed\s+SRS-3@2$/m);
    const c = await dossier('trace', 'confirm', '--record', 'SRS-3', '--reason', 'Reviewed after the TLS 1.3 change');
    expect(c.out).toMatch(/confirmed 5 link\(s\): .*CR-1 changes SRS-3/);
    expect((await dossier('trace', 'suspects')).out).not.toMatch(/SRS-3/);
    const dot = await dossier('impact', 'RC-1', '--format', 'dot');
    expect(dot.out).toMatch(/^digraph impact \{/);
    expect(dot.out).toContain('"SRS-3" -> "RC-1" [label="implements"];');
    const tree = await dossier('impact', 'RC-1');
    expect(tree.out).toMatch(/upstream \(what it comes from\):\n {2}└─↑ mitigates HS-1/);
  });

  it('refuses a bad rule pack by file and line, and changes nothing [DOSSIER-SRS-15]', async () => {
    await dossier('demo');
    const file = join(cli.dir(), 'team.yaml');
    writeFileSync(file, 'pack: team\ntitle: Team\nrules:\n  - id: TEAM-1\n    clause: X 1\n    title: t\n    severity: error\n    select: { type: TEST }\n    require: {}\n    message: m\n    why: w\n    hint: h\n');
    const before = (await dossier('export', 'json')).out;
    const r = await dossier('rules', 'add-pack', file);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`${file}:8:21: rules.0.select.type: unknown record type 'TEST'`);
    expect((await dossier('export', 'json')).out).toBe(before);
  });
});

describe.each(DIALECTS)('dossier evidence and release on %s', (dialect) => {
  const cli = useCli(dialect);
  const dossier = cli.dossier;

  it('the demo release gate reports failing tests, the self-approved merge, the untriaged vulnerability and unassessed SOUP; fixing them lets it pass [DOSSIER-SRS-19] [DOSSIER-SRS-20] [DOSSIER-SRS-21] [DOSSIER-SRS-22] [DOSSIER-SRS-27]', async () => {
    await dossier('demo');
    const check = await dossier('release', 'check', '1.2.0');
    expect(check.code).toBe(1);
    expect(check.out).toMatch(/^IEC 62304 5\.7\.2\n {2}error {3}TC-13 {4}test "rules\/escalation\.int\.test\.ts An unacknowledged alert is escalated by SMS after 15 minutes" \(TC-13\) failed in test run \d+: expected SMS at 15:00 ± 0:30, sent at 16:02 {2}\[RELEASE-TEST-FAILED\]$/m);
    expect(check.out).toMatch(/TC-22 .* errored in test run/);
    expect(check.out).toMatch(/^IEC 62304 5\.5\.2\n {2}error {3}RPM {6}github:vitallink\/rpm#44 "Hotfix: reminder scheduling on Android 14" by lee-dev was merged \(head 444444444444\) with only its author's approval/m);
    expect(check.out).toMatch(/^IEC 62304 9\.2\n {2}error {3}VULN-1 {3}VULN-1 has not been triaged/m);
    expect(check.out).toMatch(/error {3}SOUP-6 {3}SOUP-6 does not state the functional and performance requirements/);
    expect(check.out).toMatch(/error {3}SOUP-1 {3}SOUP-1 has no review of its supplier's known-anomaly list for this version/);
    expect(check.out).toMatch(/error {3}SRS-11 {3}SRS-11 has no passing result in this release's test runs \(TC-13 failed\)/);
    expect(check.out).toMatch(/warning RPM {6}commit [0-9a-f]{12} "Hotfix: reminder scheduling on Android 14" .* changes code but names no record/);
    expect(check.out).toMatch(/known residual anomalies \(IEC 62304 5\.8\.2\):\n {2}ANOM-1 \(low\)/);
    expect(check.out).toMatch(/^ISO 13485 4\.2\.4$/m);
    expect(check.out).toMatch(/^ {2}error {3}ORR-1 {4}ORR-1 is in review at revision 1 in this baseline {2}\[RELEASE-RECORD-APPROVED\]$/m);
    const refused = await cli.dossierWithInput('demo-approver-pass', 'release', 'mark-released', '1.2.0', '--user', 'avery.approver', '--password-stdin');
    expect(refused.code).toBe(2);
    expect(refused.err).toMatch(/cannot be marked released: its gate has \d+ error findings/);

    // The team fixes what the gate found.
    await fixDemoGaps(dossier, cli.dir());
    expect((await dossier('trace', 'confirm', '--all', '--reason', 'Reviewed every suspect link for 1.2.0')).code).toBe(0);
    // Confirming VULN-1's link after its triage brings the changed information to the risks it concerns again.
    const due = await dossier('risk', 'due');
    expect(due.code).toBe(1);
    expect(due.out).toMatch(/^RISK-1\s+flagged\s+\S+\s+\S+\s+VULN-1\s/m);
    // Confirming CAPA-1's and CMP-1's links (CAPA-1 moved on since they were made) brings them to RISK-5 and RISK-12 again.
    expect(due.out).toMatch(/^RISK-5\s+flagged\s+\S+\s+\S+\s+CAPA-1 CMP-1 PPI-1\s/m);
    const reviewed = await dossier('risk', 'review', 'RISK-1', 'RISK-2', 'RISK-5', 'RISK-8', 'RISK-12', '--outcome', 'no_change', '--note', 'VULN-1 triaged as not affecting the app; CAPA-1 under way');
    expect(reviewed.out).toMatch(/^recorded RREV-3 "Risk review \d{4}-\d\d-\d\d: 5 risks" covering RISK-1, RISK-2, RISK-5, RISK-8, RISK-12$/m);
    const dueAfter = await dossier('risk', 'due');
    expect(dueAfter.code, dueAfter.out).toBe(0);
    const runs = JSON.parse((await dossier('--json', 'evidence', 'list', '--kind', 'test_run')).out) as unknown;
    expect(JSON.stringify(runs)).toMatch(/ci-2297/);
    const reviews = JSON.parse(readFileSync('demo/reviews-github.json', 'utf8')) as { number: number; reviews: unknown[] }[];
    // A retrospective review of the hotfix's merged head: recorded, and reported as a warning, not an approval.
    const hotfix = reviews.find((r) => r.number === 44) as { reviews: unknown[]; updated_at: string; head: { sha: string } } | undefined;
    hotfix?.reviews.push({ user: { login: 'sam-reviewer', type: 'User' }, state: 'APPROVED', submitted_at: '2026-10-21T09:00:00Z', commit_id: hotfix.head.sha });
    if (hotfix !== undefined) hotfix.updated_at = '2026-10-21T09:00:00Z';
    const reviewFile = join(cli.dir(), 'reviews.json');
    writeFileSync(reviewFile, JSON.stringify(reviews));
    const reimported = await dossier('evidence', 'reviews', reviewFile);
    expect(reimported.out).toMatch(/1 change requests \(0 approved, 1 approved after merge\), 2 unchanged/);
    expect(reimported.out).toMatch(/^warning: github:vitallink\/rpm#44 "Hotfix: reminder scheduling on Android 14" by lee-dev was merged before its independent approval/m);
    // Every record edited or added on the way is reviewed and approved by quality before the new freeze.
    // Quality processes (the open CAPA, complaint, audit, change request) run on their own; the design file is what ships.
    const PROCESS = /^(CAPA|CMP|NC|AUD|AF|MREV|SUP|CR)-/;
    const open = (JSON.parse((await dossier('--json', 'record', 'list')).out) as { key: string; status: string; latestRevision: number }[]).filter(
      (r) => (r.status === 'draft' || r.status === 'in_review') && !PROCESS.test(r.key),
    );
    expect(open.length).toBeGreaterThan(0);
    for (const r of open) {
      if (r.status === 'draft') expect((await dossier('record', 'status', r.key, 'in_review', '--base', String(r.latestRevision))).err).toBe('');
    }
    // A local operator's status change would approve them without electronic signatures: the gate would find it.
    const unsigned = open[0];
    if (unsigned === undefined) throw new Error('no open record');
    expect((await dossier('--actor', 'quinn.qa', 'record', 'status', unsigned.key, 'approved', '--base', String(unsigned.latestRevision))).err).toBe('');
    expect((await dossier('check')).out).toMatch(new RegExp(`^ {2}error {3}${unsigned.key} +${unsigned.key} is approved, but its approved revision lacks an electronic signature its workflow asks for {2}\\[P11-APPROVAL-UNSIGNED\\]$`, 'm'));
    expect((await dossier('record', 'edit', unsigned.key, '--base', String(unsigned.latestRevision), '--reason', 'to sign its approval', '--title', `${unsigned.key} signed`)).code).toBe(0);
    expect((await dossier('record', 'status', unsigned.key, 'in_review', '--base', String(unsigned.latestRevision + 1))).err).toBe('');
    expect((await dossier('trace', 'confirm', '--record', unsigned.key, '--reason', 'only the title changed, to sign the approval')).code).toBe(0);
    // The reviewer and the approver sign them as their workflows ask (the demo's signers, through the use-case).
    const now = await dossier('--json', 'record', 'list');
    const inReview = (JSON.parse(now.out) as { key: string; type: string; status: string; latestRevision: number }[]).filter((r) => r.status === 'in_review' && open.some((o) => o.key === r.key));
    await signDemoRecords({ ...testDeps(cli.t().store), clock: SYSTEM_CLOCK }, 'RPM', inReview.map((r) => ({ ref: r.key, type: r.type, revision: r.latestRevision })));
    const frozen = await dossier('release', 'create', 'RPM', '1.2.0');
    expect(frozen.out).toMatch(/frozen as baseline 2 \(draft\)/);
    const pass = await dossier('release', 'check', '1.2.0');
    expect(pass.out).toMatch(/passed: no finding at or above error/);
    expect(pass.code).toBe(0);
    // Quality approves the release record, then the approver releases it: both electronic signatures.
    const early = await cli.dossierWithInput('demo-approver-pass', 'release', 'mark-released', '1.2.0', '--user', 'avery.approver', '--password-stdin');
    expect(early.err).toMatch(/cannot be marked released yet: it first needs the signature approved \(by quality\) on baseline 2/);
    const approved = await cli.dossierWithInput('demo-quality-pass\n', 'release', 'sign', 'RPM', '1.2.0', '--meaning', 'approved', '--user', 'quinn.qa', '--password-stdin');
    expect(approved.out).toMatch(/^signed RPM\/release\/1\.2\.0: Approved by Quinn Quality \(quinn\.qa\) on \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC, baseline 2$/m);
    const released = await cli.dossierWithInput('demo-approver-pass', 'release', 'mark-released', '1.2.0', '--user', 'avery.approver', '--password-stdin');
    expect(released.out).toMatch(/^release 1\.2\.0 baseline 2 marked released at .* by avery\.approver, signed$/m);
    expect(released.code).toBe(0);
    const shown = await dossier('release', 'show', '1.2.0');
    expect(shown.out).toMatch(/^signatures:\n {2}Approved by Quinn Quality \(quinn\.qa\) on .* UTC, baseline 2\n {2}Released by Avery Approver \(avery\.approver\) on .* UTC, baseline 2$/m);
    expect((await dossier('release', 'create', 'RPM', '1.2.0')).code).toBe(3);
    const audit = (JSON.parse((await dossier('--json', 'audit', 'log', '--entity', 'RPM/release/1.2.0')).out) as { events: { action: string; actor: string }[] }).events;
    // Both refusals (the failing gate, then the missing approval) are kept beside the release's own events.
    expect(audit.map((e) => e.action)).toEqual(['RELEASE_CREATED', 'SIGNATURE_REFUSED', 'RELEASE_CREATED', 'SIGNATURE_REFUSED', 'RELEASE_RELEASED']);
    expect(audit[4]?.actor).toBe('avery.approver');
    expect((await dossier('audit', 'verify')).code).toBe(0);
  });

  it('re-importing the same evidence changes nothing; bad files are named and change nothing', async () => {
    await dossier('demo');
    const before = (await dossier('export', 'json')).out;
    expect((await dossier('evidence', 'tests', 'demo/junit-1.2.0.xml')).out).toMatch(/already imported as test run \d+/);
    expect((await dossier('evidence', 'sbom', 'demo/package-lock.json', '--source', 'mobile/package-lock.json')).out).toMatch(/already imported as SBOM import/);
    expect((await dossier('evidence', 'vulns', 'demo/osv-scan.json')).out).toMatch(/already imported/);
    const truncated = join(cli.dir(), 'truncated.xml');
    writeFileSync(truncated, readFileSync('demo/junit-1.2.0.xml', 'utf8').slice(0, 2000));
    const bad = await dossier('evidence', 'tests', truncated);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(new RegExp(`${truncated.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:\\d+:\\d+: unclosed tag`));
    const lock1 = join(cli.dir(), 'package-lock.json');
    writeFileSync(lock1, JSON.stringify({ lockfileVersion: 1, dependencies: {} }));
    expect((await dossier('evidence', 'sbom', lock1)).err).toMatch(/package-lock\.json:1:\d+: lockfileVersion: npm lockfile version must be 2 or 3/);
    expect((await dossier('evidence', 'git', '--repo', cli.dir(), '--range', 'v9..v10')).code).toBe(2);
    expect((await dossier('export', 'json')).out).toBe(before);
  });
});

describe.each(DIALECTS)('dossier risk on %s', (dialect) => {
  const cli = useCli(dialect);
  const dossier = cli.dossier;

  it('shows a coherent risk file: table, matrix, report with open items, reviews due [DOSSIER-SRS-24] [DOSSIER-SRS-25] [DOSSIER-SRS-26] [DOSSIER-SRS-27]', async () => {
    await dossier('demo');
    const table = await dossier('risk', 'table');
    expect(table.code).toBe(0);
    expect(table.out).toMatch(/^risk table of RPM: 12 risks, policy RMP-1 revision 1$/m);
    expect(table.out).toMatch(/^RISK-1 +HAZ-1 +SEQ-1 \(security threat\), SOUP-3, SWI-3, SWI-4, THREAT-1 +HS-1 +HARM-1 +S3 +P4 \(E4\) +U +RC-1 passed, RC-2 passed, RC-3 passed +S3 +P1 \(E1\) +A +- +flagged$/m);
    expect(table.out).toMatch(/^RISK-7 .* RC-9 FAILED +S3 +P2 +R +BRA-1 +current$/m);
    const perCause = (await dossier('risk', 'table', '--per-cause')).out;
    const csv = (await dossier('risk', 'table', '--format', 'csv')).out.split('\n');
    expect(csv[0]).toBe("risk,hazard,causes,situation,harm,S,P,zone,controls (verification),S',P',zone',benefit-risk,review");
    expect(csv[1]).toBe('RISK-1,HAZ-1,"SEQ-1 (security threat), SOUP-3, SWI-3, SWI-4, THREAT-1",HS-1,HARM-1,S3,P4 (E4),U,"RC-1 passed, RC-2 passed, RC-3 passed",S3,P1 (E1),A,-,flagged');
    expect((await dossier('risk', 'table', '--format', 'xlsx')).err).toMatch(/--format must be one of table, csv, not 'xlsx'/);
    expect(perCause.split('\n').filter((l) => l.startsWith('RISK-1 ')).map((l) => l.split(/ {2,}/)[2])).toEqual(['SEQ-1 (security threat)', 'SOUP-3', 'SWI-3', 'SWI-4', 'THREAT-1']);
    const matrix = JSON.parse((await dossier('--json', 'risk', 'matrix')).out) as { initial: Record<string, Record<string, number>>; totals: { initial: Record<string, number>; residual: Record<string, number> }; notEstimated: { residual: number } };
    expect(matrix.initial['S3']).toEqual({ P1: 0, P2: 0, P3: 4, P4: 3, P5: 0 });
    expect(matrix.totals).toEqual({ initial: { acceptable: 0, reduce: 8, unacceptable: 4 }, residual: { acceptable: 7, reduce: 3, unacceptable: 0 } });
    expect(matrix.notEstimated.residual).toBe(2);
    expect((await dossier('risk', 'matrix')).out).toMatch(/^S3 Serious +\. A +\. R +4 R +3 U +\. U$/m);
    const out = join(cli.dir(), 'rmr.md');
    expect((await dossier('risk', 'report', '--out', out)).err).toBe(`wrote ${out}\n`);
    const report = readFileSync(out, 'utf8');
    expect(report).toMatch(/^# Risk management report: RPM VitalLink Remote Patient Monitoring$/m);
    expect(report).toMatch(/^\| RC-1 TLS 1\.3 with certificate pinning between app and ingestion API \| inherent safety by design \| SRS-3 SRS-4 \| TC-4 passed, TC-5 passed \| passed \| VAL-3 \| - \|$/m);
    expect(report).toMatch(/^- ORR-1 Overall residual risk evaluation for 1\.2\.0 for release 1\.2\.0 \(in review\): overall residual risk acceptable\.$/m);
    expect(report).toContain('  - Disclosure: VitalLink is not an emergency service');
    expect(report).toMatch(/^- \[error\] ISO 14971 7\.2 RC-9 is not verified by a passing test \(verification: failed\)\./m);
    expect(report).toMatch(/^\| RISK-5 A stale reading shown as current delays treatment \| flagged \| \S+ \| \S+ \| CAPA-1 CMP-1 PPI-1 \|$/m);
    const due = await dossier('risk', 'due');
    expect(due.code).toBe(1);
    expect(due.out).toMatch(/^5 risk review\(s\) due for RPM/m);
    expect(due.out).toMatch(/^RISK-12 +flagged +\S+ +\S+ +CAPA-1 PPI-1 +A stale reading leads to a wrong medication dose$/m);
    expect((await dossier('risk', 'due', '--within', 'soon')).code).toBe(2);
  });

  it('a policy change reports the estimates that move; a bad policy file is named by line and changes nothing [DOSSIER-SRS-23] [DOSSIER-SRS-24]', async () => {
    await dossier('demo');
    const file = join(cli.dir(), 'policy.yaml');
    const shown = (await dossier('risk', 'policy', 'show')).out;
    expect(shown).toMatch(/^# risk policy of RPM: RMP-1 revision 1\nseverity:\n {2}- key: S1$/m);
    // Critical harms at improbable probability become acceptable.
    writeFileSync(file, stringify({ ...DEFAULT_RISK_POLICY, matrix: { ...DEFAULT_RISK_POLICY.matrix, S4: { ...DEFAULT_RISK_POLICY.matrix['S4'], P1: 'acceptable' } } }));
    const set = await dossier('risk', 'policy', 'set', file, '--reason', 'clinical evaluation update');
    expect(set.code, set.err).toBe(0);
    expect(set.out).toBe(
      'risk policy RMP-1 is now at revision 2 (was revision 1); 22 estimates re-evaluated, 2 moved between zones\n' +
        '  RISK-3 residual: reduce as far as possible → acceptable\n' +
        '  RISK-12 residual: reduce as far as possible → acceptable\n',
    );
    const audit = (JSON.parse((await dossier('--json', 'audit', 'log', '--entity', 'RPM/RMP-1')).out) as { events: { action: string }[] }).events;
    expect(audit.map((e) => e.action).slice(-2)).toEqual(['RECORD_REVISED', 'RISK_REEVALUATED']);

    const before = (await dossier('export', 'json')).out;
    const bad = stringify({ ...DEFAULT_RISK_POLICY, matrix: { ...DEFAULT_RISK_POLICY.matrix, S5: { P1: 'reduce', P2: 'unacceptable', P3: 'unacceptable', P4: 'unacceptable' } } });
    writeFileSync(file, bad);
    const refused = await dossier('risk', 'policy', 'set', file);
    expect(refused.code).toBe(2);
    // The position is the S5 row's value: the line after its key.
    const line = bad.split('\n').findIndex((l) => l.startsWith('  S5:')) + 2;
    expect(refused.err).toMatch(new RegExp(`policy\\.yaml:${line}:5: matrix\\.S5: the matrix has no cell for S5 × P5`));
    writeFileSync(file, stringify({ ...DEFAULT_RISK_POLICY, matrix: { ...DEFAULT_RISK_POLICY.matrix, S5: { ...DEFAULT_RISK_POLICY.matrix['S5'], P3: 'acceptable' } } }));
    expect((await dossier('risk', 'policy', 'set', file)).err).toMatch(/matrix\.S5\.P3: S5 × P3 is in a better zone than a cell of lower severity or probability/);
    expect((await dossier('export', 'json')).out).toBe(before);
  });
});
