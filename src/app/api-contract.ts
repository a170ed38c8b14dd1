import type { z } from 'zod';
import { bindingOf } from './http-route.js';
import type { RegisteredUseCases } from './registry.js';
import type { AnyUseCase, HttpBinding } from './use-case.js';

/**
 * The contract between the HTTP API and its typed clients (the web UI): for each use-case, by name, the input it
 * takes and the output it answers, derived from the use-case's own zod schemas (never copied), and at run time its
 * route. The web client imports the types only (erased from the browser bundle) and the route table as data.
 */
type Registered = RegisteredUseCases[number];

/** Every use-case's name (`record.add`, `trace.matrix`, …). */
export type UseCaseName = Registered['name'];

type ByName<N extends UseCaseName> = Extract<Registered, { readonly name: N }>;

/** What a client sends: the input schema's input type (defaults may be left out). */
export type ApiInput<N extends UseCaseName> = z.input<ByName<N>['input']>;

/** What the server answers: the output schema's output type, as JSON. */
export type ApiOutput<N extends UseCaseName> = z.output<ByName<N>['output']>;

/** A use-case's route as data (what a client needs to call it). */
export interface ApiRoute {
  readonly method: HttpBinding['method'];
  /** Fastify path, e.g. `/api/v1/products/:productKey/records/:record`. */
  readonly path: string;
  /** The input field an `If-Match: "N"` header carries (a stale base revision answers 412). */
  readonly ifMatch?: string;
  readonly kind: 'read' | 'write';
}

/** The route of every use-case, by name, as plain data (written into the web bundle at build time). */
export function routeTable(useCases: readonly AnyUseCase[]): Record<string, ApiRoute> {
  const out: Record<string, ApiRoute> = {};
  for (const uc of useCases) {
    const b = bindingOf(uc);
    out[uc.name] = { method: b.method, path: b.path, kind: uc.kind, ...(b.ifMatch === undefined ? {} : { ifMatch: b.ifMatch }) };
  }
  return out;
}
