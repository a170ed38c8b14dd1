import { RECORD_TYPE } from './record-type-keys.js';

/**
 * One link type: read as "<from> <label> <to>", e.g. "TC-4 verifies SRS-12". `inverse` reads the other way
 * ("SRS-12 verified by TC-4"). `from` and `to` list the record-type keys allowed at each end.
 */
export interface LinkTypeDef {
  readonly key: string;
  readonly label: string;
  readonly inverse: string;
  readonly from: readonly string[];
  readonly to: readonly string[];
  /**
   * Which end is upstream when tracing (needs → requirements → tests; hazard → situation → harm → control).
   * Changes flow downstream: a new revision upstream makes the links below it suspect.
   */
  readonly upstream: 'from' | 'to';
  readonly description: string;
  /** Narrower than from × to: for each `from` type, the `to` types it may join (e.g. SWI implements SRS only). */
  readonly pairs?: Readonly<Record<string, readonly string[]>>;
  /** Links of this type must never form a cycle (sequences of events). */
  readonly acyclic?: boolean;
}

/** The first catalog of link types: design control (ISO 13485 7.3) and risk (ISO 14971, IEC 62304 7). */
/** Every built-in record type key. */
const ALL_RECORD_TYPES: readonly string[] = Object.values(RECORD_TYPE);

export const LINK_TYPES: readonly LinkTypeDef[] = [
  {
    key: 'derives_from',
    label: 'derives from',
    inverse: 'derived into',
    from: ['SYS', 'SRS'],
    to: ['UN', 'SYS'],
    upstream: 'to',
    description: 'A requirement comes from a user need or a higher-level requirement.',
  },
  {
    key: 'refines',
    label: 'refines',
    inverse: 'refined by',
    from: ['SYS', 'SRS'],
    to: ['SYS', 'SRS'],
    upstream: 'to',
    description: 'A requirement details another requirement of the same or higher level.',
  },
  {
    key: 'implements',
    label: 'implements',
    inverse: 'implemented by',
    from: ['SWI', 'SRS'],
    to: ['SRS', 'RC'],
    upstream: 'to',
    description: 'A software item implements a requirement; a requirement implements a risk control.',
    pairs: { SWI: ['SRS'], SRS: ['SRS', 'RC'] },
  },
  {
    key: 'verifies',
    label: 'verifies',
    inverse: 'verified by',
    from: ['TC'],
    to: ['SYS', 'SRS', 'SWI', 'RC'],
    upstream: 'to',
    description: 'A test case shows that a requirement, item or risk control is met.',
  },
  {
    key: 'validates',
    label: 'validates',
    inverse: 'validated by',
    from: ['VAL'],
    to: ['UN', 'RC'],
    upstream: 'to',
    description: 'A validation activity shows a user need is met, or a risk control is effective.',
  },
  {
    key: 'mitigates',
    label: 'mitigates',
    inverse: 'mitigated by',
    from: ['RC'],
    to: ['HAZ', 'HS', 'HARM', 'RISK'],
    upstream: 'to',
    description: 'A risk control lowers the probability or severity of a hazard, situation, harm or risk.',
  },
  {
    key: 'causes',
    label: 'causes',
    inverse: 'caused by',
    from: ['SWI', 'SOUP', 'ANOM', 'VULN', 'THREAT'],
    to: ['HAZ', 'SEQ', 'HS'],
    upstream: 'to',
    description: 'A software item, SOUP component, anomaly, vulnerability or security threat can start a sequence of events, hazard or hazardous situation.',
  },
  {
    key: 'leads_to',
    label: 'leads to',
    inverse: 'follows from',
    from: ['HAZ', 'SEQ'],
    to: ['SEQ', 'HS'],
    upstream: 'from',
    description: 'A hazard leads, through sequences of events, to a hazardous situation; sequences never loop.',
    pairs: { HAZ: ['SEQ', 'HS'], SEQ: ['SEQ', 'HS'] },
    acyclic: true,
  },
  {
    key: 'results_in',
    label: 'results in',
    inverse: 'results from',
    from: ['HS'],
    to: ['HARM'],
    upstream: 'from',
    description: 'A hazardous situation can result in a harm.',
  },
  {
    key: 'introduces',
    label: 'introduces',
    inverse: 'introduced by',
    from: ['RC'],
    to: ['HAZ'],
    upstream: 'from',
    description: 'A risk control brings a new hazard with it (ISO 14971 7.5).',
  },
  {
    key: 'affects',
    label: 'affects',
    inverse: 'affected by',
    from: ['ANOM', 'VULN'],
    to: ['SWI', 'SRS', 'SOUP', 'TC'],
    upstream: 'to',
    description: 'An anomaly or vulnerability affects a software item, requirement, SOUP component or test.',
  },
  {
    key: 'tracked_as',
    label: 'is tracked as',
    inverse: 'tracks',
    from: ['VULN'],
    to: ['ANOM'],
    upstream: 'from',
    description: 'A vulnerability that affects the product is handled as a problem report (IEC 62304 9).',
  },
  {
    key: 'assesses',
    label: 'assesses',
    inverse: 'assessed by',
    from: ['RISK'],
    to: ['HS', 'HARM'],
    upstream: 'to',
    description: 'A risk estimate assesses one hazardous situation and the harm it can result in.',
  },
  {
    key: 'justifies',
    label: 'justifies',
    inverse: 'justified by',
    from: ['BRA'],
    to: ['RISK'],
    upstream: 'to',
    description: 'A benefit-risk analysis justifies a residual risk the policy does not accept on its own.',
  },
  {
    key: 'concerns',
    label: 'concerns',
    inverse: 'concerned by',
    from: ['PPI', 'ANOM', 'VULN', 'CAPA', 'CMP', 'NC'],
    to: ['HAZ', 'HS', 'RISK'],
    upstream: 'from',
    description:
      'Post-production information, an anomaly, a vulnerability, a CAPA, a complaint or a nonconformance bears on a hazard or risk, which needs review.',
  },
  {
    key: 'reviews',
    label: 'reviews',
    inverse: 'reviewed in',
    from: ['RREV'],
    to: ['RISK'],
    upstream: 'to',
    description: 'A risk review covered this risk.',
  },
  {
    key: 'part_of',
    label: 'is part of',
    inverse: 'contains',
    from: ['SWI'],
    to: ['SWI'],
    upstream: 'to',
    description: 'A software unit or item is part of a larger item or the system.',
  },
  {
    key: 'uses',
    label: 'uses',
    inverse: 'used by',
    from: ['SWI'],
    to: ['SOUP'],
    upstream: 'to',
    description: 'A software item uses a SOUP component.',
  },
  {
    key: 'references',
    label: 'references',
    inverse: 'referenced by',
    from: ['DOC'],
    to: ALL_RECORD_TYPES,
    upstream: 'to',
    description: 'A document covers or refers to a record.',
  },
  {
    key: 'requires_training',
    label: 'requires training on',
    inverse: 'is required training for',
    from: ['JOB'],
    to: ['DOC'],
    upstream: 'to',
    description: 'People in a job role must be trained on a document (the training matrix): each new effective version assigns them training.',
  },
  {
    key: 'addresses',
    label: 'addresses',
    inverse: 'addressed by',
    from: ['CAPA'],
    to: ['CMP', 'NC', 'AF', 'PPI', 'RREV', 'ANOM', 'VULN', 'MREV', 'SUP'],
    upstream: 'to',
    description: 'A CAPA addresses the complaint, nonconformance, audit finding, trend or review that raised it.',
  },
  {
    key: 'found_in',
    label: 'was found in',
    inverse: 'found',
    from: ['AF'],
    to: ['AUD'],
    upstream: 'to',
    description: 'An audit finding was raised in an internal audit.',
  },
  {
    key: 'changes',
    label: 'changes',
    inverse: 'changed by',
    from: ['CR'],
    to: ALL_RECORD_TYPES.filter((t) => t !== 'CR'),
    upstream: 'to',
    description: 'A change request changes a record: the record is approved only after the change request is.',
  },
  {
    key: 'raises',
    label: 'raises',
    inverse: 'raised by',
    from: ['CAPA', 'CMP', 'NC', 'ANOM', 'AF'],
    to: ['CR'],
    upstream: 'from',
    description: 'A CAPA, complaint, nonconformance, anomaly or audit finding leads to a change request.',
  },
  {
    key: 'feeds',
    label: 'feeds',
    inverse: 'fed by',
    from: ['CMP', 'NC'],
    to: ['PPI'],
    upstream: 'from',
    description: 'A complaint or a nonconformance found after delivery is post-production information for the risk file.',
  },
  {
    key: 'supplied_by',
    label: 'is supplied by',
    inverse: 'supplies',
    from: ['SOUP', 'DOC'],
    to: ['SUP'],
    upstream: 'to',
    description: 'A SOUP component (or an external document) comes from a supplier.',
  },
];
