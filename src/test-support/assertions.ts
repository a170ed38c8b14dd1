import { expect } from 'vitest';
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
