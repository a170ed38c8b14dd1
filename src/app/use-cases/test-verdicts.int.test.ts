import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { JUnitReader } from '../../ingest/junit.js';
import { loadBuiltinPacks } from '../../ingest/rule-pack-file.js';
import { aProduct } from '../../test-support/factories.js';
import { DIALECTS, freshStore, type TestStore } from '../../test-support/stores.js';
import { DEFAULT_CATALOG } from '../../core/catalog/catalog.js';
import type { Deps } from '../../core/ports.js';
import { addLinks } from './add-links.js';
import { addRecords } from './add-records.js';
import { checkRelease } from './check-release.js';
import { createRelease } from './create-release.js';
import { diffReleases } from './diff-releases.js';
import { getRiskFile } from './get-risk-file.js';
import { ingestTestRun } from './ingest-test-run.js';
import { runCheck } from './run-check.js';

const packs = loadBuiltinPacks(DEFAULT_CATALOG);

/** A risk control implemented by SRS-1, verified by TC-1. */
async function controlledRisk(deps: Deps): Promise<void> {
  await addRecords(deps, {
    productKey: 'RPM',
    records: [
      { type: 'HS', title: 'Clinician acts on an altered reading' },
      { type: 'HARM', title: 'Delayed treatment' },
      { type: 'RISK', title: 'Altered reading delays treatment', fields: { severity: 'S3', probability: 'P4', residualSeverity: 'S3', residualProbability: 'P1' } },
      { type: 'RC', title: 'TLS 1.3 with certificate pinning', fields: { option: 'inherent_safety_by_design' } },
      { type: 'SRS', title: 'The client pins the API key', fields: { riskControl: true } },
      { type: 'TC', title: 'A forged certificate is refused', fields: { level: 'integration' } },
    ],
  });
  await addLinks(deps, {
    productKey: 'RPM',
    links: [
      { from: 'HS-1', type: 'results_in', to: 'HARM-1' },
      { from: 'RISK-1', type: 'assesses', to: 'HS-1' },
      { from: 'RISK-1', type: 'assesses', to: 'HARM-1' },
      { from: 'RC-1', type: 'mitigates', to: 'HS-1' },
      { from: 'SRS-1', type: 'implements', to: 'RC-1' },
      { from: 'TC-1', type: 'verifies', to: 'SRS-1' },
    ],
  });
}

/** One run of one test case under a JUnit name, for a version. */
async function run(deps: Deps, version: string, cases: string, hash: string): Promise<void> {
  const reader = new JUnitReader('run.xml');
  await ingestTestRun(deps, {
    productKey: 'RPM',
    source: 'run.xml',
    contentHash: hash.repeat(64),
    meta: { version },
    cases: reader.cases(Readable.from([`<testsuite name="e2e">${cases}</testsuite>`])),
    facts: () => reader.facts,
  });
}
const failing = (name: string): string => `<testcase classname="e2e" name="${name}"><failure message="handshake completed"/></testcase>`;
const passing = (name: string): string => `<testcase classname="e2e" name="${name}"/>`;

describe.each(DIALECTS)('test verdicts across renamed tests on %s', (dialect) => {
  let t: TestStore;
  let deps: Deps;
  beforeEach(async () => {
    ({ t, deps } = await freshStore(dialect));
    await aProduct(deps);
    await controlledRisk(deps);
  });
  afterEach(async () => t.cleanup());

  it('check and the risk file: a test case failed under an old name and passing under a new one is passed [DOSSIER-SRS-19] [DOSSIER-SRS-25]', async () => {
    const unverified = async (): Promise<string[]> =>
      (await runCheck(deps, { productKey: 'RPM', builtinPacks: packs })).findings.filter((f) => f.ruleId === 'ISO14971-7.2-CONTROL-VERIFIED').map((f) => f.message);
    await run(deps, '1.0.0', failing('[TC-1] forged certificate'), 'a');
    expect(await unverified()).toEqual(['RC-1 is not verified by a passing test (verification: failed)']);
    // Renamed and parameterised: the old name never appears again.
    await run(deps, '1.0.0', passing('[TC-1] refuses a forged certificate (RSA)') + passing('[TC-1] refuses a forged certificate (EC)'), 'b');
    expect(await unverified()).toEqual([]);
    const file = (await getRiskFile(deps, { productKey: 'RPM' })).file;
    expect(file.rows[0]?.controls[0]?.tests).toEqual([{ key: 'TC-1', verdict: 'passed' }]);
    // A later run where one parameter fails fails it again.
    await run(deps, '1.0.0', passing('[TC-1] refuses a forged certificate (RSA)') + failing('[TC-1] refuses a forged certificate (EC)'), 'c');
    expect(await unverified()).toEqual(['RC-1 is not verified by a passing test (verification: failed)']);
  });

  it('release check and release diff judge the test case, not the JUnit name; totals add up to the results', async () => {
    await run(deps, '0.9.0', failing('[TC-1] forged certificate'), 'a');
    await createRelease(deps, { productKey: 'RPM', version: '0.9.0' });
    await run(deps, '1.0.0', failing('[TC-1] forged certificate'), 'b');
    await run(deps, '1.0.0', passing('[TC-1] refuses a forged certificate') + '<testcase classname="e2e" name="[TC-1] on IPv6"><skipped/></testcase>', 'c');
    await createRelease(deps, { productKey: 'RPM', version: '1.0.0' });

    const old = await checkRelease(deps, { productKey: 'RPM', version: '0.9.0', builtinPacks: packs });
    expect(old.findings.filter((f) => f.ruleId === 'RELEASE-TEST-FAILED').map((f) => f.record)).toEqual(['TC-1']);

    const c = await checkRelease(deps, { productKey: 'RPM', version: '1.0.0', builtinPacks: packs });
    expect(c.findings.filter((f) => f.ruleId === 'RELEASE-TEST-FAILED' || f.ruleId === 'RELEASE-REQUIREMENT-VERIFIED')).toEqual([]);
    expect(c.findings.filter((f) => f.ruleId === 'ISO14971-7.2-CONTROL-VERIFIED')).toEqual([]);
    expect(c.gate.verdicts).toMatchObject({ 'TC-1': 'passed', 'SRS-1': 'passed' });
    expect(c.evidence.results).toBe(3);
    expect(c.gate.totals).toEqual({ passed: 1, failed: 1, error: 0, skipped: 1, flaky: 0 });
    expect(Object.values(c.gate.totals).reduce((a, b) => a + b, 0)).toBe(c.evidence.results);

    const d = await diffReleases(deps, { productKey: 'RPM', from: '0.9.0', to: '1.0.0' });
    expect(d.results).toEqual([{ test: 'TC-1', from: 'failed', to: 'passed' }]);
  });
});
