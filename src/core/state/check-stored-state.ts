import type { EvidenceImport } from '../evidence/model.js';
import type { ProgressFn, StoreReader } from '../ports.js';
import { STATE_EVENT_ACTIONS } from './expected-state.js';
import { StateVerifier, type StateCheckResult } from './state-verifier.js';

const PAGE = 20_000;
/** Attachment contents per read: each can be as large as the attachment limit. */
const CONTENT_PAGE = 4;

/**
 * Replays the store's audit trail into the current state it proves and compares every mutable row with it, then
 * recomputes every release baseline's hash from its frozen rows. Reads page by page (events, records, links), so
 * only the expected state (one small entry per row) is held. Call inside one read transaction, with the chain
 * check, so both see the same snapshot.
 */
export async function checkStoredState(r: StoreReader, onProgress?: ProgressFn): Promise<StateCheckResult> {
  const v = new StateVerifier();
  const total = (await r.auditHead())?.seq ?? 0;
  let after = 0;
  for (;;) {
    const page = await r.scanStateEvents(after, PAGE, STATE_EVENT_ACTIONS);
    const last = page[page.length - 1];
    if (last === undefined) break;
    v.applyEvents(page);
    after = last.seq;
    onProgress?.(after, total, 'current state');
  }
  return checkStoredRows(r, v, onProgress);
}

/**
 * The second half of `checkStoredState`, for a caller that has fed the events itself (verification reads them
 * once for this and for the revisions they recorded): compares every mutable row and recomputes every baseline.
 * @param v - a state verifier that has been fed every event
 */
export async function checkStoredRows(r: StoreReader, v: StateVerifier, onProgress?: ProgressFn): Promise<StateCheckResult> {
  const products = await r.listProducts();
  v.checkProducts(products);
  for (let afterId = 0; ; ) {
    const page = await r.pageRecords(afterId, PAGE);
    const last = page[page.length - 1];
    if (last === undefined) break;
    v.checkRecords(page);
    afterId = last.id;
  }
  for (let afterId = 0; ; ) {
    const page = await r.pageLinks(afterId, PAGE);
    const last = page[page.length - 1];
    if (last === undefined) break;
    v.checkLinks(page);
    afterId = last.id;
  }
  v.checkRuleSettings(await r.listRuleSettings());
  v.checkRulePacks(await r.listProductRulePacks());
  const evidenceImports = await r.listEvidenceImports();
  v.checkEvidenceImports(evidenceImports);
  const imports = new Map<number, EvidenceImport>(evidenceImports.map((i) => [i.id, i]));
  // Users, role grants and API tokens are proved by the trail like every other mutable row (exports carry them).
  v.checkIdentity(await r.listUsers(), await r.listRoleGrants(), await r.listApiTokens());
  const releases = await r.listReleases();
  v.checkReleases(releases);
  for (const [n, release] of releases.entries()) {
    const evidence = await r.listReleaseEvidence(release.id);
    const itemIds = evidence.flatMap((e) => (e.itemId === null ? [] : [e.itemId]));
    const items = new Map((itemIds.length === 0 ? [] : await r.listEvidenceItems({ productId: release.productId, itemIds })).map((i) => [i.id, i]));
    v.checkBaseline(release, {
      records: await r.listReleaseRecords(release.id),
      links: await r.listReleaseLinks(release.id),
      imports: evidence.flatMap((e) => (e.importId === null ? [] : [{ id: e.importId, itemsDigest: imports.get(e.importId)?.itemsDigest ?? '' }])),
      // An item row the store lost still counts (as a blank), so the hash differs and the baseline is reported.
      items: itemIds.map((id) => items.get(id) ?? { id, kind: '', key: '' }),
    });
    onProgress?.(n + 1, releases.length, 'release baselines');
  }
  // Document control and training rows after records (they name them), before signatures (which name assignments).
  v.checkDocumentControl({
    effectivities: await r.listEffectivities(),
    reviews: await r.listDocumentReviews(),
    assignments: await r.listTrainingAssignments(),
    completions: await r.listTrainingCompletions(),
  });
  // Signatures after records, releases and users (they name them by internal ID), each page with the stored hashes
  // of the revisions it names (one query per page).
  for (let afterId = 0, done = 0; ; ) {
    const page = await r.pageSignatureChecks(afterId, PAGE);
    const last = page[page.length - 1];
    if (last === undefined) break;
    v.checkSignatures(page);
    afterId = last.id;
    done += page.length;
    onProgress?.(done, done, 'signatures');
  }
  v.checkStatementAcceptances(await r.listStatementAcceptances());
  v.checkWorkflows(await r.listWorkflows());
  // Attachments after records, then every stored content hashed again (a few at a time: each is up to the limit).
  for (let afterId = 0; ; ) {
    const page = await r.pageAttachments(afterId, PAGE);
    const last = page[page.length - 1];
    if (last === undefined) break;
    v.checkAttachments(page);
    afterId = last.id;
  }
  v.checkAttachmentContents([]);
  for (let after = '', done = 0; ; ) {
    const page = await r.pageAttachmentContents(after, CONTENT_PAGE);
    const last = page[page.length - 1];
    if (last === undefined) break;
    v.checkAttachmentContents(page);
    after = last.sha256;
    done += page.length;
    onProgress?.(done, done, 'attachments');
  }
  return v.finish();
}
