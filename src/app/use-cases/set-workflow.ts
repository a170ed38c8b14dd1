import { z } from 'zod';
import { appendAudit } from '../../core/audit-trail.js';
import { invalidInput } from '../../core/errors.js';
import { ProductKeySchema } from '../../core/entities.js';
import type { Catalog } from '../../core/catalog/catalog.js';
import { getProduct } from '../../core/lookups.js';
import {
  RELEASE_SUBJECT,
  workflowDefinition,
  workflowEntityId,
  WorkflowSchema,
  WorkflowStepSchema,
  type Workflow,
} from '../../core/signatures/model.js';
import { ReasonSchema } from '../../core/validation.js';
import { defineUseCase } from '../use-case.js';
import { WorkflowInForceSchema } from './show-workflows.js';

export const SetWorkflowInputSchema = z.strictObject({
  productKey: ProductKeySchema,
  /** A record type of the catalog (`SRS`), or `release`. */
  subject: z.string().min(1).max(40),
  /** The signatures required, in order: a record's last step means `approved`, a release's `released`. */
  steps: z.array(WorkflowStepSchema).min(1).max(8),
  /** One person signs at most one step of the same revision (default true). */
  distinctSigners: z.boolean().default(true),
  /** Why the workflow changes: required, it is part of the audit trail. */
  reason: ReasonSchema,
});
export type SetWorkflowInput = z.input<typeof SetWorkflowInputSchema>;

/**
 * Checks a workflow for its subject: the subject is known and the last step is what completes it.
 * @throws AppError INVALID_INPUT naming the field
 */
export function checkWorkflow(catalog: Catalog, subject: string, w: Workflow): void {
  const isRelease = subject === RELEASE_SUBJECT;
  if (!isRelease && !catalog.recordTypes.has(subject)) {
    throw invalidInput(`unknown workflow subject '${subject}': name a record type (${[...catalog.recordTypes.keys()].join(', ')}) or ${RELEASE_SUBJECT}`, { field: 'subject' });
  }
  const last = w.steps.length - 1;
  const final = isRelease ? 'released' : 'approved';
  if (w.steps[last]?.meaning !== final) {
    throw invalidInput(
      `the last step of ${isRelease ? 'a release' : `a ${subject} record`}'s workflow must mean ${final} (it is what ${isRelease ? 'releases' : 'approves'}); it means ${w.steps[last]?.meaning ?? 'nothing'}`,
      { field: `steps[${last}].meaning` },
    );
  }
  const early = w.steps.findIndex((s, i) => i < last && s.meaning === final);
  if (early !== -1) throw invalidInput(`only the last step may mean ${final}; step ${early + 1} does too`, { field: `steps[${early}].meaning` });
  if (!isRelease) {
    const bad = w.steps.findIndex((s) => s.meaning === 'released');
    if (bad !== -1) throw invalidInput('a record is not released: released is a release step', { field: `steps[${bad}].meaning` });
  }
}

/**
 * `workflow.set`: sets a product's approval workflow for a record type or for releases, as audit-trailed
 * configuration (21 CFR 11.10(f)): the setting and its WORKFLOW_SET event (old and new definition) in one
 * transaction. Signatures already given stay as they are; the new workflow applies to what is signed next.
 * @throws AppError INVALID_INPUT naming the field (unknown subject, a wrong last step); NOT_FOUND for the product
 */
export const setWorkflowUseCase = defineUseCase({
  name: 'workflow.set',
  summary: 'Set the approval workflow (required signatures, in order) of a record type or of releases.',
  kind: 'write',
  what: 'workflow',
  input: SetWorkflowInputSchema,
  output: WorkflowInForceSchema,
  permission: 'workflow.configure',
  http: { method: 'PUT', path: '/api/v1/products/:productKey/workflows/:subject' },
  run: ({ deps }, input) => {
    const workflow: Workflow = WorkflowSchema.parse({ steps: input.steps, distinctSigners: input.distinctSigners });
    checkWorkflow(deps.catalog, input.subject, workflow);
    return deps.store.write(async (w) => {
      const product = await getProduct(w, input.productKey);
      const at = deps.clock.now();
      const before = (await w.listWorkflows(product.id)).find((x) => x.subject === input.subject);
      const definition = workflowDefinition(workflow);
      if (before?.definition === definition) {
        throw invalidInput(`the ${input.subject} workflow of ${product.key} is already this one: nothing to change`, { field: 'steps' });
      }
      await w.putWorkflow({ productId: product.id, subject: input.subject, definition, updatedAt: at, updatedBy: deps.actor.id });
      await appendAudit(w, deps, at, [
        {
          action: 'WORKFLOW_SET',
          entityType: 'workflow',
          entityId: workflowEntityId(product.key, input.subject),
          productKey: product.key,
          ...(before === undefined ? {} : { oldValue: { subject: input.subject, definition: before.definition } }),
          newValue: { subject: input.subject, definition },
          reason: input.reason,
        },
      ]);
      return { subject: input.subject, workflow, configured: true, updatedAt: at, updatedBy: deps.actor.id };
    });
  },
});
