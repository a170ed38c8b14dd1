import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ParsedTestCase } from '../../core/evidence/test-results.js';
import type { Deps } from '../../core/ports.js';
import { aProduct } from '../../test-support/factories.js';
import { DIALECTS, freshStore, type TestStore } from '../../test-support/stores.js';
import { exportStore } from './export-store.js';
import { ingestTestRun } from './ingest-test-run.js';
import { verifyIntegrity } from './verify-integrity.js';

/** Above the ~120,000 arguments a spread call takes: verification and export once crashed with a stack overflow here. */
const ITEMS = 160_000;

function* manyCases(n: number): Generator<ParsedTestCase> {
  for (let i = 0; i < n; i++) {
    yield { suites: ['bulk'], classname: 'com.example.Bulk', name: `case ${i}`, file: null, outcome: 'passed', durationMs: 1, message: null, failureType: null, line: null, systemOut: null, systemErr: null, attempts: 1, flaky: false, report: 'run.xml', properties: [], at: `run.xml:${i + 1}` };
  }
}

describe.each(DIALECTS)('verification of a large evidence import on %s', (dialect) => {
  let t: TestStore;
  let deps: Deps;
  beforeEach(async () => {
    ({ t, deps } = await freshStore(dialect));
    await aProduct(deps);
    await ingestTestRun(deps, { productKey: 'RPM', source: 'run.xml', contentHash: 'c'.repeat(64), meta: {}, cases: Readable.from(manyCases(ITEMS)) as AsyncIterable<ParsedTestCase> });
  }, 240_000);
  afterEach(async () => t.cleanup());

  it(`verifies an import of ${ITEMS.toLocaleString('en')} items and exports it`, async () => {
    const report = await verifyIntegrity(deps);
    expect(report).toMatchObject({ ok: true, evidenceChecked: 1, firstProblem: null });
    const doc = await exportStore(deps);
    expect(doc.evidenceItems).toHaveLength(ITEMS);
  }, 240_000);
});
