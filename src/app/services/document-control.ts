import { appendAudit } from '../../core/audit-trail.js';
import { RECORD_TYPE } from '../../core/catalog/record-type-keys.js';
import { qualifiedKey, recordKey, type Product, type RecordHead, type RecordSummary } from '../../core/entities.js';
import { invalidInput } from '../../core/errors.js';
import type { SignatureRow } from '../../core/signatures/model.js';
import type { Deps, StoreReader, StoreWriter } from '../../core/ports.js';
import {
  addDays,
  assignmentEntityId,
  assignmentStates,
  versionInForce,
  type AssignmentState,
  assignmentEventValue,
  DEFAULT_TRAINING_DAYS,
  type EffectivityRow,
  type TrainingAssignmentRow,
} from '../../core/qms/document-control.js';

/** A job role that requires training on a document, with its members now. */
export interface RoleMembers {
  readonly roleId: number;
  /** `JOB-2` */
  readonly role: string;
  readonly title: string;
  readonly members: readonly string[];
}

/** The members of a job role's latest revision (`members` field). */
function membersOf(fields: Readonly<Record<string, unknown>>): string[] {
  const m = fields['members'];
  return Array.isArray(m) ? m.filter((x): x is string => typeof x === 'string') : [];
}

/** A product's job roles with their members, and which documents each requires training on (active links). */
export async function loadJobRoles(r: StoreReader, product: Product): Promise<(RoleMembers & { readonly documents: readonly number[] })[]> {
  const roles = await r.listRecords({ productId: product.id, type: RECORD_TYPE.JOB });
  const links = await r.listLinks({ productId: product.id });
  const out: (RoleMembers & { documents: number[] })[] = [];
  for (const role of roles) {
    if (role.status === 'obsolete') continue;
    const rev = await r.findRevision(role.id, role.latestRevision);
    const documents = links.filter((l) => l.type === 'requires_training' && l.fromId === role.id && l.removedAt === null).map((l) => l.toId);
    out.push({ roleId: role.id, role: recordKey(role.type, role.number), title: role.title, members: membersOf(rev?.fields ?? {}), documents });
  }
  return out;
}

/** The product's controlled documents (DOC records), in number order. */
export function listDocuments(r: StoreReader, product: Product): Promise<RecordSummary[]> {
  return r.listRecords({ productId: product.id, type: RECORD_TYPE.DOC });
}

/**
 * Resolves a record that must be a controlled document.
 * @throws AppError INVALID_INPUT when it is another type of record
 */
export function requireDocument(product: Product, head: RecordHead): string {
  const item = qualifiedKey(product.key, head.type, head.number);
  if (head.type !== RECORD_TYPE.DOC) throw invalidInput(`${item} is not a controlled document (DOC)`, { item, field: 'record' });
  return item;
}

/**
 * When training on a version is due: `trainingDays` after it became effective, or after today for someone assigned
 * later (a new member of a role, a new link to a role).
 */
export function trainingDueOn(effectiveOn: string, today: string, days: number): string {
  return addDays(effectiveOn > today ? effectiveOn : today, days);
}

/** Days to complete training on a document version (its `trainingDays` field, else the default). */
export function trainingDaysOf(fields: Readonly<Record<string, unknown>>): number {
  const d = fields['trainingDays'];
  return typeof d === 'number' && Number.isInteger(d) && d > 0 ? d : DEFAULT_TRAINING_DAYS;
}

/** An assignment made, with the job role (`JOB-2`) that brought it. */
export interface AssignedTraining {
  readonly row: TrainingAssignmentRow;
  readonly role: string | null;
}

/**
 * Assigns training on a version in force to every member of every job role that requires the document and has no
 * assignment on that revision yet (one per person, whatever the number of roles), each with its TRAINING_ASSIGNED
 * event, in the caller's transaction.
 * @param dueOn - when the training is due (see `trainingDueOn`)
 */
export async function assignTraining(
  w: StoreWriter,
  deps: Deps,
  product: Product,
  doc: RecordHead,
  effectivity: EffectivityRow,
  dueOn: string,
  at: string,
): Promise<AssignedTraining[]> {
  const roles = (await loadJobRoles(w, product)).filter((r) => r.documents.includes(doc.id));
  const existing = new Set((await w.listTrainingAssignments(product.id)).filter((a) => a.recordId === doc.id && a.revision === effectivity.revision).map((a) => a.username));
  const today = at.slice(0, 10);
  let id = await w.nextDocumentControlId('assignments');
  const rows: TrainingAssignmentRow[] = [];
  const roleKeys = new Map<number, string>();
  for (const role of roles) {
    for (const username of role.members) {
      if (existing.has(username)) continue;
      existing.add(username);
      roleKeys.set(id, `${product.key}/${role.role}`);
      rows.push({
        id: id++,
        productId: product.id,
        recordId: doc.id,
        revision: effectivity.revision,
        version: effectivity.version,
        username,
        roleRecordId: role.roleId,
        assignedOn: today,
        dueOn,
        assignedAt: at,
        assignedBy: deps.actor.id,
      });
    }
  }
  if (rows.length === 0) return [];
  await w.insertTrainingAssignments(rows);
  const recordKeyQ = qualifiedKey(product.key, doc.type, doc.number);
  await appendAudit(
    w,
    deps,
    at,
    rows.map((a) => ({
      action: 'TRAINING_ASSIGNED' as const,
      entityType: 'training' as const,
      entityId: assignmentEntityId(recordKeyQ, a.id),
      productKey: product.key,
      newValue: assignmentEventValue(a, { productKey: product.key, recordKey: recordKeyQ, roleKey: roleKeys.get(a.id) ?? null }),
    })),
  );
  return rows.map((row) => ({ row, role: roleKeys.get(row.id)?.split('/')[1] ?? null }));
}

/** A product's training picture on a day: documents by ID, versions in force, assignment states, job roles. */
export interface TrainingPicture {
  readonly documents: ReadonlyMap<number, RecordSummary>;
  readonly inForce: ReadonlyMap<number, EffectivityRow>;
  readonly states: readonly AssignmentState[];
  readonly roles: readonly (RoleMembers & { readonly documents: readonly number[] })[];
  readonly signatures: ReadonlyMap<number, SignatureRow>;
}

/**
 * Reads what the training reports show (a few queries per product).
 * @param withSignatures - also read the completions' signatures (the lists show who signed; the matrix does not)
 */
export async function loadTrainingPicture(r: StoreReader, product: Product, today: string, withSignatures = true): Promise<TrainingPicture> {
  const documents = new Map((await listDocuments(r, product)).map((d) => [d.id, d]));
  const effectivities = await r.listEffectivities(product.id);
  const effectivitiesOf = new Map<number, EffectivityRow[]>();
  for (const e of effectivities) effectivitiesOf.set(e.recordId, [...(effectivitiesOf.get(e.recordId) ?? []), e]);
  const inForce = new Map<number, EffectivityRow>();
  for (const id of documents.keys()) {
    const cur = versionInForce(effectivitiesOf.get(id) ?? []);
    if (cur !== undefined && documents.get(id)?.status !== 'obsolete') inForce.set(id, cur);
  }
  const assignments = await r.listTrainingAssignments(product.id);
  const completions = await r.listTrainingCompletions(product.id);
  const states = assignmentStates(assignments, completions, effectivities, today);
  // The matrix shows states only; the lists that show who signed each completion ask for the signatures.
  const signatures = withSignatures ? new Map((await r.listSignatures('training', assignments.map((a) => a.id))).map((s) => [s.id, s])) : new Map<number, never>();
  return { documents, inForce, states, roles: await loadJobRoles(r, product), signatures };
}

/** `DOC-3` of a document ID in the picture. */
export function documentKeyOf(p: TrainingPicture, id: number): string {
  const d = p.documents.get(id);
  return d === undefined ? `record#${id}` : recordKey(d.type, d.number);
}
