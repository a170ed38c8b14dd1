import { z } from 'zod';
import { RECORD_TYPE } from '../../core/catalog/record-type-keys.js';
import { invalidInput } from '../../core/errors.js';
import { ProductKeySchema } from '../../core/entities.js';
import { getProduct } from '../../core/lookups.js';
import type { Deps } from '../../core/ports.js';
import { qmsMetrics, QmsMetricsSchema } from '../../core/qms/metrics.js';
import { addMonths } from '../../core/qms/qms-records.js';
import { loadQmsFacts } from '../services/qms-facts.js';
import { loadQmsRecords } from '../services/qms-records.js';
import { defineUseCase } from '../use-case.js';

export const GetQmsMetricsInputSchema = z.strictObject({
  productKey: ProductKeySchema,
  /** First and last day of the range (their months are included); default: the twelve months up to today. */
  periodFrom: z.iso.date().optional(),
  periodTo: z.iso.date().optional(),
});

export const QmsMetricsViewSchema = QmsMetricsSchema.extend({ product: z.string() });

/** At most this many months in one range. */
const MAX_MONTHS = 120;

/**
 * Quality metrics per month: CAPA ageing and on-time closure, complaints by category and product version, training
 * and document review compliance, audit finding closure.
 * @throws AppError NOT_FOUND for the product; INVALID_INPUT for a range that ends before it starts or is too long
 */
export async function getQmsMetrics(deps: Pick<Deps, 'store' | 'clock'>, input: z.output<typeof GetQmsMetricsInputSchema>): Promise<z.output<typeof QmsMetricsViewSchema>> {
  const asOf = deps.clock.now().slice(0, 10);
  const to = input.periodTo ?? asOf;
  const from = input.periodFrom ?? addMonths(`${to.slice(0, 7)}-01`, -11);
  if (to < from) throw invalidInput(`the range ends (${to}) before it starts (${from})`, { field: 'periodTo' });
  if (from < addMonths(`${to.slice(0, 7)}-01`, -(MAX_MONTHS - 1))) throw invalidInput(`a metrics range covers at most ${MAX_MONTHS} months`, { field: 'periodFrom' });
  return deps.store.read(async (r) => {
    const product = await getProduct(r, input.productKey);
    const records = await loadQmsRecords(r, product, [RECORD_TYPE.CAPA, RECORD_TYPE.CMP, RECORD_TYPE.AF]);
    const facts = await loadQmsFacts(r, product, asOf);
    return { product: product.key, ...qmsMetrics(records, facts, { from, to, asOf }) };
  });
}

/** `qms.metrics`: monthly quality metrics for charts. */
export const getQmsMetricsUseCase = defineUseCase({
  name: 'qms.metrics',
  summary: 'Quality metrics per month: CAPA ageing and on-time closure, complaint trend, training and document review compliance, audit finding closure.',
  kind: 'read',
  what: 'metrics',
  input: GetQmsMetricsInputSchema,
  output: QmsMetricsViewSchema,
  permission: 'product.read',
  http: { method: 'GET', path: '/api/v1/products/:productKey/qms/metrics' },
  run: ({ deps }, input) => getQmsMetrics(deps, input),
});
