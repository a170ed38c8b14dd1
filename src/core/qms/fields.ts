import { z } from 'zod';
import { storableText } from '../validation.js';

/**
 * The fields of the quality-system record types (ISO 13485 4–8): controlled documents, job roles and competence,
 * CAPA, complaints, nonconformance, internal audits and their findings, management review, suppliers and change
 * requests. Each process record carries its own `state`; which state may follow which, and what a state needs, is
 * data in `processes.ts`, checked on every write by the QMS record hooks.
 */

const text = (max = 2000): z.ZodString => storableText().trim().min(1).max(max);
const day = (): z.ZodISODate => z.iso.date();
/** A Dossier username (the people of the quality system are the store's users). */
const username = (): z.ZodString => z.string().trim().min(1).max(100);

/** `2.1`: a document's major.minor version; a new effective version must be higher than the last. */
export const DocumentVersionSchema = z
  .string()
  .trim()
  .regex(/^\d{1,4}\.\d{1,4}$/, 'a version is major.minor, e.g. 1.0 or 2.3');

/** Compares two major.minor versions: negative when a < b. */
export function compareDocumentVersions(a: string, b: string): number {
  const [am = 0, an = 0] = a.split('.').map(Number);
  const [bm = 0, bn = 0] = b.split('.').map(Number);
  return am !== bm ? am - bm : an - bn;
}

/** One question of a document's training quiz: the options and the index of the right one. */
export const QuizQuestionSchema = z.strictObject({
  question: text(1000),
  options: z.array(text(500)).min(2).max(8),
  answer: z.number().int().nonnegative(),
}).refine((q) => q.answer < q.options.length, { message: 'the answer must be the index of one of the options', path: ['answer'] });

export const QuizSchema = z.strictObject({
  questions: z.array(QuizQuestionSchema).min(1).max(50),
  /** Percent of right answers needed to pass (0–100). */
  passMark: z.number().int().min(1).max(100).default(80),
});
export type Quiz = z.infer<typeof QuizSchema>;

/** Kinds of controlled document (ISO 13485 4.2.1): the QMS's own documents and the product's. */
export const DOCUMENT_KINDS = [
  'quality_manual',
  'policy',
  'procedure',
  'work_instruction',
  'form',
  'plan',
  'report',
  'specification',
  'labeling',
  'record',
  'external',
] as const;

export const DocumentFields = z.strictObject({
  docType: z.enum(DOCUMENT_KINDS),
  /** Where the controlled file lives, if outside Dossier. */
  location: text(1000).optional(),
  /** The document number people cite, e.g. `SOP-004`; unique among the product's documents when given. */
  number: z.string().trim().regex(/^[A-Za-z][A-Za-z0-9]*(-[A-Za-z0-9]+)+$/, 'a document number looks like SOP-004 or WI-CAPA-2').max(40).optional(),
  /** major.minor; each version made effective must be higher than the one before. */
  version: DocumentVersionSchema.optional(),
  /** Who owns the document (a username): keeps it current, and may not audit its area. */
  owner: username().optional(),
  /** Months between periodic reviews (ISO 13485 4.2.4); the next review is due this long after it became effective. */
  reviewIntervalMonths: z.number().int().min(1).max(60).optional(),
  /** Days people in the affected roles have to complete training once a version becomes effective. */
  trainingDays: z.number().int().min(1).max(365).optional(),
  /** Clauses this document gives evidence for: `ISO 13485 8.5.2`, `IEC 62304 5.1` (numbers only). */
  clauses: z.array(text(60)).default([]),
  /** Record types whose records are made under this procedure (a signer of such a record must be trained on it). */
  governs: z.array(z.string().trim().min(1).max(20)).default([]),
  /** An optional quiz that completes training instead of "read and understood". */
  quiz: QuizSchema.optional(),
});

export const JobRoleFields = z.strictObject({
  /** What the role is responsible for, in a sentence or two (the job description is the body). */
  responsibilities: text(2000).optional(),
  /** The people (usernames) who hold the role now; a change is a new revision, so the trail shows who held it when. */
  members: z.array(username()).default([]),
});

export const QualificationFields = z.strictObject({
  /** Whose competence this records. */
  person: username(),
  kind: z.enum(['education', 'qualification', 'certificate', 'experience', 'external_training']),
  issuer: text(300).optional(),
  obtainedOn: day().optional(),
  /** When it lapses (certificates); a lapsed one no longer counts. */
  validUntil: day().optional(),
});

// ---------------------------------------------------------------------------------------------------------------
// CAPA (ISO 13485 8.5.2, 8.5.3)

export const CAPA_STATES = ['open', 'investigation', 'planned', 'implementation', 'verification', 'effectiveness_check', 'rejected'] as const;

const CapaActionSchema = z.strictObject({
  kind: z.enum(['correction', 'corrective', 'preventive']),
  description: text(2000),
  owner: username(),
  dueOn: day(),
  doneOn: day().optional(),
  /** What shows it was done: a commit, a record ID, a document version. */
  evidence: text(1000).optional(),
});

export const CapaFields = z.strictObject({
  state: z.enum(CAPA_STATES).default('open'),
  source: z.enum(['complaint', 'nonconformance', 'audit_finding', 'trend', 'risk_review', 'management_review', 'supplier', 'other']),
  /** Corrective (a problem happened) or preventive (it could happen). */
  kind: z.enum(['corrective', 'preventive']).default('corrective'),
  priority: z.enum(['low', 'medium', 'high', 'critical']).default('medium'),
  owner: username().optional(),
  openedOn: day().optional(),
  /** When the CAPA should be closed. */
  dueOn: day().optional(),
  problem: text(4000).optional(),
  /** The product version concerned, if any. */
  productVersion: text(100).optional(),
  containment: text(4000).optional(),
  rootCauseMethod: z.enum(['five_whys', 'fishbone', 'fault_tree', 'other']).optional(),
  whys: z.array(text(1000)).max(10).default([]),
  causeCategory: z.enum(['requirements', 'design', 'code', 'test', 'soup', 'process', 'training', 'supplier', 'use', 'other']).optional(),
  rootCause: text(4000).optional(),
  actions: z.array(CapaActionSchema).max(50).default([]),
  /** How the implemented actions were checked. */
  implementationVerification: text(4000).optional(),
  /** The planned effectiveness check: its criteria, when, and its result once made. */
  effectivenessCriteria: text(2000).optional(),
  effectivenessDueOn: day().optional(),
  effectivenessResult: z.enum(['effective', 'not_effective']).optional(),
  effectivenessNotes: text(4000).optional(),
  /** The CAPA needs the risk file reviewed (the risks it concerns are flagged until a review). */
  riskReviewRequired: z.boolean().default(false),
  /** Why the CAPA was rejected at triage. */
  rejectionRationale: text(2000).optional(),
});

// ---------------------------------------------------------------------------------------------------------------
// Feedback and complaints, vigilance (ISO 13485 8.2.1, 8.2.2, 8.2.3; 21 CFR 803; EU MDR Art. 87)

export const COMPLAINT_STATES = ['received', 'triage', 'investigation', 'reportability_decided', 'action', 'reply_sent'] as const;

/** The event kinds a reportability decision names, per jurisdiction; deadlines are data in `vigilance.ts`. */
export const FDA_EVENT_KINDS = ['not_reportable', 'death', 'serious_injury', 'malfunction', 'remedial_action'] as const;
export const EU_EVENT_KINDS = ['not_reportable', 'serious_public_health_threat', 'death_or_serious_deterioration', 'serious_incident'] as const;

export const ComplaintFields = z.strictObject({
  state: z.enum(COMPLAINT_STATES).default('received'),
  receivedOn: day(),
  channel: z.enum(['email', 'phone', 'app_store', 'support_portal', 'sales', 'field', 'other']),
  /** Who reported it (a name or an organisation; no patient data). */
  contact: text(300).optional(),
  productVersion: text(100).optional(),
  udi: text(200).optional(),
  category: z.enum(['malfunction', 'data_loss', 'security', 'usability', 'performance', 'labeling', 'other']).optional(),
  /** Whether it involved a death or serious injury, or could have. */
  patientHarm: z.enum(['none', 'potential', 'serious_injury', 'death']).default('none'),
  investigate: z.boolean().optional(),
  /** Why no investigation is needed (ISO 13485 8.2.2: a complaint not investigated is justified). */
  noInvestigationReason: text(2000).optional(),
  investigation: text(4000).optional(),
  /** When the company became aware of a possibly reportable event: report deadlines run from this day. */
  awareOn: day().optional(),
  fdaReportability: z.enum(FDA_EVENT_KINDS).optional(),
  euReportability: z.enum(EU_EVENT_KINDS).optional(),
  /** Why the event is or is not reportable; required with any reportability decision. */
  reportabilityRationale: text(4000).optional(),
  fdaReportedOn: day().optional(),
  euReportedOn: day().optional(),
  correction: text(2000).optional(),
  replySentOn: day().optional(),
});

// ---------------------------------------------------------------------------------------------------------------
// Nonconformance (ISO 13485 8.3)

export const NC_STATES = ['reported', 'evaluated', 'disposition_proposed', 'actions_done'] as const;

export const NonconformanceFields = z.strictObject({
  state: z.enum(NC_STATES).default('reported'),
  kind: z.enum(['product', 'process']),
  /** The requirement that was not met. */
  requirement: text(2000).optional(),
  detectedBy: username().optional(),
  detectedOn: day().optional(),
  /** Found after delivery to users (ISO 13485 8.3.3). */
  afterDelivery: z.boolean().default(false),
  evaluation: text(4000).optional(),
  disposition: z.enum(['use_as_is', 'rework', 'reject', 'concession']).optional(),
  /** Why the disposition is right; required with any disposition. */
  dispositionJustification: text(4000).optional(),
  actions: text(4000).optional(),
  capaNeeded: z.boolean().optional(),
  /** Why no CAPA is needed. */
  noCapaReason: text(2000).optional(),
});

// ---------------------------------------------------------------------------------------------------------------
// Internal audits (ISO 13485 8.2.4)

export const AUDIT_STATES = ['planned', 'in_progress', 'reported'] as const;

export const AuditFields = z.strictObject({
  state: z.enum(AUDIT_STATES).default('planned'),
  /** The programme cycle it belongs to, e.g. `2026`. */
  cycle: text(20),
  /** The ISO 13485 clauses it covers: `ISO 13485 7.3`, `ISO 13485 8.5.2`. */
  scope: z.array(text(60)).min(1),
  auditor: username().optional(),
  plannedOn: day().optional(),
  heldOn: day().optional(),
  criteria: text(2000).optional(),
  /** A summary of the evidence seen; the report is the body. */
  summary: text(4000).optional(),
});

export const FINDING_STATES = ['open', 'capa_raised', 'corrected'] as const;

export const AuditFindingFields = z.strictObject({
  state: z.enum(FINDING_STATES).default('open'),
  grade: z.enum(['major', 'minor', 'observation']),
  clause: text(60),
  /** The evidence the finding rests on. */
  evidence: text(4000).optional(),
  dueOn: day().optional(),
});

// ---------------------------------------------------------------------------------------------------------------
// Management review (ISO 13485 5.6)

export const REVIEW_STATES = ['planned', 'inputs_compiled', 'held'] as const;

const ReviewActionSchema = z.strictObject({
  description: text(2000),
  owner: username(),
  dueOn: day(),
  doneOn: day().optional(),
});

export const ManagementReviewFields = z.strictObject({
  state: z.enum(REVIEW_STATES).default('planned'),
  periodFrom: day(),
  periodTo: day(),
  heldOn: day().optional(),
  attendees: z.array(username()).default([]),
  /** The inputs as compiled from the store when the review moved to inputs_compiled (canonical JSON summary). */
  inputsDigest: text(200).optional(),
  /** Outputs (ISO 13485 5.6.3): improvements needed, changes for new regulations, resources. */
  outputs: text(8000).optional(),
  actions: z.array(ReviewActionSchema).max(50).default([]),
});

// ---------------------------------------------------------------------------------------------------------------
// Suppliers (ISO 13485 7.4)

export const SUPPLIER_STATES = ['proposed', 'evaluating', 'approved', 'conditional', 'blocked'] as const;

export const SupplierFields = z.strictObject({
  state: z.enum(SUPPLIER_STATES).default('proposed'),
  kind: z.enum(['soup_vendor', 'cloud_provider', 'contract_developer', 'service', 'other']),
  /** What it supplies. */
  scope: text(2000),
  criticality: z.enum(['low', 'medium', 'high']),
  evaluation: text(4000).optional(),
  evaluatedOn: day().optional(),
  /** Months between re-evaluations; due this long after the last evaluation. */
  reevaluationMonths: z.number().int().min(1).max(60).default(12),
  /** Agreements and certificates with their expiry, e.g. a quality agreement, ISO 27001. */
  agreements: z.array(z.strictObject({ name: text(300), expiresOn: day().optional() })).default([]),
});

// ---------------------------------------------------------------------------------------------------------------
// Change control (ISO 13485 7.3.9, 4.1.4; IEC 62304 6.2, 8.2)

export const CHANGE_STATES = ['submitted', 'assessed', 'implemented', 'verified', 'released'] as const;

export const ChangeRequestFields = z.strictObject({
  state: z.enum(CHANGE_STATES).default('submitted'),
  origin: z.enum(['capa', 'complaint', 'anomaly', 'improvement', 'regulatory', 'supplier', 'other']),
  /** What the change does to safety, in a sentence; required to assess. */
  safetyImpact: text(4000).optional(),
  /** Whether it needs a regulatory submission or notification. */
  regulatorySignificance: z.enum(['none', 'letter_to_file', 'notification', 'new_submission']).optional(),
  /** The release that ships it (a version of the product). */
  release: text(100).optional(),
  verification: text(4000).optional(),
});
