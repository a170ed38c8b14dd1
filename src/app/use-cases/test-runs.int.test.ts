import { Readable } from 'node:stream';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { JUnitReader } from '../../ingest/junit.js';
import { loadBuiltinPacks } from '../../ingest/rule-pack-file.js';
import { expectAppError, storeSnapshot } from '../../test-support/assertions.js';
import { aProduct, someRecords } from '../../test-support/factories.js';
import { DIALECTS, freshStore, openTestStore, testDeps, type TestStore } from '../../test-support/stores.js';
import { DEFAULT_CATALOG } from '../../core/catalog/catalog.js';
import { canonicalJson } from '../../core/hashing.js';
import type { Deps } from '../../core/ports.js';
import { addLinks } from './add-links.js';
import { checkRelease } from './check-release.js';
import { createRelease } from './create-release.js';
import { exportStore } from './export-store.js';
import { importStore } from './import-store.js';
import { ingestTestRun, type TestRunSummary } from './ingest-test-run.js';
import { listAuditEvents } from './list-audit-events.js';
import { relabelTestRun } from './relabel-test-run.js';
import { verifyIntegrity } from './verify-integrity.js';
import { voidTestRun } from './void-test-run.js';

const packs = loadBuiltinPacks(DEFAULT_CATALOG);

async function lastEvent(deps: Deps): Promise<{ action: string; entityId: string; oldValue: unknown; newValue: unknown; reason: string | null }> {
  const e = (await listAuditEvents(deps, { limit: 10_000 })).at(-1);
  if (e === undefined) throw new Error('no event');
  return { action: e.action, entityId: e.entityId, oldValue: JSON.parse(e.oldValue ?? 'null'), newValue: JSON.parse(e.newValue ?? 'null'), reason: e.reason };
}

/** A run of TC-1 (verifying SRS-1), passing or failing, as the files with content hash `hash`. */
async function run(deps: Deps, hash: string, outcome: 'pass' | 'fail', version?: string): Promise<TestRunSummary> {
  const reader = new JUnitReader('run.xml');
  const body = outcome === 'pass' ? '' : '<failure message="refused"/>';
  return ingestTestRun(deps, {
    productKey: 'RPM',
    source: 'run.xml',
    contentHash: hash.repeat(64),
    meta: version === undefined ? {} : { version },
    cases: reader.cases(Readable.from([`<testsuite name="s" timestamp="2026-11-20T10:00:00+01:00"><properties><property name="ci" value="github"/></properties><testcase classname="e2e" name="[TC-1] upload">${body}<system-out>sent 3</system-out></testcase></testsuite>`])),
    facts: () => reader.facts,
  });
}

describe.each(DIALECTS)('test runs: relabel and void on %s', (dialect) => {
  let t: TestStore;
  let deps: Deps;
  beforeEach(async () => {
    ({ t, deps } = await freshStore(dialect));
    await aProduct(deps);
    await someRecords(deps, 'RPM', ['SRS', 'TC']);
    await addLinks(deps, { productKey: 'RPM', links: [{ from: 'TC-1', type: 'verifies', to: 'SRS-1' }] });
  });
  afterEach(async () => t.cleanup());

  it('keeps the run facts: times as UTC, suite properties, and per result the output and report', async () => {
    const s = await run(deps, 'a', 'fail');
    expect(s.run.meta).toMatchObject({ startedAt: '2026-11-20T09:00:00.000Z', properties: { ci: 'github' } });
    // Times stated for the run are stored as UTC too; one without a zone is taken as UTC.
    const reader = new JUnitReader('later.xml');
    const stated = await ingestTestRun(deps, {
      productKey: 'RPM',
      source: 'later.xml',
      contentHash: 'f'.repeat(64),
      meta: { startedAt: '2026-11-20T10:00:00+01:00', finishedAt: '2026-11-20 09:30:00' },
      cases: reader.cases(Readable.from(['<testsuite name="s"/>'])),
      facts: () => reader.facts,
    });
    expect(stated.run.meta).toMatchObject({ startedAt: '2026-11-20T09:00:00.000Z', finishedAt: '2026-11-20T09:30:00.000Z' });
    await expectAppError(
      ingestTestRun(deps, { productKey: 'RPM', source: 'x.xml', contentHash: 'e'.repeat(64), meta: { startedAt: 'tuesday' }, cases: reader.cases(Readable.from(['<testsuite/>'])) }),
      'INVALID_INPUT',
      /startedAt: expected a date and time/,
    );
    const [item] = await deps.store.read((r) => r.listEvidenceItems({ productId: 1, importIds: [s.run.id] }));
    expect(item?.data).toMatchObject({ systemOut: 'sent 3', report: 'run.xml', message: 'refused' });
  });

  it('a run imported without a version is attached by importing the same files with one, or by relabel; each audit-trailed', async () => {
    const first = await run(deps, 'a', 'pass');
    expect(first.run.version).toBeNull();
    // The same files with a version: the run is attached, nothing else is written.
    const again = await run(deps, 'a', 'pass', '1.0.0');
    expect(again).toMatchObject({ duplicate: true, relabelled: true, run: { id: first.run.id, version: '1.0.0' } });
    expect(await lastEvent(deps)).toEqual({
      action: 'EVIDENCE_RELABELLED',
      entityId: `RPM/evidence/${first.run.id}`,
      oldValue: { version: null },
      newValue: { version: '1.0.0' },
      reason: 'imported again with version 1.0.0',
    });
    expect((await createRelease(deps, { productKey: 'RPM', version: '1.0.0' })).testRuns).toEqual([first.run.id]);

    // Moving it to another version takes a relabel with a reason; the same files with another version are refused.
    const before = await storeSnapshot(deps);
    await expectAppError(run(deps, 'a', 'pass', '1.1.0'), 'CONFLICT', /test run 1 of RPM, labelled 1\.0\.0; to move it to 1\.1\.0: dossier evidence relabel 1 --version 1\.1\.0/);
    await expectAppError(relabelTestRun(deps, { productKey: 'RPM', run: first.run.id, version: '1.0.0', reason: 'x' }), 'INVALID_INPUT', /labelled 1\.0\.0 already/);
    await expectAppError(relabelTestRun(deps, { productKey: 'RPM', run: first.run.id, version: '1.1.0', reason: ' ' }), 'INVALID_INPUT', /say why/);
    await expectAppError(relabelTestRun(deps, { productKey: 'RPM', run: 99, version: '1.1.0', reason: 'x' }), 'NOT_FOUND', /test run 99 does not exist in RPM/);
    expect(await storeSnapshot(deps)).toBe(before);
    const moved = await relabelTestRun(deps, { productKey: 'RPM', run: first.run.id, version: '1.1.0', reason: 'CI job tagged the wrong version' });
    expect(moved.version).toBe('1.1.0');
    expect(await lastEvent(deps)).toMatchObject({ action: 'EVIDENCE_RELABELLED', oldValue: { version: '1.0.0' }, newValue: { version: '1.1.0' }, reason: 'CI job tagged the wrong version' });
    expect((await createRelease(deps, { productKey: 'RPM', version: '1.1.0' })).testRuns).toEqual([first.run.id]);
    expect((await createRelease(deps, { productKey: 'RPM', version: '1.0.0' })).testRuns).toEqual([]);
    expect((await verifyIntegrity(deps)).ok).toBe(true);
    // The version is current state the trail proves: changed behind the application's back, verify names it.
    await sql`update evidence_imports set version = '9.9.9' where id = ${first.run.id}`.execute(t.store.db);
    expect((await verifyIntegrity(deps)).problems.map((p) => p.message)).toEqual([
      `evidence import RPM/evidence/${first.run.id}: version is '9.9.9' in the store but '1.1.0' by the audit trail`,
    ]);
  });

  it('a void run is kept but counts for no verdict and no release; void is final; a released baseline\'s run cannot be voided', async () => {
    await run(deps, 'a', 'pass', '1.0.0');
    const wrong = await run(deps, 'b', 'fail', '1.0.0');
    const verdict = async (): Promise<string | undefined> => (await checkRelease(deps, { productKey: 'RPM', version: '1.0.0', builtinPacks: packs })).gate.verdicts['TC-1'];
    await createRelease(deps, { productKey: 'RPM', version: '1.0.0' });
    expect(await verdict()).toBe('failed');

    const v = await voidTestRun(deps, { productKey: 'RPM', run: wrong.run.id, reason: 'ran against the staging build' });
    expect(v).toMatchObject({ voidedAt: expect.any(String) as string, voidedBy: 'alice', voidReason: 'ran against the staging build' });
    expect(await lastEvent(deps)).toEqual({
      action: 'EVIDENCE_VOIDED',
      entityId: `RPM/evidence/${wrong.run.id}`,
      oldValue: { voidedAt: null, voidedBy: null, voidReason: null },
      newValue: { voidedAt: v.voidedAt, voidedBy: 'alice', voidReason: 'ran against the staging build' },
      reason: 'ran against the staging build',
    });
    // The draft baseline holding it is judged without it at once; a new freeze leaves it out.
    expect(await verdict()).toBe('passed');
    expect((await createRelease(deps, { productKey: 'RPM', version: '1.0.0' })).testRuns).toEqual([1]);
    expect(await deps.store.read((r) => r.listNewestTestResults(1))).toMatchObject([{ importId: 1, outcome: 'passed' }]);
    const items = await deps.store.read((r) => r.listEvidenceItems({ productId: 1, importIds: [wrong.run.id] }));
    expect(items).toHaveLength(1);

    const before = await storeSnapshot(deps);
    await expectAppError(voidTestRun(deps, { productKey: 'RPM', run: wrong.run.id, reason: 'again' }), 'INVALID_STATE', /voided on .* already/);
    await expectAppError(relabelTestRun(deps, { productKey: 'RPM', run: wrong.run.id, version: '2.0.0', reason: 'x' }), 'INVALID_STATE', /a void run gets no version/);
    await expectAppError(run(deps, 'b', 'fail', '2.0.0'), 'CONFLICT', /voided on/);
    await expectAppError(createRelease(deps, { productKey: 'RPM', version: '1.0.0', testRuns: [wrong.run.id] }), 'INVALID_INPUT', /test run 2 was voided/);
    expect(await storeSnapshot(deps)).toBe(before);
    // The database itself keeps the mark and the import's facts.
    for (const stmt of [sql`update evidence_imports set voided_at = null`, sql`update evidence_imports set meta = '{}'`, sql`delete from evidence_imports`]) {
      await expect(stmt.execute(t.store.db), stmt.compile(t.store.db).sql).rejects.toThrow(/append-only|final|never deleted|refused/);
    }

    // Released (set in the store directly: passing the whole gate is not the point here).
    const draft = await deps.store.read((r) => r.findRelease(1, '1.0.0'));
    await deps.store.write((w) => w.markReleased(draft?.id ?? 0, '2026-11-21T00:00:00.000Z', 'alice'));
    const frozen = await storeSnapshot(deps);
    await expectAppError(voidTestRun(deps, { productKey: 'RPM', run: 1, reason: 'x' }), 'CONFLICT', /evidence of RPM 1\.0\.0, released on .*; a released baseline is final/);
    await expectAppError(relabelTestRun(deps, { productKey: 'RPM', run: 1, version: '9.9.9', reason: 'x' }), 'CONFLICT', /a released baseline is final/);
    expect(await storeSnapshot(deps)).toBe(frozen);
    // The void run itself verifies; only the release marked released behind the trail's back is found.
    const problems = (await verifyIntegrity(deps)).problems;
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.filter((p) => p.item !== 'RPM/release/1.0.0#2')).toEqual([]);
  });

  it('export and import keep versions and void marks exactly', async () => {
    await run(deps, 'a', 'pass');
    await relabelTestRun(deps, { productKey: 'RPM', run: 1, version: '1.0.0', reason: 'late label' });
    await run(deps, 'b', 'fail', '1.0.0');
    await voidTestRun(deps, { productKey: 'RPM', run: 2, reason: 'wrong build' });
    const first = await exportStore(deps);
    expect(first.evidenceImports.map((i) => [i.version, i.voidReason])).toEqual([
      ['1.0.0', null],
      ['1.0.0', 'wrong build'],
    ]);
    const dst = await openTestStore(dialect);
    try {
      const target = testDeps(dst.store, 'bob');
      await importStore(target, JSON.parse(JSON.stringify(first)), 'store.json');
      expect(canonicalJson(await exportStore(target))).toBe(canonicalJson(first));
    } finally {
      await dst.cleanup();
    }
  });
});
