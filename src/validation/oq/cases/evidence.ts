import assert from 'node:assert/strict';
import { addLinks } from '../../../app/use-cases/add-links.js';
import { addRecords } from '../../../app/use-cases/add-records.js';
import { addRulePack } from '../../../app/use-cases/add-rule-pack.js';
import { changeRecordStatus } from '../../../app/use-cases/change-record-status.js';
import { configureRule } from '../../../app/use-cases/configure-rule.js';
import { listAuditEvents } from '../../../app/use-cases/list-audit-events.js';
import { checkRelease } from '../../../app/use-cases/check-release.js';
import { createRelease } from '../../../app/use-cases/create-release.js';
import { diffReleases } from '../../../app/use-cases/diff-releases.js';
import { editRecord } from '../../../app/use-cases/edit-record.js';
import { listEvidenceItems } from '../../../app/use-cases/list-evidence-items.js';
import { runCheck } from '../../../app/use-cases/run-check.js';
import { verifyIntegrity } from '../../../app/use-cases/verify-integrity.js';
import { isAppError } from '../../../core/errors.js';
import type { Deps } from '../../../core/ports.js';
import { parseRulePack } from '../../../ingest/rule-pack-file.js';
import type { OqCase } from '../oq-case.js';
import { refused } from './records.js';
import { aProduct, junitRun, P, snapshot, testcase } from './support.js';

/** Moves records to approved, approved by someone other than their author (the operator). */
async function approve(deps: Deps, records: readonly string[]): Promise<void> {
  const reviewer: Deps = { ...deps, actor: { id: 'oq-reviewer' } };
  for (const record of records) {
    await changeRecordStatus(deps, { productKey: P, record, to: 'in_review', baseRevision: 1 });
    await changeRecordStatus(reviewer, { productKey: P, record, to: 'approved', baseRevision: 1 });
  }
}

const TEAM_PACK = `pack: team
title: Team rules
rules:
  - id: TEAM-DOC-LOCATION
    clause: ISO 13485 4.2.4
    title: Documents say where they live
    severity: warning
    select: { type: DOC }
    require: { fields: [location] }
    message: "{key} has no location"
    why: We keep documents in git.
    hint: Set location.
`;

export const EVIDENCE_CASES: readonly OqCase[] = [
  {
    id: 'OQ-11',
    title: 'the built-in packs report findings with clause and record by safety class; a custom pack is checked against the catalog before it is used',
    verifies: ['SRS-15'],
    async run({ deps, services }) {
      const packs = services.builtinPacks();
      await aProduct(deps, 'OQA', 'A');
      await aProduct(deps, 'OQB', 'B');
      for (const productKey of ['OQA', 'OQB']) {
        await addRecords(deps, { productKey, records: [{ type: 'SRS', title: 'Upload uses TLS 1.3 only' }, { type: 'DOC', title: 'Software development plan', fields: { docType: 'plan' } }] });
      }
      const findings = async (productKey: string): Promise<string[]> =>
        (await runCheck(deps, { productKey, builtinPacks: packs })).findings.filter((f) => f.severity !== 'info').map((f) => `${f.ruleId} ${f.clause} ${f.record ?? '-'}`);
      const a = await findings('OQA');
      const b = await findings('OQB');
      const r = await runCheck(deps, { productKey: 'OQB', builtinPacks: packs });
      assert.deepEqual([...r.packs].sort(), ['design-control', 'iec62304', 'iso13485', 'iso14971', 'part11']);
      // Every class: a software requirement without a test and without its origin, with the clause and the record.
      for (const list of [a, b]) {
        assert.ok(list.includes('IEC62304-5.7.1-SRS-VERIFIED IEC 62304 5.7.1 SRS-1'), list.join('\n'));
        assert.ok(list.includes('IEC62304-5.2.1-SRS-TRACED IEC 62304 5.2.1 SRS-1'), list.join('\n'));
        assert.ok(!list.some((f) => f.startsWith('IEC62304-5.1.1-PLAN')), 'a plan exists, yet its rule reported it missing');
      }
      // Class B and C only: allocation to software items.
      assert.ok(b.includes('IEC62304-5.3.1-SRS-ALLOCATED IEC 62304 5.3.1 SRS-1'), b.join('\n'));
      assert.ok(!a.some((f) => f.startsWith('IEC62304-5.3.1-SRS-ALLOCATED')), 'a class B rule ran on a class A product');

      // A custom pack naming what the catalog does not have is refused where it says so; a sound one runs.
      assert.throws(
        () => parseRulePack(TEAM_PACK.replace('select: { type: DOC }', 'select: { type: DOCUMENT }'), 'team.yaml', deps.catalog),
        (e: unknown) => isAppError(e, 'INVALID_INPUT') && /team\.yaml:\d+:\d+: .*DOCUMENT/.test(e.message),
      );
      assert.throws(() => parseRulePack(TEAM_PACK.replace('fields: [location]', 'fields: [whereabouts]'), 'team.yaml', deps.catalog), (e: unknown) => isAppError(e, 'INVALID_INPUT') && /whereabouts/.test(e.message));
      const pack = parseRulePack(TEAM_PACK, 'team.yaml', deps.catalog);
      await addRulePack(deps, { productKey: 'OQB', pack, builtinPacks: packs });
      const withTeam = await runCheck(deps, { productKey: 'OQB', builtinPacks: packs });
      assert.deepEqual(withTeam.findings.filter((f) => f.pack === 'team').map((f) => `${f.clause} ${f.record ?? '-'}`), ['ISO 13485 4.2.4 DOC-1']);
    },
  },
  {
    id: 'OQ-12',
    title: 'JUnit results map to records by [ID] in the name, a property, a mapping file and a test case\'s automation ID; unresolved IDs and unmapped tests are reported',
    verifies: ['SRS-18'],
    async run({ deps }) {
      await aProduct(deps);
      await addRecords(deps, {
        productKey: P,
        records: [
          { type: 'SRS', title: 'Upload uses TLS 1.3 only' },
          { type: 'TC', title: 'TLS 1.2 is refused', fields: { level: 'integration', automated: true, automationId: 'oq/tls.int.test.ts' } },
          { type: 'TC', title: 'A forged certificate is refused', fields: { level: 'integration' } },
          { type: 'TC', title: 'Retries after a dropped connection', fields: { level: 'integration' } },
          { type: 'HAZ', title: 'Reading altered in transit', fields: { category: 'security' } },
        ],
      });
      const s = await junitRun(
        deps,
        testcase('refuses TLS 1.2', 'passed', 'oq/tls.int.test.ts') +
          testcase('[TC-2] pinning refuses a forged certificate', 'failed') +
          testcase('checks the signature', 'passed', 'oq', '<property name="verifies" value="SRS-1, HAZ-1, SRS-99"/>') +
          testcase('mapped by file') +
          testcase('nobody knows'),
        { hash: 'a', mapping: { 'oq::mapped by file': ['TC-3'] } },
      );
      assert.deepEqual(s.totals, { passed: 4, failed: 1, error: 0, skipped: 0, flaky: 0 });
      assert.deepEqual([s.mapped, s.unmapped, s.unmappedSample], [4, 1, ['oq::nobody knows']]);
      assert.deepEqual(
        s.unresolved.map((u) => `${u.id}: ${u.why}`),
        ['HAZ-1: a test result cannot verify a HAZ record', 'SRS-99: no such record'],
      );
      const items = (await listEvidenceItems(deps, { productKey: P, importId: s.run.id })).items;
      assert.deepEqual(
        items.map((i) => [i.key, i.outcome, i.refs.map((r) => `${r.role}:${r.record}`).join(',')]),
        [
          ['oq/tls.int.test.ts::refuses TLS 1.2', 'passed', 'result_of:TC-1'],
          ['oq::[TC-2] pinning refuses a forged certificate', 'failed', 'result_of:TC-2'],
          ['oq::checks the signature', 'passed', 'verifies:SRS-1'],
          ['oq::mapped by file', 'passed', 'result_of:TC-3'],
          ['oq::nobody knows', 'passed', ''],
        ],
      );
      // The same file again is recognised and writes nothing.
      const before = await snapshot(deps);
      const again = await junitRun(deps, testcase('anything'), { hash: 'a' });
      assert.equal(again.duplicate, true);
      assert.equal(await snapshot(deps), before);
    },
  },
  {
    id: 'OQ-13',
    title: 'a record\'s verdict comes from the newest run that ran its test: failed if any result failed, skipped results do not count, no result is not run',
    verifies: ['SRS-19'],
    async run({ deps, services }) {
      const packs = services.builtinPacks();
      await aProduct(deps);
      await addRecords(deps, {
        productKey: P,
        records: [
          { type: 'SRS', title: 'Upload retries every 30 s' },
          { type: 'SRS', title: 'Upload uses TLS 1.3 only' },
          { type: 'SRS', title: 'Readings are kept 30 days' },
          { type: 'TC', title: 'Retry', fields: { level: 'integration' } },
          { type: 'TC', title: 'TLS', fields: { level: 'integration' } },
          { type: 'TC', title: 'Retention', fields: { level: 'integration' } },
        ],
      });
      await addLinks(deps, {
        productKey: P,
        links: [
          { from: 'TC-1', type: 'verifies', to: 'SRS-1' },
          { from: 'TC-2', type: 'verifies', to: 'SRS-2' },
          { from: 'TC-3', type: 'verifies', to: 'SRS-3' },
        ],
      });
      // Older run: TC-1 fails, TC-2 fails. Newer run: TC-1 passes (under a new name), TC-2 only skipped.
      await junitRun(deps, testcase('[TC-1] retry', 'failed') + testcase('[TC-2] tls', 'failed'), { hash: 'a', version: '1.0.0' });
      await junitRun(deps, testcase('[TC-1] retries after a drop', 'passed') + testcase('[TC-2] tls', 'skipped'), { hash: 'b', version: '1.0.0' });
      await createRelease(deps, { productKey: P, version: '1.0.0' });
      const first = await checkRelease(deps, { productKey: P, version: '1.0.0', builtinPacks: packs });
      const v = first.gate.verdicts;
      assert.equal(v['TC-1'], 'passed', 'the newest run did not decide');
      assert.equal(v['SRS-1'], 'passed');
      assert.equal(v['TC-2'], 'failed', 'a skipped result counted as a result');
      assert.equal(v['SRS-2'], 'failed');
      assert.equal(v['SRS-3'], 'not_run', 'a requirement without results is not "not run"');
      assert.notEqual(v['TC-3'], 'passed');
      assert.ok(first.findings.some((f) => f.ruleId === 'RELEASE-TEST-FAILED' && f.record === 'TC-2'));
      assert.ok(!first.findings.some((f) => f.ruleId === 'RELEASE-TEST-FAILED' && f.record === 'TC-1'));

      // The next version's run: one of TC-1's two results fails, so TC-1 failed.
      await junitRun(deps, testcase('[TC-1] retries after a drop (IPv4)', 'passed') + testcase('[TC-1] retries after a drop (IPv6)', 'failed') + testcase('[TC-2] tls'), { hash: 'c', version: '1.1.0' });
      await createRelease(deps, { productKey: P, version: '1.1.0' });
      const second = (await checkRelease(deps, { productKey: P, version: '1.1.0', builtinPacks: packs })).gate.verdicts;
      assert.equal(second['TC-1'], 'failed');
      assert.equal(second['SRS-1'], 'failed');
      assert.equal(second['SRS-2'], 'passed');
      const diff = await diffReleases(deps, { productKey: P, from: '1.0.0', to: '1.1.0' });
      assert.deepEqual(
        diff.results.filter((r) => r.test === 'TC-1' || r.test === 'TC-2'),
        [
          { test: 'TC-1', from: 'passed', to: 'failed' },
          { test: 'TC-2', from: 'failed', to: 'passed' },
        ],
      );
    },
  },
  {
    id: 'OQ-14',
    title: 'a release freezes revisions, links and evidence under a baseline hash; its gate lists what blocks it; two releases are compared',
    verifies: ['SRS-22'],
    async run({ deps, services }) {
      const packs = services.builtinPacks();
      await aProduct(deps);
      await addRecords(deps, { productKey: P, records: [{ type: 'SRS', title: 'Upload uses TLS 1.3 only' }, { type: 'TC', title: 'TLS 1.2 is refused', fields: { level: 'integration' } }] });
      await addLinks(deps, { productKey: P, links: [{ from: 'TC-1', type: 'verifies', to: 'SRS-1' }] });
      await approve(deps, ['SRS-1', 'TC-1']);
      await junitRun(deps, testcase('[TC-1] refuses TLS 1.2'), { hash: 'a', version: '1.0.0' });
      const made = await createRelease(deps, { productKey: P, version: '1.0.0' });
      assert.match(made.release.baselineHash, /^[0-9a-f]{64}$/);
      assert.equal(made.records, 2);
      assert.equal(made.links, 1);
      assert.equal(made.testRuns.length, 1);

      const gate = await checkRelease(deps, { productKey: P, version: '1.0.0', builtinPacks: packs });
      // No plan, no origin for SRS-1: the gate fails and names each blocker with its clause.
      assert.equal(gate.passed, false);
      const errors = gate.findings.filter((f) => f.severity === 'error').map((f) => `${f.ruleId} ${f.record ?? '-'}`);
      assert.ok(errors.some((e) => e.startsWith('IEC62304-5.1.1-PLAN')), errors.join('\n'));
      assert.ok(errors.includes('IEC62304-5.2.1-SRS-TRACED SRS-1'), errors.join('\n'));
      assert.ok(!errors.some((e) => e.startsWith('RELEASE-RECORD-APPROVED')), errors.join('\n'));
      assert.equal(gate.gate.verdicts['SRS-1'], 'passed');

      // A change after the freeze does not reach the baseline; the next release holds it, and its gate says so.
      await editRecord(deps, { productKey: P, record: 'SRS-1', baseRevision: 1, title: 'Upload uses TLS 1.3 only, with pinning' });
      const again = await checkRelease(deps, { productKey: P, version: '1.0.0', builtinPacks: packs });
      assert.deepEqual(again.findings.map((f) => f.id), gate.findings.map((f) => f.id), 'a frozen baseline changed with the records');
      await createRelease(deps, { productKey: P, version: '1.1.0' });
      const next = await checkRelease(deps, { productKey: P, version: '1.1.0', builtinPacks: packs });
      assert.ok(
        next.findings.some((f) => f.ruleId === 'RELEASE-RECORD-APPROVED' && f.severity === 'error' && f.message === 'SRS-1 is draft at revision 2 in this baseline'),
        next.findings.map((f) => f.message).join('\n'),
      );
      const diff = await diffReleases(deps, { productKey: P, from: '1.0.0', to: '1.1.0' });
      assert.deepEqual(diff.records.changed.map((c) => c.record), ['SRS-1']);
      assert.deepEqual(diff.findings.map((f) => `${f.ruleId} ${f.record ?? '-'}`), ['RELEASE-DIFF-APPROVAL-LOST SRS-1']);
      const report = await verifyIntegrity(deps);
      assert.equal(report.ok, true);
      assert.equal(report.baselinesChecked, 2);
      await refused(createRelease(deps, { productKey: P, version: 'not a version' }), 'INVALID_INPUT', /version/);
    },
  },
];

/** Cases added after the documents case (IDs are never renumbered). */
export const RULE_CASES: readonly OqCase[] = [
  {
    id: 'OQ-25',
    title: 'a rule is disabled or re-graded for a product only with a justification, audit-trailed, and the check and the release gate show the override',
    verifies: ['SRS-17'],
    async run({ deps, services }) {
      const packs = services.builtinPacks();
      await aProduct(deps);
      await addRecords(deps, { productKey: P, records: [{ type: 'SRS', title: 'Upload uses TLS 1.3 only' }] });
      const ruleIds = async (): Promise<string[]> => (await runCheck(deps, { productKey: P, builtinPacks: packs })).findings.map((f) => `${f.ruleId} ${f.severity}`);
      assert.ok((await ruleIds()).includes('IEC62304-5.3.1-SRS-ALLOCATED warning'));
      assert.ok((await ruleIds()).includes('IEC62304-5.7.1-SRS-VERIFIED error'));
      const before = await snapshot(deps);
      await refused(configureRule(deps, { productKey: P, ruleId: 'IEC62304-5.3.1-SRS-ALLOCATED', action: 'disable', justification: 'short' }, packs), 'INVALID_INPUT', /justification of at least 10 characters/);
      await refused(configureRule(deps, { productKey: P, ruleId: 'NOPE-1', action: 'disable', justification: 'a long enough reason' }, packs), 'INVALID_INPUT', /unknown rule NOPE-1/);
      assert.equal(await snapshot(deps), before, 'a refused override was stored');

      const why = 'Items are allocated in the architecture tool, outside Dossier';
      await configureRule(deps, { productKey: P, ruleId: 'IEC62304-5.3.1-SRS-ALLOCATED', action: 'disable', justification: why }, packs);
      await configureRule(deps, { productKey: P, ruleId: 'IEC62304-5.7.1-SRS-VERIFIED', action: 'severity', severity: 'warning', justification: 'Pilot product: unverified requirements warn only' }, packs);
      const r = await runCheck(deps, { productKey: P, builtinPacks: packs });
      assert.ok(!r.findings.some((f) => f.ruleId === 'IEC62304-5.3.1-SRS-ALLOCATED'));
      assert.ok(r.findings.some((f) => f.ruleId === 'IEC62304-5.7.1-SRS-VERIFIED' && f.severity === 'warning'));
      assert.deepEqual(r.disabled, [{ ruleId: 'IEC62304-5.3.1-SRS-ALLOCATED', justification: why }]);
      const events = (await listAuditEvents(deps, { productKey: P, limit: 1000 })).filter((e) => e.entityType === 'rule');
      assert.deepEqual(events.map((e) => [e.action, e.entityId, e.actor]), [
        ['RULE_DISABLED', `${P}/rule/IEC62304-5.3.1-SRS-ALLOCATED`, deps.actor.id],
        ['RULE_SEVERITY_SET', `${P}/rule/IEC62304-5.7.1-SRS-VERIFIED`, deps.actor.id],
      ]);
      assert.ok(events.every((e) => (e.reason ?? '').length >= 10 || (e.newValue ?? '').includes('justification')), 'an override is audited without its justification');
      await createRelease(deps, { productKey: P, version: '1.0.0' });
      const gate = await checkRelease(deps, { productKey: P, version: '1.0.0', builtinPacks: packs });
      assert.deepEqual(gate.rules.disabled, [{ ruleId: 'IEC62304-5.3.1-SRS-ALLOCATED', justification: why }]);
    },
  },
];
