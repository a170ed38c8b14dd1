import { describe, expect, it } from 'vitest';
import { useCli } from '../test-support/cli.js';
import { DIALECTS } from '../test-support/stores.js';

describe.each(DIALECTS)('dossier qms advance, list, complaint deadlines, change impact on %s', (dialect) => {
  const cli = useCli(dialect);
  const dossier = cli.dossier;

  it('moves a CAPA and a complaint, lists them, and refuses a move with exit 2 and nothing written [DOSSIER-SRS-39] [DOSSIER-SRS-40] [DOSSIER-SRS-41]', async () => {
    expect((await dossier('product', 'create', '--key', 'RPM', '--name', 'VitalLink', '--intended-use', 'Vital signs at home', '--class', 'b')).code).toBe(0);
    expect((await dossier('record', 'add', '--type', 'capa', '--title', 'Readings dropped', '--set', 'source=complaint', '--set', 'owner=erin', '--set', 'dueOn=2026-02-01', '--set', 'openedOn=2026-01-05')).code).toBe(0);
    expect((await dossier('record', 'add', '--type', 'cmp', '--title', 'Alarm late', '--set', 'receivedOn=2026-03-02', '--set', 'channel=phone')).code).toBe(0);

    const noBase = await dossier('qms', 'advance', 'CAPA-1', 'investigation', '--set', 'problem=Dropped for 2 hours');
    expect(noBase.code).toBe(2);
    expect(noBase.err).toMatch(/give the revision you read: CAPA-1@N or --base N/);
    const missing = await dossier('qms', 'advance', 'CAPA-1@1', 'investigation');
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/RPM\/CAPA-1: a CAPA in state investigation needs problem \(the problem statement\)/);
    const skip = await dossier('qms', 'advance', 'CAPA-1@1', 'planned', '--set', 'problem=p');
    expect(skip.code).toBe(2);
    expect(skip.err).toMatch(/a CAPA cannot move to planned \(from open it can move to: investigation, rejected\)/);
    const trail = await dossier('--json', 'audit', 'log');
    expect(trail.out).not.toMatch(/RECORD_REVISED/);

    const ok = await dossier('qms', 'advance', 'CAPA-1', 'investigation', '--base', '1', '--set', 'problem=Dropped for 2 hours', '--reason', 'triaged');
    expect(ok.code).toBe(0);
    expect(ok.out).toMatch(/RPM\/CAPA-1 moved open → investigation: revision 2 \(draft\)/);
    const stale = await dossier('qms', 'advance', 'CAPA-1@1', 'open');
    // Someone changed it since revision 1: a conflict (exit 3), as for record edit.
    expect(stale.code).toBe(3);
    expect(stale.err).toMatch(/CAPA-1/);

    await dossier('qms', 'advance', 'CMP-1@1', 'triage', '--set', 'category=malfunction');
    const inv = await dossier('qms', 'advance', 'CMP-1@2', 'investigation', '--set', 'investigate=true');
    expect(inv.code).toBe(0);
    expect(inv.out).toMatch(/created PPI-1 \(post-production information the complaint feeds\)/);
    const noRationale = await dossier('qms', 'advance', 'CMP-1@3', 'reportability_decided', '--set', 'investigation=Battery saver', '--set', 'awareOn=2026-03-05', '--set', 'fdaReportability=malfunction', '--set', 'euReportability=serious_incident');
    expect(noRationale.code).toBe(2);
    expect(noRationale.err).toMatch(/needs reportabilityRationale/);
    const decided = await dossier('qms', 'advance', 'CMP-1@3', 'reportability_decided', '--set', 'investigation=Battery saver', '--set', 'awareOn=2026-03-05', '--set', 'fdaReportability=malfunction', '--set', 'euReportability=serious_incident', '--set', 'reportabilityRationale=Could recur with harm');
    expect(decided.code).toBe(0);

    const deadlines = await dossier('qms', 'complaint', 'deadlines', 'CMP-1', '--at', '2026-03-10');
    expect(deadlines.code).toBe(0);
    expect(deadlines.out).toMatch(/^FDA\s+malfunction\s+30 calendar days\s+21 CFR 803\.50\(a\)\s+2026-04-04\s+due in 25 days$/m);
    expect(deadlines.out).toMatch(/^EU\s+serious_incident\s+15 calendar days\s+EU MDR Art\. 87\(3\)\s+2026-03-20\s+due in 10 days$/m);

    const list = await dossier('qms', 'list', 'capa', '--at', '2026-02-10');
    expect(list.code).toBe(0);
    expect(list.out).toMatch(/^RECORD\s+STATE\s+OWNER\s+DUE\s+OVERDUE\s+AGE\s+TITLE$/m);
    expect(list.out).toMatch(/^CAPA-1\s+investigation\s+erin\s+2026-02-01\s+OVERDUE\s+36d\s+Readings dropped$/m);
    const json = JSON.parse((await dossier('qms', 'list', 'complaint', '--overdue', '--at', '2026-03-21', '--format', 'json')).out) as { records: { key: string; due: string }[] };
    expect(json.records).toEqual([expect.objectContaining({ key: 'CMP-1', due: '2026-03-20' })]);
    const badKind = await dossier('qms', 'list', 'capas');
    expect(badKind.code).toBe(2);
    expect(badKind.err).toMatch(/the process is one of capa, complaint, nc/);

    expect((await dossier('record', 'add', '--type', 'cr', '--title', 'Fix the queue', '--set', 'origin=capa')).code).toBe(0);
    expect((await dossier('link', 'add', 'CR-1', 'changes', 'CAPA-1')).code).toBe(0);
    const impact = await dossier('qms', 'change', 'impact', 'CR-1');
    expect(impact.code).toBe(0);
    expect(impact.out).toMatch(/CR-1 Fix the queue: submitted \(not approved yet: the records it changes cannot be approved\); release \(not set\)/);
    expect(impact.out).toMatch(/changes: CAPA-1 \(draft\)/);
    const early = await dossier('qms', 'advance', 'CR-1@1', 'assessed');
    expect(early.code).toBe(2);
    expect(early.err).toMatch(/needs safetyImpact/);
  });
});
