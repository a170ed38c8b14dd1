import { expect } from 'vitest';
import type { Deps } from '../core/ports.js';
import { exportStore } from '../app/use-cases/export-store.js';
import { isAppError } from '../core/errors.js';

/** Asserts that `p` rejects with an AppError of `code` whose message matches `message`. */
export async function expectAppError(p: Promise<unknown>, code: string, message: RegExp): Promise<void> {
  const e: unknown = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(isAppError(e), `expected AppError ${code}, got ${String(e)}`).toBe(true);
  if (isAppError(e)) {
    expect(e.code).toBe(code);
    expect(e.message).toMatch(message);
  }
}

/** The whole store as text, to show that a refused change left it exactly as it was. */
export async function storeSnapshot(deps: Pick<Deps, 'store'>): Promise<string> {
  return JSON.stringify(await exportStore(deps));
}
