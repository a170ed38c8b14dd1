import assert from 'node:assert/strict';
import { addRecord } from '../../../app/use-cases/add-record.js';
import { createProduct } from '../../../app/use-cases/create-product.js';
import { editRecord } from '../../../app/use-cases/edit-record.js';
import { getRecord } from '../../../app/use-cases/get-record.js';
import { listAuditEvents } from '../../../app/use-cases/list-audit-events.js';
import { isAppError } from '../../../core/errors.js';
import { sql } from 'kysely';
import { addLink } from '../../../app/use-cases/add-link.js';
import { addRecords } from '../../../app/use-cases/add-records.js';
import { changeRecordStatus } from '../../../app/use-cases/change-record-status.js';
import { getRecordHistory } from '../../../app/use-cases/get-record-history.js';
import { listLinks } from '../../../app/use-cases/list-links.js';
import { listRecords } from '../../../app/use-cases/list-records.js';
import { removeLink } from '../../../app/use-cases/remove-link.js';
import type { OqCase } from '../oq-case.js';
import { aProduct, P, snapshot } from './support.js';

/** Refusals the cases expect: the error's code and a part of its message. */
export async function refused(p: Promise<unknown>, code: string, message: RegExp): Promise<void> {
  try {
    await p;
  } catch (e) {
    assert.ok(isAppError(e), `expected a refusal (${code}), got ${String(e)}`);
    assert.equal(e.code, code, `expected ${code}, got ${e.code}: ${e.message}`);
    assert.match(e.message, message);
    return;
  }
  assert.fail(`expected a refusal (${code} ${String(message)}), but it succeeded`);
}

export const RECORD_CASES: readonly OqCase[] = [
  {
    id: 'OQ-1',
    title: 'an edit adds a revision, keeps the old one, and a stale edit is refused with nothing written',
    verifies: ['SRS-2', 'SRS-8'],
    async run({ deps }) {
      await createProduct(deps, { key: 'OQ', name: 'OQ product', intendedUse: 'Operational qualification', safetyClass: 'B' });
      const r = await addRecord(deps, { productKey: 'OQ', record: { type: 'SRS', title: 'Encrypt data in transit' } });
      await editRecord(deps, { productKey: 'OQ', record: r.key, baseRevision: 1, title: 'Encrypt data in transit with TLS 1.3' });
      const first = await getRecord(deps, { productKey: 'OQ', record: r.key, revision: 1 });
      assert.equal(first.revision.title, 'Encrypt data in transit');
      const events = await listAuditEvents(deps, {});
      await refused(editRecord(deps, { productKey: 'OQ', record: r.key, baseRevision: 1, title: 'A stale edit' }), 'CONFLICT', /revision/);
      assert.equal((await getRecord(deps, { productKey: 'OQ', record: r.key })).revision.title, 'Encrypt data in transit with TLS 1.3');
      assert.equal((await listAuditEvents(deps, {})).length, events.length, 'a refused edit wrote an audit event');
    },
  },
  {
    id: 'OQ-2',
    title: 'a record has a catalog type and checked fields: an unknown type or a bad field is refused naming it, and nothing is stored',
    verifies: ['SRS-1'],
    async run({ deps }) {
      await aProduct(deps);
      const before = await snapshot(deps);
      await refused(addRecord(deps, { productKey: P, record: { type: 'XYZ', title: 'No such type' } }), 'INVALID_INPUT', /unknown record type 'XYZ'/);
      await refused(addRecord(deps, { productKey: P, record: { type: 'SWI', title: 'Item', fields: { level: 'unit' } } }), 'INVALID_INPUT', /fields\.safetyClass/);
      await refused(addRecord(deps, { productKey: P, record: { type: 'TC', title: 'Test', fields: { level: 'unit', colour: 'red' } } }), 'INVALID_INPUT', /colour/);
      await refused(addRecord(deps, { productKey: P, record: { type: 'SRS', title: 'Requirement', fields: { riskControl: 'yes' } } }), 'INVALID_INPUT', /fields\.riskControl/);
      // One bad record in a batch: the good one before it is not stored either.
      await refused(
        addRecords(deps, { productKey: P, records: [{ type: 'UN', title: 'Fine' }, { type: 'SWI', title: 'Item', fields: { level: 'module', safetyClass: 'B' } }] }),
        'INVALID_INPUT',
        /fields\.level/,
      );
      assert.equal(await snapshot(deps), before, 'a refused record left something in the store');

      const r = await addRecord(deps, { productKey: P, record: { type: 'SWI', title: 'Ingestion API', fields: { level: 'item', safetyClass: 'B' } } });
      assert.equal(r.key, 'SWI-1');
      const view = await getRecord(deps, { productKey: P, record: 'SWI-1' });
      assert.equal(view.head.type, 'SWI');
      assert.deepEqual(view.revision.fields, { level: 'item', safetyClass: 'B' });
      const afterAdd = await snapshot(deps);
      await refused(editRecord(deps, { productKey: P, record: 'SWI-1', baseRevision: 1, fields: { level: 'galaxy' } }), 'INVALID_INPUT', /fields\.level/);
      assert.equal(await snapshot(deps), afterAdd, 'a refused edit left something in the store');
    },
  },
  {
    id: 'OQ-3',
    title: 'a record is retired as obsolete with its history kept; a removed link stays as history; the database refuses to delete records, revisions or links',
    verifies: ['SRS-3'],
    async run(ctx) {
      const { deps } = ctx;
      await aProduct(deps);
      await addRecords(deps, { productKey: P, records: [{ type: 'UN', title: 'Nurses see readings' }, { type: 'UN', title: 'Duplicate need' }, { type: 'SYS', title: 'Readings reach the console' }] });
      await editRecord(deps, { productKey: P, record: 'UN-1', baseRevision: 1, title: 'Nurses see readings within 5 minutes' });
      const link = await addLink(deps, { productKey: P, link: { from: 'SYS-1', type: 'derives_from', to: 'UN-1' } });

      const obsolete = await changeRecordStatus(deps, { productKey: P, record: 'UN-2', to: 'obsolete', reason: 'duplicate of UN-1' });
      assert.equal(obsolete.status, 'obsolete');
      await refused(changeRecordStatus(deps, { productKey: P, record: 'UN-2', to: 'draft', baseRevision: 1 }), 'INVALID_STATE', /obsolete is final/);
      assert.deepEqual(
        (await listRecords(deps, { productKey: P, type: 'UN' })).map((r) => `${r.key}:${r.status}`),
        ['UN-1:draft', 'UN-2:obsolete'],
      );
      assert.equal((await getRecord(deps, { productKey: P, record: 'UN-2' })).revision.title, 'Duplicate need');
      const history = await getRecordHistory(deps, { productKey: P, record: 'UN-1' });
      assert.deepEqual(history.revisions.map((r) => r.revision), [1, 2]);
      assert.equal((await getRecord(deps, { productKey: P, record: 'UN-1', revision: 1 })).revision.title, 'Nurses see readings');

      await removeLink(deps, { productKey: P, linkId: link.id, reason: 'traced to the wrong need' });
      assert.deepEqual(await listLinks(deps, { productKey: P }), []);
      const kept = await listLinks(deps, { productKey: P, includeRemoved: true });
      assert.equal(kept.length, 1);
      assert.equal(kept[0]?.removalReason, 'traced to the wrong need');
      // Numbers are never reused.
      assert.equal((await addRecord(deps, { productKey: P, record: { type: 'UN', title: 'A new need' } })).key, 'UN-3');

      const before = await snapshot(deps);
      for (const table of ['records', 'revisions', 'links'] as const) {
        await assert.rejects(sql`delete from ${sql.table(table)}`.execute(ctx.store.db), /never deleted|refused/, `the database let a DELETE on ${table} through`);
      }
      assert.equal(await snapshot(deps), before);
    },
  },
];
