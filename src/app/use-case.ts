import type { z } from 'zod';
import type { Permission } from '../core/access/permissions.js';
import type { Principal } from '../core/access/principal.js';
import type { Deps, ProgressFn } from '../core/ports.js';
import type { RulePack } from '../core/rules/rule-pack.js';
import type { IdentityServices } from './identity-services.js';
import type { OidcPort } from './ports/oidc.js';
import type { TraceGraphCache } from './services/trace-graph.js';

/** Services every use-case may use, loaded once per process by the adapter (the CLI, the server). */
export interface AppServices {
  /** The rule packs shipped with Dossier (read from disk once per process; core does no file I/O). */
  builtinPacks(): readonly RulePack[];
  /** Password hashing, secrets and the identity policy, for the identity use-cases (absent: they refuse to run). */
  identity?(): IdentityServices;
  /** The OpenID provider for single sign-on; absent (or undefined): single sign-on is not set up. */
  sso?(): OidcPort | undefined;
  /** The largest attachment, in bytes (`DOSSIER_MAX_ATTACHMENT_BYTES`); absent: `DEFAULT_MAX_ATTACHMENT_BYTES`. */
  attachmentLimit?(): number;
  /**
   * The trace graphs this process keeps while nothing changes (the server's matrix, suspect and impact reads reuse
   * them); absent: each read loads its graph.
   */
  traceGraphs?(): TraceGraphCache;
  /** The one-time first-run set-up code `dossier serve` printed (a store without users); undefined: set-up is closed. */
  setupCode?(): string | undefined;
}

/** What a use-case runs with: its dependencies (the audit actor is the principal's username) and who asks. */
export interface UseCaseContext {
  readonly deps: Deps;
  readonly principal: Principal;
  readonly services: AppServices;
  /** Where a long use-case (verify, export, import) reports its progress; the CLI draws it on a terminal. */
  readonly progress?: ProgressFn;
}

/**
 * One use-case as the adapters see it: its input and output schemas, the permission it needs, and what it does.
 * The CLI and the HTTP API call it only through `execute`, so parsing and authorization happen in one place.
 */
export interface UseCase<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  /** Dotted name, `area.verb` (`record.add`): the API operation ID and the audit trail's name for a refusal. */
  readonly name: string;
  /** One line: what it does (for the API document). */
  readonly summary: string;
  /** `read` use-cases change nothing; `write` ones change the store in one transaction with their audit events. */
  readonly kind: 'read' | 'write';
  readonly input: I;
  readonly output: O;
  /**
   * A read that can take long on a large product (a check, a trace matrix, an export, an audit verification): the
   * server runs it on its read pool so that other requests are not held up behind it.
   */
  readonly heavy?: boolean;
  /** What the input is called in messages ("record", "status change"): `invalid record: title: …`. */
  readonly what: string;
  /**
   * The permission needed, or a function of the parsed input (a status change to `approved` needs
   * `record.approve`); `signed-in`: anyone who proved who they are; `public`: anyone, even anonymous (logging in).
   */
  readonly permission: Permission | 'signed-in' | 'public' | ((input: z.output<I>) => Permission | 'signed-in');
  /**
   * The product the permission is checked on. Default: the input's `productKey` when it has one. A product
   * permission without a product is checked as store-wide (only a role on every product grants it).
   */
  readonly product?: (input: z.output<I>) => string | undefined;
  /**
   * Where the HTTP API serves it. Path parameters (`:productKey`, `:record`) fill the input fields of the same
   * name; a GET takes the rest of its input from the query string, other methods from the JSON body. Absent:
   * `POST /api/v1/call/<name>` with the whole input as the body.
   */
  readonly http?: HttpBinding;
  readonly run: (ctx: UseCaseContext, input: z.output<I>) => Promise<z.output<O>>;
}

/** A use-case's HTTP route. */
export interface HttpBinding {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Fastify path under the API root, e.g. `/api/v1/products/:productKey/records`. */
  readonly path: string;
  /** The input field an `If-Match: "N"` header fills (a record's base revision): stale → 412. */
  readonly ifMatch?: string;
  /** The output field whose value is sent as the ETag (a record's latest revision). */
  readonly etag?: string;
  /** HTTP status of a success (default 200; 201 for a creation). */
  readonly status?: number;
  /**
   * `start`: the output's `sessionId` becomes the session cookie (HttpOnly, SameSite=Strict, Secure behind TLS)
   * and is left out of the body (an output without one starts none); `end`: the session cookie is cleared.
   */
  readonly session?: 'start' | 'end';
  /**
   * The output field holding where to send the browser: when the output has it, the answer is `302 Found` with it
   * as `Location` and no body (a single sign-on login goes to the provider and comes back). Without it: JSON.
   */
  readonly redirect?: string;
  /**
   * A short-lived cookie that ties a flow across redirects to the browser that started it (HttpOnly; SameSite=Lax,
   * so it comes back with the provider's redirect; Secure behind TLS): sent from the output field `set` (left out
   * of the body), read into the input field `read`.
   */
  readonly cookie?: FlowCookie;
  /**
   * For this (raw) input, how to serve the output as something other than JSON (an export's `format=csv`): a
   * function from the output to the body, its content type and the file name it is offered under. Undefined: JSON.
   */
  readonly render?: (input: unknown) => ((output: unknown) => RenderedBody) | undefined;
}

/** A cookie of a binding (see `HttpBinding.cookie`). */
export interface FlowCookie {
  readonly name: string;
  /** The path it is sent back to (the narrower the better). */
  readonly path: string;
  /** How long it lives, in seconds. */
  readonly maxAgeSeconds: number;
  /** The output field whose value becomes the cookie. */
  readonly set?: string;
  /** The input field the cookie's value fills (absent cookie: the field is left out). */
  readonly read?: string;
}

/** A non-JSON answer: a file for the browser to save. */
export interface RenderedBody {
  readonly contentType: string;
  readonly fileName: string;
  readonly body: string | Uint8Array;
  /** The entity tag to send (an attachment's SHA-256); a GET whose `If-None-Match` names it gets 304. */
  readonly etag?: string;
}

/** Any use-case, for registries and adapters that handle them all alike. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyUseCase = UseCase<any, any>;

/**
 * Declares a use-case (identity at run time; keeps the input and output types tied to the schemas, and the name as
 * a literal type, so the web client's contract can look a use-case up by its name).
 */
export function defineUseCase<const N extends string, I extends z.ZodType, O extends z.ZodType>(
  uc: UseCase<I, O> & { readonly name: N },
): UseCase<I, O> & { readonly name: N } {
  return uc;
}
