import { FORMS } from './forms.js';
import { QUALITY_MANUAL } from './quality-manual.js';
import { MANAGEMENT_SOPS } from './sops-management.js';
import { PROCESS_SOPS } from './sops-processes.js';
import { SOFTWARE_SOPS } from './sops-software.js';
import { STARTER_ROLES } from './roles.js';
import { starterDocumentBody, starterDocumentFields, type StarterDocument } from './starter-document.js';

export { starterDocumentBody, starterDocumentFields, type StarterDocument, type StarterRole } from './starter-document.js';
export { STARTER_ROLES } from './roles.js';

/**
 * The starter quality system written by `dossier qms init`, in order: the quality manual, the SOPs, the forms. Our
 * own words, licensed with the project.
 */
export const STARTER_DOCUMENTS: readonly StarterDocument[] = [
  QUALITY_MANUAL,
  ...MANAGEMENT_SOPS,
  ...PROCESS_SOPS,
  ...SOFTWARE_SOPS,
  ...FORMS,
];

/** The starter document numbers, for the refusal when a product already has one. */
export const STARTER_NUMBERS: readonly string[] = STARTER_DOCUMENTS.map((d) => d.number);


/** A record the starter writes: its type, title, Markdown body and fields. */
export interface StarterRecord {
  readonly type: 'DOC' | 'JOB';
  readonly title: string;
  readonly body: string;
  readonly fields: Record<string, unknown>;
}

/**
 * The starter quality system as new records, in order (documents, then roles), and the training-matrix links as
 * index pairs into that list: `{ from: role index, to: document index }` read "role requires training on document".
 * @param owner - a username set as every document's owner, when given
 */
export function starterRecords(owner?: string): { records: StarterRecord[]; trainings: { from: number; to: number }[] } {
  const documents: StarterRecord[] = STARTER_DOCUMENTS.map((d) => ({
    type: 'DOC',
    title: d.title,
    body: starterDocumentBody(d),
    fields: starterDocumentFields(d, owner),
  }));
  const roles: StarterRecord[] = STARTER_ROLES.map((r) => ({
    type: 'JOB',
    title: r.title,
    body: r.body,
    fields: { responsibilities: r.responsibilities, members: [] },
  }));
  const index = new Map(STARTER_DOCUMENTS.map((d, i) => [d.number, i]));
  const trainings = STARTER_ROLES.flatMap((r, i) =>
    r.trainedOn.map((number) => {
      const to = index.get(number);
      if (to === undefined) throw new Error(`starter role ${r.title} names unknown document ${number}`);
      return { from: documents.length + i, to };
    }),
  );
  return { records: [...documents, ...roles], trainings };
}
