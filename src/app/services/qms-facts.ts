import { RECORD_TYPE } from '../../core/catalog/record-type-keys.js';
import { recordKey, type Product } from '../../core/entities.js';
import type { StoreReader } from '../../core/ports.js';
import { assignmentStates, untrainedSignatures, versionInForce, type GoverningVersion } from '../../core/qms/document-control.js';
import type { EffectiveDocumentFact, QmsFacts, TrainingFact } from '../../core/qms/facts.js';

/**
 * The quality-system facts of a product (documents in force, training assignments, untrained signatures) for the
 * readiness report, the rules and management review, read from the document control and training tables.
 * @param today - YYYY-MM-DD
 */
export async function loadQmsFacts(r: StoreReader, product: Product, today: string): Promise<QmsFacts> {
  const docs = await r.listRecords({ productId: product.id, type: RECORD_TYPE.DOC });
  const byId = new Map(docs.map((d) => [d.id, d]));
  const effectivities = await r.listEffectivities(product.id);
  if (effectivities.length === 0) return { documents: [], trainings: [], untrainedSignatures: [] };
  const reviews = await r.listDocumentReviews(product.id);
  const fieldsOf = new Map<string, Readonly<Record<string, unknown>>>();
  for (const e of effectivities) {
    const k = `${e.recordId}@${e.revision}`;
    if (!fieldsOf.has(k)) fieldsOf.set(k, (await r.findRevision(e.recordId, e.revision))?.fields ?? {});
  }
  // Grouped once, so each document looks up its own rows (never a scan of every row per document).
  const effectivitiesOf = groupBy(effectivities, (e) => e.recordId);
  const lastReview = new Map<string, string>();
  for (const v of reviews) {
    const k = `${v.recordId}@${v.revision}`;
    const seen = lastReview.get(k);
    if (seen === undefined || v.reviewedOn > seen) lastReview.set(k, v.reviewedOn);
  }
  const documents: EffectiveDocumentFact[] = [];
  for (const d of docs) {
    const cur = versionInForce(effectivitiesOf.get(d.id) ?? []);
    if (cur === undefined || d.status === 'obsolete') continue;
    const fields = fieldsOf.get(`${d.id}@${cur.revision}`) ?? {};
    const last = lastReview.get(`${d.id}@${cur.revision}`) ?? null;
    const interval = fields['reviewIntervalMonths'];
    documents.push({
      recordId: d.id,
      key: recordKey(d.type, d.number),
      revision: cur.revision,
      version: cur.version,
      effectiveOn: cur.effectiveOn,
      lastReviewedOn: last,
      reviewIntervalMonths: typeof interval === 'number' ? interval : null,
    });
  }
  const assignments = await r.listTrainingAssignments(product.id);
  const completions = await r.listTrainingCompletions(product.id);
  const states = assignmentStates(assignments, completions, effectivities, today);
  const roleKeys = new Map((await r.listRecords({ productId: product.id, type: RECORD_TYPE.JOB })).map((j) => [j.id, recordKey(j.type, j.number)]));
  const keyOf = (id: number): string => {
    const d = byId.get(id);
    return d === undefined ? `record#${id}` : recordKey(d.type, d.number);
  };
  const trainings: TrainingFact[] = states.map((s) => ({
    id: s.assignment.id,
    recordId: s.assignment.recordId,
    documentKey: keyOf(s.assignment.recordId),
    revision: s.assignment.revision,
    version: s.assignment.version,
    username: s.assignment.username,
    role: s.assignment.roleRecordId === null ? null : (roleKeys.get(s.assignment.roleRecordId) ?? null),
    assignedOn: s.assignment.assignedOn,
    dueOn: s.assignment.dueOn,
    completedOn: s.completion?.completedAt.slice(0, 10) ?? null,
    superseded: s.superseded,
  }));
  // 21 CFR 11.10(i): signers of records made under a procedure in force must have been trained on it.
  const versions: GoverningVersion[] = effectivities.flatMap((e) => {
    const f = fieldsOf.get(`${e.recordId}@${e.revision}`) ?? {};
    const governs = Array.isArray(f['governs']) ? f['governs'].filter((g): g is string => typeof g === 'string') : [];
    if (governs.length === 0) return [];
    return [{ recordId: e.recordId, documentKey: keyOf(e.recordId), revision: e.revision, version: e.version, effectiveOn: e.effectiveOn, order: e.id, governs, madeAt: e.madeAt }];
  });
  let untrained: QmsFacts['untrainedSignatures'] = [];
  if (versions.length > 0) {
    const governed = new Set(versions.flatMap((v) => v.governs));
    const records = (await r.listRecords({ productId: product.id })).filter((x) => governed.has(x.type));
    const recordsById = new Map(records.map((x) => [x.id, x]));
    const signatures = records.length === 0 ? [] : await r.listSignatures('record', records.map((x) => x.id));
    untrained = untrainedSignatures(
      versions,
      states.map((s) => ({ recordId: s.assignment.recordId, revision: s.assignment.revision, username: s.assignment.username, dueOn: s.assignment.dueOn, completedAt: s.completion?.completedAt ?? null })),
      signatures.flatMap((s) => {
        const rec = recordsById.get(s.entityId);
        return rec === undefined ? [] : [{ recordId: rec.id, recordKey: recordKey(rec.type, rec.number), recordType: rec.type, username: s.username, signedAt: s.signedAt }];
      }),
    );
  }
  return { documents, trainings, untrainedSignatures: untrained };
}

function groupBy<T, K>(items: readonly T[], key: (t: T) => K): Map<K, T[]> {
  const out = new Map<K, T[]>();
  for (const t of items) {
    const k = key(t);
    const list = out.get(k);
    if (list === undefined) out.set(k, [t]);
    else list.push(t);
  }
  return out;
}
