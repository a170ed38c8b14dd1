import { ISO13485_CLAUSES } from '../iso13485.js';
import type { StarterDocument } from './starter-document.js';

/** The exclusions table of the manual, built from the clause list so the two never disagree. */
function exclusions(): string {
  const rows = ISO13485_CLAUSES.filter((c) => c.notApplicable !== undefined).map(
    (c) => `| ${c.number} | ${c.title} | ${c.notApplicable ?? ''} |`,
  );
  return ['| Clause | Topic | Why it does not apply to us |', '| --- | --- | --- |', ...rows].join('\n');
}

const PROCESS_MAP = [
  'Management processes (they steer the others):',
  '',
  '- Management review (SOP-003) ← metrics, audits (SOP-004), CAPA (SOP-005), complaints (SOP-006), post-market data (SOP-016)',
  '- Document and record control (SOP-001), training (SOP-002), change control (SOP-009)',
  '',
  'Product realization (from a user need to a released version):',
  '',
  '```',
  'user needs → design control (SOP-012) → software development (SOP-010) → software release (SOP-017)',
  '                  ↑ risk management (SOP-011), cybersecurity (SOP-015), SOUP (SOP-014), suppliers (SOP-008)',
  '```',
  '',
  'Measurement and improvement (from the field back to the design):',
  '',
  '```',
  'users → complaints and vigilance (SOP-006) → problem resolution (SOP-013) / nonconformance (SOP-007)',
  '      → CAPA (SOP-005) → change control (SOP-009) → software development (SOP-010)',
  'post-market surveillance (SOP-016) → risk management (SOP-011) and management review (SOP-003)',
  '```',
  '',
  'Outsourced processes (cloud hosting, contract developers) are controlled as suppliers under SOP-008.',
].join('\n');

/** QM-001: the quality manual. Scope, exclusions with reasons, the process map, and who is responsible for what. */
export const QUALITY_MANUAL: StarterDocument = {
  number: 'QM-001',
  title: 'Quality manual',
  docType: 'quality_manual',
  clauses: [
    'ISO 13485 4.1',
    'ISO 13485 4.2.1',
    'ISO 13485 4.2.2',
    'ISO 13485 4.2.3',
    'ISO 13485 5.1',
    'ISO 13485 5.2',
    'ISO 13485 5.3',
    'ISO 13485 5.4.1',
    'ISO 13485 5.4.2',
    'ISO 13485 5.5.1',
    'ISO 13485 5.5.2',
    'ISO 13485 5.5.3',
    'ISO 13485 6.1',
    'ISO 13485 6.3',
    'ISO 13485 6.4.1',
    'ISO 13485 7.1',
    'ISO 13485 7.2.1',
    'ISO 13485 7.2.2',
    'ISO 13485 7.2.3',
  ],
  governs: [],
  reviewIntervalMonths: 12,
  trainingDays: 30,
  purpose:
    'This manual describes how our company runs its quality system: what we make, which rules apply to us, which processes we have, ' +
    'how they connect, and who is responsible. It is the entry point: every procedure (SOP) and form is listed here.',
  scope:
    'The quality system covers the design, development, release, hosting, support and post-market surveillance of our software as a ' +
    'medical device (SaMD). We make software only: no hardware, nothing sterile, no physical shipping. The clauses that do not apply ' +
    'to a software-only manufacturer are listed below with the reason. Everything else applies in full.',
  responsibilities: [
    'Managing director (top management): owns this manual, sets the quality policy and objectives, provides people and money, chairs management review.',
    'Quality manager (management representative): keeps the quality system running, reports on it to top management, runs audits and document control.',
    'Product owner: owns the product requirements and the intended use; decides what goes into a release together with the quality manager.',
    'Software engineer: builds, tests and releases the software under the development procedures.',
    'Clinical/regulatory specialist: owns the regulatory strategy, vigilance reports and the clinical evaluation.',
  ],
  procedure: [
    'Quality policy: we build software that is safe and does what its labeling says; we meet the regulations of each market we sell in; we find and fix problems quickly and learn from them; every person is trained for their job. Top management reviews the policy each year in management review.',
    'Quality objectives: each year top management sets measurable objectives (for example: CAPAs closed on time, complaints answered within 10 working days, trainings done on time, releases with no open safety-related anomaly). They are tracked with `dossier qms metrics` and reviewed in management review.',
    'Planning: the quality system is planned as the processes in the process map below. A change to the quality system goes through change control (SOP-009) so the system keeps working while it changes.',
    'Customer focus: user needs and regulatory requirements are captured as design inputs (SOP-012); feedback and complaints are handled under SOP-006.',
    'Responsibility and authority: each job role has a job description (a JOB record) with its duties and the documents it must be trained on. The quality manager may stop a release when a quality or safety issue is open.',
    'Internal communication: quality topics are discussed in the regular team meeting; decisions that matter are recorded as records in Dossier, not in chat.',
    'Communication with customers and regulators: product information, labeling and instructions for use are controlled documents; reports to authorities follow SOP-006.',
    'Resources, infrastructure and work environment: top management provides enough trained people, laptops, development tools and hosting. Tools that can affect product quality (CI, test tools, Dossier itself) are validated before use (SOP-018). Staff may work remotely; the work environment needs no special control for a software product.',
    'Medical device file: for each product, the file is the Dossier product itself: intended use, safety class, requirements, architecture, risk file, verification and validation evidence, releases, labeling and post-market data, all as records. `dossier release create` freezes it per version.',
    'Documents and records: every document and record of the quality system lives in Dossier and is controlled under SOP-001.',
  ],
  records: [
    'This manual, as a controlled document: `dossier qms doc list`.',
    'Job descriptions and the training matrix: `dossier qms training matrix`.',
    'Quality objectives and their status: `dossier qms metrics`, reviewed in management review records (`dossier qms review compile`).',
    'The readiness of the quality system per clause: `dossier qms readiness`.',
  ],
  extra: [
    { heading: 'Exclusions', text: exclusions() },
    { heading: 'Process map', text: PROCESS_MAP },
    {
      heading: 'Documents of the quality system',
      text:
        'SOP-001 Document and record control; SOP-002 Training and competence; SOP-003 Management review; SOP-004 Internal audit; ' +
        'SOP-005 CAPA; SOP-006 Complaint handling and vigilance reporting; SOP-007 Nonconformance; SOP-008 Supplier management; ' +
        'SOP-009 Change control; SOP-010 Software development; SOP-011 Risk management; SOP-012 Design control; ' +
        'SOP-013 Software problem resolution; SOP-014 SOUP management; SOP-015 Cybersecurity; SOP-016 Post-market surveillance; ' +
        'SOP-017 Software release; SOP-018 Validation of software tools. Forms: FRM-001 to FRM-009.',
    },
  ],
};
