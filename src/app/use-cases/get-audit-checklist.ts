import { z } from 'zod';
import { RECORD_TYPE } from '../../core/catalog/record-type-keys.js';
import { invalidInput } from '../../core/errors.js';
import { ProductKeySchema, recordKey } from '../../core/entities.js';
import { getProduct, getRecord } from '../../core/lookups.js';
import type { Deps } from '../../core/ports.js';
import { auditChecklist } from '../../core/qms/audit-programme.js';
import { loadQmsFacts } from '../services/qms-facts.js';
import { loadQmsRecords } from '../services/qms-records.js';
import { defineUseCase } from '../use-case.js';

export const GetAuditChecklistInputSchema = z.strictObject({
  productKey: ProductKeySchema,
  /** The audit, `AUD-2`. */
  record: z.string().min(1),
});

export const AuditChecklistSchema = z.strictObject({
  product: z.string(),
  audit: z.string(),
  title: z.string(),
  auditor: z.string().nullable(),
  state: z.string(),
  items: z.array(
    z.strictObject({
      clause: z.string(),
      title: z.string(),
      question: z.string(),
      documents: z.array(
        z.strictObject({
          key: z.string(),
          title: z.string(),
          number: z.string().nullable(),
          status: z.string(),
          versionInForce: z.string().nullable(),
          owner: z.string().nullable(),
        }),
      ),
      recordTypes: z.array(z.strictObject({ type: z.string(), name: z.string(), records: z.number().int() })),
    }),
  ),
  otherScope: z.array(z.string()),
  independence: z.array(z.strictObject({ clause: z.string(), document: z.string(), title: z.string() })),
});

/**
 * The checklist of one internal audit: per clause in its scope, a question, the documents giving evidence (with the
 * version in force) and the record types the catalog ties to the clause with how many records the product has.
 * @throws AppError NOT_FOUND for the product or record; INVALID_INPUT when the record is not an audit (AUD)
 */
export async function getAuditChecklist(deps: Pick<Deps, 'store' | 'catalog' | 'clock'>, input: z.output<typeof GetAuditChecklistInputSchema>): Promise<z.output<typeof AuditChecklistSchema>> {
  return deps.store.read(async (r) => {
    const product = await getProduct(r, input.productKey);
    const head = await getRecord(r, product, input.record);
    const key = recordKey(head.type, head.number);
    if (head.type !== RECORD_TYPE.AUD) throw invalidInput(`${product.key}/${key} is not an internal audit (AUD); a checklist is made for an audit`, { item: `${product.key}/${key}`, field: 'record' });
    const records = await loadQmsRecords(r, product, [RECORD_TYPE.AUD, RECORD_TYPE.DOC]);
    const audit = records.find((x) => x.id === head.id);
    if (audit === undefined) throw invalidInput(`${product.key}/${key} could not be read`, { item: `${product.key}/${key}` });
    const [all, obsolete, facts] = await Promise.all([
      r.countRecordsByType({ productId: product.id }),
      r.countRecordsByType({ productId: product.id, status: 'obsolete' }),
      loadQmsFacts(r, product, deps.clock.now().slice(0, 10)),
    ]);
    const counts = new Map([...all].map(([t, n]) => [t, n - (obsolete.get(t) ?? 0)]));
    const versionsInForce = new Map(facts.documents.map((d) => [d.recordId, d.version]));
    return {
      product: product.key,
      ...auditChecklist(audit, records, { recordTypes: [...deps.catalog.recordTypes.values()], counts, versionsInForce }),
    };
  });
}

/** `qms.audit-checklist`: the checklist of an audit from the clause map. */
export const getAuditChecklistUseCase = defineUseCase({
  name: 'qms.audit-checklist',
  summary: 'The checklist of an internal audit: per clause in scope, a question and the documents and records to look at.',
  kind: 'read',
  what: 'audit checklist',
  input: GetAuditChecklistInputSchema,
  output: AuditChecklistSchema,
  permission: 'product.read',
  http: { method: 'GET', path: '/api/v1/products/:productKey/qms/audits/:record/checklist' },
  run: ({ deps }, input) => getAuditChecklist(deps, input),
});
