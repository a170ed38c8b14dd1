import assert from 'node:assert/strict';
import { addLinks } from '../../../app/use-cases/add-links.js';
import { addRecords } from '../../../app/use-cases/add-records.js';
import { editRecord } from '../../../app/use-cases/edit-record.js';
import { getRiskFile } from '../../../app/use-cases/get-risk-file.js';
import { getRiskTable } from '../../../app/use-cases/get-risk-table.js';
import { runCheck } from '../../../app/use-cases/run-check.js';
import { setRiskPolicy } from '../../../app/use-cases/set-risk-policy.js';
import type { Deps } from '../../../core/ports.js';
import { DEFAULT_RISK_POLICY, type RiskPolicy } from '../../../core/risk/policy.js';
import { renderRiskReport, riskTableRow } from '../../../export/risk-views.js';
import type { OqCase } from '../oq-case.js';
import { refused } from './records.js';
import { aProduct, junitRun, P, snapshot, testcase } from './support.js';

const l = (from: string, type: string, to: string): { from: string; type: string; to: string } => ({ from, type, to });

/** Hazard → sequence → situation → harm, assessed by RISK-1 (S3/P4 before controls, S3/P1 after). */
async function riskChain(deps: Deps): Promise<void> {
  await addRecords(deps, {
    productKey: P,
    records: [
      { type: 'HAZ', title: 'Vital-sign data altered in transit', fields: { category: 'security' } },
      { type: 'SEQ', title: 'Payload rewritten and accepted', fields: { cause: 'software_failure' } },
      { type: 'HS', title: 'Clinician acts on an altered reading' },
      { type: 'HARM', title: 'Delayed treatment' },
      { type: 'RISK', title: 'Altered reading delays treatment', fields: { severity: 'S3', probability: 'P4', residualSeverity: 'S3', residualProbability: 'P1' } },
    ],
  });
  await addLinks(deps, {
    productKey: P,
    links: [l('HAZ-1', 'leads_to', 'SEQ-1'), l('SEQ-1', 'leads_to', 'HS-1'), l('HS-1', 'results_in', 'HARM-1'), l('RISK-1', 'assesses', 'HS-1'), l('RISK-1', 'assesses', 'HARM-1')],
  });
}

export const RISK_CASES: readonly OqCase[] = [
  {
    id: 'OQ-15',
    title: 'hazard, sequence, situation, harm and estimate are linked in the risk file; initial and residual zones follow the policy in force; an estimate outside it is refused',
    verifies: ['SRS-24'],
    async run({ deps }) {
      await aProduct(deps);
      await riskChain(deps);
      let row = (await getRiskFile(deps, { productKey: P })).file.rows[0];
      assert.equal(row?.key, 'RISK-1');
      assert.deepEqual([row?.hazards, row?.sequences, row?.situations, row?.harms], [['HAZ-1'], ['SEQ-1'], ['HS-1'], ['HARM-1']]);
      assert.deepEqual([row?.initial?.severity, row?.initial?.probability, row?.initial?.zone], ['S3', 'P4', 'unacceptable']);
      assert.deepEqual([row?.residual?.severity, row?.residual?.probability, row?.residual?.zone], ['S3', 'P1', 'acceptable']);

      // Estimates outside the policy's scales are refused, and nothing is written.
      const before = await snapshot(deps);
      await refused(
        addRecords(deps, { productKey: P, records: [{ type: 'RISK', title: 'Off the scale', fields: { severity: 'S9', probability: 'P1' } }] }),
        'INVALID_INPUT',
        /severity S9 is not a level of the policy/,
      );
      await refused(editRecord(deps, { productKey: P, record: 'HARM-1', baseRevision: 1, fields: { severity: 'serious' } }), 'INVALID_INPUT', /severity serious is not a level/);
      assert.equal(await snapshot(deps), before);

      // A stricter policy moves the residual zone; the zones are computed, not stored.
      const matrix = { ...DEFAULT_RISK_POLICY.matrix, S3: { ...DEFAULT_RISK_POLICY.matrix['S3'], P1: 'reduce' } } as RiskPolicy['matrix'];
      await setRiskPolicy(deps, { productKey: P, policy: { ...DEFAULT_RISK_POLICY, matrix } });
      row = (await getRiskFile(deps, { productKey: P })).file.rows[0];
      assert.equal(row?.residual?.zone, 'reduce');
      assert.equal(row?.initial?.zone, 'unacceptable');
      // A lower probability after a change of the estimate moves the initial zone.
      await editRecord(deps, { productKey: P, record: 'RISK-1', baseRevision: 1, fields: { probability: 'P2' } });
      row = (await getRiskTable(deps, { productKey: P })).rows[0];
      assert.equal(row?.initial?.zone, 'reduce');
    },
  },
  {
    id: 'OQ-16',
    title: 'each risk control is shown passed, failed, not run or untested from the tests of it and its requirements, in the risk table, the risk file and the check',
    verifies: ['SRS-25'],
    async run({ deps, services }) {
      await aProduct(deps);
      await riskChain(deps);
      await addRecords(deps, {
        productKey: P,
        records: [
          { type: 'RC', title: 'TLS 1.3 with certificate pinning', fields: { option: 'inherent_safety_by_design' } },
          { type: 'RC', title: 'Readings shown with their age', fields: { option: 'protective_measure' } },
          { type: 'SRS', title: 'The client pins the API key', fields: { riskControl: true } },
          { type: 'SRS', title: 'The console shows each reading\'s age', fields: { riskControl: true } },
          { type: 'TC', title: 'A forged certificate is refused', fields: { level: 'integration' } },
        ],
      });
      await addLinks(deps, {
        productKey: P,
        links: [l('RC-1', 'mitigates', 'HS-1'), l('RC-2', 'mitigates', 'HS-1'), l('SRS-1', 'implements', 'RC-1'), l('SRS-2', 'implements', 'RC-2'), l('TC-1', 'verifies', 'SRS-1')],
      });
      const controls = async (): Promise<string[]> => (await getRiskTable(deps, { productKey: P })).rows[0]?.controls.map((c) => `${c.key} ${c.verification}`) ?? [];
      const tableCell = async (): Promise<string> => riskTableRow((await getRiskTable(deps, { productKey: P })).rows[0] ?? assert.fail('no risk row'))[8] ?? '';
      const unverified = async (): Promise<string[]> =>
        (await runCheck(deps, { productKey: P, builtinPacks: services.builtinPacks() })).findings.filter((f) => f.ruleId === 'ISO14971-7.2-CONTROL-VERIFIED').map((f) => f.message);

      assert.deepEqual(await controls(), ['RC-1 not_run', 'RC-2 untested']);
      assert.equal(await tableCell(), 'RC-1 not run, RC-2 no test');
      await junitRun(deps, testcase('[TC-1] forged certificate', 'failed'), { hash: 'a' });
      assert.deepEqual(await controls(), ['RC-1 failed', 'RC-2 untested']);
      assert.equal(await tableCell(), 'RC-1 FAILED, RC-2 no test');
      assert.ok((await unverified()).includes('RC-1 is not verified by a passing test (verification: failed)'));
      await junitRun(deps, testcase('[TC-1] forged certificate', 'passed'), { hash: 'b' });
      assert.deepEqual(await controls(), ['RC-1 passed', 'RC-2 untested']);
      assert.equal(await tableCell(), 'RC-1 passed, RC-2 no test');
      const found = await unverified();
      assert.ok(!found.some((m) => m.startsWith('RC-1 ')), found.join('\n'));
      assert.ok(found.some((m) => m.startsWith('RC-2 ')), found.join('\n'));
      const file = await getRiskFile(deps, { productKey: P });
      assert.deepEqual(file.file.rows[0]?.controls[0]?.tests, [{ key: 'TC-1', verdict: 'passed' }]);
      const report = renderRiskReport(file);
      assert.match(report, /RC-1.*passed/);
      assert.match(report, /RC-2.*no test/);
    },
  },
];
