import { DEFAULT_CATALOG, type Catalog } from '../core/catalog/catalog.js';
import { invalidInput } from '../core/errors.js';
import { SYSTEM_CLOCK, type Deps, type ProgressFn, type Store } from '../core/ports.js';
import { loadConfig, type Config } from '../shared/config.js';
import type { KyselyStore } from '../storage/kysely-store.js';
import { openStore, parseStoreTarget } from '../storage/open-store.js';
import { terminalText } from '../export/terminal-text.js';
import type { Io } from './output.js';
import type { z } from 'zod';
import type { AppServices, UseCase } from '../app/use-case.js';
import { localPrincipal, type Principal } from '../core/access/principal.js';
import type { IdentityPolicy } from '../core/identity/policy.js';

/** Options every command accepts (declared on the root program). */
export interface GlobalOptions {
  readonly db?: string;
  readonly actor?: string;
  readonly json?: boolean;
  readonly server?: string;
}

/** What a command runs with: configuration, output, and a lazily opened store. */
export class CliContext {
  readonly config: Config;
  readonly json: boolean;
  private store: KyselyStore | undefined;
  private services: AppServices | undefined;

  /**
   * @param createStore - whether this command may create the store when there is none (`init`, `demo`, `import`,
   *   `product create`); every other command refuses a missing store, so a mistyped `--db` leaves no new file
   */
  constructor(
    readonly io: Io,
    opts: GlobalOptions,
    env: NodeJS.ProcessEnv,
    private readonly createStore = false,
  ) {
    this.config = loadConfig({ db: opts.db, actor: opts.actor, server: opts.server }, env);
    this.json = opts.json === true;
  }

  /** The record and link types commands work with (data in the code: reading it opens no store). */
  get catalog(): Catalog {
    return DEFAULT_CATALOG;
  }

  /** Opens the store on first use (running migrations) and gives use-case dependencies. */
  async deps(): Promise<Deps> {
    if (this.config.server !== undefined) {
      const { SERVER_ONLY_STORE } = await import('./remote-client.js');
      return { store: SERVER_ONLY_STORE, clock: SYSTEM_CLOCK, catalog: DEFAULT_CATALOG, actor: { id: this.config.actor } };
    }
    return { store: await this.openedStore(), clock: SYSTEM_CLOCK, catalog: DEFAULT_CATALOG, actor: { id: this.config.actor } };
  }

  private async openedStore(): Promise<KyselyStore> {
    this.store ??= await openStore(parseStoreTarget(this.config.db), {
      create: this.createStore,
      lockTimeoutMs: this.config.lockTimeoutSeconds * 1000,
      ...(this.config.pgPoolSize === undefined ? {} : { poolSize: this.config.pgPoolSize }),
    });
    return this.store;
  }

  /**
   * Dependencies whose store opens when a use-case first reads or writes: a use-case that needs no store (the
   * catalog) leaves a mistyped `--db` untouched, and one that does fails the same way as with `deps()`.
   */
  private lazyDeps(): Deps {
    const store: Store = {
      read: async (fn) => (await this.openedStore()).read(fn),
      write: async (fn) => (await this.openedStore()).write(fn),
      close: async () => this.close(),
    };
    return { store, clock: SYSTEM_CLOCK, catalog: DEFAULT_CATALOG, actor: { id: this.config.actor } };
  }

  /** The identity policy from `DOSSIER_IDENTITY_POLICY`, read when first needed; undefined: the defaults. */
  async identityPolicy(): Promise<IdentityPolicy | undefined> {
    const file = this.config.identityPolicyFile;
    if (file === undefined) return undefined;
    const { readIdentityPolicyFile } = await import('../ingest/identity-policy-file.js');
    return readIdentityPolicyFile(file);
  }

  /** Who acts: on a local store, its operator (every permission) under `--actor` or the OS user name. */
  principal(): Principal {
    return localPrincipal(this.config.actor);
  }

  /**
   * Runs a use-case through the application layer (parse, authorize, run): the only way commands call one.
   * @param progress - where a long use-case reports progress (a bar on a terminal)
   */
  async run<I extends z.ZodType, O extends z.ZodType>(
    uc: UseCase<I, O>,
    input: z.input<I>,
    progress?: ProgressFn,
  ): Promise<z.output<O>> {
    if (this.config.server !== undefined) {
      // Against a server: the server parses, authorizes (the token's principal) and runs it; its output is JSON.
      const { callRemote } = await import('./remote-client.js');
      return (await callRemote({ url: this.config.server, token: this.config.token }, uc, input)) as z.output<O>;
    }
    const [{ execute }, { processServices }] = await Promise.all([import('../app/execute.js'), import('../app/process-services.js')]);
    const deps = this.lazyDeps();
    this.services ??= processServices(deps.catalog, await this.identityPolicy(), undefined, this.config.maxAttachmentBytes);
    return execute(uc, { deps, principal: this.principal(), services: this.services, ...(progress === undefined ? {} : { progress }) }, input);
  }

  /**
   * The product a command is about: `--product`, or the only product in the store.
   * @throws AppError INVALID_INPUT when there are several and none was named
   */
  async productKey(flag: string | undefined): Promise<string> {
    if (flag !== undefined) return flag.toUpperCase();
    const { listProductsUseCase } = await import('../app/use-cases/list-products.js');
    const products = await this.run(listProductsUseCase, {});
    const only = products.length === 1 ? products[0] : undefined;
    if (only !== undefined) return only.key;
    throw invalidInput(
      products.length === 0
        ? 'the store has no product yet; create one with `dossier product create` or try `dossier demo`'
        : `name a product with --product (products: ${products.map((p) => p.key).join(', ')})`,
      { field: 'product' },
    );
  }

  /** Prints `value` as JSON with --json, otherwise the human form (see {@link text}). */
  print(value: unknown, human: () => string): void {
    if (this.json) this.io.out(`${JSON.stringify(value, null, 2)}\n`);
    else this.text(human());
  }

  /**
   * Prints text for people at a terminal: every control character but the renderer's own line feeds is shown as an
   * escape (`\x1b`, `\r`), so stored text cannot send escape sequences to the terminal.
   */
  text(human: string): void {
    this.io.out(`${terminalText(human, true)}\n`);
  }

  async close(): Promise<void> {
    await this.store?.close();
    this.store = undefined;
  }
}
