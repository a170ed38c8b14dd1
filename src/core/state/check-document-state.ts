import type { AuditEvent } from '../audit.js';
import type { StoreExport } from '../store-export.js';
import { StateVerifier, type StateCheckResult } from './state-verifier.js';

/** Rows grouped by release ID, so each baseline is found without scanning all rows again. */
function byRelease<T extends { readonly releaseId: number }>(rows: readonly T[]): Map<number, T[]> {
  const out = new Map<number, T[]>();
  for (const r of rows) {
    const list = out.get(r.releaseId);
    if (list === undefined) out.set(r.releaseId, [r]);
    else list.push(r);
  }
  return out;
}

/**
 * The current-state check of `audit verify`, on an export document before it is imported: every row of current
 * state must be the one its audit events prove, and every baseline must hash to its recorded hash, so a forged
 * export (a status, a safety class, a baseline row or a signature changed in the file) is refused.
 * @param events - the document's audit events in sequence order
 */
export function checkDocumentState(doc: StoreExport, events: readonly AuditEvent[]): StateCheckResult {
  const v = new StateVerifier();
  v.applyEvents(events);
  v.checkProducts(doc.products);
  v.checkRecords([...doc.records].sort((a, b) => a.id - b.id));
  v.checkLinks(doc.links);
  v.checkRuleSettings(doc.ruleSettings);
  v.checkRulePacks(doc.rulePacks);
  v.checkEvidenceImports(doc.evidenceImports);
  v.checkIdentity(
    doc.users.map((u) => ({ ...u, failedAttempts: 0, lockedUntil: null })),
    doc.roleGrants,
    doc.apiTokens.map((t) => ({ ...t, lastUsedAt: null })),
  );
  v.checkReleases(doc.releases);
  // Each record signature with the hash of the revision it names, as the file has it (checked against its content
  // by the import's IntegrityVerifier).
  const revisionHashes = new Map(doc.revisions.map((r) => [`${r.recordId}@${r.revision}`, r.hash]));
  v.checkDocumentControl({
    effectivities: doc.documentEffectivities,
    reviews: doc.documentReviews,
    assignments: doc.trainingAssignments,
    completions: doc.trainingCompletions,
  });
  // A training signature signs the revision of the document its assignment names.
  const assignmentRecords = new Map(doc.trainingAssignments.map((a) => [a.id, a.recordId]));
  const signedRevision = (s: StoreExport['signatures'][number]): string | null => {
    if (s.entityType === 'record') return revisionHashes.get(`${s.entityId}@${s.revision}`) ?? null;
    if (s.entityType === 'training') return revisionHashes.get(`${assignmentRecords.get(s.entityId) ?? 0}@${s.revision}`) ?? null;
    return null;
  };
  v.checkSignatures(
    [...doc.signatures].sort((a, b) => a.id - b.id).map((s) => ({ ...s, revisionHash: signedRevision(s) })),
  );
  v.checkStatementAcceptances(doc.statementAcceptances);
  v.checkWorkflows(doc.workflows);
  v.checkAttachments([...doc.attachments].sort((a, b) => a.id - b.id));
  v.checkAttachmentContents([]);
  for (const c of doc.attachmentContents) v.checkAttachmentContents([{ sha256: c.sha256, size: c.size, bytes: Buffer.from(c.base64, 'base64') }]);
  const records = byRelease(doc.releaseRecords);
  const links = byRelease(doc.releaseLinks);
  const evidence = byRelease(doc.releaseEvidence);
  const imports = new Map(doc.evidenceImports.map((i) => [i.id, i]));
  const items = new Map(doc.evidenceItems.map((i) => [i.id, i]));
  for (const release of doc.releases) {
    const ev = evidence.get(release.id) ?? [];
    v.checkBaseline(release, {
      records: records.get(release.id) ?? [],
      links: links.get(release.id) ?? [],
      imports: ev.flatMap((e) => (e.importId === null ? [] : [{ id: e.importId, itemsDigest: imports.get(e.importId)?.itemsDigest ?? '' }])),
      items: ev.flatMap((e) => (e.itemId === null ? [] : [items.get(e.itemId) ?? { id: e.itemId, kind: '', key: '' }])),
    });
  }
  return v.finish();
}
