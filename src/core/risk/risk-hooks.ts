import { RECORD_TYPE } from '../catalog/record-type-keys.js';
import { recordKey, type Product } from '../entities.js';
import type { StoreReader } from '../ports.js';
import { WriteSession, type RecordHookModule, type RecordTypeHooks } from '../record-hooks.js';
import type { CurrentPolicy } from './current-policy.js';
import { RiskPolicySchema } from './policy.js';
import { assertPolicyKept, checkRiskFields, riskWriteContext, type RiskWriteContext } from './risk-writes.js';

/** The risk file's value in a write session. */
const RISK_CONTEXT = Symbol('risk write context');

/** The risk context of a write: the policy in force (or the one the write brings) and the active estimates. */
export function riskContext(session: WriteSession): RiskWriteContext {
  return session.get(RISK_CONTEXT, () => riskWriteContext(session.r, session.product));
}

/**
 * A write session for the risk-policy use-case: the only write allowed to change a policy estimates depend on,
 * starting from the policy in force before it.
 */
export function riskPolicySession(r: StoreReader, product: Product, before: CurrentPolicy): WriteSession {
  const session = new WriteSession(r, product);
  session.get(RISK_CONTEXT, () => riskWriteContext(r, product, before, true));
  return session;
}

const checkFields: RecordTypeHooks['checkFields'] = (session, rec) =>
  checkRiskFields(session.r, riskContext(session), session.product, rec.type, rec.fields, rec.item, rec.recordId);

/** The risk module's checks on RISK, HARM and RMP writes (see `risk-writes.ts`). */
export const RISK_HOOKS: RecordHookModule = {
  beforeNewRecords(session, batch) {
    // A policy added in the same write is the one the batch's risk estimates use.
    const policy = batch.find((x) => x.type === RECORD_TYPE.RMP);
    if (policy === undefined) return;
    session.get(RISK_CONTEXT, () =>
      riskWriteContext(session.r, session.product, {
        policy: RiskPolicySchema.parse(policy.fields),
        revision: 1,
        record: recordKey(RECORD_TYPE.RMP, policy.number),
      }),
    );
  },
  types: {
    [RECORD_TYPE.RISK]: { checkFields },
    [RECORD_TYPE.HARM]: { checkFields },
    [RECORD_TYPE.RMP]: { checkFields, checkStatusChange: (_session, rec, to) => assertPolicyKept(rec.type, to, rec.item) },
  },
};
