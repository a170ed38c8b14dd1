import type { Authenticator } from '../app/authenticator.js';
import { ANONYMOUS, type Principal } from '../core/access/principal.js';
import type { Deps } from '../core/ports.js';
import { buildServer, type RateLimits } from './app.js';
import { serverLogger } from './logger.js';

/** How `dossier serve` starts the server. */
export interface StartOptions {
  readonly deps: Deps;
  readonly host: string;
  readonly port: number;
  readonly authenticator?: Authenticator;
  readonly trustProxy?: boolean;
  readonly rateLimit?: RateLimits | false;
  readonly csrfKey?: string;
  readonly logLevel?: string;
  /** Called once the server listens, with its address (`http://127.0.0.1:3000`). */
  readonly onListening?: (address: string) => void;
}

/**
 * Until the identity store answers, nobody can prove who they are: every call that needs a permission gets 401.
 * `dossier serve` uses the identity store's Authenticator once it exists.
 */
export const NO_IDENTITY: Authenticator = {
  fromSession: (): Promise<Principal> => Promise.resolve(ANONYMOUS),
  fromToken: (): Promise<Principal> => Promise.resolve(ANONYMOUS),
};

/**
 * Starts the API and serves until SIGINT or SIGTERM; then stops taking requests, lets the running ones finish,
 * and resolves (the caller closes the store after). A second signal while closing leaves at once.
 */
export async function serveUntilSignal(options: StartOptions): Promise<void> {
  const logger = serverLogger(options.logLevel ?? 'info');
  const app = await buildServer({
    deps: options.deps,
    authenticator: options.authenticator ?? NO_IDENTITY,
    logger: logger,
    ...(options.trustProxy === undefined ? {} : { trustProxy: options.trustProxy }),
    ...(options.rateLimit === undefined ? {} : { rateLimit: options.rateLimit }),
    ...(options.csrfKey === undefined ? {} : { csrfKey: options.csrfKey }),
  });
  const address = await app.listen({ host: options.host, port: options.port });
  options.onListening?.(address);
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
