import { z } from 'zod';
import { generateDocuments } from '../../core/documents/generate.js';
import type { GeneratedDocument } from '../../core/documents/model.js';
import type { BaselineSnapshot } from '../../core/documents/snapshot.js';
import { DocumentIdSchema, templatesInForce } from '../../core/documents/templates.js';
import { ProductKeySchema } from '../../core/entities.js';
import { getProduct } from '../../core/lookups.js';
import type { Deps } from '../../core/ports.js';
import type { RulePack } from '../../core/rules/rule-pack.js';
import { ReleaseVersionSchema } from '../use-cases/create-release.js';
import { loadBaselineSnapshot } from './baseline-snapshot.js';
import { getRelease } from './release-baseline.js';

/** What every generated-documents use-case is asked: a product, a release or now, and a team's templates. */
export const DocumentsInputSchema = z.strictObject({
  productKey: ProductKeySchema,
  /** A release's frozen baseline (the newest baseline of that version); absent: the product's current state. */
  release: ReleaseVersionSchema.optional(),
  /** Only these documents (by ID). */
  only: z.array(DocumentIdSchema).min(1).optional(),
  /** The generation time printed on the documents (ISO 8601 UTC); absent: now. Not part of any content hash. */
  generatedAt: z.iso.datetime().optional(),
  /** A team's templates by document ID (the file name without `.md`): each replaces the shipped one, or adds one. */
  templates: z.record(DocumentIdSchema, z.string().max(1_000_000)).optional(),
  /** Where the team's templates came from, for messages (a folder name). */
  templatesFrom: z.string().max(1000).optional(),
});
export type DocumentsInput = z.output<typeof DocumentsInputSchema>;

/** What the services give the documents use-cases: the shipped rule packs and templates (read by the adapter). */
export interface DocumentSources {
  readonly builtinPacks: readonly RulePack[];
  readonly shippedTemplates: Readonly<Record<string, string>>;
}

/**
 * Reads a baseline in one snapshot and generates its documents.
 * @throws AppError NOT_FOUND for the product or release; INVALID_INPUT for a template that does not parse or an
 *   unknown document ID
 */
export async function generateBaselineDocuments(
  deps: Pick<Deps, 'store' | 'catalog' | 'clock'>,
  sources: DocumentSources,
  i: DocumentsInput,
): Promise<{ snapshot: BaselineSnapshot; documents: GeneratedDocument[]; generatedAt: string }> {
  // Templates first: a team's broken template is refused before the store is read.
  const templates = templatesInForce(sources.shippedTemplates, i.templates, i.templatesFrom);
  const generatedAt = i.generatedAt ?? deps.clock.now();
  const snapshot = await deps.store.read(async (r) => {
    const product = await getProduct(r, i.productKey);
    const release = i.release === undefined ? undefined : await getRelease(r, product, i.release);
    return loadBaselineSnapshot(deps, r, product, release, sources.builtinPacks, generatedAt);
  });
  return { snapshot, documents: generateDocuments(snapshot, templates, generatedAt, i.only), generatedAt };
}
