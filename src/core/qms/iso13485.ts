/**
 * The clauses of ISO 13485:2016 sections 4–8, by number, each with a short title in our own words (never the
 * standard's text), and whether it usually applies to software as a medical device. A clause that does not apply
 * (sterile products, contamination control) is listed with the reason a SaMD quality manual gives for excluding it.
 */
export interface Iso13485Clause {
  /** `8.5.2` */
  readonly number: string;
  readonly title: string;
  /** Absent: applies. Otherwise why a software-only manufacturer usually excludes or does not apply it. */
  readonly notApplicable?: string;
}

const NO_STERILE = 'software only: nothing is sterile';
const NO_PHYSICAL = 'software only: no physical product to keep clean, install or preserve';

export const ISO13485_CLAUSES: readonly Iso13485Clause[] = [
  { number: '4.1', title: 'The quality system: processes, their sequence, outsourcing and software used in it' },
  { number: '4.1.6', title: 'Validation of software used in the quality system' },
  { number: '4.2.1', title: 'What the quality system documents' },
  { number: '4.2.2', title: 'Quality manual' },
  { number: '4.2.3', title: 'Medical device file' },
  { number: '4.2.4', title: 'Control of documents' },
  { number: '4.2.5', title: 'Control of records' },
  { number: '5.1', title: 'Commitment of top management' },
  { number: '5.2', title: 'Customer focus' },
  { number: '5.3', title: 'Quality policy' },
  { number: '5.4.1', title: 'Quality objectives' },
  { number: '5.4.2', title: 'Planning the quality system' },
  { number: '5.5.1', title: 'Responsibility and authority' },
  { number: '5.5.2', title: 'Management representative' },
  { number: '5.5.3', title: 'Internal communication' },
  { number: '5.6.1', title: 'Management review: held at planned intervals' },
  { number: '5.6.2', title: 'Management review: inputs' },
  { number: '5.6.3', title: 'Management review: outputs' },
  { number: '6.1', title: 'Resources' },
  { number: '6.2', title: 'Competence, training and awareness' },
  { number: '6.3', title: 'Infrastructure, including software tools and hosting' },
  { number: '6.4.1', title: 'Work environment' },
  { number: '6.4.2', title: 'Contamination control', notApplicable: NO_STERILE },
  { number: '7.1', title: 'Planning of product realization, including risk management' },
  { number: '7.2.1', title: 'Requirements related to the product' },
  { number: '7.2.2', title: 'Review of product requirements' },
  { number: '7.2.3', title: 'Communication with customers and regulators' },
  { number: '7.3.1', title: 'Design and development: general' },
  { number: '7.3.2', title: 'Design and development planning' },
  { number: '7.3.3', title: 'Design inputs' },
  { number: '7.3.4', title: 'Design outputs' },
  { number: '7.3.5', title: 'Design reviews' },
  { number: '7.3.6', title: 'Design verification' },
  { number: '7.3.7', title: 'Design validation' },
  { number: '7.3.8', title: 'Design transfer' },
  { number: '7.3.9', title: 'Control of design changes' },
  { number: '7.3.10', title: 'Design and development files' },
  { number: '7.4.1', title: 'Purchasing process and supplier control' },
  { number: '7.4.2', title: 'Purchasing information' },
  { number: '7.4.3', title: 'Verification of purchased product' },
  { number: '7.5.1', title: 'Control of production and service provision (software build and release)' },
  { number: '7.5.2', title: 'Cleanliness of product', notApplicable: NO_PHYSICAL },
  { number: '7.5.3', title: 'Installation activities' },
  { number: '7.5.4', title: 'Servicing activities' },
  { number: '7.5.5', title: 'Sterile medical devices', notApplicable: NO_STERILE },
  { number: '7.5.6', title: 'Validation of processes, including software used in production' },
  { number: '7.5.7', title: 'Validation of sterilization and sterile barrier systems', notApplicable: NO_STERILE },
  { number: '7.5.8', title: 'Identification (versions, UDI)' },
  { number: '7.5.9', title: 'Traceability' },
  { number: '7.5.10', title: 'Customer property (including customer data)' },
  { number: '7.5.11', title: 'Preservation of product', notApplicable: NO_PHYSICAL },
  { number: '7.6', title: 'Control of monitoring and measuring equipment (and the software that measures)' },
  { number: '8.1', title: 'Measurement, analysis and improvement: general' },
  { number: '8.2.1', title: 'Feedback' },
  { number: '8.2.2', title: 'Complaint handling' },
  { number: '8.2.3', title: 'Reporting to regulatory authorities' },
  { number: '8.2.4', title: 'Internal audit' },
  { number: '8.2.5', title: 'Monitoring and measurement of processes' },
  { number: '8.2.6', title: 'Monitoring and measurement of product' },
  { number: '8.3', title: 'Control of nonconforming product' },
  { number: '8.4', title: 'Analysis of data' },
  { number: '8.5.1', title: 'Improvement' },
  { number: '8.5.2', title: 'Corrective action' },
  { number: '8.5.3', title: 'Preventive action' },
];

/** `ISO 13485 8.5.2` → `8.5.2`; undefined for another standard's reference. */
export function iso13485Number(reference: string): string | undefined {
  const m = /^ISO 13485 (\d+(?:\.\d+)*)$/.exec(reference.trim());
  return m?.[1];
}

/**
 * True when a reference covers a clause: `ISO 13485 7.3` covers 7.3.9, and `ISO 13485 7.3.9` covers 7.3.9 (and
 * nothing above it).
 */
export function covers(reference: string, clause: string): boolean {
  const n = iso13485Number(reference);
  return n !== undefined && (clause === n || clause.startsWith(`${n}.`));
}
