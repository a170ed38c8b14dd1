import { z } from 'zod';
import { appendAudit } from '../../core/audit-trail.js';
import { RuleSettingSchema, type RuleSetting } from '../../core/entities.js';
import { invalidInput } from '../../core/errors.js';
import { ProductKeySchema } from '../../core/entities.js';
import { getProduct } from '../../core/lookups.js';
import type { Deps } from '../../core/ports.js';
import { CONFIGURABLE_GATE_RULES } from '../../core/evidence/release-gate.js';
import { SeveritySchema, type RulePack } from '../../core/rules/rule-pack.js';
import { parseInput, storableText } from '../../core/validation.js';
import { productPacks } from '../services/rule-packs.js';
import { defineUseCase } from '../use-case.js';

export const ConfigureRuleInputSchema = z.strictObject({
  productKey: ProductKeySchema,
  ruleId: z.string().min(1),
  /** `disable` takes the rule out of the product's checks; `enable` restores it; `severity` changes its severity. */
  action: z.enum(['disable', 'enable', 'severity']),
  severity: SeveritySchema.optional(),
  /** Why: required, because a disabled rule is a decision an auditor will ask about. */
  justification: storableText().trim().min(10, 'write a justification of at least 10 characters').max(4000).optional(),
});
export type ConfigureRuleInput = z.input<typeof ConfigureRuleInputSchema>;

/**
 * Disables, re-enables or re-grades one rule for a product, with a recorded justification (audit-trailed).
 * @param builtinPacks - the shipped packs, to check the rule exists
 * @throws AppError INVALID_INPUT for an unknown rule, a missing severity or justification
 */
export async function configureRule(deps: Deps, input: ConfigureRuleInput, builtinPacks: readonly RulePack[]): Promise<RuleSetting> {
  const i = parseInput(ConfigureRuleInputSchema, input, 'rule setting');
  if (i.action === 'severity' && i.severity === undefined) throw invalidInput('give the new severity: error, warning or info', { field: 'severity' });
  return deps.store.write(async (w) => {
    const product = await getProduct(w, i.productKey);
    const own = await productPacks(w, product.id, deps.catalog);
    // A pack rule, or one of the release gate's rules a product may configure.
    const rule = [...builtinPacks, ...own].flatMap((p) => p.rules).find((r) => r.id === i.ruleId) ?? CONFIGURABLE_GATE_RULES.get(i.ruleId);
    if (rule === undefined) throw invalidInput(`unknown rule ${i.ruleId}; \`dossier rules list\` shows the rules`, { field: 'ruleId', item: i.ruleId });
    // Checked after the rule, so a mistyped rule ID is named first.
    const justification = i.justification;
    if (justification === undefined) {
      throw invalidInput(`give a justification for ${i.action === 'severity' ? 're-grading' : i.action === 'disable' ? 'disabling' : 'enabling'} ${i.ruleId} (--justification): an auditor will ask why`, { field: 'justification', item: i.ruleId });
    }
    const before = (await w.listRuleSettings(product.id)).find((s) => s.ruleId === i.ruleId);
    const at = deps.clock.now();
    const setting: RuleSetting = {
      productId: product.id,
      ruleId: i.ruleId,
      enabled: i.action !== 'disable',
      severity: i.action === 'severity' ? (i.severity ?? null) : i.action === 'enable' ? null : (before?.severity ?? null),
      justification,
      updatedAt: at,
      updatedBy: deps.actor.id,
    };
    await w.putRuleSetting(setting);
    const state = (s: RuleSetting | undefined): Record<string, unknown> => ({
      enabled: s?.enabled ?? true,
      severity: s?.severity ?? rule.severity,
    });
    await appendAudit(w, deps, at, [
      {
        action: i.action === 'disable' ? 'RULE_DISABLED' : i.action === 'enable' ? 'RULE_ENABLED' : 'RULE_SEVERITY_SET',
        entityType: 'rule',
        entityId: `${product.key}/rule/${i.ruleId}`,
        productKey: product.key,
        oldValue: state(before),
        newValue: state(setting),
        reason: justification,
      },
    ]);
    return setting;
  });
}

/** `rule.configure`: disable, enable or re-grade a rule for a product, with a justification. */
export const configureRuleUseCase = defineUseCase({
  name: 'rule.configure',
  summary: 'Disable, enable or re-grade a rule for a product, with a justification.',
  kind: 'write',
  what: 'rule setting',
  input: ConfigureRuleInputSchema,
  output: RuleSettingSchema,
  permission: 'rule.configure',
  http: { method: 'PUT', path: '/api/v1/products/:productKey/rules/:ruleId' },
  run: ({ deps, services }, input) => configureRule(deps, input, services.builtinPacks()),
});
