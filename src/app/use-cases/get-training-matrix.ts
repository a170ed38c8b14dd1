import { z } from 'zod';
import { ProductKeySchema } from '../../core/entities.js';
import { getProduct } from '../../core/lookups.js';
import { documentKeyOf, loadTrainingPicture } from '../services/document-control.js';
import { defineUseCase } from '../use-case.js';

export const GetTrainingMatrixInputSchema = z.strictObject({ productKey: ProductKeySchema });

export const TrainingMatrixOutputSchema = z.object({
  today: z.string(),
  roles: z.array(
    z.object({
      role: z.string(),
      title: z.string(),
      members: z.array(z.string()),
      documents: z.array(
        z.object({
          document: z.string(),
          /** The version in force, or null (none yet). */
          version: z.string().nullable(),
          people: z.array(z.object({ username: z.string(), status: z.enum(['completed', 'open', 'overdue', 'unassigned']), dueOn: z.string().nullable(), completedAt: z.string().nullable() })),
        }),
      ),
    }),
  ),
});

/**
 * `training.matrix` (ISO 13485 6.2): job roles × the documents each requires training on, with each member's
 * status on the version in force (completed, open, overdue, or unassigned: run `training.sync`).
 */
export const getTrainingMatrixUseCase = defineUseCase({
  name: 'training.matrix',
  summary: 'The training matrix: job roles by documents in force, with each member’s training status.',
  kind: 'read',
  what: 'training matrix',
  input: GetTrainingMatrixInputSchema,
  output: TrainingMatrixOutputSchema,
  permission: 'product.read',
  http: { method: 'GET', path: '/api/v1/products/:productKey/training/matrix' },
  run: (ctx, input) =>
    ctx.deps.store.read(async (r) => {
      const today = ctx.deps.clock.now().slice(0, 10);
      const p = await loadTrainingPicture(r, await getProduct(r, input.productKey), today, false);
      // One pass over the assignments: each cell of the matrix is then a lookup, not a scan.
      const byCell = new Map(p.states.map((x) => [`${x.assignment.recordId}@${x.assignment.revision}:${x.assignment.username}`, x]));
      return {
        today,
        roles: p.roles.map((role) => ({
          role: role.role,
          title: role.title,
          members: [...role.members],
          documents: role.documents
            .filter((id) => p.documents.has(id))
            .map((id) => {
              const cur = p.inForce.get(id);
              return {
                document: documentKeyOf(p, id),
                version: cur?.version ?? null,
                people: role.members.map((username) => {
                  const s = cur === undefined ? undefined : byCell.get(`${id}@${cur.revision}:${username}`);
                  const status = s === undefined ? ('unassigned' as const) : s.status === 'superseded' ? ('unassigned' as const) : s.status;
                  return { username, status, dueOn: s?.assignment.dueOn ?? null, completedAt: s?.completion?.completedAt ?? null };
                }),
              };
            }),
        })),
      };
    }),
});
