import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The built package (`npx tsc -p tsconfig.build.json`), which process tests run as a user would. */
export const DIST = fileURLToPath(new URL('../../dist/', import.meta.url));

/** `dist/cli/main.js`. */
export const BUILT_CLI = `${DIST}cli/main.js`;

/**
 * Path of a built module, e.g. `storage/open-store.js`.
 * @throws Error when the package has not been built
 */
export function built(module: string): string {
  const path = `${DIST}${module}`;
  if (!existsSync(path)) throw new Error(`${path} is missing: build first with npx tsc -p tsconfig.build.json`);
  return path;
}

/** How a child process ended. */
export interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly out: string;
  readonly err: string;
}

/** Runs `node` with arguments and environment additions, and collects its output. */
export function runNode(args: readonly string[], options: { env?: NodeJS.ProcessEnv; cwd?: string; stdio?: 'pipe' | number } = {}): Promise<Exit> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...args], {
      env: { ...process.env, ...options.env },
      cwd: options.cwd,
      stdio: ['ignore', options.stdio ?? 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, out, err }));
  });
}

/** Runs the built `dossier` CLI. */
export function runDossier(args: readonly string[], options: { env?: NodeJS.ProcessEnv; cwd?: string; stdio?: 'pipe' | number } = {}): Promise<Exit> {
  return runNode([built('cli/main.js'), ...args], options);
}

/** Runs `tasks` with at most `limit` at a time, keeping their order in the results. */
export async function inBatches<T>(tasks: readonly (() => Promise<T>)[], limit: number): Promise<T[]> {
  const results: T[] = new Array<T>(tasks.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < tasks.length) {
      const i = next++;
      const task = tasks[i];
      if (task !== undefined) results[i] = await task();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
  return results;
}

/** A built `dossier serve` running on a free port: its address once it listens, its output so far, its exit code. */
export interface ServeProcess {
  readonly child: ChildProcess;
  readonly address: Promise<string>;
  readonly ended: Promise<number | null>;
  out(): string;
  err(): string;
}

/**
 * Starts the built `dossier serve` on the store `dbArg` and a free port (extra arguments after `serve --port 0`);
 * `address` resolves once it says where it listens, and rejects if it ends before.
 */
export function startServe(dbArg: string, args: readonly string[] = [], env: NodeJS.ProcessEnv = process.env): ServeProcess {
  const child = spawn(process.execPath, [built('cli/main.js'), '--db', dbArg, 'serve', '--port', '0', ...args], { stdio: ['ignore', 'pipe', 'pipe'], env });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  const address = new Promise<string>((resolve, reject) => {
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
      const m = /serving (http:\/\/127\.0\.0\.1:\d+)/.exec(err);
      if (m?.[1] !== undefined) resolve(m[1]);
    });
    child.on('close', () => reject(new Error(`serve ended early: ${err}`)));
  });
  const ended = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return { child, address, ended, out: () => out, err: () => err };
}
