import { z } from 'zod';
import { RECORD_TYPE } from '../../core/catalog/record-type-keys.js';
import { ProductKeySchema } from '../../core/entities.js';
import { getProduct } from '../../core/lookups.js';
import type { Deps } from '../../core/ports.js';
import { auditProgramme } from '../../core/qms/audit-programme.js';
import { loadQmsLinks, loadQmsRecords } from '../services/qms-records.js';
import { defineUseCase } from '../use-case.js';

export const GetAuditProgrammeInputSchema = z.strictObject({
  productKey: ProductKeySchema,
  /** The programme cycle (`2026`); every cycle when absent. */
  cycle: z.string().trim().min(1).max(20).optional(),
});

const Conflict = z.strictObject({ clause: z.string(), document: z.string(), title: z.string() });
const Grades = z.strictObject({ major: z.number().int(), minor: z.number().int(), observation: z.number().int() });

export const AuditProgrammeSchema = z.strictObject({
  product: z.string(),
  cycle: z.string().nullable(),
  cycles: z.array(z.string()),
  audits: z.array(
    z.strictObject({
      key: z.string(),
      title: z.string(),
      state: z.string(),
      auditor: z.string().nullable(),
      plannedOn: z.string().nullable(),
      heldOn: z.string().nullable(),
      scope: z.array(z.string()),
      findingsByGrade: Grades,
      findings: z.array(
        z.strictObject({
          key: z.string(),
          title: z.string(),
          grade: z.string(),
          clause: z.string(),
          state: z.string(),
          open: z.boolean(),
          dueOn: z.string().nullable(),
          capas: z.array(z.string()),
        }),
      ),
      openFindings: z.number().int(),
      openWithoutCapa: z.number().int(),
      independence: z.array(Conflict),
    }),
  ),
  clauses: z.array(z.strictObject({ number: z.string(), title: z.string(), audits: z.array(z.string()) })),
  uncovered: z.array(z.strictObject({ number: z.string(), title: z.string() })),
  notApplicable: z.array(z.strictObject({ number: z.string(), title: z.string(), reason: z.string() })),
  coverage: z.strictObject({ covered: z.number().int(), applicable: z.number().int() }),
});

/**
 * The internal audit programme of a cycle (ISO 13485 8.2.4): every applicable clause with the audits covering it,
 * the clauses none covers, and each audit with its findings by grade, open findings and the CAPAs addressing them,
 * and any auditor who owns a document in the audit's scope.
 * @throws AppError NOT_FOUND for the product
 */
export async function getAuditProgramme(deps: Pick<Deps, 'store'>, input: z.output<typeof GetAuditProgrammeInputSchema>): Promise<z.output<typeof AuditProgrammeSchema>> {
  return deps.store.read(async (r) => {
    const product = await getProduct(r, input.productKey);
    const records = await loadQmsRecords(r, product, [RECORD_TYPE.AUD, RECORD_TYPE.AF, RECORD_TYPE.CAPA, RECORD_TYPE.DOC]);
    const links = await loadQmsLinks(r, records, ['found_in', 'addresses']);
    return { product: product.key, ...auditProgramme(records, links, input.cycle ?? null) };
  });
}

/** `qms.audit-programme`: the audit programme and its clause coverage. */
export const getAuditProgrammeUseCase = defineUseCase({
  name: 'qms.audit-programme',
  summary: 'The internal audit programme of a cycle: clause coverage, audits, findings and their CAPAs, auditor independence.',
  kind: 'read',
  what: 'audit programme',
  input: GetAuditProgrammeInputSchema,
  output: AuditProgrammeSchema,
  permission: 'product.read',
  http: { method: 'GET', path: '/api/v1/products/:productKey/qms/audit-programme' },
  run: ({ deps }, input) => getAuditProgramme(deps, input),
});
