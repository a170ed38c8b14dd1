import type { AnyUseCase, HttpBinding } from './use-case.js';

/** The route of a use-case: its own binding, or `POST /api/v1/call/<name>` with the whole input as the body. */
export function bindingOf(uc: AnyUseCase): HttpBinding {
  return uc.http ?? { method: 'POST', path: `/api/v1/call/${uc.name}` };
}

/** The path parameters of a route, in order (`/products/:productKey/records/:record` → productKey, record). */
export function pathParams(path: string): string[] {
  return [...path.matchAll(/:([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1] ?? '');
}
