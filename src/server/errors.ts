import { ERROR_TABLE } from '../app/error-table.js';
import { AppError, isAppError, type ErrorCode } from '../core/errors.js';
import { redactSecrets } from '../shared/redact.js';

/** The one error body of the API: what went wrong, in the CLI's words, and where (`field`, `record`). */
export interface ErrorEnvelope {
  readonly error: {
    readonly code: ErrorCode;
    readonly message: string;
    readonly field?: string;
    readonly record?: string;
  };
}

/** An error ready to send: its HTTP status and envelope. */
export interface ErrorReply {
  readonly status: number;
  readonly body: ErrorEnvelope;
}

/** What Fastify and its plugins throw: an error with a code and an HTTP status. */
interface FrameworkError {
  readonly code?: unknown;
  readonly statusCode?: unknown;
  readonly message?: unknown;
}

/**
 * The envelope of an AppError: the status from the one error table, the message a person is shown (the CLI's
 * wording), the field and record it names.
 */
export function envelopeOf(e: AppError, status = ERROR_TABLE[e.code].http): ErrorReply {
  const field = typeof e.details.field === 'string' ? e.details.field : undefined;
  const record = typeof e.details.item === 'string' ? e.details.item : undefined;
  return {
    status,
    body: {
      error: {
        code: e.code,
        message: redactSecrets(e.userMessage),
        ...(field === undefined ? {} : { field }),
        ...(record === undefined ? {} : { record }),
      },
    },
  };
}

/**
 * Maps anything a request can throw to a status and an envelope. AppErrors go through the error table; Fastify's
 * own refusals (malformed JSON, wrong content type, body over the limit, CSRF, rate limit) get a clear message;
 * anything else is an internal error whose message names only the request ID (the log has the rest).
 * @param limit - the body limit in bytes, for the 413 message
 */
export function errorReply(e: unknown, requestId: string, limit: number): ErrorReply {
  if (isAppError(e)) return envelopeOf(e);
  const fe = (typeof e === 'object' && e !== null ? e : {}) as FrameworkError;
  const code = typeof fe.code === 'string' ? fe.code : '';
  const status = typeof fe.statusCode === 'number' ? fe.statusCode : 500;
  switch (code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return envelopeOf(new AppError('INVALID_INPUT', `the request body is not valid JSON${jsonDetail(fe)}`, { field: 'body' }));
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return envelopeOf(new AppError('TOO_LARGE', `the request body is over the limit of ${limit} bytes`, { field: 'body' }), 413);
    case 'FST_INVALID_MULTIPART_CONTENT_TYPE':
      return envelopeOf(
        new AppError('INVALID_INPUT', 'an upload must be sent as multipart/form-data: text fields first, then the files', { field: 'body' }),
        415,
      );
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return envelopeOf(
        new AppError('INVALID_INPUT', 'the request body must be JSON: send it with Content-Type: application/json', { field: 'body' }),
        415,
      );
    case 'FST_CSRF_MISSING_SECRET':
    case 'FST_CSRF_INVALID_TOKEN':
      return envelopeOf(
        new AppError(
          'FORBIDDEN',
          'a change made with the session cookie needs the CSRF token of this session in the X-CSRF-Token header ' +
            '(GET /api/v1/session/csrf gives one)',
          { field: 'X-CSRF-Token' },
        ),
      );
    default:
      break;
  }
  if (status === 404) return envelopeOf(new AppError('NOT_FOUND', 'no such route'));
  if (status === 429) return envelopeOf(new AppError('RATE_LIMITED', 'too many requests: wait a moment and try again'));
  if (status >= 400 && status < 500) {
    const message = typeof fe.message === 'string' ? fe.message : 'bad request';
    return envelopeOf(new AppError('INVALID_INPUT', `bad request: ${message}`), status);
  }
  return envelopeOf(new AppError('INTERNAL', `internal error: the server log has the details under request ${requestId}`));
}

/** Fastify's JSON parse message says where the JSON breaks; keep that, never the body itself. */
function jsonDetail(fe: FrameworkError): string {
  const m = typeof fe.message === 'string' ? /(Unexpected .*|Expected .*|Bad control character.*)$/.exec(fe.message) : null;
  return m?.[1] === undefined ? '' : `: ${m[1].slice(0, 200)}`;
}
