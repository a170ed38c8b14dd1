import { userInfo } from 'node:os';
import { z } from 'zod';
import { DEFAULT_MAX_ATTACHMENT_BYTES } from '../core/attachments/model.js';
import { invalidInput } from '../core/errors.js';

/** Dossier's configuration, read once at start-up from flags and environment, then passed down. */
export const ConfigSchema = z.strictObject({
  /** `postgres://…` URL (optionally `?schema=NAME`) or a SQLite file path. */
  db: z.string().min(1),
  /** Who the audit trail names for changes made from this process. */
  actor: z.string().trim().min(1).max(200),
  /** How long a write waits for another process's write lock (SQLite busy timeout, PostgreSQL lock_timeout), in seconds. */
  lockTimeoutSeconds: z.number().positive().max(86_400),
  /** PostgreSQL connections per store pool (`DOSSIER_PG_POOL_SIZE`, default 4); unused on SQLite. */
  pgPoolSize: z.number().int().min(1).max(200).optional(),
  /** A YAML or JSON file with the identity policy (`DOSSIER_IDENTITY_POLICY`): password rules, ageing, lockout, sessions. */
  identityPolicyFile: z.string().min(1).optional(),
  /** A Dossier server to run commands on instead of a local store (`--server`, `DOSSIER_SERVER`). */
  server: z.string().min(1).optional(),
  /** The largest file `attachment add` takes, in bytes (`DOSSIER_MAX_ATTACHMENT_BYTES`, default 25 MiB, at most 1 GiB). */
  maxAttachmentBytes: z.number().int().positive().max(1024 * 1024 * 1024),
  /** The API token sent to that server (`DOSSIER_TOKEN`; never a flag, so it stays out of shell history). */
  token: z.string().min(1).optional(),
});
export type Config = z.infer<typeof ConfigSchema>;

/** Default SQLite file, in the working folder. */
export const DEFAULT_DB = './dossier.db';

/** Default wait for another writer's SQLite lock, in seconds (`DOSSIER_LOCK_TIMEOUT`). */
export const DEFAULT_LOCK_TIMEOUT_SECONDS = 60;

/**
 * Reads configuration: flags win over `DOSSIER_DB` / `DOSSIER_ACTOR` / `DOSSIER_LOCK_TIMEOUT` / `DOSSIER_SERVER`, which win
 * over defaults (`./dossier.db`; the operating-system user name; 60 s; a local store). `DOSSIER_TOKEN` is the API token.
 * @throws AppError INVALID_INPUT when `DOSSIER_LOCK_TIMEOUT` is not a number of seconds
 */
export function loadConfig(
  flags: { readonly db?: string | undefined; readonly actor?: string | undefined; readonly server?: string | undefined },
  env: NodeJS.ProcessEnv = process.env,
): Config {
  let osUser = 'unknown';
  try {
    osUser = userInfo().username;
  } catch {
    // No passwd entry (some containers): keep 'unknown' rather than fail.
  }
  const timeout = env['DOSSIER_LOCK_TIMEOUT'];
  if (timeout !== undefined && !/^\d{1,5}(\.\d+)?$/.test(timeout.trim())) {
    throw invalidInput(`DOSSIER_LOCK_TIMEOUT must be a number of seconds (up to 86400), not '${timeout}'`, { field: 'DOSSIER_LOCK_TIMEOUT' });
  }
  const lockTimeoutSeconds = timeout === undefined ? DEFAULT_LOCK_TIMEOUT_SECONDS : Number(timeout);
  if (lockTimeoutSeconds <= 0 || lockTimeoutSeconds > 86_400) {
    throw invalidInput(`DOSSIER_LOCK_TIMEOUT must be more than 0 and at most 86400 seconds, not '${timeout ?? ''}'`, { field: 'DOSSIER_LOCK_TIMEOUT' });
  }
  const pool = env['DOSSIER_PG_POOL_SIZE'];
  if (pool !== undefined && pool.trim() !== '' && !/^[1-9]\d{0,2}$/.test(pool.trim())) {
    throw invalidInput(`DOSSIER_PG_POOL_SIZE must be a whole number of connections (1 to 200), not '${pool}'`, { field: 'DOSSIER_PG_POOL_SIZE' });
  }
  const maxAttachmentBytes = attachmentLimit(env['DOSSIER_MAX_ATTACHMENT_BYTES']);
  const pgPoolSize = pool === undefined || pool.trim() === '' ? undefined : Number(pool);
  if (pgPoolSize !== undefined && pgPoolSize > 200) {
    throw invalidInput(`DOSSIER_PG_POOL_SIZE must be a whole number of connections (1 to 200), not '${pool ?? ''}'`, { field: 'DOSSIER_PG_POOL_SIZE' });
  }
  return ConfigSchema.parse({
    ...(pgPoolSize === undefined ? {} : { pgPoolSize }),
    db: flags.db ?? env['DOSSIER_DB'] ?? DEFAULT_DB,
    actor: flags.actor ?? env['DOSSIER_ACTOR'] ?? osUser,
    lockTimeoutSeconds,
    maxAttachmentBytes,
    ...nonEmpty('server', flags.server ?? env['DOSSIER_SERVER']),
    ...nonEmpty('token', env['DOSSIER_TOKEN']),
    ...nonEmpty('identityPolicyFile', env['DOSSIER_IDENTITY_POLICY']),
  });
}

/**
 * `DOSSIER_MAX_ATTACHMENT_BYTES`: a whole number of bytes, optionally with a unit (`25MiB`, `512KiB`, `1GiB`).
 * @throws AppError INVALID_INPUT naming the variable
 */
function attachmentLimit(value: string | undefined): number {
  if (value === undefined || value.trim() === '') return DEFAULT_MAX_ATTACHMENT_BYTES;
  const m = /^(\d{1,10})\s*(KiB|MiB|GiB)?$/i.exec(value.trim());
  const unit = { kib: 1024, mib: 1024 ** 2, gib: 1024 ** 3 }[(m?.[2] ?? '').toLowerCase() as 'kib'] ?? 1;
  const n = m === null ? NaN : Number(m[1]) * unit;
  if (!Number.isSafeInteger(n) || n < 1 || n > 1024 ** 3) {
    throw invalidInput(`DOSSIER_MAX_ATTACHMENT_BYTES must be a number of bytes from 1 to 1 GiB (e.g. 26214400 or 25MiB), not '${value}'`, {
      field: 'DOSSIER_MAX_ATTACHMENT_BYTES',
    });
  }
  return n;
}

function nonEmpty<K extends string>(key: K, value: string | undefined): { [k in K]?: string } {
  return value === undefined || value.trim() === '' ? {} : ({ [key]: value.trim() } as { [k in K]: string });
}
