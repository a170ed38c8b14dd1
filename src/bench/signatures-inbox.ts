import type { AppServices } from '../app/use-case.js';
import type { Deps } from '../core/ports.js';

/** Reads the inbox of `username` and returns how many items wait (wired once the inbox use-case exists). */
export const INBOX_BENCH: ((ctx: { deps: Deps; services: AppServices }, username: string) => Promise<number>) | undefined = undefined;
