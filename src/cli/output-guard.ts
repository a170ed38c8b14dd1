import { EXIT } from './exit-codes.js';

/** What became of standard output. */
export interface OutputGuard {
  /** True once the reader has gone (`EPIPE`, e.g. `dossier record list | head -1`): later output is dropped. */
  readonly closed: boolean;
  /** True when output could not be written for another reason (a full disk): the run must not report success. */
  readonly failed: boolean;
}

/**
 * Watches a process's standard output. A reader that stops reading is not an error: output stops quietly and the
 * command's own exit code stands. Any other write error (`ENOSPC` on a full disk) is reported once, as one line
 * on standard error, and the process exits 2 (the output is incomplete). Without this, Node would crash with an
 * unhandled 'error' event and a stack trace.
 * @param report - writes a line to standard error
 */
export function guardOutput(stream: NodeJS.WritableStream, report: (line: string) => void): OutputGuard {
  const state = { closed: false, failed: false };
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (state.closed) return;
    state.closed = true;
    if (e.code === 'EPIPE') return;
    state.failed = true;
    report(`dossier: cannot write to standard output: ${e.code === 'ENOSPC' ? 'the disk is full' : e.message}${e.code === undefined ? '' : ` (${e.code})`}\n`);
    process.exitCode = EXIT.usage;
  });
  return state;
}
