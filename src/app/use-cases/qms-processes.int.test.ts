import { processOf } from '../../core/qms/processes.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { expectAppError, storeSnapshot } from '../../test-support/assertions.js';
import { aProduct, someRecords } from '../../test-support/factories.js';
import { aSigningTeam, signAs, SIGNERS } from '../../test-support/signers.js';
import { DIALECTS, freshStore, type TestStore } from '../../test-support/stores.js';
import type { Deps } from '../../core/ports.js';
import { addLinks } from './add-links.js';
import { addRecords } from './add-records.js';
import { advanceProcess } from './advance-process.js';
import { analyzeChangeImpact } from './analyze-change-impact.js';
import { changeRecordStatus } from './change-record-status.js';
import { editRecord } from './edit-record.js';
import { getComplaintDeadlines } from './get-complaint-deadlines.js';
import { getRecord } from './get-record.js';
import { getRiskFile } from './get-risk-file.js';
import { listAuditEvents } from './list-audit-events.js';
import { listLinks } from './list-links.js';
import { listProcessRecords } from './list-process-records.js';
import { recordRiskReview } from './record-risk-review.js';
import { verifyIntegrity } from './verify-integrity.js';

describe.each(DIALECTS)('quality processes on %s', (dialect) => {
  let t: TestStore;
  let deps: Deps;
  beforeEach(async () => {
    ({ t, deps } = await freshStore(dialect, SIGNERS.dana.username));
    await aProduct(deps);
    await aSigningTeam(deps, 'RPM');
  });
  afterEach(async () => t.cleanup());

  const latest = async (record: string): Promise<number> => (await getRecord(deps, { productKey: 'RPM', record })).head.latestRevision;
  const lastEvents = async (n: number) => (await listAuditEvents(deps, {})).slice(-n);

  /** Moves a record through qms.advance and checks its RECORD_REVISED event names the new state. */
  async function advance(record: string, state: string, fields: Record<string, unknown> = {}) {
    const r = await advanceProcess(deps, { productKey: 'RPM', record, state, baseRevision: await latest(record), fields });
    const events = await lastEvents(3);
    const revised = events.filter((e) => e.action === 'RECORD_REVISED' && e.entityId === `RPM/${record}`).at(-1);
    expect(revised?.actor).toBe(SIGNERS.dana.username);
    const value = JSON.parse(revised?.newValue ?? '{}') as { revision?: number; fields?: { state?: string } };
    expect([value.revision, value.fields?.state]).toEqual([r.record.latestRevision, state]);
    return r;
  }

  /** Expects a refusal that leaves the store, its audit trail included, exactly as it was. */
  async function refused(p: () => Promise<unknown>, code: string, message: RegExp): Promise<void> {
    const before = await storeSnapshot(deps);
    const events = (await listAuditEvents(deps, {})).length;
    await expectAppError(p(), code, message);
    expect(await storeSnapshot(deps)).toBe(before);
    expect((await listAuditEvents(deps, {})).length).toBe(events);
  }

  const move = (record: string, state: string, fields: Record<string, unknown> = {}) => async () =>
    advanceProcess(deps, { productKey: 'RPM', record, state, baseRevision: await latest(record), fields });

  it('a CAPA goes from open to closed: each state with what it needs, closed by the signatures of its workflow [DOSSIER-SRS-39]', async () => {
    await addRecords(deps, {
      productKey: 'RPM',
      records: [
        { type: 'CAPA', title: 'Readings dropped after an app update', fields: { source: 'complaint', owner: 'dana.engineer', openedOn: '2026-01-01', dueOn: '2026-03-01' } },
        { type: 'RISK', title: 'Lost reading delays treatment', fields: { severity: 'S3', probability: 'P2' } },
      ],
    });
    await addLinks(deps, { productKey: 'RPM', links: [{ from: 'CAPA-1', type: 'concerns', to: 'RISK-1' }] });
    const review = async () => (await getRiskFile(deps, { productKey: 'RPM' })).file.rows.map((r) => `${r.key} ${r.review.state} ${r.review.newInformation.join(',')}`);
    // A CAPA that does not ask for a risk review does not flag the risk it concerns.
    expect(await review()).toEqual(['RISK-1 current ']);

    await refused(move('CAPA-1', 'investigation'), 'INVALID_INPUT', /RPM\/CAPA-1: a CAPA in state investigation needs problem \(the problem statement\)/);
    await refused(move('CAPA-1', 'planned', { problem: 'p' }), 'INVALID_STATE', /RPM\/CAPA-1 is open; a CAPA cannot move to planned \(from open it can move to: investigation, rejected\)/);
    await refused(move('CAPA-1', 'closed'), 'INVALID_INPUT', /closed is not a state of a CAPA: its states are open, investigation/);
    await refused(move('RISK-1', 'open'), 'INVALID_INPUT', /RPM\/RISK-1 is not a process record/);

    const inv = await advance('CAPA-1', 'investigation', { problem: 'Readings were dropped for 2 hours after 2.3.0', riskReviewRequired: true });
    expect(inv).toMatchObject({ from: 'open', to: 'investigation', processState: 'investigation', created: [] });
    // A move decided on an older revision is refused: someone changed the record since.
    await refused(
      () => advanceProcess(deps, { productKey: 'RPM', record: 'CAPA-1', state: 'planned', baseRevision: 1, fields: { rootCause: 'r', causeCategory: 'code' } }),
      'CONFLICT',
      /RPM\/CAPA-1/,
    );
    // Now it asks for the risk file's review: the risk is flagged until a later review.
    expect(await review()).toEqual(['RISK-1 flagged CAPA-1']);
    await recordRiskReview(deps, { productKey: 'RPM', risks: ['RISK-1'], outcome: 'capa_raised', note: 'Estimate holds; CAPA-1 tracks the fix.' });
    expect(await review()).toEqual(['RISK-1 current ']);
    // A complaint or a nonconformance that concerns a risk flags it too, whatever it says.
    await addRecords(deps, {
      productKey: 'RPM',
      records: [
        { type: 'CMP', title: 'Reading missing', fields: { receivedOn: '2026-01-02', channel: 'email' } },
        { type: 'NC', title: 'Sync test skipped', fields: { kind: 'process' } },
      ],
    });
    await addLinks(deps, { productKey: 'RPM', links: [{ from: 'CMP-1', type: 'concerns', to: 'RISK-1' }, { from: 'NC-1', type: 'concerns', to: 'RISK-1' }] });
    expect(await review()).toEqual(['RISK-1 flagged CMP-1,NC-1']);
    await recordRiskReview(deps, { productKey: 'RPM', risks: ['RISK-1'], outcome: 'no_change', note: 'Covered by CAPA-1.' });
    expect(await review()).toEqual(['RISK-1 current ']);

    await refused(move('CAPA-1', 'planned', { rootCause: 'A migration skipped queued readings' }), 'INVALID_INPUT', /needs causeCategory \(the cause category\)/);
    await advance('CAPA-1', 'planned', { rootCause: 'A migration skipped queued readings', causeCategory: 'code' });
    const action = { kind: 'corrective', description: 'Migrate the queue before the schema', owner: 'dana.engineer', dueOn: '2026-02-01' };
    await advance('CAPA-1', 'implementation', { actions: [action] });
    await refused(move('CAPA-1', 'verification'), 'INVALID_INPUT', /needs the action "Migrate the queue before the schema" done \(doneOn\)/);
    await advance('CAPA-1', 'verification', { actions: [{ ...action, doneOn: '2026-01-20', evidence: 'commit 1a2b3c' }] });
    await advance('CAPA-1', 'effectiveness_check', { implementationVerification: 'TC-9 passes on 2.3.1', effectivenessCriteria: 'No dropped readings in 60 days', effectivenessDueOn: '2026-03-20' });

    const rev = await latest('CAPA-1');
    await refused(
      () => changeRecordStatus(deps, { productKey: 'RPM', record: 'CAPA-1', to: 'in_review', baseRevision: rev }),
      'INVALID_STATE',
      /RPM\/CAPA-1 cannot be closed yet: it needs effectivenessResult/,
    );
    await advance('CAPA-1', 'effectiveness_check', { effectivenessResult: 'not_effective' });
    await refused(
      async () => changeRecordStatus(deps, { productKey: 'RPM', record: 'CAPA-1', to: 'in_review', baseRevision: await latest('CAPA-1') }),
      'INVALID_STATE',
      /move the CAPA back to investigation or planned/,
    );
    await advance('CAPA-1', 'effectiveness_check', { effectivenessResult: 'effective', effectivenessNotes: 'None dropped in 60 days' });
    const signed = await latest('CAPA-1');
    await changeRecordStatus(deps, { productKey: 'RPM', record: 'CAPA-1', to: 'in_review', baseRevision: signed });
    expect((await lastEvents(1))[0]).toMatchObject({ action: 'RECORD_STATUS_CHANGED', entityId: 'RPM/CAPA-1' });
    await signAs(deps, 'quinn', 'reviewed', ['CAPA-1'], signed);
    expect((await listProcessRecords(deps, { productKey: 'RPM', kind: 'capa' })).records[0]?.state).toBe('effectiveness_check');
    const approved = await signAs(deps, 'avery', 'approved', ['CAPA-1'], signed);
    expect(approved.approved).toEqual(['RPM/CAPA-1']);
    expect((await lastEvents(2)).map((e) => [e.action, e.entityId.replace(/\/\d+$/, '')])).toEqual([
      ['SIGNATURE_APPLIED', 'RPM/CAPA-1/signature'],
      ['RECORD_STATUS_CHANGED', 'RPM/CAPA-1'],
    ]);
    const list = await listProcessRecords(deps, { productKey: 'RPM', kind: 'capa', asOf: '2026-06-01' });
    expect(list.records).toEqual([{ key: 'CAPA-1', title: 'Readings dropped after an app update', state: 'closed', owner: 'dana.engineer', due: '2026-03-01', overdue: false, ageDays: null }]);
    expect((await listProcessRecords(deps, { productKey: 'RPM', kind: 'capa', state: 'closed' })).records.map((r) => r.key)).toEqual(['CAPA-1']);
  });

  it('lists a process with state, owner, due day, overdue and age, filtered', async () => {
    await addRecords(deps, {
      productKey: 'RPM',
      records: [
        { type: 'CAPA', title: 'late one', fields: { source: 'trend', owner: 'quinn.qa', openedOn: '2026-01-10', dueOn: '2026-02-01' } },
        { type: 'CAPA', title: 'on time', fields: { source: 'trend', openedOn: '2026-01-20', dueOn: '2026-04-01' } },
      ],
    });
    await advance('CAPA-2', 'investigation', { problem: 'p' });
    const list = await listProcessRecords(deps, { productKey: 'RPM', kind: 'capa', asOf: '2026-02-10' });
    const capa = processOf('CAPA');
    expect(list).toEqual({
      product: 'RPM',
      kind: 'capa',
      asOf: '2026-02-10',
      // The process as the server defines it: a client offers only these moves.
      states: [...(capa?.states ?? [])],
      listStates: [...(capa?.states ?? []), 'closed', 'cancelled'],
      moves: (capa?.moves ?? []).map(([a, b]) => [a, b]),
      records: [
        { key: 'CAPA-1', title: 'late one', state: 'open', owner: 'quinn.qa', due: '2026-02-01', overdue: true, ageDays: 31 },
        { key: 'CAPA-2', title: 'on time', state: 'investigation', owner: null, due: '2026-04-01', overdue: false, ageDays: 21 },
      ],
    });
    expect((await listProcessRecords(deps, { productKey: 'RPM', kind: 'capa', asOf: '2026-02-10', overdue: true })).records.map((r) => r.key)).toEqual(['CAPA-1']);
    expect((await listProcessRecords(deps, { productKey: 'RPM', kind: 'capa', state: 'investigation' })).records.map((r) => r.key)).toEqual(['CAPA-2']);
    await expectAppError(listProcessRecords(deps, { productKey: 'RPM', kind: 'capa', state: 'triage' }), 'INVALID_INPUT', /--state triage is not a state of a CAPA/);
  });

  it('a complaint under investigation feeds a new PPI once; a reportability decision needs its rationale; deadlines run from awareOn [DOSSIER-SRS-27] [DOSSIER-SRS-40]', async () => {
    await addRecords(deps, { productKey: 'RPM', records: [{ type: 'CMP', title: 'Alarm came 20 minutes late', fields: { receivedOn: '2026-03-02', channel: 'phone' } }] });
    await advance('CMP-1', 'triage', { category: 'malfunction' });
    const inv = await advance('CMP-1', 'investigation', { investigate: true });
    expect(inv.created).toEqual(['PPI-1']);
    const events = await lastEvents(3);
    expect(events.map((e) => [e.action, e.entityId])).toEqual([
      ['RECORD_REVISED', 'RPM/CMP-1'],
      ['RECORD_CREATED', 'RPM/PPI-1'],
      ['LINK_CREATED', expect.stringMatching(/^RPM\/link\//) as unknown as string],
    ]);
    const ppi = await getRecord(deps, { productKey: 'RPM', record: 'PPI-1' });
    expect(ppi.revision.fields).toMatchObject({ kind: 'complaint', receivedOn: '2026-03-02' });
    const feeds = async () => (await listLinks(deps, { productKey: 'RPM' })).filter((l) => l.type === 'feeds').map((l) => `${l.fromKey} ${l.toKey}`);
    expect(await feeds()).toEqual(['CMP-1 PPI-1']);
    // Back to triage and into investigation again: no second PPI.
    await advance('CMP-1', 'triage');
    expect((await advance('CMP-1', 'investigation')).created).toEqual([]);
    expect(await feeds()).toEqual(['CMP-1 PPI-1']);

    const decision = { investigation: 'A battery saver delayed the alarm', awareOn: '2026-03-05', fdaReportability: 'malfunction', euReportability: 'serious_incident' };
    await refused(move('CMP-1', 'reportability_decided', decision), 'INVALID_INPUT', /RPM\/CMP-1: a complaint needs reportabilityRationale \(why the event is or is not reportable\)/);
    // The same through a plain record edit: the rule holds whichever command writes.
    await refused(
      async () => editRecord(deps, { productKey: 'RPM', record: 'CMP-1', baseRevision: await latest('CMP-1'), fields: { fdaReportability: 'not_reportable' } }),
      'INVALID_INPUT',
      /needs reportabilityRationale/,
    );
    await advance('CMP-1', 'reportability_decided', { ...decision, reportabilityRationale: 'A delayed alarm could contribute to serious harm if repeated' });

    const deadlines = await getComplaintDeadlines(deps, { productKey: 'RPM', record: 'CMP-1', asOf: '2026-03-10' });
    expect(deadlines).toMatchObject({ record: 'CMP-1', state: 'reportability_decided', awareOn: '2026-03-05' });
    expect(deadlines.reports.map((r) => [r.jurisdiction, r.clause, r.dueOn, r.text])).toEqual([
      ['FDA', '21 CFR 803.50(a)', '2026-04-04', 'due in 25 days'],
      ['EU', 'EU MDR Art. 87(3)', '2026-03-20', 'due in 10 days'],
    ]);
    expect((await listProcessRecords(deps, { productKey: 'RPM', kind: 'complaint', asOf: '2026-03-21' })).records[0]).toMatchObject({ due: '2026-03-20', overdue: true });
    await advance('CMP-1', 'reportability_decided', { euReportedOn: '2026-03-19', fdaReportedOn: '2026-04-06' });
    expect((await getComplaintDeadlines(deps, { productKey: 'RPM', record: 'CMP-1', asOf: '2026-05-01' })).reports.map((r) => r.text)).toEqual([
      'reported late by 2 days (2026-04-06)',
      'reported on time (2026-03-19)',
    ]);
    await expectAppError(getComplaintDeadlines(deps, { productKey: 'RPM', record: 'PPI-1' }), 'INVALID_INPUT', /RPM\/PPI-1 is not a complaint/);
    // Closed by the signatures of its workflow once the reply is sent.
    await refused(move('CMP-1', 'action'), 'INVALID_INPUT', /needs correction \(the correction or action taken\)/);
    await advance('CMP-1', 'action', { correction: 'Alarm exempted from the battery saver in 2.4.1' });
    await advance('CMP-1', 'reply_sent', { replySentOn: '2026-04-10' });
    const rev = await latest('CMP-1');
    await changeRecordStatus(deps, { productKey: 'RPM', record: 'CMP-1', to: 'in_review', baseRevision: rev });
    await signAs(deps, 'quinn', 'reviewed', ['CMP-1'], rev);
    expect((await signAs(deps, 'avery', 'approved', ['CMP-1'], rev)).approved).toEqual(['RPM/CMP-1']);
    expect((await getComplaintDeadlines(deps, { productKey: 'RPM', record: 'CMP-1' })).state).toBe('closed');
    expect((await listProcessRecords(deps, { productKey: 'RPM', kind: 'complaint' })).records[0]).toMatchObject({ state: 'closed', overdue: false, ageDays: null });
  });

  it('a nonconformance needs a justified disposition and a reason for no CAPA, links to its CAPA and is closed by signature [DOSSIER-SRS-41]', async () => {
    await addRecords(deps, {
      productKey: 'RPM',
      records: [
        { type: 'NC', title: 'Release 2.3.0 shipped without the SBOM review', fields: { kind: 'process', detectedBy: 'quinn.qa', detectedOn: '2026-02-02' } },
        { type: 'CAPA', title: 'SBOM review skipped', fields: { source: 'nonconformance' } },
      ],
    });
    await advance('NC-1', 'evaluated', { requirement: 'SOP-7 step 4', evaluation: 'No vulnerable component shipped' });
    await refused(move('NC-1', 'disposition_proposed', { disposition: 'use_as_is' }), 'INVALID_INPUT', /RPM\/NC-1: a nonconformance needs dispositionJustification \(why that disposition\)/);
    await refused(move('NC-1', 'evaluated', { disposition: 'use_as_is' }), 'INVALID_INPUT', /needs dispositionJustification/);
    await advance('NC-1', 'disposition_proposed', { disposition: 'use_as_is', dispositionJustification: 'The SBOM was reviewed afterwards: nothing affected' });
    await refused(move('NC-1', 'actions_done', { actions: 'Reviewed the SBOM after release', capaNeeded: false }), 'INVALID_INPUT', /needs noCapaReason \(why no CAPA is needed\)/);
    await refused(move('NC-1', 'actions_done', { actions: 'Reviewed the SBOM after release' }), 'INVALID_INPUT', /needs capaNeeded \(whether a CAPA is needed\)/);
    await advance('NC-1', 'actions_done', { actions: 'Reviewed the SBOM after release', capaNeeded: true });
    await addLinks(deps, { productKey: 'RPM', links: [{ from: 'CAPA-1', type: 'addresses', to: 'NC-1' }] });
    const rev = await latest('NC-1');
    await changeRecordStatus(deps, { productKey: 'RPM', record: 'NC-1', to: 'in_review', baseRevision: rev });
    await signAs(deps, 'quinn', 'reviewed', ['NC-1'], rev);
    expect((await signAs(deps, 'avery', 'approved', ['NC-1'], rev)).approved).toEqual(['RPM/NC-1']);
    expect((await listProcessRecords(deps, { productKey: 'RPM', kind: 'nc' })).records).toMatchObject([{ key: 'NC-1', state: 'closed', owner: 'quinn.qa', overdue: false, ageDays: null }]);
    // The moves still hold for a closed one: it does not jump back to reported.
    await refused(move('NC-1', 'reported'), 'INVALID_STATE', /is actions done; a nonconformance cannot move to reported/);
  });

  it('a record changed by an unapproved change request is not approved, by status or by signature; the request is approved before it is implemented [DOSSIER-SRS-14] [DOSSIER-SRS-41]', async () => {
    await someRecords(deps, 'RPM', ['SRS', 'TC']);
    await addRecords(deps, { productKey: 'RPM', records: [{ type: 'CR', title: 'Pin the API key in the client', fields: { origin: 'capa' } }] });
    await addLinks(deps, {
      productKey: 'RPM',
      links: [
        { from: 'TC-1', type: 'verifies', to: 'SRS-1' },
        { from: 'CR-1', type: 'changes', to: 'SRS-1' },
      ],
    });
    await changeRecordStatus(deps, { productKey: 'RPM', record: 'SRS-1', to: 'in_review', baseRevision: 1 });
    await signAs(deps, 'quinn', 'reviewed', ['SRS-1'], 1);
    // The last signature would approve SRS-1: refused naming the change request; no signature, no status change.
    const withoutTrail = async (): Promise<string> => {
      const { audit, ...rows } = JSON.parse(await storeSnapshot(deps)) as { audit: { action: string; entityId: string }[] };
      return JSON.stringify({ rows, trail: audit.length });
    };
    const before = await withoutTrail();
    await expectAppError(signAs(deps, 'avery', 'approved', ['SRS-1'], 1), 'INVALID_STATE', /RPM\/SRS-1 is changed by CR-1, which is not approved yet/);
    // No signature, no status change, no other row: only the refused attempt is audited (21 CFR 11: refusals are).
    const trail = await listAuditEvents(deps, {});
    expect(trail.at(-1)?.action).toBe('SIGNATURE_REFUSED');
    expect(trail.at(-1)?.newValue).toMatch(/avery\.approver.*CR-1|CR-1.*avery\.approver/);
    expect(await withoutTrail()).toBe(before.replace(/"trail":(\d+)/, (_m, n: string) => `"trail":${Number(n) + 1}`));
    expect((await getRecord(deps, { productKey: 'RPM', record: 'SRS-1' })).head.status).toBe('in_review');
    // Nor by a plain status change.
    await refused(
      () => changeRecordStatus(deps, { productKey: 'RPM', record: 'SRS-1', to: 'approved', baseRevision: 1 }),
      'INVALID_STATE',
      /changed by CR-1, which is not approved yet/,
    );

    await refused(move('CR-1', 'assessed', { safetyImpact: 'Closes a data-integrity path' }), 'INVALID_INPUT', /needs regulatorySignificance/);
    await advance('CR-1', 'assessed', { safetyImpact: 'Closes a data-integrity path', regulatorySignificance: 'letter_to_file', release: '2.4.0' });
    await refused(move('CR-1', 'implemented'), 'INVALID_STATE', /RPM\/CR-1 is not approved yet: a change request is approved \(signed in state assessed\) before it is implemented/);
    const impact = await analyzeChangeImpact(deps, { productKey: 'RPM', record: 'CR-1' });
    expect(impact).toMatchObject({ record: 'CR-1', state: 'assessed', approved: false, release: '2.4.0', changes: [{ key: 'SRS-1', status: 'in_review' }] });
    expect(impact.affected.map((a) => `${a.key} ${a.direction} ${a.via.join(',')}`)).toEqual(['TC-1 downstream SRS-1']);
    expect(impact.impacts.map((i) => i.key)).toEqual(['SRS-1']);

    const cr = await latest('CR-1');
    await changeRecordStatus(deps, { productKey: 'RPM', record: 'CR-1', to: 'in_review', baseRevision: cr });
    await signAs(deps, 'quinn', 'reviewed', ['CR-1'], cr);
    expect((await signAs(deps, 'avery', 'approved', ['CR-1'], cr)).approved).toEqual(['RPM/CR-1']);
    expect((await analyzeChangeImpact(deps, { productKey: 'RPM', record: 'CR-1' })).state).toBe('approved');
    // Now the changed record can be approved, and the change implemented.
    expect((await signAs(deps, 'avery', 'approved', ['SRS-1'], 1)).approved).toEqual(['RPM/SRS-1']);
    await advance('CR-1', 'implemented');
    expect((await analyzeChangeImpact(deps, { productKey: 'RPM', record: 'CR-1' })).state).toBe('implemented');
    await expectAppError(analyzeChangeImpact(deps, { productKey: 'RPM', record: 'SRS-1' }), 'INVALID_INPUT', /RPM\/SRS-1 is not a change request/);
    // The audit trail still proves every row the processes wrote.
    const verified = await verifyIntegrity(deps);
    expect([verified.ok, verified.problems]).toEqual([true, []]);
  });
});
