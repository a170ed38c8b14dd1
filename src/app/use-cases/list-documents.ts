import { z } from 'zod';
import { ProductKeySchema, recordKey } from '../../core/entities.js';
import { getProduct } from '../../core/lookups.js';
import { nextReviewDue, versionInForce } from '../../core/qms/document-control.js';
import { listDocuments } from '../services/document-control.js';
import { defineUseCase } from '../use-case.js';

export const ListDocumentsInputSchema = z.strictObject({ productKey: ProductKeySchema });

export const DocumentRegisterRowSchema = z.object({
  document: z.string(),
  /** The document number people cite (`SOP-004`), or null. */
  number: z.string().nullable(),
  title: z.string(),
  status: z.string(),
  obsolete: z.boolean(),
  /** The version in force (the newest made effective), or null. */
  version: z.string().nullable(),
  revision: z.number().int().nullable(),
  effectiveOn: z.string().nullable(),
  lastReviewedOn: z.string().nullable(),
  nextReviewDue: z.string().nullable(),
  /** The next review is past due. */
  overdue: z.boolean(),
  /** Earlier versions made effective, now superseded, newest first. */
  superseded: z.array(z.object({ version: z.string(), revision: z.number().int(), effectiveOn: z.string() })),
});
export type DocumentRegisterRow = z.infer<typeof DocumentRegisterRowSchema>;

export const ListDocumentsOutputSchema = z.object({ today: z.string(), documents: z.array(DocumentRegisterRowSchema) });

/**
 * `document.list`: the document register (ISO 13485 4.2.4): every controlled document with its number, title, the
 * version in force and since when, its last and next periodic review (overdue flagged), and the versions it superseded.
 */
export const listDocumentsUseCase = defineUseCase({
  name: 'document.list',
  summary: 'The document register: versions in force, effective dates, periodic reviews due, superseded versions.',
  kind: 'read',
  what: 'document register',
  input: ListDocumentsInputSchema,
  output: ListDocumentsOutputSchema,
  permission: 'product.read',
  http: { method: 'GET', path: '/api/v1/products/:productKey/documents' },
  run: (ctx, input) =>
    ctx.deps.store.read(async (r) => {
      const today = ctx.deps.clock.now().slice(0, 10);
      const product = await getProduct(r, input.productKey);
      const docs = await listDocuments(r, product);
      const effectivities = await r.listEffectivities(product.id);
      const reviews = await r.listDocumentReviews(product.id);
      const documents: DocumentRegisterRow[] = [];
      for (const d of docs) {
        const mine = effectivities.filter((e) => e.recordId === d.id);
        const current = versionInForce(mine);
        const latest = await r.findRevision(d.id, d.latestRevision);
        const inForceRev = current === undefined ? undefined : await r.findRevision(d.id, current.revision);
        const fields = (inForceRev ?? latest)?.fields ?? {};
        const lastReview = current === undefined ? undefined : reviews.filter((v) => v.recordId === d.id && v.revision === current.revision).sort((a, b) => (a.reviewedOn < b.reviewedOn ? 1 : -1))[0];
        const interval = typeof fields['reviewIntervalMonths'] === 'number' ? fields['reviewIntervalMonths'] : null;
        const due = current === undefined ? null : nextReviewDue(current.effectiveOn, lastReview?.reviewedOn ?? null, interval);
        const obsolete = d.status === 'obsolete';
        documents.push({
          document: recordKey(d.type, d.number),
          number: typeof fields['number'] === 'string' ? fields['number'] : null,
          title: d.title,
          status: d.status,
          obsolete,
          version: current?.version ?? null,
          revision: current?.revision ?? null,
          effectiveOn: current?.effectiveOn ?? null,
          lastReviewedOn: lastReview?.reviewedOn ?? null,
          nextReviewDue: due,
          overdue: !obsolete && due !== null && due < today,
          superseded: mine
            .filter((e) => e.id !== current?.id)
            .sort((a, b) => b.id - a.id)
            .map((e) => ({ version: e.version, revision: e.revision, effectiveOn: e.effectiveOn })),
        });
      }
      return { today, documents };
    }),
});
