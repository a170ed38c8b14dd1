import { z } from 'zod';
import { RECORD_TYPE } from '../../core/catalog/record-type-keys.js';
import { ProductKeySchema } from '../../core/entities.js';
import { getProduct } from '../../core/lookups.js';
import type { Deps } from '../../core/ports.js';
import { supplierList } from '../../core/qms/suppliers.js';
import { loadQmsLinks, loadQmsRecords } from '../services/qms-records.js';
import { defineUseCase } from '../use-case.js';

export const ListSuppliersInputSchema = z.strictObject({
  productKey: ProductKeySchema,
  /** Judge re-evaluation and agreements on this day (default: today). */
  asOf: z.iso.date().optional(),
});

export const SupplierListSchema = z.strictObject({
  product: z.string(),
  asOf: z.string(),
  suppliers: z.array(
    z.strictObject({
      key: z.string(),
      title: z.string(),
      kind: z.string(),
      state: z.string(),
      signed: z.boolean(),
      approvedForUse: z.boolean(),
      criticality: z.string(),
      scope: z.string(),
      evaluatedOn: z.string().nullable(),
      reevaluationMonths: z.number().int(),
      reevaluationDue: z.string().nullable(),
      reevaluationOverdue: z.boolean(),
      agreementsExpiring: z.array(z.strictObject({ name: z.string(), expiresOn: z.string(), expired: z.boolean() })),
      supplies: z.array(z.string()),
    }),
  ),
  approvedList: z.array(z.string()),
  soupWithoutSupplier: z.array(z.strictObject({ key: z.string(), title: z.string(), supplierNamed: z.string().nullable() })),
});

/**
 * The approved-supplier list (ISO 13485 7.4.1): every supplier with its status, criticality, last evaluation,
 * re-evaluation due (overdue flagged), agreements running out and the SOUP it supplies; SOUP without a supplier.
 * @throws AppError NOT_FOUND for the product
 */
export async function listSuppliers(deps: Pick<Deps, 'store' | 'clock'>, input: z.output<typeof ListSuppliersInputSchema>): Promise<z.output<typeof SupplierListSchema>> {
  const asOf = input.asOf ?? deps.clock.now().slice(0, 10);
  return deps.store.read(async (r) => {
    const product = await getProduct(r, input.productKey);
    const records = await loadQmsRecords(r, product, [RECORD_TYPE.SUP, RECORD_TYPE.SOUP, RECORD_TYPE.DOC]);
    const links = await loadQmsLinks(r, records, ['supplied_by']);
    return { product: product.key, ...supplierList(records, links, asOf) };
  });
}

/** `qms.suppliers`: the approved-supplier list. */
export const listSuppliersUseCase = defineUseCase({
  name: 'qms.suppliers',
  summary: 'The approved-supplier list: status, criticality, re-evaluation due, agreements expiring, SOUP supplied.',
  kind: 'read',
  what: 'supplier list',
  input: ListSuppliersInputSchema,
  output: SupplierListSchema,
  permission: 'product.read',
  http: { method: 'GET', path: '/api/v1/products/:productKey/qms/suppliers' },
  run: ({ deps }, input) => listSuppliers(deps, input),
});
