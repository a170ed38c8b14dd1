import type { DOCUMENT_KINDS, Quiz } from '../fields.js';

/**
 * One document of the starter quality system, as data: written by this project in plain words (never a standard's
 * or anyone else's template text). `dossier qms init` writes it as a draft DOC record whose body is
 * {@link starterDocumentBody} and whose fields are {@link starterDocumentFields}.
 */
export interface StarterDocument {
  /** `SOP-005` */
  readonly number: string;
  readonly title: string;
  readonly docType: (typeof DOCUMENT_KINDS)[number];
  /** Clause numbers only: `ISO 13485 8.5.2`, `IEC 62304 5.1`. */
  readonly clauses: readonly string[];
  /** Record types whose records are made under this document. */
  readonly governs: readonly string[];
  readonly reviewIntervalMonths: 12 | 24;
  readonly trainingDays: number;
  /** Why the document exists, in a sentence or two. */
  readonly purpose: string;
  /** What it covers and what it does not. */
  readonly scope: string;
  /** `role: what they do`, by job role. */
  readonly responsibilities: readonly string[];
  /** The steps, in order; each one or two short sentences. */
  readonly procedure: readonly string[];
  /** The records the procedure produces, each with the Dossier command that makes it (in backticks). */
  readonly records: readonly string[];
  /** Extra sections (a process map, a class table, a form's fields), Markdown, placed before the references. */
  readonly extra?: readonly { readonly heading: string; readonly text: string }[];
  readonly quiz?: Quiz;
}

/** The Markdown body of a starter document: Purpose, Scope, Responsibilities, Procedure, Records, References. */
export function starterDocumentBody(d: StarterDocument): string {
  const parts = [
    `# ${d.number} ${d.title}`,
    `## Purpose\n\n${d.purpose}`,
    `## Scope\n\n${d.scope}`,
    `## Responsibilities\n\n${d.responsibilities.map((r) => `- ${r}`).join('\n')}`,
    `## Procedure\n\n${d.procedure.map((s, i) => `${i + 1}. ${s}`).join('\n')}`,
    `## Records\n\n${d.records.map((r) => `- ${r}`).join('\n')}`,
    ...(d.extra ?? []).map((x) => `## ${x.heading}\n\n${x.text}`),
    `## References\n\n${d.clauses.map((c) => `- ${c}`).join('\n')}`,
  ];
  return `${parts.join('\n\n')}\n`;
}

/** The DOC fields of a starter document: version 1.0, its number, clauses, governed types, review and training. */
export function starterDocumentFields(d: StarterDocument, owner?: string): Record<string, unknown> {
  return {
    docType: d.docType,
    number: d.number,
    version: '1.0',
    ...(owner === undefined ? {} : { owner }),
    reviewIntervalMonths: d.reviewIntervalMonths,
    trainingDays: d.trainingDays,
    clauses: [...d.clauses],
    governs: [...d.governs],
    ...(d.quiz === undefined ? {} : { quiz: d.quiz }),
  };
}

/** A job role of the starter quality system, with the documents its holders must be trained on. */
export interface StarterRole {
  readonly title: string;
  /** One or two sentences (the JOB `responsibilities` field). */
  readonly responsibilities: string;
  /** The job description, Markdown. */
  readonly body: string;
  /** Document numbers (`SOP-005`) the role requires training on: its row of the training matrix. */
  readonly trainedOn: readonly string[];
}
