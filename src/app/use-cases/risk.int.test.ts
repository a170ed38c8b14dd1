import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { JUnitReader } from '../../ingest/junit.js';
import { loadBuiltinPacks } from '../../ingest/rule-pack-file.js';
import { expectAppError, storeSnapshot } from '../../test-support/assertions.js';
import { aProduct } from '../../test-support/factories.js';
import { DIALECTS, freshStore, type TestStore } from '../../test-support/stores.js';
import { DEFAULT_CATALOG } from '../../core/catalog/catalog.js';
import type { Deps } from '../../core/ports.js';
import { DEFAULT_RISK_POLICY, type RiskPolicy } from '../../core/risk/policy.js';
import { addLinks } from './add-links.js';
import { addRecords } from './add-records.js';
import { changeRecordStatus } from './change-record-status.js';
import { editRecord } from './edit-record.js';
import { getRecord } from './get-record.js';
import { getRiskFile } from './get-risk-file.js';
import { ingestTestRun } from './ingest-test-run.js';
import { listAuditEvents } from './list-audit-events.js';
import { recordRiskReview } from './record-risk-review.js';
import { runCheck } from './run-check.js';
import { setRiskPolicy } from './set-risk-policy.js';

const packs = loadBuiltinPacks(DEFAULT_CATALOG);

async function events(deps: Deps, n: number): Promise<{ action: string; entityId: string; newValue: Record<string, unknown> }[]> {
  const all = await listAuditEvents(deps, { limit: 10_000 });
  return all.slice(-n).map((e) => ({ action: e.action, entityId: e.entityId, newValue: JSON.parse(e.newValue ?? '{}') as Record<string, unknown> }));
}

/** The security chain of the demo in small: threat → sequence → situation → harm → risk → control → requirement → test. */
async function securityChain(deps: Deps): Promise<void> {
  await addRecords(deps, {
    productKey: 'RPM',
    records: [
      { type: 'HAZ', title: 'Vital-sign data altered in transit', fields: { category: 'security' } },
      { type: 'THREAT', title: 'Man-in-the-middle on public Wi-Fi', fields: { asset: 'readings in transit', threat: 'attacker on the network', vulnerability: 'client trusts any CA', attackVector: 'adjacent_network' } },
      { type: 'SEQ', title: 'Payload rewritten and accepted', fields: { cause: 'security_threat' } },
      { type: 'HS', title: 'Clinician acts on an altered reading' },
      { type: 'HARM', title: 'Delayed treatment' },
      { type: 'RISK', title: 'Altered reading delays treatment', fields: { severity: 'S3', exploitability: 'E4', residualSeverity: 'S3', residualExploitability: 'E1' } },
      { type: 'RC', title: 'TLS 1.3 with certificate pinning', fields: { option: 'inherent_safety_by_design' } },
      { type: 'SRS', title: 'The client pins the API key', fields: { riskControl: true } },
      { type: 'TC', title: 'A forged certificate is refused', fields: { level: 'integration' } },
    ],
  });
  const l = (from: string, type: string, to: string): { from: string; type: string; to: string } => ({ from, type, to });
  await addLinks(deps, {
    productKey: 'RPM',
    links: [
      l('HAZ-1', 'leads_to', 'SEQ-1'), l('THREAT-1', 'causes', 'SEQ-1'), l('SEQ-1', 'leads_to', 'HS-1'), l('HS-1', 'results_in', 'HARM-1'),
      l('RISK-1', 'assesses', 'HS-1'), l('RISK-1', 'assesses', 'HARM-1'), l('RC-1', 'mitigates', 'HS-1'), l('SRS-1', 'implements', 'RC-1'),
      l('TC-1', 'verifies', 'SRS-1'),
    ],
  });
}

async function testRun(deps: Deps, outcome: 'pass' | 'fail', hash: string): Promise<void> {
  const reader = new JUnitReader('run.xml');
  const body = outcome === 'pass' ? '' : '<failure message="handshake completed"/>';
  await ingestTestRun(deps, {
    productKey: 'RPM',
    source: 'run.xml',
    contentHash: hash.repeat(64),
    meta: { version: '1.0.0' },
    cases: reader.cases(Readable.from([`<testsuite name="s"><testcase classname="e2e" name="[TC-1] forged certificate">${body}</testcase></testsuite>`])),
    facts: () => reader.facts,
  });
}

describe.each(DIALECTS)('risk management on %s', (dialect) => {
  let t: TestStore;
  let deps: Deps;
  beforeEach(async () => {
    ({ t, deps } = await freshStore(dialect));
    await aProduct(deps);
  });
  afterEach(async () => t.cleanup());

  it('follows the security chain from threat to test: zones before and after controls, control verification from test results [DOSSIER-SRS-24] [DOSSIER-SRS-25] [DOSSIER-SRS-26]', async () => {
    await securityChain(deps);
    let file = (await getRiskFile(deps, { productKey: 'RPM' })).file;
    expect(file.policy.record).toBeNull();
    const [row] = file.rows;
    expect(row).toMatchObject({
      key: 'RISK-1',
      hazards: ['HAZ-1'],
      sequences: ['SEQ-1'],
      situations: ['HS-1'],
      harms: ['HARM-1'],
      initial: { severity: 'S3', probability: 'P4', basis: 'E4', zone: 'unacceptable' },
      residual: { severity: 'S3', probability: 'P1', basis: 'E1', zone: 'acceptable' },
      policyRevision: 0,
    });
    expect(row?.causes.map((c) => `${c.key} ${c.kind}`)).toEqual(['SEQ-1 security_threat', 'THREAT-1 security_threat']);
    expect(row?.controls).toMatchObject([{ key: 'RC-1', implementedBy: ['SRS-1'], tests: [{ key: 'TC-1', verdict: 'not_run' }], verification: 'not_run' }]);
    expect(file.matrix.initial['S3']?.['P4']).toBe(1);
    expect(file.matrix.residual['S3']?.['P1']).toBe(1);

    const verified = (): Promise<string[]> =>
      runCheck(deps, { productKey: 'RPM', builtinPacks: packs }).then((r) => r.findings.filter((f) => f.ruleId === 'ISO14971-7.2-CONTROL-VERIFIED').map((f) => f.message));
    expect(await verified()).toEqual(['RC-1 is not verified by a passing test (verification: not run)']);
    await testRun(deps, 'fail', 'a');
    expect(await verified()).toEqual(['RC-1 is not verified by a passing test (verification: failed)']);
    await testRun(deps, 'pass', 'b');
    expect(await verified()).toEqual([]);
    file = (await getRiskFile(deps, { productKey: 'RPM' })).file;
    expect(file.rows[0]?.controls[0]?.verification).toBe('passed');
  });

  it('a harm\'s severity is a level of the policy in force: other text is refused on add and edit, and a policy that drops a level a harm uses is refused; nothing changes [DOSSIER-SRS-23]', async () => {
    await securityChain(deps);
    const before = await storeSnapshot(deps);
    await expectAppError(
      addRecords(deps, { productKey: 'RPM', records: [{ type: 'HARM', title: 'Death', fields: { severity: 'catastrophic' } }] }),
      'INVALID_INPUT',
      /^RPM\/HARM-2: severity catastrophic is not a level of the risk policy \(S1, S2, S3, S4, S5\)$/,
    );
    await expectAppError(editRecord(deps, { productKey: 'RPM', record: 'HARM-1', baseRevision: 1, fields: { severity: 'serious' } }), 'INVALID_INPUT', /RPM\/HARM-1: severity serious is not a level/);
    expect(await storeSnapshot(deps)).toBe(before);
    await editRecord(deps, { productKey: 'RPM', record: 'HARM-1', baseRevision: 1, fields: { severity: 'S5' } });
    expect((await events(deps, 1))[0]).toMatchObject({ action: 'RECORD_REVISED', entityId: 'RPM/HARM-1', newValue: { fields: { severity: 'S5' } } });
    const afterEdit = await storeSnapshot(deps);
    const fourLevels: RiskPolicy = {
      ...DEFAULT_RISK_POLICY,
      severity: DEFAULT_RISK_POLICY.severity.slice(0, 4),
      matrix: Object.fromEntries(Object.entries(DEFAULT_RISK_POLICY.matrix).filter(([k]) => k !== 'S5')),
    };
    await expectAppError(setRiskPolicy(deps, { productKey: 'RPM', policy: fourLevels }), 'INVALID_INPUT', /HARM-1 severity S5 is not a level of the risk policy \(S1, S2, S3, S4\)/);
    expect(await storeSnapshot(deps)).toBe(afterEdit);
  });

  it('refuses estimates outside the policy, a control implemented by a non-requirement and a loop of sequences; nothing changes [DOSSIER-SRS-11] [DOSSIER-SRS-23]', async () => {
    await securityChain(deps);
    const before = await storeSnapshot(deps);
    await expectAppError(
      addRecords(deps, { productKey: 'RPM', records: [{ type: 'RISK', title: 'x', fields: { severity: 'S9', probability: 'P1' } }] }),
      'INVALID_INPUT',
      /RPM\/RISK-2: the initial estimate severity S9 is not a level of the policy \(S1, S2, S3, S4, S5\)/,
    );
    await expectAppError(
      editRecord(deps, { productKey: 'RPM', record: 'RISK-1', baseRevision: 1, fields: { residualProbability: 'P7' } }),
      'INVALID_INPUT',
      /the residual estimate gives more than one of probability, P1 × P2 and exploitability/,
    );
    await expectAppError(
      addRecords(deps, { productKey: 'RPM', records: [{ type: 'RISK', title: 'x', fields: { residualSeverity: 'S1', residualProbability: 'P1' } }] }),
      'INVALID_INPUT',
      /has a residual estimate but no initial one/,
    );
    await addRecords(deps, { productKey: 'RPM', records: [{ type: 'SWI', title: 'Upload client', fields: { level: 'item', safetyClass: 'B' } }, { type: 'SEQ', title: 'Retry loop', fields: { cause: 'software_failure' } }] });
    const afterAdd = await storeSnapshot(deps);
    await expectAppError(addLinks(deps, { productKey: 'RPM', links: [{ from: 'SWI-1', type: 'implements', to: 'RC-1' }] }), 'INVALID_INPUT', /from SWI it goes only to SRS/);
    await addLinks(deps, { productKey: 'RPM', links: [{ from: 'SEQ-1', type: 'leads_to', to: 'SEQ-2' }] });
    const afterLink = await storeSnapshot(deps);
    await expectAppError(
      addLinks(deps, { productKey: 'RPM', links: [{ from: 'SEQ-2', type: 'leads_to', to: 'SEQ-1' }] }),
      'INVALID_INPUT',
      /SEQ-2 leads_to SEQ-1 would close a cycle \(SEQ-2 → SEQ-1 → SEQ-2\)/,
    );
    // Within one request too: the second link closes the loop the first opens.
    await addRecords(deps, { productKey: 'RPM', records: [{ type: 'SEQ', title: 'Third', fields: { cause: 'other' } }] });
    const beforePair = await storeSnapshot(deps);
    await expectAppError(
      addLinks(deps, { productKey: 'RPM', links: [{ from: 'SEQ-2', type: 'leads_to', to: 'SEQ-3' }, { from: 'SEQ-3', type: 'leads_to', to: 'SEQ-1' }] }),
      'INVALID_INPUT',
      /SEQ-3 leads_to SEQ-1 would close a cycle \(SEQ-3 → SEQ-1 → SEQ-2 → SEQ-3\)/,
    );
    expect(await storeSnapshot(deps)).toBe(beforePair);
    // A cycle through a record the request does not name is named in full.
    await addLinks(deps, { productKey: 'RPM', links: [{ from: 'SEQ-2', type: 'leads_to', to: 'SEQ-3' }] });
    await expectAppError(
      addLinks(deps, { productKey: 'RPM', links: [{ from: 'SEQ-3', type: 'leads_to', to: 'SEQ-1' }] }),
      'INVALID_INPUT',
      /SEQ-3 leads_to SEQ-1 would close a cycle \(SEQ-3 → SEQ-1 → SEQ-2 → SEQ-3\)/,
    );
    expect(before).not.toBe(afterAdd);
    expect(afterAdd).not.toBe(afterLink);
  });

  it('a policy change re-evaluates every estimate, reports zone moves in its audit event, and keeps the revision estimates were made under [DOSSIER-SRS-24]', async () => {
    await securityChain(deps);
    const first = await setRiskPolicy(deps, { productKey: 'RPM', policy: DEFAULT_RISK_POLICY, reason: 'adopt the RMP criteria' });
    expect(first).toMatchObject({ previousRevision: 0, revision: 1, evaluated: 2, moves: [] });
    expect(first.record.key).toBe('RMP-1');
    // Estimates written now are stamped with revision 1; RISK-1 keeps 0 until it is edited.
    await addRecords(deps, { productKey: 'RPM', records: [{ type: 'RISK', title: 'Privacy breach', fields: { severity: 'S2', probability: 'P4' } }] });
    expect((await getRecord(deps, { productKey: 'RPM', record: 'RISK-2' })).revision.fields['policyRevision']).toBe(1);
    expect((await getRecord(deps, { productKey: 'RPM', record: 'RISK-1' })).revision.fields['policyRevision']).toBe(0);

    // Stricter: S3 × P1 is no longer acceptable, S2 × P4 becomes unacceptable.
    const stricter: RiskPolicy = {
      ...DEFAULT_RISK_POLICY,
      matrix: { ...DEFAULT_RISK_POLICY.matrix, S2: { ...DEFAULT_RISK_POLICY.matrix['S2']!, P4: 'unacceptable', P5: 'unacceptable' }, S3: { ...DEFAULT_RISK_POLICY.matrix['S3']!, P1: 'reduce' } },
    };
    const change = await setRiskPolicy(deps, { productKey: 'RPM', policy: stricter, reason: 'notified body asked for stricter criteria' });
    expect(change).toMatchObject({ previousRevision: 1, revision: 2, evaluated: 3 });
    expect(change.moves).toEqual([
      { risk: 'RISK-1', estimate: 'residual', from: 'acceptable', to: 'reduce' },
      { risk: 'RISK-2', estimate: 'initial', from: 'reduce', to: 'unacceptable' },
    ]);
    const [revised, reevaluated] = await events(deps, 2);
    expect(revised).toMatchObject({ action: 'RECORD_REVISED', entityId: 'RPM/RMP-1' });
    expect(reevaluated).toMatchObject({ action: 'RISK_REEVALUATED', entityId: 'RPM/RMP-1', newValue: { policyRevision: 2, evaluated: 3, moves: change.moves } });
    const file = (await getRiskFile(deps, { productKey: 'RPM' })).file;
    expect(file.policy).toMatchObject({ record: 'RMP-1', revision: 2 });
    expect(file.rows.find((r) => r.key === 'RISK-1')?.residual?.zone).toBe('reduce');

    // A policy that drops a level an estimate uses is refused, and nothing changes.
    const before = await storeSnapshot(deps);
    const fewer: RiskPolicy = {
      ...stricter,
      exploitability: stricter.exploitability.slice(0, 3),
      exploitabilityAsProbability: { E1: 'P1', E2: 'P2', E3: 'P3' },
    };
    await expectAppError(setRiskPolicy(deps, { productKey: 'RPM', policy: fewer }), 'INVALID_INPUT', /would leave 1 risk estimate\(s\) invalid: RISK-1 initial estimate exploitability E4 is not a level of the policy/);
    const incomplete = { ...stricter, matrix: { ...stricter.matrix, S5: { P1: 'reduce' as const } } };
    await expectAppError(setRiskPolicy(deps, { productKey: 'RPM', policy: incomplete }), 'INVALID_INPUT', /the matrix has no cell for S5 × P2/);
    await expectAppError(addRecords(deps, { productKey: 'RPM', records: [{ type: 'RMP', title: 'second', fields: DEFAULT_RISK_POLICY }] }), 'INVALID_INPUT', /already has a risk policy \(RMP-1\)/);
    // The generic paths cannot change it behind the re-evaluation's back.
    await expectAppError(editRecord(deps, { productKey: 'RPM', record: 'RMP-1', baseRevision: 2, fields: { reviewIntervalDays: 30 } }), 'INVALID_INPUT', /RMP-1 is the risk policy in force: change the risk policy with `dossier risk policy set`/);
    await expectAppError(changeRecordStatus(deps, { productKey: 'RPM', record: 'RMP-1', to: 'obsolete', reason: 'replaced by the new RMP', baseRevision: 2 }), 'INVALID_STATE', /cannot be made obsolete/);
    expect(await storeSnapshot(deps)).toBe(before);
  });

  it('a review is a record with reviewer, day and outcome; new post-production information and the interval make risks due [DOSSIER-SRS-27]', async () => {
    await securityChain(deps);
    await addRecords(deps, { productKey: 'RPM', records: [{ type: 'PPI', title: 'Complaint: odd reading after hotel Wi-Fi', fields: { kind: 'complaint', receivedOn: '2026-01-01' } }] });
    const due = async (asOf?: string): Promise<string[]> =>
      (await getRiskFile(deps, { productKey: 'RPM', ...(asOf === undefined ? {} : { asOf }) })).file.rows.map((r) => `${r.key} ${r.review.state} ${r.review.newInformation.join(',')}`);
    expect(await due()).toEqual(['RISK-1 current ']);
    await addLinks(deps, { productKey: 'RPM', links: [{ from: 'PPI-1', type: 'concerns', to: 'HAZ-1' }] });
    expect(await due()).toEqual(['RISK-1 flagged PPI-1']);
    expect((await runCheck(deps, { productKey: 'RPM', builtinPacks: packs })).findings.filter((f) => f.ruleId === 'ISO14971-10-REVIEW-CURRENT').map((f) => f.message)).toEqual([
      'RISK-1 needs a risk review (review state: flagged)',
    ]);

    await expectAppError(recordRiskReview(deps, { productKey: 'RPM', risks: ['HS-1'], outcome: 'no_change', note: 'x' }), 'INVALID_INPUT', /HS-1 is not a risk estimate/);
    await expectAppError(recordRiskReview(deps, { productKey: 'RPM', risks: ['RISK-1', 'RISK-9'], outcome: 'no_change', note: 'x' }), 'NOT_FOUND', /RPM\/RISK-9 does not exist/);
    await expectAppError(recordRiskReview(deps, { productKey: 'RPM', risks: ['XYZ/RISK-1'], outcome: 'no_change', note: 'x' }), 'INVALID_INPUT', /belongs to product XYZ/);
    await expectAppError(recordRiskReview(deps, { productKey: 'RPM', risks: ['RISK-1'], outcome: 'no_change', note: 'x', reviewedOn: '2099-01-01' }), 'INVALID_INPUT', /cannot be dated in the future/);
    const r = await recordRiskReview({ ...deps, actor: { id: 'quinn.qa' } }, { productKey: 'RPM', risks: 'all', outcome: 'no_change', note: 'Hotel Wi-Fi captive portal; pinning held. No change.' });
    expect(r.risks).toEqual(['RISK-1']);
    expect(r.review.key).toBe('RREV-1');
    const rec = await getRecord(deps, { productKey: 'RPM', record: 'RREV-1' });
    expect(rec.revision.fields).toMatchObject({ reviewer: 'quinn.qa', outcome: 'no_change' });
    expect(rec.revision.body).toBe('Hotel Wi-Fi captive portal; pinning held. No change.');
    const [created, linked] = await events(deps, 2);
    expect(created).toMatchObject({ action: 'RECORD_CREATED', entityId: 'RPM/RREV-1', newValue: { fields: { reviewer: 'quinn.qa', outcome: 'no_change' } } });
    expect(linked).toMatchObject({ action: 'LINK_CREATED', newValue: { type: 'reviews', from: 'RREV-1', to: 'RISK-1' } });
    expect(await due()).toEqual(['RISK-1 current ']);
    // A year and a day later the interval has passed.
    const view = await getRiskFile(deps, { productKey: 'RPM', asOf: '2027-12-31' });
    expect(view.file.rows[0]?.review.state).toBe('overdue');
    expect(view.file.rows[0]?.review.due.slice(0, 4)).toBe('2027');
  });

  it('the report data holds the overall evaluation, benefit-risk analyses and threats; open items come from the ISO 14971 pack', async () => {
    await securityChain(deps);
    await addRecords(deps, {
      productKey: 'RPM',
      records: [
        { type: 'BRA', title: 'Monitoring outweighs residual risk', fields: { benefits: 'Fewer admissions', conclusion: 'benefits_outweigh_risks' } },
        { type: 'ORR', title: 'Overall residual risk 1.0.0', fields: { release: '1.0.0', acceptable: true, disclosures: ['Not an emergency service'] } },
      ],
    });
    // Exploitability without a security cause: a finding; RISK-1, caused by THREAT-1, has none.
    await addRecords(deps, { productKey: 'RPM', records: [{ type: 'HS', title: 'Queue lost on restart' }, { type: 'RISK', title: 'Lost readings', fields: { severity: 'S2', exploitability: 'E2' } }] });
    await addLinks(deps, { productKey: 'RPM', links: [{ from: 'RISK-2', type: 'assesses', to: 'HS-2' }, { from: 'RISK-2', type: 'assesses', to: 'HARM-1' }, { from: 'HS-2', type: 'results_in', to: 'HARM-1' }] });
    const check = await runCheck(deps, { productKey: 'RPM', builtinPacks: packs });
    expect(check.findings.filter((f) => f.ruleId === 'ISO14971-5.5-EXPLOITABILITY-SECURITY').map((f) => f.message)).toEqual([
      'RISK-2 is estimated by exploitability but no security threat or vulnerability causes it',
    ]);
    await expectAppError(setRiskPolicy(deps, { productKey: 'RPM', policy: { ...DEFAULT_RISK_POLICY, exploitabilityUse: 'never' } }), 'INVALID_INPUT', /RISK-1 initial estimate uses exploitability, which the policy does not allow/);
    await editRecord(deps, { productKey: 'RPM', record: 'RISK-2', baseRevision: 1, fields: { exploitability: null, probability: 'P2' } });
    const v = await getRiskFile(deps, { productKey: 'RPM', builtinPacks: packs });
    expect(v.extras.overall).toEqual([{ key: 'ORR-1', title: 'Overall residual risk 1.0.0', status: 'draft', release: '1.0.0', acceptable: true, disclosures: ['Not an emergency service'] }]);
    expect(v.extras.threats.map((x) => x.key)).toEqual(['THREAT-1']);
    expect(v.openItems?.map((f) => `${f.ruleId} ${f.record ?? ''}`)).toEqual([
      'ISO14971-5.5-HARM-SEVERITY HARM-1',
      'ISO14971-7.2-CONTROL-VERIFIED RC-1',
      'ISO14971-7.2-CONTROL-EFFECTIVE RC-1',
    ]);
  });
});
