import { RECORD_TYPE } from '../catalog/record-type-keys.js';
import { invalidInput, invalidState } from '../errors.js';
import { recordKey, type Product } from '../entities.js';
import type { StoreReader, TraceRecordRow } from '../ports.js';
import { loadRiskPolicy, type CurrentPolicy } from './current-policy.js';
import { checkPolicy, estimateOf, evaluateEstimate, hasEstimate, RiskPolicySchema, type RiskPolicy } from './policy.js';

/**
 * The risk file's own checks on a record write, beyond its type's field schema, inside the write transaction:
 * a risk's estimates must use the levels of the policy in force (and get its revision stamped on them); a policy must
 * be complete and monotone, be the product's only one, and leave every existing estimate valid.
 */

/** What a write of several records needs to know: the policy in force, or the one the same write brings. */
export interface RiskWriteContext {
  policy(): Promise<CurrentPolicy>;
  /** The product's active risk estimates, read once per write. */
  risks(): Promise<TraceRecordRow[]>;
  /** True when the write is `setRiskPolicy`, which re-evaluates every estimate and reports the moves. */
  readonly policyUseCase: boolean;
}

export function riskWriteContext(r: StoreReader, product: Product, pending?: CurrentPolicy, policyUseCase = false): RiskWriteContext {
  let cached: Promise<CurrentPolicy> | undefined = pending === undefined ? undefined : Promise.resolve(pending);
  let risks: Promise<TraceRecordRow[]> | undefined;
  return {
    policy: () => (cached ??= loadRiskPolicy(r, product)),
    risks: () => (risks ??= r.loadTraceRecords(product.id, RECORD_TYPE.RISK).then((rows) => rows.filter((x) => x.status !== 'obsolete'))),
    policyUseCase,
  };
}

/** How to change a policy once estimates depend on it. */
const USE_POLICY_SET = 'change the risk policy with `dossier risk policy set`, which re-evaluates every estimate and reports the zones that move';

/**
 * Checks (and for RISK, stamps) a record's fields before they are written.
 * @param recordId - the record's internal ID when it exists already (an edit)
 * @throws AppError INVALID_INPUT naming the record and field
 */
export async function checkRiskFields(
  r: StoreReader,
  ctx: RiskWriteContext,
  product: Product,
  type: string,
  fields: Record<string, unknown>,
  item: string,
  recordId: number | null,
): Promise<Record<string, unknown>> {
  if (type === RECORD_TYPE.RISK) {
    const current = await ctx.policy();
    assertEstimatesFit(current.policy, fields, item);
    return { ...fields, policyRevision: current.revision };
  }
  if (type === RECORD_TYPE.HARM && typeof fields['severity'] === 'string') {
    const problem = harmSeverityProblem((await ctx.policy()).policy, fields);
    if (problem !== null) throw invalidInput(`${item}: ${problem}`, { item, field: 'severity' });
    return fields;
  }
  if (type === RECORD_TYPE.RMP) {
    const policy = RiskPolicySchema.parse(fields);
    assertPolicySound(policy, item);
    const others = (await r.listRecords({ productId: product.id, type: RECORD_TYPE.RMP })).filter((h) => h.status !== 'obsolete' && h.id !== recordId);
    if (others[0] !== undefined) {
      throw invalidInput(`${item}: product ${product.key} already has a risk policy (${others[0].key}); ${USE_POLICY_SET}`, { item, field: 'type' });
    }
    const risks = await ctx.risks();
    if (!ctx.policyUseCase && (recordId !== null || risks.length > 0)) {
      throw invalidInput(`${item} is the risk policy in force: ${USE_POLICY_SET}`, { item, field: 'fields' });
    }
    const broken: string[] = [];
    for (const row of risks) {
      const problem = estimateProblem(policy, row.fields);
      if (problem !== null) broken.push(`${recordKey(row.type, row.number)} ${problem}`);
    }
    // A harm graded with a level the new policy lacks would lose its severity; one never graded by level (free text
    // from before severities were levels) is left to the rule that reports it.
    const current = await ctx.policy();
    for (const row of (await r.loadTraceRecords(product.id, RECORD_TYPE.HARM)).filter((x) => x.status !== 'obsolete')) {
      if (harmSeverityProblem(current.policy, row.fields) !== null) continue;
      const problem = harmSeverityProblem(policy, row.fields);
      if (problem !== null) broken.push(`${recordKey(row.type, row.number)} ${problem}`);
    }
    if (broken.length > 0) {
      throw invalidInput(
        `${item}: the new policy would leave ${broken.length} risk estimate(s) invalid: ${broken.slice(0, 5).join('; ')}${broken.length > 5 ? '; …' : ''}. ` +
          'Re-estimate them with levels the new policy keeps, or keep those levels.',
        { item, field: 'fields' },
      );
    }
  }
  return fields;
}

/**
 * A product always has a risk policy in force once it has one: its record cannot be made obsolete (set a new one).
 * @throws AppError INVALID_STATE
 */
export function assertPolicyKept(type: string, to: string, item: string): void {
  if (type === RECORD_TYPE.RMP && to === 'obsolete') throw invalidState(`${item} is the risk policy in force and cannot be made obsolete; ${USE_POLICY_SET}`, { item });
}

/**
 * @throws AppError INVALID_INPUT with the first problem and its path
 */
export function assertPolicySound(policy: RiskPolicy, item: string): void {
  const problems = checkPolicy(policy);
  const first = problems[0];
  if (first !== undefined) {
    throw invalidInput(`${item}: the risk policy is not usable: ${first.message}${problems.length > 1 ? ` (and ${problems.length - 1} more problem(s))` : ''}`, {
      item,
      field: first.path.join('.'),
    });
  }
}

/** The first problem of a risk's estimates under a policy (which estimate, what, and the field), or null. */
function firstEstimateProblem(policy: RiskPolicy, fields: Readonly<Record<string, unknown>>): { which: string; problem: string; field: string } | null {
  for (const which of ['initial', 'residual'] as const) {
    const e = estimateOf(fields, which);
    if (!hasEstimate(e)) continue;
    const v = evaluateEstimate(policy, e);
    if ('problem' in v) return { which, problem: v.problem, field: which === 'initial' ? v.field : `residual${v.field.charAt(0).toUpperCase()}${v.field.slice(1)}` };
  }
  return null;
}

/** What is wrong with a harm's severity under a policy (not one of its levels), in words, or null. */
export function harmSeverityProblem(policy: RiskPolicy, fields: Readonly<Record<string, unknown>>): string | null {
  const severity = fields['severity'];
  if (typeof severity !== 'string' || policy.severity.some((l) => l.key === severity)) return null;
  return `severity ${severity} is not a level of the risk policy (${policy.severity.map((l) => l.key).join(', ')})`;
}

/** The first problem of a risk's estimates under a policy, in words, or null. */
export function estimateProblem(policy: RiskPolicy, fields: Readonly<Record<string, unknown>>): string | null {
  const p = firstEstimateProblem(policy, fields);
  return p === null ? null : `${p.which} estimate ${p.problem}`;
}

function assertEstimatesFit(policy: RiskPolicy, fields: Readonly<Record<string, unknown>>, item: string): void {
  if (hasEstimate(estimateOf(fields, 'residual')) && !hasEstimate(estimateOf(fields, 'initial'))) {
    throw invalidInput(`${item} has a residual estimate but no initial one: estimate the risk before controls first`, { item, field: 'severity' });
  }
  const p = firstEstimateProblem(policy, fields);
  if (p !== null) throw invalidInput(`${item}: the ${p.which} estimate ${p.problem}`, { item, field: p.field });
}
