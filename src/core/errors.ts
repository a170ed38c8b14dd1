/**
 * The one error type of Dossier. Every layer throws `AppError`; the adapters map `code` to a CLI exit code and an
 * HTTP status through one table (`src/app/error-table.ts`).
 */
export type ErrorCode =
  /** Input from a user or a file is malformed or breaks a rule of the catalog. */
  | 'INVALID_INPUT'
  /** A status change or edit that the record's lifecycle does not allow from its current state. */
  | 'INVALID_STATE'
  /** The thing named does not exist. */
  | 'NOT_FOUND'
  /** A stale base revision, or something that already exists. */
  | 'CONFLICT'
  /** The database refused a change that would break integrity (append-only tables, constraints). */
  | 'INTEGRITY'
  /** The database was written by a newer Dossier than this one. */
  | 'SCHEMA_TOO_NEW'
  /** No valid session or token: who is acting is unknown (log in, or send a token). */
  | 'UNAUTHENTICATED'
  /** The principal is known but its roles do not grant the permission the use-case needs. */
  | 'FORBIDDEN'
  /** A revision precondition (HTTP `If-Match`) names a revision that is no longer the latest. */
  | 'PRECONDITION_FAILED'
  /** A body or file over the configured limit. */
  | 'TOO_LARGE'
  /** Too many attempts in too short a time (logins). */
  | 'RATE_LIMITED'
  /** Anything unexpected: a bug, not the user's fault. */
  | 'INTERNAL';

/** Where a problem is, so a message can name the file, line, field or item. */
export interface ErrorDetails {
  readonly file?: string;
  readonly line?: number;
  readonly column?: number;
  /** Dotted path of the offending field, e.g. `records[3].fields.level`. */
  readonly field?: string;
  /** Human ID of the record or item concerned, e.g. `RPM/SRS-12`. */
  readonly item?: string;
  readonly [key: string]: unknown;
}

/** The single error type; `message` is for logs, `userMessage` (when set) is what a person is shown. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly userMessage: string;
  readonly details: ErrorDetails;

  /**
   * @param code - the kind of failure, mapped to exit codes and HTTP statuses at the edges
   * @param message - a clear sentence naming what is wrong and where
   * @param details - structured location of the problem
   * @param options - `userMessage` to show instead of `message`; `cause` for chaining
   */
  constructor(
    code: ErrorCode,
    message: string,
    details: ErrorDetails = {},
    options: { userMessage?: string; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.details = details;
    this.userMessage = options.userMessage ?? message;
  }
}

/** True when `e` is an `AppError`, optionally of one code. */
export function isAppError(e: unknown, code?: ErrorCode): e is AppError {
  return e instanceof AppError && (code === undefined || e.code === code);
}

/** Shorthands that keep call sites short and consistent. */
export const invalidInput = (message: string, details?: ErrorDetails): AppError =>
  new AppError('INVALID_INPUT', message, details);
export const notFound = (message: string, details?: ErrorDetails): AppError =>
  new AppError('NOT_FOUND', message, details);
export const conflict = (message: string, details?: ErrorDetails): AppError =>
  new AppError('CONFLICT', message, details);
export const invalidState = (message: string, details?: ErrorDetails): AppError =>
  new AppError('INVALID_STATE', message, details);
export const unauthenticated = (message: string, details?: ErrorDetails): AppError =>
  new AppError('UNAUTHENTICATED', message, details);
export const forbidden = (message: string, details?: ErrorDetails): AppError => new AppError('FORBIDDEN', message, details);
