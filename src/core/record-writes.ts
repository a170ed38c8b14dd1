import { appendAudit } from './audit-trail.js';
import { getRecordType, parseFields, type Catalog } from './catalog/catalog.js';
import { assertTransition, statusAfterEdit, type RecordStatus } from './catalog/lifecycle.js';
import { canonicalJson } from './hashing.js';
import { invalidInput } from './errors.js';
import { qualifiedKey, recordKey, type Link, type LinkView, type Product, type RecordHead, type RecordSummary, type Revision } from './entities.js';
import { getRevision } from './lookups.js';
import type { Deps, StoreWriter } from './ports.js';
import { hashRevision } from './revision-hash.js';
import { RECORD_HOOKS } from './record-hook-registry.js';
import { WriteSession } from './record-hooks.js';

/**
 * The record writes every use-case shares, inside the caller's write transaction: each writes its rows and its
 * audit event together. Use-cases that change several things in one transaction (imports) call these directly.
 */

/** A new record's content, fields already checked against its type. */
export interface PreparedRecord {
  readonly type: string;
  readonly title: string;
  readonly body: string;
  readonly fields: Record<string, unknown>;
}

/**
 * Checks new records' types and fields before anything is written.
 * @throws AppError INVALID_INPUT naming the item (`where(i)`) and field
 */
export function prepareRecords(
  catalog: Catalog,
  records: readonly { type: string; title: string; body: string; fields: Record<string, unknown> }[],
  where: (i: number) => string,
): PreparedRecord[] {
  return records.map((r, i) => {
    const type = getRecordType(catalog, r.type, where(i));
    return { ...r, fields: parseFields(type, r.fields, where(i)) };
  });
}

/**
 * Adds records: each gets the next free number of its type (never reused), a first draft revision with its content
 * hash, and a RECORD_CREATED event.
 */
export async function writeNewRecords(
  w: StoreWriter,
  deps: Pick<Deps, 'actor' | 'catalog'>,
  product: Product,
  prepared: readonly PreparedRecord[],
  at: string,
  reason: string | null,
  options: WriteOptions = {},
): Promise<RecordSummary[]> {
  const maxNumbers = await w.maxRecordNumbers(product.id, prepared.map((r) => r.type));
  let nextId = await w.nextFreeId('record');
  const heads: RecordHead[] = [];
  const revisions: Revision[] = [];
  const out: RecordSummary[] = [];
  const numbered = prepared.map((r) => {
    const number = (maxNumbers.get(r.type) ?? 0) + 1;
    maxNumbers.set(r.type, number);
    return { r, number };
  });
  const session = options.session ?? new WriteSession(w, product);
  RECORD_HOOKS.beforeNewRecords(
    session,
    numbered.map(({ r, number }) => ({ type: r.type, number, fields: r.fields })),
  );
  const checked: { r: PreparedRecord; number: number }[] = [];
  for (const { r, number } of numbered) {
    const item = `${product.key}/${recordKey(r.type, number)}`;
    const fields = await RECORD_HOOKS.checkFields(session, { type: r.type, fields: r.fields, item, recordId: null });
    checked.push({ r: { ...r, fields }, number });
  }
  const drafts = checked.map(({ r, number }) => {
    const head: RecordHead = {
      id: nextId++,
      productId: product.id,
      type: r.type,
      number,
      status: getRecordType(deps.catalog, r.type, r.type).lifecycle.initial,
      latestRevision: 1,
      approvedRevision: null,
      approvedBy: null,
      createdAt: at,
      createdBy: deps.actor.id,
      updatedAt: at,
      updatedBy: deps.actor.id,
    };
    const content = { revision: 1, title: r.title, body: r.body, fields: r.fields };
    const hash = hashRevision(product.key, r.type, number, content);
    heads.push(head);
    revisions.push({ recordId: head.id, ...content, hash, createdAt: at, createdBy: deps.actor.id });
    out.push({ ...head, key: recordKey(r.type, number), title: r.title });
    return {
      action: 'RECORD_CREATED' as const,
      entityType: 'record' as const,
      entityId: qualifiedKey(product.key, r.type, number),
      productKey: product.key,
      newValue: { status: head.status, ...content, hash },
      reason,
    };
  });
  await w.insertRecords(heads);
  await w.insertRevisions(revisions);
  await appendAudit(w, deps, at, drafts);
  return out;
}

/** Options of a record write. */
export interface WriteOptions {
  /**
   * The calling use-case's write session: what its hooks have read is not read again, and a use-case that owns a
   * write the generic paths refuse (the risk policy) says so through it (see `risk/risk-hooks.ts`).
   */
  readonly session?: WriteSession;
}

/** An edit: fields are a merge patch (null removes a field). */
export interface RecordPatch {
  readonly title?: string | undefined;
  readonly body?: string | undefined;
  readonly fields?: Readonly<Record<string, unknown>> | undefined;
}

/**
 * Writes a new revision of a record and a RECORD_REVISED event; editing an approved record starts a new draft.
 * @throws AppError INVALID_STATE when the lifecycle refuses edits; INVALID_INPUT when the edit changes nothing or a
 *   field is wrong
 */
export async function writeRevision(
  w: StoreWriter,
  deps: Pick<Deps, 'actor' | 'catalog'>,
  product: Product,
  head: RecordHead,
  patch: RecordPatch,
  at: string,
  reason: string | null,
  options: WriteOptions = {},
): Promise<RecordSummary> {
  const key = recordKey(head.type, head.number);
  const item = `${product.key}/${key}`;
  const type = getRecordType(deps.catalog, head.type, item);
  const nextStatus = statusAfterEdit(type.lifecycle, item, head.status);
  const base = await getRevision(w, product, head, head.latestRevision);
  const merged: Record<string, unknown> = { ...base.fields };
  for (const [k, v] of Object.entries(patch.fields ?? {})) {
    if (v === null) delete merged[k];
    else merged[k] = v;
  }
  const next = {
    revision: head.latestRevision + 1,
    title: patch.title ?? base.title,
    body: patch.body ?? base.body,
    fields: await RECORD_HOOKS.checkFields(options.session ?? new WriteSession(w, product), {
      type: head.type,
      fields: parseFields(type, merged, item),
      item,
      recordId: head.id,
      before: { fields: base.fields, status: head.status, approvedRevision: head.approvedRevision },
    }),
  };
  const changed = changedKeys(base, next);
  if (changed.length === 0) throw invalidInput(`the edit of ${item} changes nothing`, { item });
  const hash = hashRevision(product.key, head.type, head.number, next);
  const revision: Revision = { recordId: head.id, ...next, hash, createdAt: at, createdBy: deps.actor.id };
  await w.insertRevisions([revision]);
  await w.updateRecordHead(head.id, { latestRevision: next.revision, status: nextStatus, updatedAt: at, updatedBy: deps.actor.id });
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
      reason,
    },
  ]);
  return { ...head, latestRevision: next.revision, status: nextStatus, updatedAt: at, updatedBy: deps.actor.id, key, title: next.title };
}

/**
 * Moves a record to another status and writes a RECORD_STATUS_CHANGED event; approval marks the latest revision
 * as the approved one.
 * @throws AppError INVALID_STATE when the lifecycle does not allow the change
 */
export async function writeStatusChange(
  w: StoreWriter,
  deps: Pick<Deps, 'actor' | 'catalog'>,
  product: Product,
  head: RecordHead,
  to: RecordStatus,
  at: string,
  reason: string | null,
  options: WriteOptions = {},
): Promise<RecordHead> {
  const item = `${product.key}/${recordKey(head.type, head.number)}`;
  assertTransition(getRecordType(deps.catalog, head.type, item).lifecycle, item, head.status, to);
  await RECORD_HOOKS.checkStatusChange(
    options.session ?? new WriteSession(w, product),
    {
      type: head.type,
      item,
      recordId: head.id,
      from: head.status,
      fields: async () => (await getRevision(w, product, head, head.latestRevision)).fields,
    },
    to,
  );
  const approvedRevision = to === 'approved' ? head.latestRevision : head.approvedRevision;
  // Who approved, in the same write (until signatures exist): a rule finds an author approving their own revision.
  const approvedBy = to === 'approved' ? deps.actor.id : head.approvedBy;
  await w.updateRecordHead(head.id, { status: to, approvedRevision, approvedBy, updatedAt: at, updatedBy: deps.actor.id });
  await appendAudit(w, deps, at, [
    {
      action: 'RECORD_STATUS_CHANGED',
      entityType: 'record',
      entityId: qualifiedKey(product.key, head.type, head.number),
      productKey: product.key,
      oldValue: { status: head.status, revision: head.latestRevision },
      newValue: { status: to, revision: head.latestRevision, ...(to === 'approved' ? { approvedBy } : {}) },
      reason,
    },
  ]);
  return { ...head, status: to, approvedRevision, approvedBy, updatedAt: at, updatedBy: deps.actor.id };
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

/** `RPM/link/42`: a link's ID in the audit trail. */
export function linkEntityId(productKey: string, id: number): string {
  return `${productKey}/link/${id}`;
}

/**
 * Adds links between records already checked (types allowed, ends active, no duplicate): each records the current
 * revision of both ends and gets a LINK_CREATED event.
 */
export async function writeNewLinks(
  w: StoreWriter,
  deps: Pick<Deps, 'actor'>,
  product: Product,
  ends: readonly { readonly type: string; readonly from: RecordHead; readonly to: RecordHead }[],
  at: string,
  reason: string | null,
): Promise<LinkView[]> {
  let nextId = await w.nextFreeId('link');
  const rows: Link[] = [];
  const out: LinkView[] = [];
  const drafts = ends.map((e) => {
    const fromKey = recordKey(e.from.type, e.from.number);
    const toKey = recordKey(e.to.type, e.to.number);
    const link: Link = {
      id: nextId++,
      productId: product.id,
      type: e.type,
      fromId: e.from.id,
      toId: e.to.id,
      fromRevision: e.from.latestRevision,
      toRevision: e.to.latestRevision,
      createdAt: at,
      createdBy: deps.actor.id,
      confirmedAt: null,
      confirmedBy: null,
      removedAt: null,
      removedBy: null,
      removalReason: null,
    };
    rows.push(link);
    out.push({ ...link, fromKey, fromType: e.from.type, toKey, toType: e.to.type });
    return {
      action: 'LINK_CREATED' as const,
      entityType: 'link' as const,
      entityId: linkEntityId(product.key, link.id),
      productKey: product.key,
      newValue: { type: e.type, from: fromKey, fromRevision: link.fromRevision, to: toKey, toRevision: link.toRevision },
      reason,
    };
  });
  await w.insertLinks(rows);
  await appendAudit(w, deps, at, drafts);
  return out;
}
