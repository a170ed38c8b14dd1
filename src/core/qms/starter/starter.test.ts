import { describe, expect, it } from 'vitest';
import { DEFAULT_CATALOG, getRecordType } from '../../catalog/catalog.js';
import { recordTitle } from '../../validation.js';
import { DocumentFields, JobRoleFields } from '../fields.js';
import { covers, ISO13485_CLAUSES, iso13485Number } from '../iso13485.js';
import { STARTER_DOCUMENTS, STARTER_NUMBERS, STARTER_ROLES, starterDocumentBody, starterRecords } from './index.js';

/** The `## Heading` sections of a Markdown body, by heading. */
function sections(body: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of body.split(/^## /m).slice(1)) {
    const nl = part.indexOf('\n');
    out.set(part.slice(0, nl).trim(), part.slice(nl + 1).trim());
  }
  return out;
}

const ISO_NUMBERS = new Set(ISO13485_CLAUSES.map((c) => c.number));

/** An ISO 13485 reference is valid when its number is a listed clause, a heading above one, or a subclause of one. */
function validIso(n: string): boolean {
  return ISO_NUMBERS.has(n) || [...ISO_NUMBERS].some((c) => c.startsWith(`${n}.`) || n.startsWith(`${c}.`));
}

/** The other references the starter may cite: the standard or regulation, then a clause, article or part number. */
const OTHER_REFERENCE =
  /^(IEC 62304 [4-9](\.\d+){0,3}|ISO 14971 ([3-9]|10)(\.\d+){0,2}|IEC 81001-5-1 [4-9](\.\d+){0,2}|21 CFR (803|806|820\.\d+|11\.\d+)|EU MDR (Art\. \d+|Annex [IVX]+( \d+(\.\d+)*)?))$/;

describe('the starter quality system', () => {
  it('gives every document a unique number, and the manual, SOPs and forms the numbers people cite', () => {
    expect(new Set(STARTER_NUMBERS).size).toBe(STARTER_NUMBERS.length);
    expect(STARTER_NUMBERS[0]).toBe('QM-001');
    for (const d of STARTER_DOCUMENTS) {
      const prefix = d.docType === 'quality_manual' ? 'QM' : d.docType === 'form' ? 'FRM' : 'SOP';
      expect(d.number, d.title).toMatch(new RegExp(`^${prefix}-\\d{3}$`));
    }
  });

  it('has the SOPs the issue names, each a procedure', () => {
    const titles = STARTER_DOCUMENTS.filter((d) => d.docType === 'procedure').map((d) => d.title.toLowerCase());
    for (const topic of [
      'document and record control',
      'training',
      'management review',
      'internal audit',
      'capa',
      'complaint handling and vigilance',
      'nonconform',
      'supplier',
      'change control',
      'software development',
      'risk management',
      'design control',
      'software problem resolution',
      'soup',
      'cybersecurity',
      'post-market surveillance',
      'software release',
    ]) {
      expect(titles.some((t) => t.includes(topic)), topic).toBe(true);
    }
  });

  it('writes fields every document record accepts, with version 1.0 and a 12- or 24-month review', () => {
    for (const d of STARTER_DOCUMENTS) {
      const { records } = starterRecords('qm');
      const rec = records.find((r) => r.fields['number'] === d.number);
      const parsed = DocumentFields.parse(rec?.fields);
      expect(parsed.version, d.number).toBe('1.0');
      expect(parsed.owner, d.number).toBe('qm');
      expect([12, 24], d.number).toContain(parsed.reviewIntervalMonths);
      expect(recordTitle().safeParse(d.title).success, d.number).toBe(true);
    }
    expect(starterRecords().records.every((r) => r.type !== 'DOC' || !('owner' in r.fields))).toBe(true);
  });

  it('cites only clause numbers that exist', () => {
    const bad: string[] = [];
    for (const d of STARTER_DOCUMENTS) {
      expect(d.clauses.length, d.number).toBeGreaterThan(0);
      for (const c of d.clauses) {
        const n = iso13485Number(c);
        if (n === undefined ? !OTHER_REFERENCE.test(c) : !validIso(n)) bad.push(`${d.number}: ${c}`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('governs only record types of the catalog', () => {
    for (const d of STARTER_DOCUMENTS) for (const t of d.governs) expect(() => getRecordType(DEFAULT_CATALOG, t), `${d.number} governs ${t}`).not.toThrow();
    // Each record type is made under at most one document, and each QMS process type under exactly one SOP, so
    // "trained on the procedure a record is made under" names one document.
    const governed = STARTER_DOCUMENTS.flatMap((d) => d.governs);
    expect(new Set(governed).size).toBe(governed.length);
    for (const t of ['DOC', 'JOB', 'QUAL', 'CAPA', 'CMP', 'NC', 'AUD', 'AF', 'MREV', 'SUP', 'CR', 'ANOM', 'SOUP', 'SRS', 'RISK', 'RC', 'HAZ', 'PPI']) {
      expect(STARTER_DOCUMENTS.filter((d) => d.docType === 'procedure' && d.governs.includes(t)).map((d) => d.number), t).toHaveLength(1);
    }
    expect(STARTER_DOCUMENTS.filter((d) => d.docType === 'form').flatMap((d) => d.governs)).toEqual([]);
  });

  it('writes every body with Purpose, Scope, Responsibilities, Procedure, Records and References filled in', () => {
    for (const d of STARTER_DOCUMENTS) {
      const s = sections(starterDocumentBody(d));
      for (const h of ['Purpose', 'Scope', 'Responsibilities', 'Procedure', 'Records']) {
        expect(s.get(h)?.length ?? 0, `${d.number} ${h}`).toBeGreaterThan(20);
      }
      expect(s.get('References')?.startsWith('- '), `${d.number} References`).toBe(true);
      expect(s.get('Procedure'), d.number).toMatch(/^1\. /);
      // The records a procedure produces come with the command that makes them.
      expect(s.get('Records'), d.number).toMatch(/`dossier [a-z]/);
      for (const c of d.clauses) expect(s.get('References'), d.number).toContain(c);
    }
  });

  it('lists the SaMD exclusions with their reasons, and the process map, in the quality manual', () => {
    const manual = STARTER_DOCUMENTS.find((d) => d.number === 'QM-001');
    const s = sections(starterDocumentBody(manual ?? STARTER_DOCUMENTS[0]!));
    const excluded = ISO13485_CLAUSES.filter((c) => c.notApplicable !== undefined);
    expect(excluded.length).toBeGreaterThan(0);
    for (const c of excluded) expect(s.get('Exclusions')).toContain(`| ${c.number} | ${c.title} | ${c.notApplicable ?? '?'} |`);
    const listed = `${s.get('Process map') ?? ''}\n${s.get('Documents of the quality system') ?? ''}`;
    for (const n of STARTER_NUMBERS.filter((x) => x.startsWith('SOP-'))) expect(listed, n).toContain(n);
  });

  it('covers every applicable ISO 13485 clause of sections 4 to 8 with at least one document', () => {
    const uncovered = ISO13485_CLAUSES.filter(
      (c) => c.notApplicable === undefined && !STARTER_DOCUMENTS.some((d) => d.clauses.some((ref) => covers(ref, c.number))),
    ).map((c) => `${c.number} ${c.title}`);
    expect(uncovered).toEqual([]);
  });

  it('names in each form only fields its record type has', () => {
    const typeOf: Readonly<Record<string, string>> = { 'FRM-001': 'CAPA', 'FRM-002': 'CMP', 'FRM-007': 'QUAL', 'FRM-008': 'CR', 'FRM-009': 'NC' };
    let named = 0;
    for (const [number, type] of Object.entries(typeOf)) {
      const form = STARTER_DOCUMENTS.find((d) => d.number === number);
      const shape = Object.keys(getRecordType(DEFAULT_CATALOG, type).fields.shape);
      const groups = [...starterDocumentBody(form ?? STARTER_DOCUMENTS[0]!).matchAll(/\(fields? ([^)]*)\)/g)].map((m) => m[1] ?? '');
      const fields = groups.flatMap((g) => [...g.split(';')[0]!.matchAll(/`([a-zA-Z]+)`/g)].map((m) => m[1] ?? ''));
      expect(fields.length, number).toBeGreaterThan(2);
      for (const f of fields) expect(shape, `${number} names ${type}.${f}`).toContain(f);
      named += fields.length;
    }
    expect(named).toBeGreaterThan(20);
  });

  it('gives quizzes of three questions to the CAPA, complaint and cybersecurity SOPs, each answer an option', () => {
    const quizzed = STARTER_DOCUMENTS.filter((d) => d.quiz !== undefined);
    expect(quizzed.map((d) => d.number).sort()).toEqual(['SOP-005', 'SOP-006', 'SOP-015']);
    for (const d of quizzed) {
      expect(d.quiz?.questions, d.number).toHaveLength(3);
      for (const q of d.quiz?.questions ?? []) expect(q.answer, q.question).toBeLessThan(q.options.length);
    }
  });

  it('defines the job roles with responsibilities and a training-matrix row naming starter documents', () => {
    const titles = STARTER_ROLES.map((r) => r.title);
    for (const t of ['Managing director', 'Quality manager', 'Software engineer', 'Clinical/regulatory specialist', 'Product owner']) expect(titles).toContain(t);
    for (const r of STARTER_ROLES) {
      expect(JobRoleFields.safeParse({ responsibilities: r.responsibilities }).success, r.title).toBe(true);
      expect(new Set(r.trainedOn).size, r.title).toBe(r.trainedOn.length);
      for (const n of r.trainedOn) expect(STARTER_NUMBERS, `${r.title} → ${n}`).toContain(n);
    }
    // Every SOP is someone's training: a procedure nobody is trained on would be followed by nobody.
    for (const n of STARTER_NUMBERS.filter((x) => x.startsWith('SOP-'))) {
      expect(STARTER_ROLES.some((r) => r.trainedOn.includes(n)), n).toBe(true);
    }
  });

  it('turns the starter into documents, then roles, with the training links pointing from a role to a document', () => {
    const { records, trainings } = starterRecords();
    expect(records.filter((r) => r.type === 'DOC')).toHaveLength(STARTER_DOCUMENTS.length);
    expect(records.filter((r) => r.type === 'JOB')).toHaveLength(STARTER_ROLES.length);
    expect(trainings).toHaveLength(STARTER_ROLES.reduce((n, r) => n + r.trainedOn.length, 0));
    for (const t of trainings) {
      expect(records[t.from]?.type).toBe('JOB');
      expect(records[t.to]?.type).toBe('DOC');
    }
    const qm = STARTER_ROLES.findIndex((r) => r.title === 'Quality manager');
    const capa = STARTER_DOCUMENTS.findIndex((d) => d.number === 'SOP-005');
    expect(trainings).toContainEqual({ from: STARTER_DOCUMENTS.length + qm, to: capa });
  });
});
