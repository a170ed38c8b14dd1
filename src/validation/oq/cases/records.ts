import assert from 'node:assert/strict';
import { addRecord } from '../../../app/use-cases/add-record.js';
import { createProduct } from '../../../app/use-cases/create-product.js';
import { editRecord } from '../../../app/use-cases/edit-record.js';
import { getRecord } from '../../../app/use-cases/get-record.js';
import { listAuditEvents } from '../../../app/use-cases/list-audit-events.js';
import { isAppError } from '../../../core/errors.js';
import type { OqCase } from '../oq-case.js';

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
];
