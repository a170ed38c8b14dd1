import type { ErrorCode } from '../core/errors.js';

/**
 * CLI exit codes: 0 ok, 1 findings, 2 usage or input error (also: `--db` is not a store, PostgreSQL refuses, a file
 * or standard output cannot be written, the disk is full), 3 conflict (also: another process held the write lock
 * past `DOSSIER_LOCK_TIMEOUT`, a stale revision, too many attempts), 4 internal error, 5 not logged in or not
 * allowed. A closed standard output (`| head`) keeps the command's own code.
 */
export const EXIT = { ok: 0, findings: 1, usage: 2, conflict: 3, internal: 4, denied: 5 } as const;

/** What one error code means at each edge: the CLI's exit code and the HTTP API's status. */
export interface ErrorOutcome {
  readonly exit: number;
  readonly http: number;
}

/**
 * The one table from error code to exit code and HTTP status. Every adapter maps errors through it, so the CLI
 * and the API agree on what a failure is; a test checks that every code has a row.
 */
export const ERROR_TABLE: Readonly<Record<ErrorCode, ErrorOutcome>> = {
  INVALID_INPUT: { exit: EXIT.usage, http: 400 },
  INVALID_STATE: { exit: EXIT.usage, http: 409 },
  NOT_FOUND: { exit: EXIT.usage, http: 404 },
  SCHEMA_TOO_NEW: { exit: EXIT.usage, http: 503 },
  CONFLICT: { exit: EXIT.conflict, http: 409 },
  PRECONDITION_FAILED: { exit: EXIT.conflict, http: 412 },
  TOO_LARGE: { exit: EXIT.usage, http: 413 },
  RATE_LIMITED: { exit: EXIT.conflict, http: 429 },
  UNAUTHENTICATED: { exit: EXIT.denied, http: 401 },
  FORBIDDEN: { exit: EXIT.denied, http: 403 },
  // The database refused a change that would break the store's integrity, or data offered for import is forged.
  INTEGRITY: { exit: EXIT.findings, http: 422 },
  INTERNAL: { exit: EXIT.internal, http: 500 },
};
