import { z } from 'zod';
import { storableText } from '../validation.js';
import { RiskPolicySchema } from '../risk/policy.js';
import {
  AuditFields,
  AuditFindingFields,
  CapaFields,
  ChangeRequestFields,
  ComplaintFields,
  DocumentFields,
  JobRoleFields,
  ManagementReviewFields,
  NonconformanceFields,
  QualificationFields,
  SupplierFields,
} from '../qms/fields.js';
import { CONTROLLED_LIFECYCLE, type LifecycleDef } from './lifecycle.js';
import { RECORD_TYPE } from './record-type-keys.js';

export { RECORD_TYPE } from './record-type-keys.js';

/** IEC 62304 4.3 software safety class. */
export const SafetyClassSchema = z.enum(['A', 'B', 'C']);
export type SafetyClass = z.infer<typeof SafetyClassSchema>;

/** Where a record type sits in the quality system; used to group lists and, later, rule packs. */
export type RecordGroup = 'design' | 'verification' | 'risk' | 'configuration' | 'problem' | 'document' | 'quality';

/** One record type, defined as data: adding a type is a catalog entry, not a migration. */
export interface RecordTypeDef {
  /** Key prefix of human IDs, e.g. `SRS` gives `SRS-12`. */
  readonly key: string;
  readonly name: string;
  readonly group: RecordGroup;
  /** One sentence for people who do not know the standards. */
  readonly description: string;
  /** Clause numbers this record type gives evidence for (never the standards' text). */
  readonly clauses: readonly string[];
  /** The typed fields; strict, so an unknown field is refused by name. */
  readonly fields: z.ZodObject;
  readonly lifecycle: LifecycleDef;
  /**
   * Values the trace engine computes for records of this type (never stored), by name, with what each means. Rule
   * packs may test them like fields, e.g. a risk's `initialZone`.
   */
  readonly computed?: Readonly<Record<string, string>>;
  /**
   * Fields whose change does not alter what linked records rely on, each with the link types it still reaches
   * (usually none). A revision that changes only these makes no link suspect, or only links of the listed types.
   * The title, the body and every field not listed here carry meaning: changing them reaches every link.
   */
  readonly localFields?: Readonly<Record<string, readonly string[]>>;
}

/**
 * Values the rule engine reads for a record of any type beside its fields: who wrote and who approved the revision
 * in view. Rule packs test them like fields; `type: '*'` selects every record type.
 */
export const RECORD_COMPUTED: Readonly<Record<string, string>> = {
  revisedBy: 'who wrote the revision',
  approvedBy: 'who approved the revision (absent when it is not approved, or was approved before approvers were recorded)',
  selfApproved: 'true when the revision is approved by the person who wrote it',
  esigned:
    'for an approved record: true when the approved revision carries every electronic signature its workflow asks for, ' +
    'false when one is missing (absent for records not approved, and where the check is run without the signatures)',
  signedUntrained:
    'true when someone signed the record while not trained on the procedure in force that governs its type ' +
    '(ISO 13485 6.2; absent otherwise)',
  untrainedSigners: 'who signed untrained, and the procedure they were not trained on: `alice (DOC-7 v2.0)`',
};

const text = (max = 2000): z.ZodString => storableText().trim().min(1).max(max);

const UserNeedFields = z.strictObject({
  /** Who has the need: patient, clinician, hospital IT … */
  userGroup: text(200).optional(),
  /** Where it came from: interview, complaint, market input, regulation. */
  source: text(500).optional(),
});

const RequirementFields = z.strictObject({
  priority: z.enum(['must', 'should', 'could']).optional(),
  category: z
    .enum(['functional', 'performance', 'interface', 'security', 'usability', 'data', 'regulatory'])
    .optional(),
  rationale: text().optional(),
});

/** Where a system requirement is met; every value but `software` takes the requirement out of the software. */
export const SYSTEM_ALLOCATIONS = ['software', 'hardware', 'other_system'] as const;

const SystemRequirementFields = RequirementFields.extend({
  /**
   * IEC 62304 5.2.1, ISO 13485 7.3.3: what meets the requirement. Absent or `software`: the software does, and
   * software requirements refine it. `hardware` or `other_system` (the phone's operating system, a hospital's
   * integration engine): it is met outside this software, and `allocationReason` says how.
   */
  allocation: z.enum(SYSTEM_ALLOCATIONS).optional(),
  /** What meets the requirement instead of the software, and why: required unless it is allocated to software. */
  allocationReason: text().optional(),
}).superRefine((f, ctx) => {
  if (f.allocation !== undefined && f.allocation !== 'software' && f.allocationReason === undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['allocationReason'],
      message: `required when allocation is ${f.allocation}: say what meets the requirement instead of the software, and why`,
    });
  }
});

const SoftwareRequirementFields = RequirementFields.extend({
  /** IEC 62304 5.2.3: this requirement implements a risk control measure. */
  riskControl: z.boolean().default(false),
});

const SoftwareItemFields = z.strictObject({
  /** IEC 62304 5.3/5.4: the software system, an item of its architecture, or a unit. */
  level: z.enum(['system', 'item', 'unit']),
  /** IEC 62304 4.3: an item's own class (inherited from the system unless segregation is justified). */
  safetyClass: SafetyClassSchema,
  /** Where its code lives (repository path or module). */
  location: text(500).optional(),
  segregationRationale: text().optional(),
});

const TestStepSchema = z.strictObject({ action: text(), expected: text() });

const TestCaseFields = z.strictObject({
  level: z.enum(['unit', 'integration', 'system']),
  steps: z.array(TestStepSchema).default([]),
  acceptanceCriteria: text().optional(),
  automated: z.boolean().default(false),
  /** Identifier of the automated test in CI output, for mapping results later. */
  automationId: text(500).optional(),
});

const ValidationFields = z.strictObject({
  method: z.enum(['usability_test', 'clinical_evaluation', 'penetration_test', 'user_acceptance', 'analysis']),
  /** Who took part, e.g. "15 patients with heart failure". */
  participants: text(500).optional(),
  acceptanceCriteria: text().optional(),
});

const HazardFields = z.strictObject({
  category: z.enum(['clinical', 'usability', 'security', 'technical', 'data_integrity', 'privacy']),
});

const HazardousSituationFields = z.strictObject({
  /** The sequence of events that leads to it, in words. */
  sequenceOfEvents: text().optional(),
});

const HarmFields = z.strictObject({
  /** Severity: a level key of the product's risk policy (`S3`), checked on every write against the policy in force. */
  severity: text(100).optional(),
});

const RiskControlFields = z.strictObject({
  /** ISO 14971 7.1 options, in their order of priority. */
  option: z.enum(['inherent_safety_by_design', 'protective_measure', 'information_for_safety']),
});

const LevelKey = z.string().trim().min(1).max(20);

/** One estimate: a severity level and either a probability band, P1 and P2, or an exploitability level. */
const RiskEstimateFields = {
  severity: LevelKey.optional(),
  probability: LevelKey.optional(),
  p1: LevelKey.optional(),
  p2: LevelKey.optional(),
  exploitability: LevelKey.optional(),
};

const RiskFields = z.strictObject({
  /** Initial estimate, before risk controls (ISO 14971 5.5). Level keys come from the product's risk policy. */
  ...RiskEstimateFields,
  /** Residual estimate, after risk controls (ISO 14971 7.3). */
  residualSeverity: LevelKey.optional(),
  residualProbability: LevelKey.optional(),
  residualP1: LevelKey.optional(),
  residualP2: LevelKey.optional(),
  residualExploitability: LevelKey.optional(),
  /** CVSS vector behind an exploitability figure, as published or scored. */
  cvss: text(300).optional(),
  /** The risk policy revision the estimates were made under; Dossier sets it on every write. */
  policyRevision: z.number().int().nonnegative().optional(),
  rationale: text().optional(),
});

const ThreatFields = z.strictObject({
  /** What is attacked: data, function or component. */
  asset: text(500),
  /** Who or what attacks, and how. */
  threat: text(1000),
  /** The weakness the attack uses. */
  vulnerability: text(1000),
  attackVector: z.enum(['network', 'adjacent_network', 'local', 'physical']),
  cvss: text(300).optional(),
});

const SequenceFields = z.strictObject({
  /** What starts or drives the sequence: a software or SOUP failure, a use error, a security threat … */
  cause: z.enum(['software_failure', 'soup_failure', 'use_error', 'security_threat', 'hardware_failure', 'environment', 'other']),
});

const BenefitRiskFields = z.strictObject({
  /** The medical benefits weighed against the residual risks. */
  benefits: text(4000),
  conclusion: z.enum(['benefits_outweigh_risks', 'benefits_do_not_outweigh_risks']),
});

const OverallResidualRiskFields = z.strictObject({
  /** The release (product version) the evaluation belongs to. */
  release: text(100),
  acceptable: z.boolean(),
  /** What the labeling discloses about significant residual risks (ISO 14971 8). */
  disclosures: z.array(text()).default([]),
});

const PostProductionFields = z.strictObject({
  kind: z.enum(['complaint', 'field_report', 'service_report', 'literature', 'registry', 'other']),
  /** When the information came in (YYYY-MM-DD). */
  receivedOn: z.iso.date().optional(),
  source: text(500).optional(),
});

const RiskReviewFields = z.strictObject({
  reviewer: text(200),
  /** The day of the review (YYYY-MM-DD). */
  reviewedOn: z.iso.date(),
  outcome: z.enum(['no_change', 'risk_file_updated', 'capa_raised', 'change_requested']),
});

const SoupFields = z.strictObject({
  /** IEC 62304 8.1.2: title, manufacturer and unique designation. */
  package: text(300),
  /** Absent when the SBOM gave none: the component is then not uniquely designated, and `check` says so. */
  version: text(100).optional(),
  supplier: text(300).optional(),
  licence: text(200).optional(),
  purl: text(1000).optional(),
  website: text(1000).optional(),
  /** Where the published anomaly list lives (IEC 62304 7.1.3). */
  anomalyList: text(1000).optional(),
  direct: z.boolean().default(true),
  /** Ecosystem or package manager it came from (npm, maven, generic …). */
  ecosystem: text(100).optional(),
  /** IEC 62304 5.3.3: the functional and performance requirements the software needs this SOUP to meet. */
  functionalRequirements: text().optional(),
  performanceRequirements: text().optional(),
  /** IEC 62304 5.3.4: hardware and software it needs to work as intended. */
  prerequisites: text().optional(),
  /** IEC 62304 7.1.3: outcome of reviewing the supplier's published anomaly list for this version. */
  anomalyReview: text().optional(),
  /** IEC 62304 7.1.2: how this SOUP could contribute to a hazardous situation, and the conclusion. */
  riskAssessment: text().optional(),
});

const VulnerabilityFields = z.strictObject({
  /** The advisory ID: CVE, GHSA, OSV or vendor ID. */
  advisory: text(200),
  aliases: z.array(text(200)).default([]),
  /** Where it was reported from: an OSV file, a CycloneDX VEX file, or by hand. */
  source: z.enum(['osv', 'vex', 'manual']).default('manual'),
  severity: z.enum(['critical', 'high', 'medium', 'low', 'unknown']).default('unknown'),
  /** CVSS vector as published, e.g. `CVSS:3.1/AV:N/AC:L/…`. */
  cvss: text(300).optional(),
  /** The component version it was found against. */
  affectedVersion: text(100).optional(),
  /** Triage outcome; absent means not triaged yet. */
  triage: z.enum(['not_affected', 'affected']).optional(),
  /** Why the product is not affected, or what is done about it. */
  justification: text().optional(),
});

const AnomalyFields = z.strictObject({
  kind: z.enum(['defect', 'vulnerability', 'usability', 'documentation']),
  /** IEC 62304 9.1: criticality of the problem. */
  criticality: z.enum(['low', 'medium', 'high', 'critical']),
  foundIn: text(100).optional(),
  /** Known residual anomaly accepted for release, with the justification in the body. */
  residual: z.boolean().default(false),
  /** Version in which it was fixed; an anomaly without one is open. */
  resolvedIn: text(100).optional(),
});

const def = (d: Omit<RecordTypeDef, 'lifecycle'>): RecordTypeDef => ({ ...d, lifecycle: CONTROLLED_LIFECYCLE });

/** The first catalog: design control and risk management. */
export const RECORD_TYPES: readonly RecordTypeDef[] = [
  def({
    key: RECORD_TYPE.UN,
    name: 'User need',
    group: 'design',
    description: 'What a user or patient needs from the device, in their words; validated at the end.',
    clauses: ['ISO 13485 7.3.3', 'ISO 13485 7.3.7'],
    fields: UserNeedFields,
    localFields: { source: [] },
  }),
  def({
    key: RECORD_TYPE.SYS,
    name: 'System requirement',
    group: 'design',
    description: 'A verifiable requirement on the whole medical device system, derived from user needs.',
    clauses: ['ISO 13485 7.3.3', 'IEC 62304 5.2.1'],
    fields: SystemRequirementFields,
    localFields: { priority: [], rationale: [], allocationReason: [] },
  }),
  def({
    key: RECORD_TYPE.SRS,
    name: 'Software requirement',
    group: 'design',
    description: 'A verifiable requirement on the software; risk-control requirements are flagged.',
    clauses: ['IEC 62304 5.2', 'IEC 62304 5.2.3'],
    fields: SoftwareRequirementFields,
    localFields: { priority: [], rationale: [] },
  }),
  def({
    key: RECORD_TYPE.SWI,
    name: 'Software item',
    group: 'design',
    description: 'A part of the software architecture: the system, an item, or a unit, with its safety class.',
    clauses: ['IEC 62304 5.3', 'IEC 62304 5.4', 'IEC 62304 4.3'],
    fields: SoftwareItemFields,
    localFields: { location: [] },
  }),
  def({
    key: RECORD_TYPE.TC,
    name: 'Test case',
    group: 'verification',
    description: 'A unit, integration or system test with steps and acceptance criteria.',
    clauses: ['IEC 62304 5.5', 'IEC 62304 5.6', 'IEC 62304 5.7', 'ISO 13485 7.3.6'],
    fields: TestCaseFields,
    localFields: { automated: [], automationId: [] },
  }),
  def({
    key: RECORD_TYPE.VAL,
    name: 'Validation activity',
    group: 'verification',
    description: 'Evidence that the device meets user needs in real use: usability test, clinical evaluation, pen test.',
    clauses: ['ISO 13485 7.3.7', 'ISO 14971 7.2'],
    fields: ValidationFields,
  }),
  {
    ...def({
      key: RECORD_TYPE.HAZ,
      name: 'Hazard',
      group: 'risk',
      description: 'A potential source of harm, including security threats.',
      clauses: ['ISO 14971 5.4'],
      fields: HazardFields,
    }),
    computed: {
      softwareCause:
        'identified (a software item, SOUP, anomaly or vulnerability causes the hazard, a sequence of events or a situation it leads to), ' +
        'not_software (every sequence of events it leads to is driven by a use error, hardware or the environment) or missing',
    },
  },
  def({
    key: RECORD_TYPE.HS,
    name: 'Hazardous situation',
    group: 'risk',
    description: 'A circumstance in which people are exposed to a hazard, reached by a sequence of events.',
    clauses: ['ISO 14971 5.4', 'IEC 62304 7.1'],
    fields: HazardousSituationFields,
  }),
  {
    ...def({
      key: RECORD_TYPE.HARM,
      name: 'Harm',
      group: 'risk',
      description: 'Injury or damage to the health of people, or damage to property or the environment.',
      clauses: ['ISO 14971 5.5'],
      fields: HarmFields,
    }),
    computed: {
      severityInPolicy: 'false when the severity is not a level of the risk policy (text written before severities were levels), else true',
    },
  },
  {
    ...def({
      key: RECORD_TYPE.RC,
      name: 'Risk control',
      group: 'risk',
      description: 'A measure that reduces a risk; implemented by requirements and verified by tests.',
      clauses: ['ISO 14971 7.1', 'ISO 14971 7.2', 'IEC 62304 7.2'],
      fields: RiskControlFields,
    }),
    computed: {
      verification: 'passed, failed, not_run or untested: the newest results of the tests verifying the control or its risk-control requirements',
    },
  },
  def({
    key: RECORD_TYPE.RMP,
    name: 'Risk policy',
    group: 'risk',
    description: 'The product\'s risk acceptability policy: severity and probability scales, the matrix, overall criteria, review interval. One per product.',
    clauses: ['ISO 14971 4.2', 'ISO 14971 4.4', 'ISO 14971 8'],
    fields: RiskPolicySchema,
  }),
  def({
    key: RECORD_TYPE.THREAT,
    name: 'Security threat',
    group: 'risk',
    description: 'A threat to an asset through a vulnerability and an attack vector; a cause of hazardous situations like any other.',
    clauses: ['ISO 14971 5.4', 'IEC 62304 5.2.2'],
    fields: ThreatFields,
  }),
  def({
    key: RECORD_TYPE.SEQ,
    name: 'Sequence of events',
    group: 'risk',
    description: 'How a hazard becomes a hazardous situation: the events in between, and what drives them.',
    clauses: ['ISO 14971 5.4'],
    fields: SequenceFields,
  }),
  {
    ...def({
      key: RECORD_TYPE.RISK,
      name: 'Risk estimate',
      group: 'risk',
      description: 'The risk of one hazardous situation leading to one harm: severity and probability before and after controls.',
      clauses: ['ISO 14971 5.5', 'ISO 14971 6', 'ISO 14971 7.3'],
      fields: RiskFields,
      // The residual estimate is what a benefit-risk analysis weighs; the controls, their requirements and tests
      // answer the initial estimate and do not change with it. The rationale and stamps are notes on the estimate.
      localFields: {
        residualSeverity: ['justifies'],
        residualProbability: ['justifies'],
        residualP1: ['justifies'],
        residualP2: ['justifies'],
        residualExploitability: ['justifies'],
        cvss: [],
        rationale: [],
        policyRevision: [],
      },
    }),
    computed: {
      initialZone: 'zone of the initial estimate in the policy matrix (acceptable, reduce, unacceptable)',
      residualZone: 'zone of the residual estimate',
      finalZone: 'the residual zone, or the initial zone when no residual estimate exists',
      controlled: 'true when a risk control mitigates the risk, its situation, its harm or its hazard',
      controlsVerified: 'true when every control of the risk is verified by a passing test',
      review: 'current, flagged (new post-production information) or overdue',
      securityCause: 'true when a security threat, a vulnerability or a sequence driven by a security threat causes it',
      usesExploitability: 'true when an estimate gives exploitability instead of probability',
      harmSeverity: 'the severity of the harm it assesses (the most severe, if it names several), when that is a policy level',
      severityFitsHarm: 'false when the initial severity is lower than its harm\'s severity, else true',
    },
  },
  def({
    key: RECORD_TYPE.BRA,
    name: 'Benefit-risk analysis',
    group: 'risk',
    description: 'Why the medical benefits outweigh a residual risk that is not acceptable by the policy.',
    clauses: ['ISO 14971 7.4', 'ISO 14971 8'],
    fields: BenefitRiskFields,
  }),
  def({
    key: RECORD_TYPE.ORR,
    name: 'Overall residual risk evaluation',
    group: 'risk',
    description: 'The judgement, per release, that the overall residual risk is acceptable, and what the labeling discloses.',
    clauses: ['ISO 14971 8', 'ISO 14971 9'],
    fields: OverallResidualRiskFields,
  }),
  def({
    key: RECORD_TYPE.PPI,
    name: 'Post-production information',
    group: 'problem',
    description: 'Information from the field (complaint, service or literature) that may bear on a hazard or risk.',
    clauses: ['ISO 14971 10', 'ISO 13485 8.2.1'],
    fields: PostProductionFields,
    localFields: { source: [] },
  }),
  def({
    key: RECORD_TYPE.RREV,
    name: 'Risk review',
    group: 'risk',
    description: 'A recorded review of risks: who reviewed, when, and the outcome.',
    clauses: ['ISO 14971 9', 'ISO 14971 10'],
    fields: RiskReviewFields,
  }),
  def({
    key: RECORD_TYPE.SOUP,
    name: 'SOUP component',
    group: 'configuration',
    description: 'Software of unknown provenance: a third-party component used as is.',
    clauses: ['IEC 62304 5.3.3', 'IEC 62304 7.1.2', 'IEC 62304 8.1.2'],
    fields: SoupFields,
    localFields: { supplier: [], licence: [], website: [], purl: [], ecosystem: [], anomalyList: [], anomalyReview: [], riskAssessment: ['causes'] },
  }),
  def({
    key: RECORD_TYPE.VULN,
    name: 'Vulnerability',
    group: 'problem',
    description: 'A published security vulnerability in a SOUP component, to be triaged: not affected (why) or affected (tracked).',
    clauses: ['IEC 62304 7.1.3', 'IEC 62304 9.2', 'ISO 14971 10'],
    fields: VulnerabilityFields,
  }),
  def({
    key: RECORD_TYPE.ANOM,
    name: 'Anomaly',
    group: 'problem',
    description: 'A problem report: a defect, vulnerability or other anomaly found in the software.',
    clauses: ['IEC 62304 9', 'IEC 62304 5.8.2'],
    fields: AnomalyFields,
  }),
  {
    ...def({
      key: RECORD_TYPE.DOC,
      name: 'Document',
      group: 'document',
      description:
        'A controlled document: quality manual, policy, procedure (SOP), work instruction, form, plan, report, specification or labeling; approved by signature, then made effective, one version at a time.',
      clauses: ['ISO 13485 4.2.4'],
      fields: DocumentFields,
      localFields: { location: [], owner: [], reviewIntervalMonths: [], trainingDays: [], quiz: [] },
    }),
    computed: {
      effective: 'true when a version of the document is in force (made effective and not obsolete)',
      reviewState: 'current, due_soon or overdue: the periodic review of the version in force (absent when none is in force)',
      clausesCovered: 'the ISO 13485 clause numbers the document covers (`8.5.2`), a cited clause bringing its sub-clauses',
    },
  },
  def({
    key: RECORD_TYPE.JOB,
    name: 'Job role',
    group: 'quality',
    description: 'A job description and who holds it now; the documents it must be trained on are linked (requires training on).',
    clauses: ['ISO 13485 6.2'],
    fields: JobRoleFields,
    localFields: { responsibilities: [] },
  }),
  def({
    key: RECORD_TYPE.QUAL,
    name: 'Competence record',
    group: 'quality',
    description: "A person's education, qualification, certificate or external training, with the file that proves it attached.",
    clauses: ['ISO 13485 6.2'],
    fields: QualificationFields,
  }),
  {
    ...def({
      key: RECORD_TYPE.CAPA,
      name: 'CAPA',
      group: 'quality',
      description:
        'A corrective or preventive action: the problem, its containment, root cause, actions with owners and due dates, and a planned effectiveness check; closed by signature.',
      clauses: ['ISO 13485 8.5.2', 'ISO 13485 8.5.3'],
      fields: CapaFields,
    }),
    computed: { processState: 'where the CAPA stands: its state, or closed once signed', overdue: 'true when open past its due date, or an action or the effectiveness check is late' },
  },
  {
    ...def({
      key: RECORD_TYPE.CMP,
      name: 'Complaint',
      group: 'quality',
      description: 'Feedback that alleges a problem with the device: intake, investigation, the reportability decision with its deadlines, and the reply.',
      clauses: ['ISO 13485 8.2.1', 'ISO 13485 8.2.2', 'ISO 13485 8.2.3'],
      fields: ComplaintFields,
    }),
    computed: { processState: 'where the complaint stands', overdue: 'true when a regulatory report is past its due date and not sent' },
  },
  {
    ...def({
      key: RECORD_TYPE.NC,
      name: 'Nonconformance',
      group: 'quality',
      description: 'A product or process that did not meet a requirement: its evaluation, disposition with justification, actions, and whether a CAPA follows.',
      clauses: ['ISO 13485 8.3'],
      fields: NonconformanceFields,
    }),
    computed: { processState: 'where the nonconformance stands' },
  },
  {
    ...def({
      key: RECORD_TYPE.AUD,
      name: 'Internal audit',
      group: 'quality',
      description: 'One audit of the programme: its scope (clauses), auditor, dates and report; findings are linked to it.',
      clauses: ['ISO 13485 8.2.4'],
      fields: AuditFields,
    }),
    computed: { processState: 'where the audit stands' },
  },
  {
    ...def({
      key: RECORD_TYPE.AF,
      name: 'Audit finding',
      group: 'quality',
      description: 'A major or minor nonconformity or an observation from an audit, against a clause; a CAPA addresses it.',
      clauses: ['ISO 13485 8.2.4', 'ISO 13485 8.5.2'],
      fields: AuditFindingFields,
    }),
    computed: { processState: 'where the finding stands' },
  },
  {
    ...def({
      key: RECORD_TYPE.MREV,
      name: 'Management review',
      group: 'quality',
      description: "Top management's review of the quality system for a period: inputs compiled from the store, outputs, actions, and signed minutes.",
      clauses: ['ISO 13485 5.6'],
      fields: ManagementReviewFields,
    }),
    computed: { processState: 'where the review stands' },
  },
  {
    ...def({
      key: RECORD_TYPE.SUP,
      name: 'Supplier',
      group: 'quality',
      description: 'A supplier (SOUP vendor, cloud provider, contract developer) with its criticality, evaluation, status and re-evaluation date.',
      clauses: ['ISO 13485 7.4.1'],
      fields: SupplierFields,
      localFields: { agreements: [] },
    }),
    computed: { processState: 'the supplier status', reevaluation: 'current or overdue' },
  },
  {
    ...def({
      key: RECORD_TYPE.CR,
      name: 'Change request',
      group: 'quality',
      description: 'A proposed change: the records it changes with their impact, its safety and regulatory assessment, approval before the changed records are approved, and the release that ships it.',
      clauses: ['ISO 13485 7.3.9', 'ISO 13485 4.1.4', 'IEC 62304 8.2'],
      fields: ChangeRequestFields,
    }),
    computed: { processState: 'where the change stands: approved once signed in state assessed' },
  },
];
