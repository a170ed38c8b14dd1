import { z } from 'zod';
import { ProductKeySchema, recordKey } from '../../core/entities.js';
import { getProduct, getRevision } from '../../core/lookups.js';
import { versionInForce } from '../../core/qms/document-control.js';
import { assignTraining, listDocuments, trainingDaysOf, trainingDueOn } from '../services/document-control.js';
import { defineUseCase } from '../use-case.js';

export const SyncTrainingInputSchema = z.strictObject({ productKey: ProductKeySchema });

export const SyncTrainingOutputSchema = z.object({
  assignments: z.array(z.object({ id: z.number().int(), document: z.string(), version: z.string(), username: z.string(), role: z.string().nullable(), dueOn: z.string() })),
});

/**
 * `training.sync`: assigns training on every document version in force to the members of the job roles requiring
 * it who have no assignment on that version yet (a new member of a role, a new link from a role to a document), due
 * the document's `trainingDays` from today (or from the effective date, if later). Each assignment with its
 * TRAINING_ASSIGNED event, all in one transaction.
 */
export const syncTrainingUseCase = defineUseCase({
  name: 'training.sync',
  summary: 'Assign the versions in force to job-role members who lack an assignment (new members, new links).',
  kind: 'write',
  what: 'training sync',
  input: SyncTrainingInputSchema,
  output: SyncTrainingOutputSchema,
  permission: 'document.control',
  http: { method: 'POST', path: '/api/v1/products/:productKey/training/sync' },
  run: (ctx, input) =>
    ctx.deps.store.write(async (w) => {
      const at = ctx.deps.clock.now();
      const product = await getProduct(w, input.productKey);
      const effectivities = await w.listEffectivities(product.id);
      const out: z.infer<typeof SyncTrainingOutputSchema>['assignments'] = [];
      for (const doc of await listDocuments(w, product)) {
        if (doc.status === 'obsolete') continue;
        const current = versionInForce(effectivities.filter((e) => e.recordId === doc.id));
        if (current === undefined) continue;
        const rev = await getRevision(w, product, doc, current.revision);
        const due = trainingDueOn(current.effectiveOn, at.slice(0, 10), trainingDaysOf(rev.fields));
        for (const { row, role } of await assignTraining(w, ctx.deps, product, doc, current, due, at)) {
          out.push({ id: row.id, document: recordKey(doc.type, doc.number), version: row.version, username: row.username, role, dueOn: row.dueOn });
        }
      }
      return { assignments: out };
    }),
});
