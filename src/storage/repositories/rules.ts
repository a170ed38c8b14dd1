import { z } from 'zod';
import type { ProductRulePack, RuleSetting } from '../../core/entities.js';
import type { RulesReader, RulesWriter } from '../../core/ports.js';
import { entityColumns } from '../entity-columns.js';
import type { ProductRulePackRow, RuleSettingRow } from '../schema.js';
import { Repository } from './repository.js';

const SeverityColumnSchema = z.enum(['error', 'warning', 'info']);

/** A rule setting and its row (enabled as 0/1). */
export const RULE_SETTING_COLUMNS = entityColumns<RuleSetting, RuleSettingRow>({
  productId: 'product_id',
  ruleId: 'rule_id',
  enabled: { column: 'enabled', read: (v) => v === 1, write: (e) => (e ? 1 : 0) },
  severity: { column: 'severity', read: (v) => (v === null ? null : SeverityColumnSchema.parse(v)) },
  justification: 'justification',
  updatedAt: 'updated_at',
  updatedBy: 'updated_by',
});

/** A product's added rule pack and its row. */
export const PRODUCT_RULE_PACK_COLUMNS = entityColumns<ProductRulePack, ProductRulePackRow>({
  productId: 'product_id',
  pack: 'pack',
  definition: 'definition',
  hash: 'hash',
  addedAt: 'added_at',
  addedBy: 'added_by',
});

/** Rule settings and added rule packs of products. */
export class RulesRepository extends Repository implements RulesReader, RulesWriter {
  async listRuleSettings(productId?: number): Promise<RuleSetting[]> {
    let q = this.db.selectFrom('rule_settings').selectAll();
    if (productId !== undefined) q = q.where('product_id', '=', productId);
    const rows = await q.orderBy('product_id').orderBy('rule_id').execute();
    return rows.map((r) => RULE_SETTING_COLUMNS.fromRow(r));
  }

  async listProductRulePacks(productId?: number): Promise<ProductRulePack[]> {
    let q = this.db.selectFrom('product_rule_packs').selectAll();
    if (productId !== undefined) q = q.where('product_id', '=', productId);
    const rows = await q.orderBy('product_id').orderBy('pack').execute();
    return rows.map((r) => PRODUCT_RULE_PACK_COLUMNS.fromRow(r));
  }

  async putRuleSetting(s: RuleSetting): Promise<void> {
    await this.db.deleteFrom('rule_settings').where('product_id', '=', s.productId).where('rule_id', '=', s.ruleId).execute();
    await this.insertRuleSettings([s]);
  }

  async insertRuleSettings(settings: readonly RuleSetting[]): Promise<void> {
    await this.dialect.insertRows(this.db, 'rule_settings', settings.map((s) => RULE_SETTING_COLUMNS.toRow(s)));
  }

  async insertProductRulePacks(packs: readonly ProductRulePack[]): Promise<void> {
    await this.dialect.insertRows(this.db, 'product_rule_packs', packs.map((p) => PRODUCT_RULE_PACK_COLUMNS.toRow(p)));
  }
}
