/** The default cap on each message and output kept per test case: small, so the command tree can show it without loading the reader. */
export const DEFAULT_MAX_TEXT = 64 * 1024;
