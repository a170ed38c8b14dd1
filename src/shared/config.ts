import { userInfo } from 'node:os';
import { z } from 'zod';

/** Dossier's configuration, read once at start-up from flags and environment, then passed down. */
export const ConfigSchema = z.strictObject({
  /** `postgres://…` URL (optionally `?schema=NAME`) or a SQLite file path. */
  db: z.string().min(1),
  /** Who the audit trail names for changes made from this process. */
  actor: z.string().trim().min(1).max(200),
});
export type Config = z.infer<typeof ConfigSchema>;

/** Default SQLite file, in the working folder. */
export const DEFAULT_DB = './dossier.db';

/**
 * Reads configuration: flags win over `DOSSIER_DB` / `DOSSIER_ACTOR`, which win over defaults
 * (`./dossier.db`; the operating-system user name).
 */
export function loadConfig(
  flags: { readonly db?: string | undefined; readonly actor?: string | undefined },
  env: NodeJS.ProcessEnv = process.env,
): Config {
  let osUser = 'unknown';
  try {
    osUser = userInfo().username;
  } catch {
    // No passwd entry (some containers): keep 'unknown' rather than fail.
  }
  return ConfigSchema.parse({
    db: flags.db ?? env['DOSSIER_DB'] ?? DEFAULT_DB,
    actor: flags.actor ?? env['DOSSIER_ACTOR'] ?? osUser,
  });
}
