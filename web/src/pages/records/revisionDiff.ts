import { diffLines, diffWords } from 'diff';

/** A piece of a changed line: text, and whether it differs from the other side. */
export interface Segment {
  readonly text: string;
  readonly changed: boolean;
}

/** One side of a diff row: its line number on that side, its text, and how it changed. */
export interface Side {
  readonly line: number;
  readonly text: string;
  readonly kind: 'same' | 'removed' | 'added';
  /** For a changed line paired with one on the other side: the words that differ. */
  readonly segments?: readonly Segment[];
}

/** A row of a side-by-side diff: the old line on the left, the new one on the right (either may be missing). */
export interface DiffRow {
  readonly left: Side | null;
  readonly right: Side | null;
}

/** A row, or a run of unchanged rows folded away. */
export type ShownRow = { readonly kind: 'row'; readonly row: DiffRow } | { readonly kind: 'gap'; readonly count: number };

function linesOf(value: string): string[] {
  const v = value.endsWith('\n') ? value.slice(0, -1) : value;
  return v.split('\n');
}

function wordSegments(a: string, b: string): { left: Segment[]; right: Segment[] } {
  const left: Segment[] = [];
  const right: Segment[] = [];
  for (const part of diffWords(a, b)) {
    if (!part.added) left.push({ text: part.value, changed: part.removed });
    if (!part.removed) right.push({ text: part.value, changed: part.added });
  }
  return { left, right };
}

/**
 * Lines of two texts side by side: unchanged lines on both sides, a removed run beside the added run that replaced
 * it (paired line by line, with the words that differ), the rest alone on their side.
 */
export function sideBySide(a: string, b: string): DiffRow[] {
  if (a === b && a === '') return [];
  const rows: DiffRow[] = [];
  let l = 1;
  let r = 1;
  const parts = diffLines(a, b);
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i];
    if (part === undefined) continue;
    if (!part.added && !part.removed) {
      for (const text of linesOf(part.value)) rows.push({ left: { line: l++, text, kind: 'same' }, right: { line: r++, text, kind: 'same' } });
      continue;
    }
    const next = parts[i + 1];
    const removed = part.removed ? linesOf(part.value) : [];
    const added = part.added ? linesOf(part.value) : next?.added === true && part.removed ? linesOf(next.value) : [];
    if (part.removed && next?.added === true) i++;
    for (let k = 0; k < Math.max(removed.length, added.length); k++) {
      const old = removed[k];
      const neu = added[k];
      const words = old !== undefined && neu !== undefined ? wordSegments(old, neu) : undefined;
      rows.push({
        left: old === undefined ? null : { line: l++, text: old, kind: 'removed', ...(words === undefined ? {} : { segments: words.left }) },
        right: neu === undefined ? null : { line: r++, text: neu, kind: 'added', ...(words === undefined ? {} : { segments: words.right }) },
      });
    }
  }
  return rows;
}

/** Folds runs of unchanged rows longer than `2 × context`, keeping `context` rows around each change. */
export function foldUnchanged(rows: readonly DiffRow[], context = 3): ShownRow[] {
  const changed = rows.map((row) => row.left?.kind !== 'same' || row.right?.kind !== 'same');
  const keep = rows.map((_, i) => {
    for (let d = -context; d <= context; d++) if (changed[i + d] === true) return true;
    return false;
  });
  const out: ShownRow[] = [];
  let gap = 0;
  rows.forEach((row, i) => {
    if (keep[i] === true) {
      if (gap > 0) out.push({ kind: 'gap', count: gap });
      gap = 0;
      out.push({ kind: 'row', row });
    } else gap++;
  });
  if (gap > 0) out.push({ kind: 'gap', count: gap });
  return out;
}

/** A field's value as text, for lists and diffs (`—` when it is not set). */
export function fieldText(value: unknown): string {
  if (value === undefined || value === null) return '—';
  if (typeof value === 'string') return value === '' ? '—' : value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value) && value.every((v) => typeof v === 'string' || typeof v === 'number')) return value.length === 0 ? '—' : value.join(', ');
  return JSON.stringify(value);
}

/** What a revision holds, for comparing two. */
export interface RevisionContent {
  readonly revision: number;
  readonly title: string;
  readonly body: string;
  readonly fields: Readonly<Record<string, unknown>>;
}

/** One field of two revisions, as text. */
export interface FieldComparison {
  readonly field: string;
  readonly from: string;
  readonly to: string;
  readonly changed: boolean;
}

/** Two revisions compared: title, every field (in `fieldOrder`, then any others), and the body line by line. */
export interface RevisionComparison {
  readonly title: { readonly from: string; readonly to: string; readonly changed: boolean };
  readonly fields: readonly FieldComparison[];
  readonly body: readonly DiffRow[];
  readonly bodyChanged: boolean;
  /** How many parts differ (title, fields, body). */
  readonly changes: number;
}

export function compareRevisions(a: RevisionContent, b: RevisionContent, fieldOrder: readonly string[] = []): RevisionComparison {
  const names = [...fieldOrder, ...[...new Set([...Object.keys(a.fields), ...Object.keys(b.fields)])].filter((n) => !fieldOrder.includes(n)).sort()];
  const fields = names
    .map((field) => {
      const from = fieldText(a.fields[field]);
      const to = fieldText(b.fields[field]);
      return { field, from, to, changed: from !== to };
    })
    .filter((f) => f.changed || f.from !== '—');
  const title = { from: a.title, to: b.title, changed: a.title !== b.title };
  const bodyChanged = a.body !== b.body;
  return {
    title,
    fields,
    body: sideBySide(a.body, b.body),
    bodyChanged,
    changes: (title.changed ? 1 : 0) + fields.filter((f) => f.changed).length + (bodyChanged ? 1 : 0),
  };
}
