import { z } from 'zod';
import { ProductKeySchema, TimestampSchema } from '../../core/entities.js';
import type { Catalog } from '../../core/catalog/catalog.js';
import { getProduct } from '../../core/lookups.js';
import { RELEASE_SUBJECT, workflowFor, WorkflowSchema } from '../../core/signatures/model.js';
import { defineUseCase } from '../use-case.js';

/** A workflow in force for one subject: configured on the product, or the default. */
export const WorkflowInForceSchema = z.object({
  /** A record type key (`SRS`) or `release`. */
  subject: z.string(),
  workflow: WorkflowSchema,
  /** False when the product has configured none for the subject and the default applies. */
  configured: z.boolean(),
  updatedAt: TimestampSchema.nullable(),
  updatedBy: z.string().nullable(),
});
export type WorkflowInForce = z.infer<typeof WorkflowInForceSchema>;

export const ProductWorkflowsSchema = z.object({ productKey: z.string(), workflows: z.array(WorkflowInForceSchema) });

/** Every subject a workflow can be set for: the catalog's record types, then releases. */
export const subjectsOf = (catalog: Catalog): string[] => [...catalog.recordTypes.keys(), RELEASE_SUBJECT];

/** `workflow.show`: the approval workflow in force for each record type and for releases (11.10(f)). */
export const showWorkflowsUseCase = defineUseCase({
  name: 'workflow.show',
  summary: 'Show the approval workflow (required signatures, in order) in force for each record type and for releases.',
  kind: 'read',
  what: 'workflow query',
  input: z.strictObject({ productKey: ProductKeySchema }),
  output: ProductWorkflowsSchema,
  permission: 'product.read',
  http: { method: 'GET', path: '/api/v1/products/:productKey/workflows' },
  run: ({ deps }, input) =>
    deps.store.read(async (r) => {
      const product = await getProduct(r, input.productKey);
      const rows = await r.listWorkflows(product.id);
      return {
        productKey: product.key,
        workflows: subjectsOf(deps.catalog).map((subject) => {
          const row = rows.find((w) => w.subject === subject);
          return {
            subject,
            workflow: workflowFor(rows, product.id, subject),
            configured: row !== undefined,
            updatedAt: row?.updatedAt ?? null,
            updatedBy: row?.updatedBy ?? null,
          };
        }),
      };
    }),
});

