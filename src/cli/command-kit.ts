import type { Command } from 'commander';
import { invalidInput } from '../core/errors.js';
import type { Severity } from '../core/rules/rule-pack.js';
import type { CliContext, GlobalOptions } from './context.js';
import type { Io } from './output.js';

/** Runs one command with a context; returns the exit code (0 when the handler returns nothing). */
export type Handler<A extends unknown[]> = (ctx: CliContext, ...args: A) => Promise<number | void>;

/**
 * The exit code a handler's result stands for: only a whole number is an exit code. Anything else (nothing, or a
 * value a handler returned by accident, such as `process.stdout.write`'s boolean) means success; handing a boolean
 * to `process.exitCode` makes Node throw ERR_INVALID_ARG_TYPE after the output was printed.
 */
export function exitCodeOf(result: unknown): number {
  return typeof result === 'number' && Number.isInteger(result) ? result : 0;
}

/** Shared by all command modules: how to build a context and where the exit code goes. */
export interface Kit {
  readonly io: Io;
  readonly env: NodeJS.ProcessEnv;
  /** Wraps a handler as a commander action; the last two commander arguments are (options, command). */
  action<A extends unknown[]>(handler: Handler<A>): (...args: unknown[]) => Promise<void>;
}

/** The commands that can do something in an empty store, so may create one; all others need an existing store. */
const CREATES_STORE: ReadonlySet<string> = new Set(['init', 'demo', 'import', 'product create']);

/** `product create` for the `create` subcommand of `product` (the program's own name left out). */
function commandPath(cmd: Command): string {
  const names: string[] = [];
  for (let c: Command | null = cmd; c?.parent !== null && c !== null; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

/** Builds the kit; `setExit` records the handler's exit code for `main`. */
export function makeKit(io: Io, env: NodeJS.ProcessEnv, setExit: (code: number) => void): Kit {
  return {
    io,
    env,
    action<A extends unknown[]>(handler: Handler<A>) {
      return async (...args: unknown[]): Promise<void> => {
        const cmd = args[args.length - 1] as Command;
        // Loaded when a command runs, not when the command tree is built: `--help` never opens a store.
        const { CliContext } = await import('./context.js');
        const ctx = new CliContext(io, cmd.optsWithGlobals<GlobalOptions>(), env, CREATES_STORE.has(commandPath(cmd)));
        try {
          setExit(exitCodeOf(await handler(ctx, ...(args.slice(0, -1) as A))));
        } finally {
          await ctx.close();
        }
      };
    },
  };
}

/**
 * Parses a positive whole number from a flag.
 * @throws AppError INVALID_INPUT naming the flag
 */
export function positiveInt(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^[1-9]\d{0,9}$/.test(value)) throw invalidInput(`${flag} must be a positive whole number, not '${value}'`, { field: flag });
  return Number(value);
}

/**
 * `SRS-12@3`: a record and the revision the person read (`revision` undefined without `@`).
 * @throws AppError INVALID_INPUT when what follows `@` is not a positive whole number
 */
export function recordAtRevision(arg: string): { record: string; revision: number | undefined } {
  const at = arg.lastIndexOf('@');
  if (at < 0) return { record: arg, revision: undefined };
  return { record: arg.slice(0, at), revision: positiveInt(`the revision in ${arg}`, arg.slice(at + 1)) };
}

/** Collects a repeatable option into an array (commander helper). */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/**
 * Checks a `--format` value against the allowed ones (the first is the default).
 * @throws AppError INVALID_INPUT naming the allowed formats
 */
export function formatOption(value: string | undefined, allowed: readonly string[]): string {
  const f = value ?? allowed[0] ?? '';
  if (!allowed.includes(f)) throw invalidInput(`--format must be one of ${allowed.join(', ')}, not '${f}'`, { field: 'format' });
  return f;
}

/**
 * Parses a severity given on the command line.
 * @throws AppError INVALID_INPUT naming the flag
 */
export function severityOption(flag: string, value: string): Severity {
  if (!isSeverity(value)) throw invalidInput(`${flag} must be error, warning or info, not '${value}'`, { field: flag });
  return value;
}

/** The severities, as `SeveritySchema` has them (a test keeps the two alike; zod is not loaded to build the CLI). */
export const SEVERITIES: readonly Severity[] = ['error', 'warning', 'info'];

function isSeverity(value: string): value is Severity {
  return (SEVERITIES as readonly string[]).includes(value);
}
