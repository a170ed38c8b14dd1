import { invalidInput } from '../core/errors.js';
import type { CliContext } from './context.js';

/**
 * Passwords on the command line: read from standard input (`--password-stdin`) or asked for on a terminal without
 * echo; never taken as an argument, where other users of the machine and the shell history would see it.
 */

/** Reads all of standard input (a password piped in): one trailing line break is dropped. */
export async function readStdin(ctx: CliContext): Promise<string> {
  if (ctx.io.stdin !== undefined) return (await ctx.io.stdin()).replace(/\r?\n$/, '');
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

/** Asks for a password on the terminal without echoing it. */
export function promptHidden(ctx: CliContext, question: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const stdin = process.stdin;
    ctx.io.err(question);
    stdin.setRawMode(true);
    stdin.resume();
    stdin.setEncoding('utf8');
    let typed = '';
    const done = (fn: () => void): void => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.removeListener('data', onData);
      ctx.io.err('\n');
      fn();
    };
    const onData = (s: string): void => {
      for (const ch of s) {
        if (ch === '\r' || ch === '\n') return done(() => resolve(typed));
        if (ch === '\u0003') return done(() => reject(invalidInput('cancelled', { field: 'password' })));
        if (ch === '\u007f' || ch === '\b') typed = typed.slice(0, -1);
        else typed += ch;
      }
    };
    stdin.on('data', onData);
  });
}

/**
 * The signer's password for one electronic signature (21 CFR 11.200(a)): from standard input, or asked for once on
 * a terminal.
 * @throws AppError INVALID_INPUT when there is neither (a signature is never given without the password)
 */
export async function signingPassword(ctx: CliContext, username: string, fromStdin: boolean): Promise<string> {
  if (fromStdin) return readStdin(ctx);
  if (process.stdin.isTTY !== true) {
    throw invalidInput('signing needs your password: run on a terminal to be asked for it, or pipe it in with --password-stdin', { field: 'password' });
  }
  return promptHidden(ctx, `password of ${username} (to sign): `);
}
