import type { Deps, ProgressFn } from '../../core/ports.js';
import { z } from 'zod';
import { STORE_EXPORT_FORMAT, STORE_EXPORT_VERSION, StoreExportSchema, type StoreExport } from '../../core/store-export.js';
import { defineUseCase } from '../use-case.js';

const PAGE = 10_000;

/**
 * The whole store as one document, read in one snapshot: every product, record, revision, link (removed ones
 * included), electronic signature (with the statements accepted and the workflows configured), attachment (with
 * its bytes, once per SHA-256, as base64) and audit event,
 * verbatim. `importStore` of the result into an empty store gives back the same
 * document (21 CFR 11.10(b)/(c): complete copies; backup and restore).
 */
export async function exportStore(deps: Pick<Deps, 'store'>, onProgress?: ProgressFn): Promise<StoreExport> {
  return deps.store.read(async (r) => {
    const out: StoreExport = {
      format: STORE_EXPORT_FORMAT,
      version: STORE_EXPORT_VERSION,
      products: await r.listProducts(),
      records: [],
      revisions: [],
      links: [],
      ruleSettings: await r.listRuleSettings(),
      rulePacks: await r.listProductRulePacks(),
      evidenceImports: await r.listEvidenceImports(),
      evidenceItems: [],
      releases: await r.listReleases(),
      releaseRecords: [],
      releaseLinks: [],
      releaseEvidence: await r.listReleaseEvidence(),
      users: (await r.listUsers()).map(({ failedAttempts: _attempts, lockedUntil: _locked, ...u }) => u),
      roleGrants: await r.listRoleGrants(),
      apiTokens: (await r.listApiTokens()).map(({ lastUsedAt: _used, ...t }) => ({ ...t, permissions: [...t.permissions] })),
      signatures: [],
      statementAcceptances: await r.listStatementAcceptances(),
      workflows: await r.listWorkflows(),
      attachments: [],
      attachmentContents: [],
      documentEffectivities: await r.listEffectivities(),
      documentReviews: await r.listDocumentReviews(),
      trainingAssignments: await r.listTrainingAssignments(),
      trainingCompletions: await r.listTrainingCompletions(),
      audit: [],
    };
    for (let after = 0; ; ) {
      const page = await r.pageAttachments(after, PAGE);
      const last = page[page.length - 1];
      if (last === undefined) break;
      for (const row of page) out.attachments.push(row);
      after = last.id;
    }
    // The bytes a few at a time (each can be as large as the attachment limit), as base64 in the document.
    for (let after = ''; ; ) {
      const page = await r.pageAttachmentContents(after, 4);
      const last = page[page.length - 1];
      if (last === undefined) break;
      for (const c of page) out.attachmentContents.push({ sha256: c.sha256, size: c.size, base64: Buffer.from(c.bytes).toString('base64') });
      after = last.sha256;
      onProgress?.(out.attachmentContents.length, out.attachmentContents.length, 'attachments');
    }
    for (let after = 0; ; ) {
      const page = await r.pageSignatures(after, PAGE);
      const last = page[page.length - 1];
      if (last === undefined) break;
      for (const row of page) out.signatures.push(row);
      after = last.id;
      onProgress?.(out.signatures.length, out.signatures.length, 'signatures');
    }
    for (const rel of out.releases) {
      // One push per row: a baseline can hold more rows than a spread's argument list can take.
      for (const row of await r.listReleaseRecords(rel.id)) out.releaseRecords.push(row);
      for (const row of await r.listReleaseLinks(rel.id)) out.releaseLinks.push(row);
    }
    for (let after = 0; ; ) {
      const page = await r.pageEvidenceItems(after, PAGE);
      if (page.length === 0) break;
      out.evidenceItems.push(...page.map((i) => ({ ...i, refs: [...i.refs] })));
      after = page[page.length - 1]?.id ?? after;
      onProgress?.(out.evidenceItems.length, out.evidenceItems.length, 'evidence');
    }
    out.products.sort((a, b) => a.id - b.id);
    for (let after = 0; ; ) {
      const page = await r.pageRecords(after, PAGE);
      if (page.length === 0) break;
      out.records.push(...page);
      after = page[page.length - 1]?.id ?? after;
      onProgress?.(out.records.length, out.records.length, 'records');
    }
    for (let cursor = { recordId: 0, revision: 0 }; ; ) {
      const page = await r.pageRevisions(cursor, PAGE);
      const last = page[page.length - 1];
      if (last === undefined) break;
      for (const { productKey: _p, type: _t, number: _n, fieldsJson: _f, ...rev } of page) out.revisions.push(rev);
      cursor = { recordId: last.recordId, revision: last.revision };
      onProgress?.(out.revisions.length, out.revisions.length, 'revisions');
    }
    for (let after = 0; ; ) {
      const page = await r.pageLinks(after, PAGE);
      if (page.length === 0) break;
      out.links.push(...page);
      after = page[page.length - 1]?.id ?? after;
      onProgress?.(out.links.length, out.links.length, 'links');
    }
    for (let after = 0; ; ) {
      const page = await r.listAudit({ afterSeq: after, limit: PAGE });
      if (page.length === 0) break;
      out.audit.push(...page);
      after = page[page.length - 1]?.seq ?? after;
      onProgress?.(out.audit.length, out.audit.length, 'audit events');
    }
    return out;
  });
}

export const exportStoreUseCase = defineUseCase({
  name: 'store.export',
  // Can take long on a large product: the server runs it on its read pool.
  heavy: true,
  summary: 'Export the whole store as one document.',
  kind: 'read',
  what: 'store export',
  input: z.strictObject({}),
  output: StoreExportSchema,
  permission: 'store.export',
  http: { method: 'GET', path: '/api/v1/store/export' },
  run: ({ deps, progress }) => exportStore(deps, progress),
});
