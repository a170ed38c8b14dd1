import type { z } from 'zod';
import { appendAudit } from '../core/audit-trail.js';
import { AppError, forbidden, isAppError, unauthenticated } from '../core/errors.js';
import { grants, type Permission } from '../core/access/permissions.js';
import type { Principal } from '../core/access/principal.js';
import { parseInput } from '../core/validation.js';
import type { AnyUseCase, UseCase, UseCaseContext } from './use-case.js';

/** Options of one execution. */
export interface ExecuteOptions {
  /** Parse the output against the use-case's output schema too (tests and the API's development mode). */
  readonly checkOutput?: boolean;
}

/**
 * Runs one use-case for one principal: parses the raw input (INVALID_INPUT naming the field), checks the permission
 * (UNAUTHENTICATED for nobody, FORBIDDEN with an ACCESS_DENIED audit event for a principal without it), then runs
 * it. Every adapter calls use-cases through here and nowhere else.
 * @throws AppError as the use-case, and INVALID_INPUT, UNAUTHENTICATED, FORBIDDEN
 */
export async function execute<I extends z.ZodType, O extends z.ZodType>(
  uc: UseCase<I, O>,
  ctx: UseCaseContext,
  raw: unknown,
  options: ExecuteOptions = {},
): Promise<z.output<O>> {
  const input = parseInput(uc.input, raw, uc.what);
  await authorize(uc, ctx, input);
  const context: UseCaseContext = ctx.deps.actor.id === ctx.principal.id ? ctx : { ...ctx, deps: { ...ctx.deps, actor: { id: ctx.principal.id } } };
  let output: z.output<O>;
  try {
    output = await uc.run(context, input);
  } catch (e) {
    // A use-case may refuse for a reason of its own (a token beyond its creator's rights): kept in the trail too.
    if (isAppError(e, 'FORBIDDEN') && ctx.principal.kind !== 'anonymous') {
      const permission = typeof e.details['permission'] === 'string' ? e.details['permission'] : permissionFor(uc, input);
      await recordRefusal(ctx, uc, permission, productFor(uc, input) ?? null);
    }
    throw e;
  }
  if (options.checkOutput === true) {
    const r = uc.output.safeParse(output);
    if (!r.success) throw new AppError('INTERNAL', `${uc.name} returned output its schema refuses: ${r.error.message}`);
  }
  return output;
}

/** The permission a use-case needs for this input, or `signed-in` / `public`. */
export function permissionFor(uc: AnyUseCase, input: unknown): Permission | 'signed-in' | 'public' {
  return typeof uc.permission === 'function' ? uc.permission(input) : uc.permission;
}

/** The product a use-case's permission is checked on, for this input. */
export function productFor(uc: AnyUseCase, input: unknown): string | undefined {
  if (uc.product !== undefined) return uc.product(input);
  const key = (input as { productKey?: unknown } | null)?.productKey;
  return typeof key === 'string' ? key.toUpperCase() : undefined;
}

/** True when the principal may run the use-case on this (parsed) input. */
export function isAllowed(uc: AnyUseCase, principal: Principal, input: unknown): boolean {
  const permission = permissionFor(uc, input);
  if (permission === 'public') return true;
  if (principal.kind === 'anonymous') return false;
  if (permission === 'signed-in') return true;
  return grants(principal.grants, permission, productFor(uc, input), principal.scope);
}

async function authorize(uc: AnyUseCase, ctx: UseCaseContext, input: unknown): Promise<void> {
  if (isAllowed(uc, ctx.principal, input)) return;
  const permission = permissionFor(uc, input);
  if (ctx.principal.kind === 'anonymous') {
    throw unauthenticated(`${uc.name} needs a login or an API token`, { permission });
  }
  const productKey = productFor(uc, input) ?? null;
  await recordRefusal(ctx, uc, permission, productKey);
  throw forbidden(
    `${ctx.principal.id} may not ${uc.summary.toLowerCase().replace(/\.$/, '')}: it needs the permission ${permission}` +
      (productKey === null ? '' : ` on ${productKey}`),
    { permission, ...(productKey === null ? {} : { item: productKey }) },
  );
}

/** Keeps a refusal in the audit trail (who tried what, needing which permission), in its own transaction. */
async function recordRefusal(ctx: UseCaseContext, uc: AnyUseCase, permission: string, productKey: string | null): Promise<void> {
  // A refusal is itself a fact an auditor may ask about: it is kept in the trail.
  await ctx.deps.store.write(async (w) => {
    await appendAudit(w, { actor: { id: ctx.principal.id } }, ctx.deps.clock.now(), [
      {
        action: 'ACCESS_DENIED',
        entityType: 'access',
        entityId: uc.name,
        productKey,
        newValue: { useCase: uc.name, permission, principal: ctx.principal.kind },
      },
    ]);
  });
}
