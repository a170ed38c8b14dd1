import { z } from 'zod';
import { RECORD_TYPE } from '../../core/catalog/record-type-keys.js';
import { ProductKeySchema, recordKey } from '../../core/entities.js';
import { getProduct } from '../../core/lookups.js';
import { loadTrainingPicture } from '../services/document-control.js';
import { defineUseCase } from '../use-case.js';
import { trainingEntry, TrainingEntrySchema } from '../services/training-views.js';

export const GetTrainingRecordInputSchema = z.strictObject({ productKey: ProductKeySchema, username: z.string().trim().min(1).max(100) });

export const TrainingRecordOutputSchema = z.object({
  username: z.string(),
  /** Job roles the person holds now. */
  roles: z.array(z.string()),
  assignments: z.array(TrainingEntrySchema),
  /** QUAL records of the person: education, qualifications, certificates (a lapsed one is flagged). */
  competence: z.array(
    z.object({ record: z.string(), title: z.string(), kind: z.string().nullable(), obtainedOn: z.string().nullable(), validUntil: z.string().nullable(), lapsed: z.boolean() }),
  ),
});

/** `training.person` (ISO 13485 6.2 e): one person's training record: assignments, signed completions, competence. */
export const getTrainingRecordUseCase = defineUseCase({
  name: 'training.person',
  summary: 'A person’s training record: assignments, signed completions and competence records.',
  kind: 'read',
  what: 'training record',
  input: GetTrainingRecordInputSchema,
  output: TrainingRecordOutputSchema,
  permission: 'product.read',
  http: { method: 'GET', path: '/api/v1/products/:productKey/training/people/:username' },
  run: (ctx, input) =>
    ctx.deps.store.read(async (r) => {
      const today = ctx.deps.clock.now().slice(0, 10);
      const product = await getProduct(r, input.productKey);
      const p = await loadTrainingPicture(r, product, today);
      const competence = [];
      for (const q of await r.listRecords({ productId: product.id, type: RECORD_TYPE.QUAL })) {
        const f = (await r.findRevision(q.id, q.latestRevision))?.fields ?? {};
        if (f['person'] !== input.username || q.status === 'obsolete') continue;
        const str = (k: string): string | null => (typeof f[k] === 'string' ? f[k] : null);
        const validUntil = str('validUntil');
        competence.push({ record: recordKey(q.type, q.number), title: q.title, kind: str('kind'), obtainedOn: str('obtainedOn'), validUntil, lapsed: validUntil !== null && validUntil < today });
      }
      return {
        username: input.username,
        roles: p.roles.filter((role) => role.members.includes(input.username)).map((role) => role.role),
        assignments: p.states.filter((s) => s.assignment.username === input.username).map((s) => trainingEntry(p, s)),
        competence,
      };
    }),
});
