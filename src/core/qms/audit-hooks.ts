import { RECORD_TYPE } from '../catalog/record-type-keys.js';
import { recordKey } from '../entities.js';
import { invalidState } from '../errors.js';
import type { RecordHookModule } from '../record-hooks.js';
import { describeConflicts, independenceConflicts } from './audit-programme.js';

/** The states in which an audit is being (or has been) carried out by its auditor. */
const UNDER_WAY = new Set(['in_progress', 'reported']);

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/**
 * Auditor independence (ISO 13485 8.2.4): an audit moves to in_progress (or later) only when its auditor owns no
 * document whose clauses overlap its scope. Checked on every write that starts the audit or changes its auditor or
 * scope once under way, whichever command makes it.
 */
export const AUDIT_HOOKS: RecordHookModule = {
  types: {
    [RECORD_TYPE.AUD]: {
      checkFields: async (session, rec) => {
        const state = rec.fields['state'];
        if (typeof state !== 'string' || !UNDER_WAY.has(state)) return rec.fields;
        const before = rec.before?.fields;
        if (before !== undefined && before['state'] === state && same(before['auditor'], rec.fields['auditor']) && same(before['scope'], rec.fields['scope'])) {
          return rec.fields;
        }
        const docs = await session.r.loadTraceRecords(session.product.id, RECORD_TYPE.DOC);
        const conflicts = independenceConflicts(
          { fields: rec.fields },
          docs.map((d) => ({ type: d.type, key: recordKey(d.type, d.number), title: d.title, status: d.status, fields: d.fields })),
        );
        if (conflicts.length > 0) {
          throw invalidState(
            `${rec.item}: the auditor may not audit their own work: ${describeConflicts(String(rec.fields['auditor']), conflicts)}; name another auditor or take these clauses out of the scope`,
            { item: rec.item, field: 'auditor' },
          );
        }
        return rec.fields;
      },
    },
  },
};
