import type { StarterRole } from './starter-document.js';

/** Everyone is trained on the manual and on how documents, complaints and security work. */
const EVERYONE = ['QM-001', 'SOP-001', 'SOP-002', 'SOP-006', 'SOP-015'];

function jobDescription(title: string, purpose: string, duties: readonly string[], competence: string): string {
  return [
    `# ${title}`,
    `## Purpose of the role\n\n${purpose}`,
    `## Duties\n\n${duties.map((d) => `- ${d}`).join('\n')}`,
    `## Competence needed\n\n${competence}`,
    '## Training\n\nThe documents this role must be trained on are linked to this record (requires training on); see `dossier qms training matrix`.',
  ].join('\n\n') + '\n';
}

/** The starter job roles of a 5–20 person SaMD company, with their row of the training matrix. */
export const STARTER_ROLES: readonly StarterRole[] = [
  {
    title: 'Managing director',
    responsibilities:
      'Top management: sets the quality policy and objectives, provides resources, chairs management review and is accountable for the quality system.',
    body: jobDescription(
      'Managing director',
      'Leads the company and is accountable for the quality system and the safety of its products.',
      [
        'Sets and reviews the quality policy and quality objectives.',
        'Appoints the quality manager as management representative.',
        'Provides people, tools and budget for the quality system.',
        'Chairs management review and signs its minutes.',
        'Signs quality agreements with critical suppliers.',
      ],
      'Experience leading a team; knows the regulations that apply to the company\'s products at an overview level.',
    ),
    trainedOn: [...EVERYONE, 'SOP-003', 'SOP-005', 'SOP-008', 'SOP-011'],
  },
  {
    title: 'Quality manager',
    responsibilities:
      'Management representative: keeps the quality system working and reports on it to top management; owns document control, training, CAPA, audits, suppliers and release approval.',
    body: jobDescription(
      'Quality manager',
      'Makes sure the quality system is in place, kept up and effective, and tells top management how it performs.',
      [
        'Keeps the quality system documents current and approves them.',
        'Runs the training programme and the training matrix.',
        'Triages and tracks CAPAs, complaints and nonconformances.',
        'Plans the internal audit programme; audits areas they do not own.',
        'Evaluates suppliers.',
        'Checks the release gate and signs releases.',
        'Prepares management review.',
      ],
      'Knowledge of ISO 13485, IEC 62304 and ISO 14971 (a course or equivalent experience); internal auditor training.',
    ),
    trainedOn: [
      'QM-001',
      ...Array.from({ length: 18 }, (_, i) => `SOP-${String(i + 1).padStart(3, '0')}`),
    ],
  },
  {
    title: 'Software engineer',
    responsibilities:
      'Designs, builds, tests and releases the device software under the development procedures; investigates and fixes anomalies and vulnerabilities.',
    body: jobDescription(
      'Software engineer',
      'Builds safe, well-tested software and keeps its records complete.',
      [
        'Writes software requirements, architecture, code and tests.',
        'Reviews colleagues\' code before merge.',
        'Keeps the trace between requirements, code and tests complete.',
        'Investigates anomalies, vulnerabilities and complaints with a technical cause.',
        'Takes part in risk analysis and threat modelling.',
        'Prepares releases.',
      ],
      'A degree in computing or equivalent experience; trained on the development procedures before working alone on the device.',
    ),
    trainedOn: [...EVERYONE, 'SOP-009', 'SOP-010', 'SOP-011', 'SOP-012', 'SOP-013', 'SOP-014', 'SOP-017', 'SOP-018'],
  },
  {
    title: 'Clinical/regulatory specialist',
    responsibilities:
      'Owns the regulatory strategy, vigilance reporting, clinical evaluation and post-market surveillance; leads risk analysis on clinical questions.',
    body: jobDescription(
      'Clinical/regulatory specialist',
      'Makes sure the products meet the regulations of each market and that clinical safety is understood.',
      [
        'Decides whether complaints are reportable and files reports to authorities on time.',
        'Owns the clinical evaluation and validation activities.',
        'Leads the risk analysis of harms and their severity.',
        'Owns the post-market surveillance plan and report.',
        'Assesses the regulatory significance of changes.',
      ],
      'Clinical or regulatory background; knowledge of the EU MDR and FDA rules for software.',
    ),
    trainedOn: [...EVERYONE, 'SOP-003', 'SOP-005', 'SOP-007', 'SOP-009', 'SOP-011', 'SOP-012', 'SOP-016'],
  },
  {
    title: 'Product owner',
    responsibilities:
      'Owns the product\'s intended use, user needs and requirements, and what goes into each release; approves release content and notes.',
    body: jobDescription(
      'Product owner',
      'Makes sure the product meets the needs of its users and its intended use.',
      [
        'Collects user needs and keeps the requirements prioritized.',
        'Takes part in design reviews and validation.',
        'Decides which anomalies are fixed in which release.',
        'Approves release content and release notes.',
        'Brings user feedback and usage data into post-market surveillance.',
      ],
      'Knowledge of the clinical setting the product is used in, and of the product\'s users.',
    ),
    trainedOn: [...EVERYONE, 'SOP-005', 'SOP-009', 'SOP-010', 'SOP-011', 'SOP-012', 'SOP-013', 'SOP-016', 'SOP-017'],
  },
];
