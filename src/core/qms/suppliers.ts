import { naturalCompare } from '../natural-order.js';
import { RECORD_TYPE } from '../catalog/record-type-keys.js';
import { processOf, stateOf } from './processes.js';
import { addMonths, daysBetween, linked, textField, type QmsLinkRow, type QmsRecordRow } from './qms-records.js';

/**
 * The approved-supplier list (ISO 13485 7.4.1): every supplier with its status, criticality, last evaluation and
 * when it is due again, agreements running out, and the SOUP components each supplies. A supplier is on the list
 * when its evaluation approved or conditionally approved it and that evaluation is signed (the record approved).
 */

/** Agreements expiring within this many days are reported. */
export const AGREEMENT_WARNING_DAYS = 90;

export interface SupplierView {
  readonly key: string;
  readonly title: string;
  readonly kind: string;
  /** proposed, evaluating, approved, conditional or blocked. */
  readonly state: string;
  /** The evaluation in this state is signed (the record is approved). */
  readonly signed: boolean;
  /** On the approved-supplier list: approved or conditional, and signed. */
  readonly approvedForUse: boolean;
  readonly criticality: string;
  readonly scope: string;
  readonly evaluatedOn: string | null;
  readonly reevaluationMonths: number;
  /** The next evaluation is due (null: never evaluated). */
  readonly reevaluationDue: string | null;
  readonly reevaluationOverdue: boolean;
  /** Agreements that have run out or run out soon. */
  readonly agreementsExpiring: { readonly name: string; readonly expiresOn: string; readonly expired: boolean }[];
  /** The SOUP components (and external documents) it supplies. */
  readonly supplies: string[];
}

export interface SupplierList {
  readonly asOf: string;
  readonly suppliers: SupplierView[];
  /** Keys of the suppliers on the approved-supplier list. */
  readonly approvedList: string[];
  /** SOUP components no supplier is linked to (`supplied_by`), with the supplier their fields name, if any. */
  readonly soupWithoutSupplier: { readonly key: string; readonly title: string; readonly supplierNamed: string | null }[];
}

const CRITICALITY_ORDER: Readonly<Record<string, number>> = { high: 0, medium: 1, low: 2 };

/** The supplier list as of a day (YYYY-MM-DD); obsolete suppliers and SOUP are left out. */
export function supplierList(records: readonly QmsRecordRow[], links: readonly QmsLinkRow[], asOf: string): SupplierList {
  const byId = new Map(records.map((r) => [r.id, r]));
  const def = processOf(RECORD_TYPE.SUP);
  const suppliers = records
    .filter((r) => r.type === RECORD_TYPE.SUP && r.status !== 'obsolete')
    .map((s): SupplierView => {
      const state = def === undefined ? String(s.fields['state']) : stateOf(def, s.fields);
      const signed = s.status === 'approved';
      const evaluatedOn = textField(s, 'evaluatedOn') ?? null;
      const months = typeof s.fields['reevaluationMonths'] === 'number' ? s.fields['reevaluationMonths'] : 12;
      const due = evaluatedOn === null ? null : addMonths(evaluatedOn, months);
      const agreements = Array.isArray(s.fields['agreements']) ? (s.fields['agreements'] as { name: string; expiresOn?: string }[]) : [];
      return {
        key: s.key,
        title: s.title,
        kind: textField(s, 'kind') ?? 'other',
        state,
        signed,
        approvedForUse: signed && (state === 'approved' || state === 'conditional'),
        criticality: textField(s, 'criticality') ?? 'low',
        scope: textField(s, 'scope') ?? '',
        evaluatedOn,
        reevaluationMonths: months,
        reevaluationDue: due,
        // A blocked supplier is not used: its re-evaluation is not due.
        reevaluationOverdue: due !== null && due < asOf && state !== 'blocked',
        agreementsExpiring: agreements
          .filter((a): a is { name: string; expiresOn: string } => a.expiresOn !== undefined && daysBetween(asOf, a.expiresOn) <= AGREEMENT_WARNING_DAYS)
          .map((a) => ({ name: a.name, expiresOn: a.expiresOn, expired: a.expiresOn < asOf })),
        supplies: linked(links, byId, s.id, 'supplied_by', 'to')
          .filter((x) => x.status !== 'obsolete')
          .map((x) => x.key)
          .sort((a, b) => naturalCompare(a, b)),
      };
    })
    .sort((a, b) => (CRITICALITY_ORDER[a.criticality] ?? 3) - (CRITICALITY_ORDER[b.criticality] ?? 3) || naturalCompare(a.key, b.key));
  const supplied = new Set(links.filter((l) => l.type === 'supplied_by' && byId.get(l.toId)?.status !== 'obsolete').map((l) => l.fromId));
  return {
    asOf,
    suppliers,
    approvedList: suppliers.filter((s) => s.approvedForUse).map((s) => s.key),
    soupWithoutSupplier: records
      .filter((r) => r.type === RECORD_TYPE.SOUP && r.status !== 'obsolete' && !supplied.has(r.id))
      .map((r) => ({ key: r.key, title: r.title, supplierNamed: textField(r, 'supplier') ?? null })),
  };
}
