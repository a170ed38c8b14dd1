import { applyPatch, createPatch } from 'diff';

/** A field of a record type as the catalog describes it (`catalog.show`). */
export interface FieldInfo {
  readonly name: string;
  readonly kind: 'text' | 'date' | 'number' | 'integer' | 'boolean' | 'choice' | 'list' | 'object';
  readonly required: boolean;
  readonly values?: readonly string[];
  readonly itemKind?: FieldInfo['kind'];
  readonly default?: unknown;
}

/** What a form control holds: text (most kinds), a tick (boolean), chosen values (a list of choices). */
export type FormValue = string | boolean | readonly string[];

/** The whole form: title, Markdown body, and one value per typed field. */
export interface FormContent {
  readonly title: string;
  readonly body: string;
  readonly fields: Readonly<Record<string, FormValue>>;
}

/** How a field is edited: one control per kind. */
export type Control = 'text' | 'date' | 'number' | 'checkbox' | 'select' | 'multiselect' | 'lines' | 'json';

export function controlOf(f: FieldInfo): Control {
  switch (f.kind) {
    case 'text':
      return 'text';
    case 'date':
      return 'date';
    case 'number':
    case 'integer':
      return 'number';
    case 'boolean':
      return 'checkbox';
    case 'choice':
      return 'select';
    case 'list':
      return f.itemKind === 'choice' ? 'multiselect' : f.itemKind === 'object' || f.itemKind === 'list' ? 'json' : 'lines';
    case 'object':
      return 'json';
  }
}

/** A stored field value as the form control shows it (its default when the record does not set it). */
export function toFormValue(f: FieldInfo, value: unknown): FormValue {
  const v = value === undefined ? f.default : value;
  switch (controlOf(f)) {
    case 'checkbox':
      return v === true;
    case 'multiselect':
      return Array.isArray(v) ? v.map(String) : [];
    case 'lines':
      return Array.isArray(v) ? v.map((x) => (typeof x === 'string' ? x : JSON.stringify(x))).join('\n') : '';
    case 'json':
      return v === undefined || v === null || (Array.isArray(v) && v.length === 0) ? '' : JSON.stringify(v, null, 2);
    case 'text':
    case 'date':
    case 'number':
    case 'select':
      return v === undefined || v === null ? '' : typeof v === 'string' ? v : JSON.stringify(v);
  }
}

/** The form values of a record's content (or of a new record: every field at its default). */
export function formContent(fields: readonly FieldInfo[], content?: { readonly title: string; readonly body: string; readonly fields: Readonly<Record<string, unknown>> }): FormContent {
  return {
    title: content?.title ?? '',
    body: content?.body ?? '',
    fields: Object.fromEntries(fields.map((f) => [f.name, toFormValue(f, content?.fields[f.name])])),
  };
}

/** A form value turned back into a field value: set, left unset, or refused here (text that is not JSON). */
export type Converted = { readonly set: unknown } | { readonly unset: true } | { readonly error: string };

/**
 * Turns a control's value into the field's value. Values are not judged here beyond what the control cannot carry:
 * the server checks them against the catalog and says what is wrong, next to the field (a number that is not one
 * is sent as typed, for the server to refuse).
 */
export function fromFormValue(f: FieldInfo, value: FormValue): Converted {
  switch (controlOf(f)) {
    case 'checkbox':
      return { set: value === true };
    case 'multiselect':
      return Array.isArray(value) && value.length > 0 ? { set: [...(value as string[])] } : { unset: true };
    case 'lines': {
      const lines = String(value)
        .split('\n')
        .map((l) => l.trim())
        .filter((l) => l !== '');
      if (lines.length === 0) return { unset: true };
      if (f.itemKind === 'number' || f.itemKind === 'integer') return { set: lines.map((l) => (Number.isFinite(Number(l)) ? Number(l) : l)) };
      return { set: lines };
    }
    case 'json': {
      const text = String(value).trim();
      if (text === '') return { unset: true };
      try {
        return { set: JSON.parse(text) as unknown };
      } catch {
        return { error: 'this is not valid JSON' };
      }
    }
    case 'number': {
      const text = String(value).trim();
      if (text === '') return { unset: true };
      const n = Number(text);
      return { set: Number.isFinite(n) ? n : text };
    }
    case 'text':
    case 'date':
    case 'select': {
      const text = String(value);
      return text === '' ? { unset: true } : { set: text };
    }
  }
}

/** What to send: the typed fields of a new record, or an edit's merge patch; and the fields refused here. */
export interface FieldPayload {
  readonly fields: Record<string, unknown>;
  readonly errors: Readonly<Record<string, string>>;
}

/** The typed fields of a new record (unset ones left out). */
export function newFields(fields: readonly FieldInfo[], form: FormContent): FieldPayload {
  const out: Record<string, unknown> = {};
  const errors: Record<string, string> = {};
  for (const f of fields) {
    const c = fromFormValue(f, form.fields[f.name] ?? toFormValue(f, undefined));
    if ('error' in c) errors[f.name] = c.error;
    else if ('set' in c) out[f.name] = c.set;
  }
  return { fields: out, errors };
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** An edit's merge patch: only the fields whose value differs from `stored` (null removes a field). */
export function fieldPatch(fields: readonly FieldInfo[], form: FormContent, stored: Readonly<Record<string, unknown>>): FieldPayload {
  const out: Record<string, unknown> = {};
  const errors: Record<string, string> = {};
  for (const f of fields) {
    const c = fromFormValue(f, form.fields[f.name] ?? toFormValue(f, undefined));
    if ('error' in c) errors[f.name] = c.error;
    else if ('set' in c) {
      if (!same(c.set, stored[f.name])) out[f.name] = c.set;
    } else if (stored[f.name] !== undefined && !same(toFormValue(f, stored[f.name]), toFormValue(f, undefined))) out[f.name] = null;
  }
  return { fields: out, errors };
}

/** The outcome of re-applying one's own changes on top of someone else's newer revision. */
export interface Merge {
  readonly merged: FormContent;
  /** Parts of mine kept (`title`, `body`, a field name). */
  readonly applied: readonly string[];
  /** Parts both changed differently: theirs is kept, mine must be made again by hand. */
  readonly clashes: readonly string[];
}

/**
 * Three-way merge of a form: takes theirs (the latest revision) and re-applies what I changed since the base
 * revision where they did not change the same part differently. The body merges line by line (my patch applied to
 * theirs); a body whose patch does not apply is a clash.
 */
export function mergeForm(base: FormContent, mine: FormContent, theirs: FormContent): Merge {
  const applied: string[] = [];
  const clashes: string[] = [];
  const pick = <T>(part: string, b: T, m: T, t: T): T => {
    if (same(m, b) || same(m, t)) return t;
    if (same(t, b)) {
      applied.push(part);
      return m;
    }
    clashes.push(part);
    return t;
  };
  const title = pick('title', base.title, mine.title, theirs.title);
  let body = theirs.body;
  if (!same(mine.body, base.body) && !same(mine.body, theirs.body)) {
    if (same(theirs.body, base.body)) {
      body = mine.body;
      applied.push('body');
    } else {
      const patched = applyPatch(theirs.body, createPatch('body', base.body, mine.body));
      if (patched === false) clashes.push('body');
      else {
        body = patched;
        applied.push('body');
      }
    }
  }
  const names = [...new Set([...Object.keys(theirs.fields), ...Object.keys(mine.fields)])];
  const fields = Object.fromEntries(
    names.map((n) => [n, pick(n, base.fields[n] ?? '', mine.fields[n] ?? '', theirs.fields[n] ?? '')] as const),
  );
  return { merged: { title, body, fields }, applied, clashes };
}

/** A field's name for people: `riskControl` → `Risk control`, `externalId` → `External ID`. */
export function fieldLabel(name: string): string {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/_/g, ' ')
    .toLowerCase()
    .replace(/\bid\b/g, 'ID')
    .replace(/\burl\b/g, 'URL');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/**
 * Which part of the form a server error is about: `title`, `body`, `reason`, a field's name, or undefined (shown
 * above the form). Reads `title`, `record.title`, `fields.priority`, `record.fields.steps[0].action`.
 */
export function errorPart(field: string | undefined, names: readonly string[]): string | undefined {
  if (field === undefined) return undefined;
  const f = field.replace(/^record\./, '').replace(/^records\[\d+\]\./, '');
  if (f === 'title' || f === 'body' || f === 'reason') return f;
  const m = /^fields\.([A-Za-z0-9_]+)/.exec(f);
  return m?.[1] !== undefined && names.includes(m[1]) ? m[1] : undefined;
}
