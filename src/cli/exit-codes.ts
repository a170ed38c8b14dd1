import type { ErrorCode } from '../core/errors.js';

/**
 * CLI exit codes: 0 ok, 1 findings, 2 usage or input error (also: `--db` is not a store, PostgreSQL refuses, a file
 * or standard output cannot be written, the disk is full), 3 conflict (also: another process held the write lock
 * past `DOSSIER_LOCK_TIMEOUT`), 4 internal error. A closed standard output (`| head`) keeps the command's own code.
 */
export const EXIT = { ok: 0, findings: 1, usage: 2, conflict: 3, internal: 4 } as const;

/** The one table from error code to exit code. */
export const EXIT_CODE_BY_ERROR: Readonly<Record<ErrorCode, number>> = {
  INVALID_INPUT: EXIT.usage,
  INVALID_STATE: EXIT.usage,
  NOT_FOUND: EXIT.usage,
  SCHEMA_TOO_NEW: EXIT.usage,
  CONFLICT: EXIT.conflict,
  INTEGRITY: EXIT.findings,
  INTERNAL: EXIT.internal,
};
