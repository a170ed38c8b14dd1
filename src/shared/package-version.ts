import { readFileSync } from 'node:fs';

/**
 * The package's own version, for reports. Read from `package.json` two folders up, which holds from `src/shared`,
 * `dist/shared` and the bundled CLI's chunks in `dist/cli` alike.
 */
export function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string };
  return pkg.version ?? '0.0.0';
}
