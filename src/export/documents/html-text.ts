/**
 * The one HTML escaper of the static site, and the one way a model's ID becomes a file name or an element ID. The
 * model's text is untrusted (a record's author wrote it), so every string that reaches a page goes through `html`.
 */

// eslint-disable-next-line no-control-regex -- control characters are part of what is replaced
const SPECIAL = /[&<>"'\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
// eslint-disable-next-line no-control-regex -- the same set, global
const SPECIAL_ALL = /[&<>"'\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;
const ENTITY: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * Text made safe for an HTML text node or a quoted attribute value: markup characters become entities and control
 * characters (which HTML does not allow) become U+FFFD, so no text the model holds can open a tag or end an attribute.
 */
export function html(text: string): string {
  if (!SPECIAL.test(text)) return text; // most text has nothing to escape: no new string
  return text.replace(SPECIAL_ALL, (c) => ENTITY[c] ?? '\ufffd');
}

/**
 * A model ID (record key, record type, document ID, heading anchor) as one path segment or element ID: letters,
 * digits and `-` kept, every other character written as `_` and its UTF-8 bytes in hex (`RPM/SRS-1` → `RPM_2fSRS-1`).
 * Injective, never `.` or `..`, the same on every operating system, and needs no URL encoding.
 */
export function segment(id: string): string {
  if (/^[A-Za-z0-9-]+$/.test(id)) return id;
  let out = '';
  for (const ch of id) {
    if (/[A-Za-z0-9-]/.test(ch)) out += ch;
    else for (const b of Buffer.from(ch, 'utf8')) out += `_${b.toString(16).padStart(2, '0')}`;
  }
  return out === '' ? '_' : out;
}

/** Orders keys the way people read them: `SRS-2` before `SRS-10`; ties broken by code units, so the order is total. */
export function naturalCompare(a: string, b: string): number {
  return compareNatural(naturalKey(a), naturalKey(b));
}

/** A key cut into runs of digits and of other characters, to sort many keys without cutting them again. */
export interface NaturalKey {
  readonly text: string;
  readonly runs: readonly string[];
}

export function naturalKey(text: string): NaturalKey {
  return { text, runs: text.match(/\d+|\D+/g) ?? [] };
}

export function compareNatural(ka: NaturalKey, kb: NaturalKey): number {
  const ra = ka.runs;
  const rb = kb.runs;
  for (let i = 0; i < Math.min(ra.length, rb.length); i++) {
    const x = ra[i] as string;
    const y = rb[i] as string;
    if (x === y) continue;
    const dx = x.charCodeAt(0) >= 48 && x.charCodeAt(0) <= 57;
    const dy = y.charCodeAt(0) >= 48 && y.charCodeAt(0) <= 57;
    if (dx && dy) {
      const nx = x.replace(/^0+/, '');
      const ny = y.replace(/^0+/, '');
      if (nx.length !== ny.length) return nx.length - ny.length;
      if (nx !== ny) return nx < ny ? -1 : 1;
    }
    return x < y ? -1 : 1;
  }
  if (ra.length !== rb.length) return ra.length - rb.length;
  return ka.text < kb.text ? -1 : ka.text > kb.text ? 1 : 0;
}
