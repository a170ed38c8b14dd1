import { z } from 'zod';
import { invalidState } from '../../core/errors.js';
import { ProductKeySchema, recordKey } from '../../core/entities.js';
import { getProduct, getRecord } from '../../core/lookups.js';
import { loadTrainingPicture, requireDocument } from '../services/document-control.js';
import { defineUseCase } from '../use-case.js';
import { trainingEntry, TrainingEntrySchema } from '../services/training-views.js';

export const GetTrainingStatusInputSchema = z.strictObject({
  productKey: ProductKeySchema,
  record: z.string().min(1).max(60),
  /** A version made effective (default: the version in force). */
  version: z.string().min(1).max(20).optional(),
});

export const TrainingStatusOutputSchema = z.object({
  document: z.string(),
  version: z.string(),
  inForce: z.boolean(),
  trained: z.array(z.string()),
  people: z.array(TrainingEntrySchema),
});

/** `training.status`: who is trained on a version of a document (default: the one in force), and who is not yet. */
export const getTrainingStatusUseCase = defineUseCase({
  name: 'training.status',
  summary: 'Who is trained on a version of a controlled document (default: the version in force).',
  kind: 'read',
  what: 'training status',
  input: GetTrainingStatusInputSchema,
  output: TrainingStatusOutputSchema,
  permission: 'product.read',
  http: { method: 'GET', path: '/api/v1/products/:productKey/documents/:record/training' },
  run: (ctx, input) =>
    ctx.deps.store.read(async (r) => {
      const today = ctx.deps.clock.now().slice(0, 10);
      const product = await getProduct(r, input.productKey);
      const head = await getRecord(r, product, input.record);
      const item = requireDocument(product, head);
      const p = await loadTrainingPicture(r, product, today);
      const current = p.inForce.get(head.id);
      const version = input.version ?? current?.version;
      if (version === undefined) throw invalidState(`${item} has no version in force`, { item, field: 'record' });
      const people = p.states.filter((s) => s.assignment.recordId === head.id && s.assignment.version === version).map((s) => trainingEntry(p, s));
      return {
        document: recordKey(head.type, head.number),
        version,
        inForce: current?.version === version,
        trained: people.filter((e) => e.status === 'completed').map((e) => e.username),
        people,
      };
    }),
});
