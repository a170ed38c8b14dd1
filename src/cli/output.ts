import { terminalText } from '../export/terminal-text.js';

/** Where the CLI writes; tests pass buffers, `main` passes the process streams. */
export interface Io {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  /** True when stderr is a terminal (progress is drawn only then). */
  readonly interactive: boolean;
  /** Standard input as text, for tests running the CLI in-process (absent: the process's own is read). */
  readonly stdin?: () => Promise<string>;
}

/**
 * A plain, border-less table: columns padded to their widest cell and two spaces apart, trailing blanks trimmed;
 * readable in a terminal and easy to grep. Linear in the number of cells (cli-table3 took a minute for 10,000 rows).
 */
export function table(head: readonly string[], rows: readonly (readonly unknown[])[]): string {
  const cells = [head.map(cell), ...rows.map((r) => r.map(cell))];
  const widths: number[] = [];
  for (const r of cells) r.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, width(c))));
  return cells
    .map((r) => r.map((c, i) => (i === r.length - 1 ? c : c + ' '.repeat((widths[i] ?? 0) - width(c) + 2))).join('').trimEnd())
    .join('\n');
}

/** Display width in code points (the CLI's text is Latin and symbols; no wide characters). */
function width(s: string): number {
  return [...s].length;
}

/** A table cell: empty for null/undefined, JSON for objects; one line, control characters shown as escapes. */
function cell(c: unknown): string {
  if (c === null || c === undefined) return '';
  if (typeof c === 'string') return terminalText(c);
  if (typeof c === 'number' || typeof c === 'boolean' || typeof c === 'bigint') return c.toString();
  return JSON.stringify(c);
}

/** JSON for machines, two-space indented. */
export function json(value: unknown): string {
  return JSON.stringify(value, null, 2);
}

/**
 * A progress reporter that draws `phase done/total` on stderr, only on a terminal and only once an operation has
 * run for more than a second. Call `.end()` when done.
 */
export function progress(io: Io): ((done: number, total: number, phase: string) => void) & { end(): void } {
  const start = Date.now();
  let drawn = false;
  let lastDraw = 0;
  const fn = (done: number, total: number, phase: string): void => {
    if (!io.interactive) return;
    const now = Date.now();
    if (now - start < 1000 || now - lastDraw < 100) return;
    lastDraw = now;
    drawn = true;
    const pct = total > 0 && total >= done ? ` (${Math.floor((done / total) * 100)}%)` : '';
    io.err(`\r\x1b[K${phase}: ${done.toLocaleString('en')}${total > done ? `/${total.toLocaleString('en')}` : ''}${pct}`);
  };
  return Object.assign(fn, {
    end(): void {
      if (drawn) io.err('\r\x1b[K');
    },
  });
}
