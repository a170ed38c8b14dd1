import { pino, type DestinationStream, type Logger } from 'pino';

/** Names of fields that hold a secret, wherever they sit in a logged object. */
const SECRET_KEYS = ['password', 'newPassword', 'currentPassword', 'token', 'sessionId', 'csrfToken', 'secret', 'resetSecret'];

/**
 * Where secrets may sit in what the server logs: credentials in headers, cookies, and any password, token or
 * session ID in a logged object. pino replaces them with `[redacted]`.
 */
export const REDACT_PATHS: readonly string[] = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'headers.cookie',
  ...SECRET_KEYS.flatMap((k) => [k, `*.${k}`, `*.*.${k}`]),
];

/** The server's structured logger (JSON lines on standard output unless another destination is given). */
export function serverLogger(level = 'info', destination?: DestinationStream): Logger {
  const options = { level, redact: { paths: [...REDACT_PATHS], censor: '[redacted]' } };
  return destination === undefined ? pino(options) : pino(options, destination);
}
