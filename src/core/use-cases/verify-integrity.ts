import { IntegrityVerifier, type IntegrityReport } from '../integrity.js';
import type { Deps, ProgressFn } from '../ports.js';

const PAGE = 10_000;

/**
 * Walks the whole audit chain and every record revision and reports the first event or revision that does not
 * match (see `IntegrityVerifier`). Reads page by page in one snapshot.
 */
export async function verifyIntegrity(deps: Pick<Deps, 'store'>, onProgress?: ProgressFn): Promise<IntegrityReport> {
  return deps.store.read(async (r) => {
    const v = new IntegrityVerifier();
    const total = (await r.auditHead())?.seq ?? 0;
    let after = 0;
    for (;;) {
      const page = await r.listAudit({ afterSeq: after, limit: PAGE });
      if (page.length === 0) break;
      v.checkEvents(page);
      after = page[page.length - 1]?.seq ?? after;
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
    return v.report();
  });
}
