/** The part of oidc-provider's API the single sign-on tests use (the package ships no types). */
declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http';
  interface Account {
    readonly accountId: string;
    claims(): Record<string, unknown>;
  }
  interface Configuration {
    readonly clients: readonly Record<string, unknown>[];
    readonly pkce?: { readonly required: () => boolean };
    readonly features?: Record<string, unknown>;
    readonly claims?: Record<string, readonly string[]>;
    readonly findAccount?: (ctx: unknown, id: string) => Account | Promise<Account | undefined> | undefined;
    readonly cookies?: { readonly keys: readonly string[] };
  }
  export default class Provider {
    constructor(issuer: string, configuration: Configuration);
    on(event: string, listener: (...args: unknown[]) => void): this;
    callback(): (req: IncomingMessage, res: ServerResponse) => void;
  }
}
