import { RECORD_TYPE } from '../catalog/record-type-keys.js';
import { ISO13485_CLAUSES, covers, type Iso13485Clause } from './iso13485.js';

/**
 * The ISO 13485 map (sections 4–8), as data: for each clause, whether a documented procedure is expected, the
 * quality processes that run it and the record types (beyond those whose catalog `clauses` cite it) that give its
 * evidence. The documents that cover a clause are found in the store (a DOC's `clauses`), the rules in the packs
 * (a rule's `clause`); `clauseEvidence` puts the three together. Our own reading, in our own words.
 */
export interface ClauseMapEntry {
  readonly number: string;
  /** The clause asks for a documented procedure: only an in-force procedure (or work instruction) counts. */
  readonly procedure: boolean;
  /** The processes that produce its evidence, by name. */
  readonly processes: readonly string[];
  /** Record types that give its evidence besides those whose catalog clauses cite it. */
  readonly recordTypes: readonly string[];
}

const T = RECORD_TYPE;

/** Per clause number: [procedure expected, processes, extra record types]. Clauses not listed: any document covering it, no process. */
const MAP: Readonly<Record<string, readonly [boolean, readonly string[], readonly string[]]>> = {
  '4.1': [false, ['change control'], [T.SUP, T.CR]],
  '4.1.6': [true, ['software validation'], []],
  '4.2.1': [false, ['document control'], [T.DOC]],
  '4.2.2': [false, ['document control'], [T.DOC]],
  '4.2.3': [false, ['design control', 'release'], []],
  '4.2.4': [true, ['document control'], [T.DOC]],
  '4.2.5': [true, ['document control'], []],
  '5.6.1': [true, ['management review'], [T.MREV]],
  '5.6.2': [false, ['management review'], [T.MREV]],
  '5.6.3': [false, ['management review'], [T.MREV]],
  '6.2': [true, ['training'], [T.JOB, T.QUAL]],
  '7.1': [false, ['risk management', 'design control'], []],
  '7.2.3': [false, ['complaint handling', 'vigilance'], [T.CMP]],
  '7.3.1': [true, ['design control'], []],
  '7.3.2': [false, ['design control'], []],
  '7.3.3': [false, ['design control'], []],
  '7.3.4': [false, ['design control'], []],
  '7.3.5': [false, ['design control'], []],
  '7.3.6': [false, ['design control'], []],
  '7.3.7': [false, ['design control'], []],
  '7.3.8': [false, ['release'], []],
  '7.3.9': [true, ['change control'], [T.CR]],
  '7.3.10': [false, ['design control'], []],
  '7.4.1': [true, ['supplier management'], [T.SUP]],
  '7.4.2': [false, ['supplier management'], [T.SUP]],
  '7.4.3': [false, ['supplier management'], [T.SUP]],
  '7.5.1': [false, ['release'], []],
  '7.5.6': [true, ['software validation'], []],
  '7.5.8': [true, ['release'], []],
  '7.5.9': [true, ['design control'], []],
  '7.6': [true, ['software validation'], []],
  '8.2.1': [true, ['complaint handling', 'post-market surveillance'], [T.CMP]],
  '8.2.2': [true, ['complaint handling'], [T.CMP]],
  '8.2.3': [true, ['vigilance'], [T.CMP]],
  '8.2.4': [true, ['internal audit'], [T.AUD, T.AF]],
  '8.2.5': [false, ['internal audit', 'management review'], []],
  '8.3': [true, ['nonconformance'], [T.NC]],
  '8.4': [true, ['management review'], [T.MREV]],
  '8.5.1': [false, ['CAPA', 'management review'], [T.CAPA]],
  '8.5.2': [true, ['CAPA'], [T.CAPA]],
  '8.5.3': [true, ['CAPA'], [T.CAPA]],
};

/** The map entry of every clause of ISO13485_CLAUSES, in order. */
export const CLAUSE_MAP: readonly (ClauseMapEntry & Iso13485Clause)[] = ISO13485_CLAUSES.map((c) => {
  const [procedure, processes, recordTypes] = MAP[c.number] ?? [false, [], []];
  return { ...c, procedure, processes, recordTypes };
});

/** The clause numbers MAP names that the clause list lacks (a test keeps this empty). */
export function unknownMappedClauses(): string[] {
  const known = new Set(ISO13485_CLAUSES.map((c) => c.number));
  return Object.keys(MAP).filter((n) => !known.has(n));
}

/**
 * The record types whose evidence a clause takes: those whose catalog `clauses` cover it, and the map's own.
 * @param catalogClauses - each record type's clause references (`ISO 13485 7.3.3`)
 */
export function evidenceTypes(entry: ClauseMapEntry, catalogClauses: ReadonlyMap<string, readonly string[]>): string[] {
  const out = new Set(entry.recordTypes);
  for (const [type, refs] of catalogClauses) if (refs.some((r) => covers(r, entry.number))) out.add(type);
  return [...out].sort();
}

/** The rule IDs whose clause covers this one (`ISO 13485 7.3` covers 7.3.9), from the rules given. */
export function clauseRules(number: string, rules: readonly { readonly id: string; readonly clause: string }[]): string[] {
  return [...new Set(rules.filter((r) => covers(r.clause, number)).map((r) => r.id))].sort();
}
