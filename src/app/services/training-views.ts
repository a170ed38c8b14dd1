import { z } from 'zod';
import type { AssignmentState } from '../../core/qms/document-control.js';
import { toSignatureView } from '../../core/signatures/model.js';
import { documentKeyOf, type TrainingPicture } from './document-control.js';

/** One assignment as the training reports show it. */
export const TrainingEntrySchema = z.object({
  id: z.number().int(),
  document: z.string(),
  version: z.string(),
  revision: z.number().int(),
  username: z.string(),
  role: z.string().nullable(),
  assignedOn: z.string(),
  dueOn: z.string(),
  status: z.enum(['completed', 'open', 'overdue', 'superseded']),
  completedAt: z.string().nullable(),
  method: z.string().nullable(),
  score: z.number().int().nullable(),
  failedAttempts: z.number().int(),
  /** The completion's signature as printed ("Read and understood by …"), or null. */
  manifestation: z.string().nullable(),
});
export type TrainingEntry = z.infer<typeof TrainingEntrySchema>;

/** An assignment state as a report entry. */
export function trainingEntry(p: TrainingPicture, s: AssignmentState): TrainingEntry {
  const a = s.assignment;
  const role = p.roles.find((r) => r.roleId === a.roleRecordId)?.role ?? null;
  const sig = s.completion?.signatureId === null || s.completion === null ? undefined : p.signatures.get(s.completion.signatureId);
  return {
    id: a.id,
    document: documentKeyOf(p, a.recordId),
    version: a.version,
    revision: a.revision,
    username: a.username,
    role,
    assignedOn: a.assignedOn,
    dueOn: a.dueOn,
    status: s.status,
    completedAt: s.completion?.completedAt ?? null,
    method: s.completion?.method ?? null,
    score: s.completion?.score ?? null,
    failedAttempts: s.failedAttempts,
    manifestation: sig === undefined ? null : toSignatureView(sig, sig.revision).manifestation,
  };
}
