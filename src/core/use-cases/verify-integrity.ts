import type { AuditEvent } from '../audit.js';
import { IntegrityVerifier, labelProblems, type IntegrityReport } from '../integrity.js';
import type { Deps, ProgressFn, StoreReader } from '../ports.js';
import { SequenceDigest } from '../hashing.js';
import { evidenceDigestEntry } from '../evidence/model.js';
import { checkStoredState } from '../state/check-stored-state.js';
import { withStateCheck } from '../state/state-verifier.js';

const PAGE = 20_000;

/**
 * Walks the whole audit chain and every record revision and reports the first event or revision that does not
 * match (see `IntegrityVerifier`), then compares the current state and every release baseline with what the trail
 * proves (see `checkStoredState`). Reads page by page in one snapshot; events come as digest rows so the walk stays
 * fast, and the events named in problems are then read in full to name them for people.
 */
export async function verifyIntegrity(deps: Pick<Deps, 'store'>, onProgress?: ProgressFn): Promise<IntegrityReport> {
  return deps.store.read(async (r) => {
    const v = new IntegrityVerifier();
    const total = (await r.auditHead())?.seq ?? 0;
    let after = 0;
    for (;;) {
      const page = await r.scanAuditDigests(after, PAGE);
      const last = page[page.length - 1];
      if (last === undefined) break;
      v.checkDigests(page);
      after = last.seq;
      onProgress?.(after, total, 'audit events');
    }
    let cursor = { recordId: 0, revision: 0 };
    let done = 0;
    for (;;) {
      const page = await r.pageRevisions(cursor, PAGE);
      const last = page[page.length - 1];
      if (last === undefined) break;
      v.checkRevisions(page);
      done += page.length;
      cursor = { recordId: last.recordId, revision: last.revision };
      onProgress?.(done, done, 'revisions');
    }
    await checkEvidenceImports(r, v, onProgress);
    const report = withStateCheck(v.report(), await checkStoredState(r, onProgress));
    const named = new Map<number, AuditEvent>();
    for (const p of report.problems.slice(0, 20)) {
      if (p.seq === undefined || named.has(p.seq)) continue;
      const [e] = await r.listAudit({ afterSeq: p.seq - 1, limit: 1 });
      if (e !== undefined && e.seq === p.seq) named.set(p.seq, e);
    }
    return labelProblems(report, named);
  });
}

/** Recomputes each evidence import's digest from its stored items and compares it with its row and audit event. */
async function checkEvidenceImports(r: StoreReader, v: IntegrityVerifier, onProgress?: ProgressFn): Promise<void> {
  const products = new Map((await r.listProducts()).map((p) => [p.id, p.key]));
  const imports = await r.listEvidenceImports();
  for (const [n, imp] of imports.entries()) {
    const entityId = `${products.get(imp.productId) ?? '?'}/evidence/${imp.id}`;
    const event = (await r.listAudit({ entityId, limit: 1 })).find((e) => e.action === 'EVIDENCE_IMPORTED');
    const value = event?.newValue === null || event === undefined ? undefined : (JSON.parse(event.newValue) as { itemsDigest?: unknown; itemCount?: unknown });
    const recorded = typeof value?.itemsDigest === 'string' && typeof value.itemCount === 'number' ? { itemsDigest: value.itemsDigest, itemCount: value.itemCount } : undefined;
    const digest = new SequenceDigest();
    for (const item of await r.listEvidenceItems({ productId: imp.productId, importIds: [imp.id] })) digest.add(evidenceDigestEntry(item));
    v.checkEvidence({ id: imp.id, label: `evidence import ${entityId} (${imp.kind} ${imp.source})`, itemsDigest: imp.itemsDigest, itemCount: imp.itemCount }, recorded, { hex: digest.hex(), count: digest.count });
    onProgress?.(n + 1, imports.length, 'evidence');
  }
}
