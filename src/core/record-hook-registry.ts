import { AUDIT_HOOKS } from './qms/audit-hooks.js';
import { QMS_HOOKS } from './qms/qms-hooks.js';
import { RecordHooks } from './record-hooks.js';
import { RISK_HOOKS } from './risk/risk-hooks.js';

/** Every domain module's record-type hooks; the generic record writes run them. */
export const RECORD_HOOKS = new RecordHooks([RISK_HOOKS, QMS_HOOKS, AUDIT_HOOKS]);
