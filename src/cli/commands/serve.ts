import type { Command } from 'commander';
import { invalidInput } from '../../core/errors.js';
import { loadOidcConfig } from '../../shared/oidc-config.js';
import type { Kit } from '../command-kit.js';

/** `dossier serve`: the HTTP JSON API over the same use-cases as the CLI. */
export function registerServeCommand(program: Command, kit: Kit): void {
  program
    .command('serve')
    .description('serve the web app and the JSON API (OpenAPI document at /api/openapi.json) on this store until Ctrl-C')
    .option('--port <N>', 'TCP port (default: $DOSSIER_PORT or 3000)')
    .option('--host <H>', 'address to listen on (default: $DOSSIER_HOST or 127.0.0.1, this machine only)')
    .option('--trust-proxy', 'trust X-Forwarded-* from a reverse proxy (cookies become Secure behind TLS)')
    .option('--login-limit <N>', 'logins per minute and client address (default 10)')
    .option('--rate-limit <N>', 'requests per minute and client address (default 6000)')
    .option('--read-workers <N>', 'worker threads for long reads: checks, matrices, exports, verification (default 2; 0: none)')
    .action(
      kit.action(async (ctx, o: { port?: string; host?: string; trustProxy?: boolean; loginLimit?: string; rateLimit?: string; readWorkers?: string }) => {
        if (ctx.config.server !== undefined) {
          const message = 'dossier serve serves a store (--db), not another server: leave out --server and DOSSIER_SERVER';
          throw invalidInput(message, { field: 'server' });
        }
        const port = Number(o.port ?? kit.env['DOSSIER_PORT'] ?? 3000);
        if (!Number.isInteger(port) || port < 0 || port > 65_535) {
          throw invalidInput(`--port must be a TCP port (0 to 65535), not '${o.port ?? kit.env['DOSSIER_PORT'] ?? ''}'`, { field: 'port' });
        }
        const count = (flag: string, v: string | undefined, dflt: number): number => {
          if (v === undefined) return dflt;
          if (!/^[1-9]\d{0,8}$/.test(v)) throw invalidInput(`${flag} must be a positive whole number, not '${v}'`, { field: flag });
          return Number(v);
        };
        const identityPolicy = await ctx.identityPolicy();
        // The policy in force is configuration: a change of it since the last start goes into the audit trail.
        const { recordIdentityPolicyUseCase } = await import('../../app/use-cases/record-identity-policy.js');
        await ctx.run(recordIdentityPolicyUseCase, {});
        const sso = loadOidcConfig(kit.env);
        const readWorkers = o.readWorkers === undefined ? 2 : o.readWorkers === '0' ? 0 : count('--read-workers', o.readWorkers, 2);
        const [{ serveUntilSignal }, { parseStoreTarget }] = await Promise.all([import('../../server/start.js'), import('../../storage/open-store.js')]);
        const [{ DEFAULT_RATE_LIMITS }, { builtWebRoot }] = await Promise.all([import('../../server/app.js'), import('../../server/web-app.js')]);
        const webApp = builtWebRoot() === undefined ? 'the web app is not built (npm run build); ' : 'open it in a browser; ';
        const csrfKey = kit.env['DOSSIER_CSRF_KEY'];
        await serveUntilSignal({
          deps: await ctx.deps(),
          target: parseStoreTarget(ctx.config.db),
          readWorkers,
          lockTimeoutMs: ctx.config.lockTimeoutSeconds * 1000,
          ...(ctx.config.pgPoolSize === undefined ? {} : { poolSize: ctx.config.pgPoolSize }),
          ...(identityPolicy === undefined ? {} : { identityPolicy }),
          ...(sso === undefined ? {} : { sso }),
          maxAttachmentBytes: ctx.config.maxAttachmentBytes,
          host: o.host ?? kit.env['DOSSIER_HOST'] ?? '127.0.0.1',
          port,
          trustProxy: o.trustProxy === true,
          rateLimit: {
            ...DEFAULT_RATE_LIMITS,
            max: count('--rate-limit', o.rateLimit, DEFAULT_RATE_LIMITS.max),
            loginMax: count('--login-limit', o.loginLimit, DEFAULT_RATE_LIMITS.loginMax),
          },
          ...(csrfKey === undefined || csrfKey === '' ? {} : { csrfKey }),
          logLevel: kit.env['DOSSIER_LOG_LEVEL'] ?? 'info',
          onListening: (address) =>
            kit.io.err(
              `dossier: serving ${address} (${webApp}API document at ${address}/api/openapi.json); Ctrl-C stops\n`,
            ),
          onSetupCode: (address, code) => kit.io.err(`dossier: no users yet: open ${address}/setup and enter the set-up code ${code}\n`),
        });
        // The kit closes the store once this handler returns: after the server has closed.
      }),
    );
}

