import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Deps } from '../../core/ports.js';
import { JUnitReader } from '../../ingest/junit.js';
import { expectAppError, storeSnapshot } from '../../test-support/assertions.js';
import { aProduct, someRecords } from '../../test-support/factories.js';
import { DIALECTS, freshStore, type TestStore } from '../../test-support/stores.js';
import { ingestTestRun } from './ingest-test-run.js';
import { listAuditEvents } from './list-audit-events.js';
import { listEvidenceItems } from './list-evidence-items.js';

const JUNIT = `<testsuite name="s" timestamp="2026-11-20T09:00:00Z">
  <testcase classname="unit" name="[TC-1] pairs the cuff"/>
  <testcase classname="unit" name="[TC-2] refuses a forged certificate"><failure message="handshake completed">trace</failure></testcase>
  <testcase classname="unit" name="nobody knows"/>
</testsuite>`;

describe.each(DIALECTS)('evidence.items on %s', (dialect) => {
  let t: TestStore;
  let deps: Deps;
  beforeEach(async () => {
    ({ t, deps } = await freshStore(dialect));
    await aProduct(deps);
    await someRecords(deps, 'RPM', ['TC', 'TC']);
  });
  afterEach(async () => t.cleanup());

  it("lists a run's results with their records by key, a page at a time, and writes nothing (not even an audit event)", async () => {
    const reader = new JUnitReader('run.xml');
    const s = await ingestTestRun(deps, { productKey: 'RPM', source: 'run.xml', contentHash: 'a'.repeat(64), meta: { version: '1.0.0' }, cases: reader.cases(Readable.from([JUNIT])), facts: () => reader.facts });
    const audit = (await listAuditEvents(deps, { limit: 10_000 })).length;
    const before = await storeSnapshot(deps);

    const all = await listEvidenceItems(deps, { productKey: 'RPM', importId: s.run.id });
    expect(all.items.map((i) => [i.key, i.outcome, i.refs.map((r) => `${r.role}:${r.record}`).join(',')])).toEqual([
      ['unit::[TC-1] pairs the cuff', 'passed', 'result_of:TC-1'],
      ['unit::[TC-2] refuses a forged certificate', 'failed', 'result_of:TC-2'],
      ['unit::nobody knows', 'passed', ''],
    ]);
    expect(all.items[1]?.data).toMatchObject({ message: 'handshake completed\ntrace' });
    expect(all.nextAfterId).toBeNull();

    const first = await listEvidenceItems(deps, { productKey: 'RPM', kind: 'test_result', limit: 2 });
    expect(first.items.length).toBe(2);
    expect(first.nextAfterId).toBe(first.items[1]?.id);
    const rest = await listEvidenceItems(deps, { productKey: 'RPM', kind: 'test_result', afterId: first.nextAfterId ?? 0, limit: 2 });
    expect(rest.items.map((i) => i.key)).toEqual(['unit::nobody knows']);
    expect(rest.nextAfterId).toBeNull();
    expect((await listEvidenceItems(deps, { productKey: 'RPM', kind: 'commit' })).items).toEqual([]);

    expect(await storeSnapshot(deps)).toBe(before);
    expect((await listAuditEvents(deps, { limit: 10_000 })).length).toBe(audit);
  });

  it('refuses an import that does not exist, naming it', async () => {
    await expectAppError(listEvidenceItems(deps, { productKey: 'RPM', importId: 999 }), 'NOT_FOUND', /evidence import 999 of RPM/);
    await expectAppError(listEvidenceItems(deps, { productKey: 'NOPE' }), 'NOT_FOUND', /NOPE/);
  });
});
