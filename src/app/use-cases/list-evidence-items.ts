import { z } from 'zod';
import { ProductKeySchema, recordKey } from '../../core/entities.js';
import { notFound } from '../../core/errors.js';
import { EvidenceItemKindSchema, EvidenceRoleSchema } from '../../core/evidence/model.js';
import { getProduct } from '../../core/lookups.js';
import type { Deps } from '../../core/ports.js';
import { parseInput } from '../../core/validation.js';
import { defineUseCase } from '../use-case.js';

/** Most items one call returns (a larger import is read in pages with `afterId`). */
export const MAX_EVIDENCE_ITEMS = 5000;

export const ListEvidenceItemsInputSchema = z.strictObject({
  productKey: ProductKeySchema,
  /** Only the items of this import (a test run, a commit range, an SBOM …), by import ID. */
  importId: z.coerce.number().int().positive().optional(),
  /** Only items of this kind (`test_result`, `commit`, `review`, `component`, `advisory`). */
  kind: EvidenceItemKindSchema.optional(),
  /** Items after this item ID (the next page). */
  afterId: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(MAX_EVIDENCE_ITEMS).default(1000),
});

/** One evidence item as a reader sees it: its record references by key (`TC-3`), not by storage ID. */
export const EvidenceItemViewSchema = z.object({
  id: z.number().int(),
  importId: z.number().int(),
  kind: EvidenceItemKindSchema,
  key: z.string(),
  outcome: z.string().nullable(),
  data: z.record(z.string(), z.unknown()),
  refs: z.array(z.object({ record: z.string(), role: EvidenceRoleSchema })),
});
export type EvidenceItemView = z.infer<typeof EvidenceItemViewSchema>;

export const EvidenceItemPageSchema = z.object({
  items: z.array(EvidenceItemViewSchema),
  /** The `afterId` of the next page; null after the last. */
  nextAfterId: z.number().int().nullable(),
});
export type EvidenceItemPage = z.infer<typeof EvidenceItemPageSchema>;

/**
 * A product's evidence items in ID order (test results, commits, reviews, SBOM components, advisories), optionally
 * of one import or one kind, a page at a time, each with the records it references by key.
 * @throws AppError NOT_FOUND for the product or an import of another product
 */
export async function listEvidenceItems(deps: Pick<Deps, 'store'>, input: z.input<typeof ListEvidenceItemsInputSchema>): Promise<EvidenceItemPage> {
  const i = parseInput(ListEvidenceItemsInputSchema, input, 'evidence items');
  return deps.store.read(async (r) => {
    const product = await getProduct(r, i.productKey);
    if (i.importId !== undefined && (await r.findEvidenceImportById(product.id, i.importId)) === undefined) {
      throw notFound(`evidence import ${i.importId} of ${product.key} does not exist`, { item: String(i.importId), field: 'importId' });
    }
    const all = await r.listEvidenceItems({
      productId: product.id,
      ...(i.importId === undefined ? {} : { importIds: [i.importId] }),
      ...(i.kind === undefined ? {} : { kind: i.kind }),
    });
    const after = all.filter((it) => it.id > i.afterId);
    const page = after.slice(0, i.limit);
    const keys = new Map<number, string>();
    if (page.some((it) => it.refs.length > 0)) for (const rec of await r.loadTraceRecords(product.id)) keys.set(rec.id, recordKey(rec.type, rec.number));
    return {
      items: page.map((it) => ({
        id: it.id,
        importId: it.importId,
        kind: it.kind,
        key: it.key,
        outcome: it.outcome,
        data: { ...it.data },
        refs: it.refs.map((ref) => ({ record: keys.get(ref.recordId) ?? `#${ref.recordId}`, role: ref.role })),
      })),
      nextAfterId: after.length > page.length ? (page.at(-1)?.id ?? null) : null,
    };
  });
}

export const listEvidenceItemsUseCase = defineUseCase({
  name: 'evidence.items',
  summary: "List a product's evidence items (test results, commits, reviews, components, advisories), a page at a time.",
  kind: 'read',
  what: 'evidence items',
  input: ListEvidenceItemsInputSchema,
  output: EvidenceItemPageSchema,
  permission: 'product.read',
  http: { method: 'GET', path: '/api/v1/products/:productKey/evidence/items' },
  run: ({ deps }, input) => listEvidenceItems(deps, input),
});
