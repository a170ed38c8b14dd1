import type { Authenticator } from '../app/authenticator.js';
import { processServices } from '../app/process-services.js';
import { newSetupCode } from '../app/setup-code.js';
import { StoreAuthenticator } from '../app/store-authenticator.js';
import { DEFAULT_IDENTITY_POLICY, type IdentityPolicy } from '../core/identity/policy.js';
import type { Deps } from '../core/ports.js';
import type { OidcConfig } from '../shared/oidc-config.js';
import type { StoreTarget } from '../storage/open-store.js';
import { buildServer, type RateLimits } from './app.js';
import { ReadPool, readPoolAvailable } from './read-pool.js';
import { serverLogger } from './logger.js';

/** How `dossier serve` starts the server. */
export interface StartOptions {
  readonly deps: Deps;
  readonly host: string;
  readonly port: number;
  /** Default: the identity store's (users' sessions and API tokens), with the process's identity policy. */
  readonly authenticator?: Authenticator;
  readonly trustProxy?: boolean;
  readonly rateLimit?: RateLimits | false;
  readonly csrfKey?: string;
  readonly logLevel?: string;
  /** The store's place, for the read pool's own connections (none for an in-memory store). */
  readonly target?: StoreTarget;
  /** Worker threads for heavy reads (0: run them on the main thread). Default 2. */
  readonly readWorkers?: number;
  readonly lockTimeoutMs?: number;
  /** The organisation's identity policy (password rules, lockout, session lifetimes); default: the defaults. */
  readonly identityPolicy?: IdentityPolicy;
  /** PostgreSQL connections of each read worker's pool. */
  readonly poolSize?: number;
  /** Single sign-on with an OpenID provider (`DOSSIER_OIDC_*`); absent: off (its routes answer 404). */
  readonly sso?: OidcConfig;
  /** The largest attachment, in bytes (`DOSSIER_MAX_ATTACHMENT_BYTES`); default 25 MiB. */
  readonly maxAttachmentBytes?: number;
  /** Called once the server listens, with its address (`http://127.0.0.1:3000`). */
  readonly onListening?: (address: string) => void;
  /**
   * Called once the server listens on a store without users, with the one-time set-up code that opens first-run
   * set-up (`/setup`); default: printed on stderr.
   */
  readonly onSetupCode?: (address: string, code: string) => void;
}

/**
 * Starts the API and serves until SIGINT or SIGTERM; then stops taking requests, lets the running ones finish,
 * and resolves (the caller closes the store after). A second signal while closing leaves at once.
 */
export async function serveUntilSignal(options: StartOptions): Promise<void> {
  const logger = serverLogger(options.logLevel ?? 'info');
  const sso = options.sso === undefined ? undefined : (await import('../shared/oidc-client.js')).openIdClient(options.sso);
  // A store without users gets a one-time set-up code: whoever can read this process's console makes the first admin.
  const noUsers = (await options.deps.store.read((r) => r.listUsers())).length === 0;
  const setupCode = noUsers ? newSetupCode() : undefined;
  const services = { ...processServices(options.deps.catalog, options.identityPolicy, sso, options.maxAttachmentBytes), setupCode: () => setupCode };
  const policy = services.identity?.().policy ?? DEFAULT_IDENTITY_POLICY;
  const workers = options.readWorkers ?? 2;
  const target = options.target;
  const readPool =
    workers > 0 && target !== undefined && target.location !== ':memory:' && readPoolAvailable()
      ? new ReadPool({ target, lockTimeoutMs: options.lockTimeoutMs ?? 60_000, ...(options.poolSize === undefined ? {} : { poolSize: options.poolSize }) }, workers)
      : undefined;
  await readPool?.started();
  const app = await buildServer({
    deps: options.deps,
    ...(readPool === undefined ? {} : { readPool }),
    services,
    authenticator: options.authenticator ?? new StoreAuthenticator(options.deps.store, options.deps.clock, policy),
    logger: logger,
    ...(options.trustProxy === undefined ? {} : { trustProxy: options.trustProxy }),
    ...(options.rateLimit === undefined ? {} : { rateLimit: options.rateLimit }),
    ...(options.csrfKey === undefined ? {} : { csrfKey: options.csrfKey }),
  });
  app.addHook('onClose', async () => readPool?.close());
  const address = await app.listen({ host: options.host, port: options.port });
  logger.info({ readWorkers: readPool === undefined ? 0 : workers }, 'heavy reads run on the read pool');
  if (options.sso !== undefined) logger.info({ issuer: options.sso.issuer, clientId: options.sso.clientId }, 'single sign-on is on');
  options.onListening?.(address);
  if (setupCode !== undefined) {
    const tell = options.onSetupCode ?? ((at: string, code: string) => process.stderr.write(`dossier: no users yet: open ${at}/setup and enter the set-up code ${code}\n`));
    tell(address, setupCode);
  }
  await new Promise<void>((resolve) => {
    let closing = false;
    const stop = (signal: NodeJS.Signals): void => {
      if (closing) process.exit(130);
      closing = true;
      logger.info({ signal }, 'shutting down: no new requests, waiting for the running ones');
      app.close().then(
        () => resolve(),
        (err: unknown) => {
          logger.error({ err }, 'closing the server failed');
          resolve();
        },
      );
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
