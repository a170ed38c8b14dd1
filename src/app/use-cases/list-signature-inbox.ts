import { z } from 'zod';
import { forbidden, invalidInput, notFound } from '../../core/errors.js';
import { qualifiedKey, recordKey, TimestampSchema } from '../../core/entities.js';
import { UsernameSchema } from '../../core/identity/model.js';
import type { StoreReader } from '../../core/ports.js';
import { SignatureMeaningSchema, workflowFor, type Workflow } from '../../core/signatures/model.js';
import type { SignatureStep } from '../../core/signatures/ports.js';
import { nextStep, signingRefusal, type Signer } from '../../core/signatures/workflow.js';
import { heldGrants } from '../services/identity.js';
import { defineUseCase } from '../use-case.js';

export const InboxItemSchema = z.object({
  productKey: z.string(),
  /** `RPM/SRS-12`. */
  record: z.string(),
  /** `SRS-12`. */
  key: z.string(),
  title: z.string(),
  /** The revision waiting for the signature (what `record sign` must name). */
  revision: z.number().int(),
  /** The meaning of the workflow step the user may sign now. */
  meaning: SignatureMeaningSchema,
  /** The step (0-based) and how many the workflow has. */
  step: z.number().int(),
  steps: z.number().int(),
  /** Who wrote the waiting revision. */
  author: z.string(),
  /** Since when the record has waited (its last change: the revision or the move into review). */
  since: TimestampSchema,
});
export type InboxItem = z.infer<typeof InboxItemSchema>;

export const SignatureInboxSchema = z.object({
  username: z.string(),
  count: z.number().int(),
  items: z.array(InboxItemSchema),
});
export type SignatureInbox = z.infer<typeof SignatureInboxSchema>;

export const SignatureInboxInputSchema = z.strictObject({
  /** Whose inbox: yourself when signed in; the local operator of a store names the user. */
  username: UsernameSchema.optional(),
});

/**
 * Every record in review, on every product where the user holds a role, whose next workflow step the user may sign
 * now (not the author where the step forbids it, not signed already, holding the step's role). Three queries per
 * product, none per record: the pending records, the signatures on them, the product's workflows.
 * @throws AppError NOT_FOUND for an unknown user
 */
export async function signatureInbox(r: StoreReader, username: string): Promise<SignatureInbox> {
  const user = await r.findUser(username);
  if (user === undefined) throw notFound(`user ${username} does not exist`, { field: 'username', item: username });
  if (user.deactivatedAt !== null) return { username, count: 0, items: [] };
  const grants = heldGrants(await r.listRoleGrants(user.id));
  const signer: Signer = { userId: user.id, username: user.username, grants };
  const everywhere = grants.some((g) => g.productKey === '*');
  const products = (await r.listProducts()).filter((p) => everywhere || grants.some((g) => g.productKey === p.key));
  const items: InboxItem[] = [];
  for (const product of products) {
    const pending = await r.listPendingRecords(product.id);
    if (pending.length === 0) continue;
    const byRecord = new Map<number, SignatureStep[]>();
    for (const s of await r.listPendingSignatures(product.id)) {
      const list = byRecord.get(s.entityId);
      if (list === undefined) byRecord.set(s.entityId, [s]);
      else list.push(s);
    }
    const workflows = await r.listWorkflows(product.id);
    const byType = new Map<string, Workflow>();
    for (const p of pending) {
      let workflow = byType.get(p.type);
      if (workflow === undefined) byType.set(p.type, (workflow = workflowFor(workflows, product.id, p.type)));
      const signatures = byRecord.get(p.recordId) ?? [];
      const at = nextStep(workflow, signatures);
      const step = at === undefined ? undefined : workflow.steps[at];
      if (at === undefined || step === undefined) continue;
      const record = qualifiedKey(product.key, p.type, p.number);
      if (signingRefusal(workflow, { item: record, productKey: product.key, author: p.author, signatures }, signer, step.meaning) !== undefined) continue;
      items.push({
        productKey: product.key,
        record,
        key: recordKey(p.type, p.number),
        title: p.title,
        revision: p.revision,
        meaning: step.meaning,
        step: at,
        steps: workflow.steps.length,
        author: p.author,
        since: p.updatedAt,
      });
    }
  }
  return { username, count: items.length, items };
}

/** `signature.inbox`: what a user may sign now (GET /api/v1/inbox). */
export const listSignatureInboxUseCase = defineUseCase({
  name: 'signature.inbox',
  summary: 'List the records waiting for your signature: in review, with the next step of their workflow yours to sign.',
  kind: 'read',
  what: 'inbox query',
  input: SignatureInboxInputSchema,
  output: SignatureInboxSchema,
  permission: 'signed-in',
  product: () => undefined,
  http: { method: 'GET', path: '/api/v1/inbox' },
  run: ({ deps, principal }, input) => {
    let username = input.username;
    if (principal.kind === 'local') {
      if (username === undefined) throw invalidInput('name the user whose inbox to show (--user)', { field: 'username' });
    } else {
      if (username !== undefined && username !== principal.id) {
        throw forbidden(`you are signed in as ${principal.id}; you can see only your own inbox`, { field: 'username' });
      }
      username = principal.id;
    }
    const who = username;
    return deps.store.read((r) => signatureInbox(r, who));
  },
});
