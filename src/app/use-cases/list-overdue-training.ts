import { z } from 'zod';
import { ProductKeySchema } from '../../core/entities.js';
import { getProduct } from '../../core/lookups.js';
import { loadTrainingPicture } from '../services/document-control.js';
import { defineUseCase } from '../use-case.js';
import { trainingEntry, TrainingEntrySchema } from '../services/training-views.js';

export const ListOverdueTrainingInputSchema = z.strictObject({ productKey: ProductKeySchema });
export const ListOverdueTrainingOutputSchema = z.object({ today: z.string(), overdue: z.array(TrainingEntrySchema) });

/** `training.overdue`: open assignments on versions in force past their due date. */
export const listOverdueTrainingUseCase = defineUseCase({
  name: 'training.overdue',
  summary: 'Training past its due date on the versions in force.',
  kind: 'read',
  what: 'overdue training',
  input: ListOverdueTrainingInputSchema,
  output: ListOverdueTrainingOutputSchema,
  permission: 'product.read',
  http: { method: 'GET', path: '/api/v1/products/:productKey/training/overdue' },
  run: (ctx, input) =>
    ctx.deps.store.read(async (r) => {
      const today = ctx.deps.clock.now().slice(0, 10);
      const p = await loadTrainingPicture(r, await getProduct(r, input.productKey), today);
      return { today, overdue: p.states.filter((s) => s.status === 'overdue').map((s) => trainingEntry(p, s)) };
    }),
});
