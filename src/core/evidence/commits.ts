import type { EvidenceRole } from './model.js';

/** One commit as read from git. */
export interface ParsedCommit {
  readonly sha: string;
  readonly parents: readonly string[];
  readonly authorName: string;
  readonly authorEmail: string;
  readonly authoredAt: string;
  readonly committerName: string;
  readonly committedAt: string;
  readonly subject: string;
  readonly body: string;
  /** Trailers as git parsed them (`Implements: SRS-3`), unfolded. */
  readonly trailers: readonly (readonly [string, string])[];
  readonly files: readonly string[];
}

/** Trailer keys that name records, and the role each gives (case-insensitive). */
export const TRAILER_ROLES: Readonly<Record<string, EvidenceRole>> = {
  implements: 'implements',
  verifies: 'verifies',
  fixes: 'fixes',
  refs: 'refs',
  ref: 'refs',
  references: 'refs',
};

/** Files that are not code by default: documentation, plain text and images. */
export const DEFAULT_NON_CODE = /(^|\/)docs?\/|\.(md|markdown|txt|rst|adoc|png|jpe?g|gif|svg)$|(^|\/)(LICEN[CS]E|CHANGELOG|AUTHORS)[^/]*$/i;

/** Whether a commit changes code: any changed file that is not documentation, text or an image. */
export function changesCode(files: readonly string[], nonCode: RegExp = DEFAULT_NON_CODE): boolean {
  return files.some((f) => !nonCode.test(f));
}
