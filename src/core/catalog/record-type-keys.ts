/**
 * The keys of the built-in record types, as constants: code that treats one type specially (the risk module's
 * hooks, the demo, use-cases) names it through these, so a typo is a compile error, not a silent mismatch.
 */
export const RECORD_TYPE = {
  UN: 'UN',
  SYS: 'SYS',
  SRS: 'SRS',
  SWI: 'SWI',
  TC: 'TC',
  VAL: 'VAL',
  HAZ: 'HAZ',
  HS: 'HS',
  HARM: 'HARM',
  RC: 'RC',
  RMP: 'RMP',
  THREAT: 'THREAT',
  SEQ: 'SEQ',
  RISK: 'RISK',
  BRA: 'BRA',
  ORR: 'ORR',
  PPI: 'PPI',
  RREV: 'RREV',
  SOUP: 'SOUP',
  VULN: 'VULN',
  ANOM: 'ANOM',
  DOC: 'DOC',
  JOB: 'JOB',
  QUAL: 'QUAL',
  CAPA: 'CAPA',
  CMP: 'CMP',
  NC: 'NC',
  AUD: 'AUD',
  AF: 'AF',
  MREV: 'MREV',
  SUP: 'SUP',
  CR: 'CR',
} as const;

export type BuiltinRecordType = (typeof RECORD_TYPE)[keyof typeof RECORD_TYPE];
