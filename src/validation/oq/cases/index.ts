import type { OqCase } from '../oq-case.js';
import { AUDIT_CASES } from './audit.js';
import { DOCUMENT_CASES } from './documents.js';
import { EVIDENCE_CASES, RULE_CASES } from './evidence.js';
import { IDENTITY_CASES } from './identity.js';
import { IMPORT_CASES } from './imports.js';
import { RECORD_CASES } from './records.js';
import { RISK_CASES } from './risk.js';
import { SIGNATURE_CASES, STATEMENT_CASES } from './signatures.js';
import { TRACE_CASES } from './trace.js';

/** Every shipped OQ case, in the order they run and are reported. IDs are unique and never reused. */
export const OQ_CASES: readonly OqCase[] = [...RECORD_CASES, ...AUDIT_CASES, ...TRACE_CASES, ...EVIDENCE_CASES, ...RISK_CASES, ...IDENTITY_CASES, ...SIGNATURE_CASES, ...IMPORT_CASES, ...DOCUMENT_CASES, ...RULE_CASES, ...STATEMENT_CASES];
