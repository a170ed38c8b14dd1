import { z } from 'zod';
import { appendAudit } from '../audit-trail.js';
import { getRecordType, parseFields } from '../catalog/catalog.js';
import { statusAfterEdit } from '../catalog/lifecycle.js';
import { canonicalJson } from '../hashing.js';
import { conflict, invalidInput } from '../errors.js';
import { ProductKeySchema, qualifiedKey, recordKey, type RecordSummary, type Revision } from '../entities.js';
import { getProduct, getRecord, getRevision } from '../lookups.js';
import type { Deps } from '../ports.js';
import { parseInput, storableText } from '../validation.js';
import { hashRevision } from '../revision-hash.js';

export const EditRecordInputSchema = z.strictObject({
  productKey: ProductKeySchema,
  /** `SRS-12` or `RPM/SRS-12`. */
  record: z.string().min(1),
  /** The revision the edit was made on; a newer one in the store means someone else changed it (CONFLICT). */
  baseRevision: z.number().int().positive(),
  title: storableText().trim().min(1).max(500).optional(),
  body: storableText().max(1_000_000).optional(),
  /** Merge patch: a field set to null is removed; fields not named keep their value. */
  fields: z.record(z.string(), z.unknown()).optional(),
  reason: storableText().trim().min(1).max(2000).optional(),
});
export type EditRecordInput = z.input<typeof EditRecordInputSchema>;

/**
 * Edits a record by writing a new immutable revision. Editing an approved record starts a new draft; the approved
 * revision stays readable. An edit that changes nothing is refused.
 * @throws AppError CONFLICT when `baseRevision` is not the latest (no lost updates)
 * @throws AppError INVALID_STATE when the lifecycle refuses edits (obsolete)
 * @throws AppError INVALID_INPUT naming the field
 */
export async function editRecord(deps: Deps, input: EditRecordInput): Promise<RecordSummary> {
  const i = parseInput(EditRecordInputSchema, input, 'edit');
  return deps.store.write(async (w) => {
    const product = await getProduct(w, i.productKey);
    const head = await getRecord(w, product, i.record);
    const key = recordKey(head.type, head.number);
    const item = `${product.key}/${key}`;
    if (i.baseRevision !== head.latestRevision) {
      throw conflict(
        `${item} has changed: the edit is based on revision ${i.baseRevision} but the latest is revision ` +
          `${head.latestRevision} (by ${head.updatedBy} at ${head.updatedAt}); look at the latest and edit again`,
        { item, field: 'baseRevision' },
      );
    }
    const type = getRecordType(deps.catalog, head.type, item);
    const nextStatus = statusAfterEdit(type.lifecycle, item, head.status);
    const base = await getRevision(w, product, head, head.latestRevision);

    const merged: Record<string, unknown> = { ...base.fields };
    for (const [k, v] of Object.entries(i.fields ?? {})) {
      if (v === null) delete merged[k];
      else merged[k] = v;
    }
    const next = {
      revision: head.latestRevision + 1,
      title: i.title ?? base.title,
      body: i.body ?? base.body,
      fields: parseFields(type, merged, item),
    };
    const changed = changedKeys(base, next);
    if (changed.length === 0) throw invalidInput(`the edit of ${item} changes nothing`, { item });

    const at = deps.clock.now();
    const hash = hashRevision(product.key, head.type, head.number, next);
    const revision: Revision = { recordId: head.id, ...next, hash, createdAt: at, createdBy: deps.actor.id };
    await w.insertRevisions([revision]);
    await w.updateRecordHead(head.id, {
      latestRevision: next.revision,
      status: nextStatus,
      updatedAt: at,
      updatedBy: deps.actor.id,
    });
    const pick = (rev: Pick<Revision, 'title' | 'body' | 'fields'>): Record<string, unknown> =>
      Object.fromEntries(changed.map((k) => [k, rev[k]]));
    await appendAudit(w, deps, at, [
      {
        action: 'RECORD_REVISED',
        entityType: 'record',
        entityId: qualifiedKey(product.key, head.type, head.number),
        productKey: product.key,
        oldValue: { revision: base.revision, hash: base.hash, status: head.status, ...pick(base) },
        newValue: { revision: next.revision, hash, status: nextStatus, ...pick(next) },
        reason: i.reason ?? null,
      },
    ]);
    return {
      ...head,
      latestRevision: next.revision,
      status: nextStatus,
      updatedAt: at,
      updatedBy: deps.actor.id,
      key,
      title: next.title,
    };
  });
}

function changedKeys(
  a: Pick<Revision, 'title' | 'body' | 'fields'>,
  b: Pick<Revision, 'title' | 'body' | 'fields'>,
): ('title' | 'body' | 'fields')[] {
  const out: ('title' | 'body' | 'fields')[] = [];
  if (a.title !== b.title) out.push('title');
  if (a.body !== b.body) out.push('body');
  if (canonicalJson(a.fields) !== canonicalJson(b.fields)) out.push('fields');
  return out;
}
