import type { RoleGrant } from '../access/permissions.js';
import { forbidden, invalidState } from '../errors.js';
import { meaningText, signatureTimeText, type SignatureMeaning, type SignatureRow, type Workflow } from './model.js';
import type { SignatureStep } from './ports.js';

/** Who wants to sign. */
export interface Signer {
  readonly userId: number;
  readonly username: string;
  readonly grants: readonly RoleGrant[];
}

/** What is to be signed, with the signatures it already carries. */
export interface SigningTarget {
  /** `RPM/SRS-12` or `RPM 1.2.0`, for messages. */
  readonly item: string;
  readonly productKey: string;
  /** The signed revision's author (the actor who wrote it); null for a release. */
  readonly author: string | null;
  /** Signatures already on this very revision (or baseline). */
  readonly signatures: readonly Pick<SignatureStep, 'step' | 'userId' | 'meaning' | 'signedAt'>[];
}

/** The first step of the workflow the signatures on this revision do not yet fulfil; undefined when complete. */
export function nextStep(workflow: Workflow, signatures: readonly Pick<SignatureRow, 'step'>[]): number | undefined {
  for (let i = 0; i < workflow.steps.length; i++) if (!signatures.some((s) => s.step === i)) return i;
  return undefined;
}

/** True when every step of the workflow is signed. */
export function isComplete(workflow: Workflow, signatures: readonly Pick<SignatureRow, 'step'>[]): boolean {
  return nextStep(workflow, signatures) === undefined;
}

/** The steps still to sign, in words: `reviewed (reviewer or quality), then approved (approver)`. */
export function describeSteps(workflow: Workflow, from: number): string {
  return workflow.steps
    .slice(from)
    .map((s) => `${s.meaning} (by ${s.roles.join(' or ')})`)
    .join(', then ');
}

/** True when the grants hold one of the roles on the product (or on every product). */
export function holdsRole(grants: readonly RoleGrant[], roles: readonly string[], productKey: string): boolean {
  return grants.some((g) => (g.productKey === '*' || g.productKey === productKey) && roles.includes(g.role));
}

/**
 * Why the signer may not sign the target's next step with this meaning, or undefined when they may. Pure, for the
 * inbox (which lists only what a user may sign) and for `checkSigning`.
 */
export function signingRefusal(
  workflow: Workflow,
  target: SigningTarget,
  signer: Signer,
  meaning: SignatureMeaning,
): { readonly code: 'INVALID_STATE' | 'FORBIDDEN'; readonly message: string } | undefined {
  const at = nextStep(workflow, target.signatures);
  const mine = target.signatures.find((s) => s.userId === signer.userId && s.meaning === meaning);
  if (mine !== undefined) {
    return {
      code: 'INVALID_STATE',
      message: `${target.item} is already signed as ${meaning} by ${signer.username} on ${signatureTimeText(mine.signedAt)}; a signature is given once`,
    };
  }
  if (at === undefined) {
    return { code: 'INVALID_STATE', message: `${target.item} already carries every signature its workflow asks for` };
  }
  const step = workflow.steps[at];
  if (step === undefined) return { code: 'INVALID_STATE', message: `${target.item}: workflow step ${at} is missing` };
  if (step.meaning !== meaning) {
    const later = workflow.steps.findIndex((s, i) => i > at && s.meaning === meaning);
    const known = workflow.steps.some((s) => s.meaning === meaning);
    return {
      code: 'INVALID_STATE',
      message: known && later !== -1
        ? `${target.item} cannot be signed as ${meaning} yet: it first needs ${describeSteps(workflow, at).split(', then ')[0] ?? ''}; the order is ${describeSteps(workflow, 0)}`
        : `${target.item} has no ${meaning} step waiting; its workflow asks for ${describeSteps(workflow, at)}`,
    };
  }
  if (!holdsRole(signer.grants, step.roles, target.productKey)) {
    return {
      code: 'FORBIDDEN',
      message: `${signer.username} may not sign ${target.item} as ${meaning}: that step needs the role ${step.roles.join(' or ')} on ${target.productKey}`,
    };
  }
  if (step.notAuthor && target.author === signer.username) {
    return { code: 'FORBIDDEN', message: `${signer.username} wrote this revision of ${target.item} and may not sign it as ${meaning}: nobody ${meaning === 'approved' ? 'approves' : 'signs off'} their own work` };
  }
  if (workflow.distinctSigners) {
    const other = target.signatures.find((s) => s.userId === signer.userId);
    if (other !== undefined) {
      return {
        code: 'FORBIDDEN',
        message: `${signer.username} already signed ${target.item} as ${meaningText(other.meaning).toLowerCase()}; its workflow asks for a different person for ${meaning}`,
      };
    }
  }
  return undefined;
}

/**
 * The workflow step the signer fulfils by signing the target with this meaning.
 * @throws AppError INVALID_STATE out of order, already signed, or nothing waiting; FORBIDDEN for a signer without the
 *   step's role, the author where the step forbids it, or a signer of another step where signers must differ
 */
export function checkSigning(workflow: Workflow, target: SigningTarget, signer: Signer, meaning: SignatureMeaning): number {
  const refusal = signingRefusal(workflow, target, signer, meaning);
  if (refusal !== undefined) {
    const details = { item: target.item, meaning };
    throw refusal.code === 'FORBIDDEN' ? forbidden(refusal.message, details) : invalidState(refusal.message, details);
  }
  return nextStep(workflow, target.signatures) ?? 0;
}
