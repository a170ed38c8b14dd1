import { z } from 'zod';
import { appendAudit } from '../../core/audit-trail.js';
import { invalidInput, invalidState } from '../../core/errors.js';
import { ProductKeySchema, recordKey } from '../../core/entities.js';
import { getProduct, getRecord, getRevision } from '../../core/lookups.js';
import {
  assignmentEntityId,
  completionEntityId,
  completionEventValue,
  scoreQuiz,
  TrainingMethodSchema,
  versionInForce,
  type TrainingCompletionRow,
} from '../../core/qms/document-control.js';
import { QuizSchema } from '../../core/qms/fields.js';
import { signatureEntityId, signatureEventValue, SignatureViewSchema, toSignatureView, type SignatureRow } from '../../core/signatures/model.js';
import { asSigner, credentialsOf, SignCredentialsShape, withSigner } from '../services/signing.js';
import { requireDocument } from '../services/document-control.js';
import { defineUseCase } from '../use-case.js';

export const CompleteTrainingInputSchema = z.strictObject({
  productKey: ProductKeySchema,
  /** `DOC-3` */
  record: z.string().min(1).max(60),
  /** The version the person read (refused when another is in force). Default: the version in force. */
  version: z.string().min(1).max(20).optional(),
  /** Answers to the document's quiz, one option index per question (a document with a quiz needs them). */
  quizAnswers: z.array(z.number().int().nonnegative()).max(50).optional(),
  ...SignCredentialsShape,
});
export type CompleteTrainingInput = z.input<typeof CompleteTrainingInputSchema>;

export const CompleteTrainingOutputSchema = z.object({
  document: z.string(),
  version: z.string(),
  revision: z.number().int(),
  username: z.string(),
  method: TrainingMethodSchema,
  /** The training is complete (false: a failed quiz, kept, and the assignment stays open). */
  passed: z.boolean(),
  score: z.number().int().nullable(),
  passMark: z.number().int().nullable(),
  /** The signature of a completion ("Read and understood by …"); null for a failed quiz. */
  signature: SignatureViewSchema.nullable(),
});

/**
 * `training.complete` (21 CFR 11.10(i); ISO 13485 6.2): the signed-in person completes their training on the version
 * of a document in force with an electronic signature (re-entering their password) meaning "read and understood",
 * bound to the content hash of the document revision. With a quiz, the answers are scored first: a failed attempt is
 * kept (TRAINING_FAILED) and completes nothing. Refused (nothing changed): no assignment, a superseded version, an
 * assignment already completed.
 * @throws AppError INVALID_STATE for each refusal above; INVALID_INPUT for missing or surplus quiz answers;
 *   UNAUTHENTICATED for wrong credentials
 */
export const completeTrainingUseCase = defineUseCase({
  name: 'training.complete',
  summary: 'Complete your training on the version of a document in force, signing it as read and understood.',
  kind: 'write',
  what: 'training completion',
  input: CompleteTrainingInputSchema,
  output: CompleteTrainingOutputSchema,
  permission: 'training.complete',
  http: { method: 'POST', path: '/api/v1/products/:productKey/documents/:record/training' },
  run: (ctx, input) =>
    withSigner(
      ctx,
      credentialsOf(input),
      { action: 'training.complete', productKey: input.productKey, items: [`${input.productKey}/${input.record}`], meaning: 'read_and_understood' },
      async (w, signer, at) => {
        const deps = asSigner(ctx.deps, signer);
        const product = await getProduct(w, input.productKey);
        const head = await getRecord(w, product, input.record);
        const item = requireDocument(product, head);
        const username = signer.user.username;
        const current = versionInForce((await w.listEffectivities(product.id)).filter((e) => e.recordId === head.id));
        const mine = (await w.listTrainingAssignments(product.id)).filter((a) => a.recordId === head.id && a.username === username);
        if (current === undefined || mine.length === 0) {
          throw invalidState(`${username} has no training assignment on ${item}${current === undefined ? ' (no version is in force)' : ''}`, { item, field: 'username' });
        }
        if (input.version !== undefined && input.version !== current.version) {
          throw invalidState(`${item} version ${input.version} is superseded: version ${current.version} is in force; train on that one`, { item, field: 'version' });
        }
        const assignment = mine.find((a) => a.revision === current.revision);
        if (assignment === undefined) {
          const old = mine[mine.length - 1];
          throw invalidState(
            `${username}'s assignment on ${item} version ${old?.version ?? '?'} is superseded: version ${current.version} is in force, and ${username} has no assignment on it yet (dossier qms training sync)`,
            { item, field: 'version' },
          );
        }
        const attempts = (await w.listTrainingCompletions(product.id)).filter((c) => c.assignmentId === assignment.id);
        const done = attempts.find((c) => c.passed);
        if (done !== undefined) {
          throw invalidState(`${username} already completed training on ${item} version ${current.version} (${done.completedAt})`, { item, field: 'record' });
        }
        const revision = await getRevision(w, product, head, current.revision);
        const quizField = revision.fields['quiz'];
        const quiz = quizField === undefined ? undefined : QuizSchema.parse(quizField);
        if (quiz === undefined && input.quizAnswers !== undefined) {
          throw invalidInput(`${item} version ${current.version} has no quiz: complete it as read and understood, without answers`, { item, field: 'quizAnswers' });
        }
        if (quiz !== undefined && input.quizAnswers?.length !== quiz.questions.length) {
          throw invalidInput(`${item} version ${current.version} has a quiz of ${quiz.questions.length} questions: give one answer (option number from 0) per question`, {
            item,
            field: 'quizAnswers',
          });
        }
        const result = quiz === undefined ? undefined : scoreQuiz(quiz, input.quizAnswers ?? []);
        const assignmentKey = assignmentEntityId(item, assignment.id);
        const id = await w.nextDocumentControlId('completions');
        let signature: SignatureRow | null = null;
        if (result === undefined || result.passed) {
          signature = {
            id: await w.nextSignatureId(),
            productId: product.id,
            entityType: 'training',
            entityId: assignment.id,
            entityKey: assignmentKey,
            revision: revision.revision,
            // 21 CFR 11.70: the signature binds the exact content of the revision trained on.
            contentHash: revision.hash,
            manifest: null,
            meaning: 'read_and_understood',
            step: 0,
            userId: signer.user.id,
            username,
            printedName: signer.user.printedName,
            signedAt: at,
            method: signer.method,
          };
          await w.insertSignatures([signature]);
        }
        const row: TrainingCompletionRow = {
          id,
          assignmentId: assignment.id,
          method: quiz === undefined ? 'read_and_understood' : 'quiz',
          score: result?.score ?? null,
          passMark: result?.passMark ?? null,
          passed: result === undefined || result.passed,
          signatureId: signature?.id ?? null,
          completedAt: at,
        };
        await w.insertTrainingCompletions([row]);
        await appendAudit(w, deps, at, [
          ...(signature === null
            ? []
            : [
                {
                  action: 'SIGNATURE_APPLIED' as const,
                  entityType: 'signature' as const,
                  entityId: signatureEntityId(signature.entityKey, signature.id),
                  productKey: product.key,
                  newValue: signatureEventValue(signature),
                },
              ]),
          {
            action: row.passed ? ('TRAINING_COMPLETED' as const) : ('TRAINING_FAILED' as const),
            entityType: 'training' as const,
            entityId: completionEntityId(assignmentKey, row.id),
            productKey: product.key,
            newValue: completionEventValue(row, { productKey: product.key, recordKey: item, assignmentKey }),
          },
        ]);
        return {
          document: recordKey(head.type, head.number),
          version: current.version,
          revision: current.revision,
          username,
          method: row.method,
          passed: row.passed,
          score: row.score,
          passMark: row.passMark,
          signature: signature === null ? null : toSignatureView(signature, signature.revision),
        };
      },
    ),
});
