import type { ExportedRecords } from '../app/use-cases/export-records.js';
import type { Catalog } from '../core/catalog/catalog.js';
import { describeFields, type FieldInfo } from '../core/catalog/field-input.js';
import { invalidInput } from '../core/errors.js';
import { BODY_ATTRIBUTE, TITLE_ATTRIBUTE, effectiveFields, linkIdentifier, typeIdentifier, type FieldMapping, type ReqifMap, type ReqifTypeMap } from '../ingest/reqif-map.js';
import { escapeXmlText, markdownToXhtml } from './reqif-xhtml.js';

/**
 * Writes a product's records and links as ReqIF 1.2: a header (identifier, creation time, tool "Dossier", title),
 * the datatypes, one spec object type per record type (title as `ReqIF.Name`, body as XHTML `ReqIF.Text`, each
 * field an attribute: choices as enumerations, lists and objects as JSON text), one spec object per record, one
 * spec relation type per link type, and one specification per record type. With a hierarchy link in the map, a
 * record with exactly one such link to a record of its own type is nested under it (and the link is not written
 * again as a relation). Names follow the map where it gives them, Dossier's own otherwise.
 *
 * Output is deterministic: the same records give the same bytes (times come from the records, not the clock).
 * A spec object's IDENTIFIER is the record's `externalId` when it has one (made a valid XML ID), else
 * `<PRODUCT>-<KEY>`.
 * @throws AppError INVALID_INPUT naming the record when a text holds a character XML cannot carry
 */
export function writeReqif(data: ExportedRecords, map: ReqifMap, catalog: Catalog): string {
  const w = new Writer(data, map, catalog);
  return w.write();
}

const attr = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;').replace(/\t/g, '&#9;');

// eslint-disable-next-line no-control-regex -- finding characters XML 1.0 cannot carry is the point
const NOT_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/;

/** An XML ID (NCName) made from any text: other characters become `_`, a leading non-letter gets a `_` before it. */
function xmlId(s: string): string {
  const t = s.replace(/[^A-Za-z0-9._-]/g, '_');
  return /^[A-Za-z_]/.test(t) ? t : `_${t}`;
}

/** Deepest nesting written (each level is two XML elements; readers refuse files nested past MAX_XML_DEPTH). */
const MAX_NESTING = 100;

type Kind = 'STRING' | 'INTEGER' | 'REAL' | 'BOOLEAN' | 'DATE' | 'ENUMERATION' | 'XHTML';

interface AttrOut {
  readonly id: string;
  readonly name: string;
  readonly kind: Kind;
  readonly datatype: string;
  readonly role: 'title' | 'body' | 'field';
  readonly mapping?: FieldMapping;
  readonly info?: FieldInfo;
  /** Field value → enum value identifier. */
  readonly enumIds?: ReadonlyMap<string, string>;
}

class Writer {
  private readonly out: string[] = [];
  private readonly time: string;
  private readonly typeEntry = new Map<string, ReqifTypeMap>();
  private readonly attrs = new Map<string, AttrOut[]>();
  private readonly enums: { id: string; name: string; values: { id: string; label: string }[] }[] = [];

  constructor(
    private readonly data: ExportedRecords,
    private readonly map: ReqifMap,
    private readonly catalog: Catalog,
  ) {
    this.time = data.records.reduce((t, r) => (r.revisedAt > t ? r.revisedAt : t), '1970-01-01T00:00:00.000Z');
  }

  private line(s: string): void {
    this.out.push(s);
  }

  private types(): string[] {
    return [...new Set(this.data.records.map((r) => r.type))].sort();
  }

  private prepare(): void {
    for (const type of this.types()) {
      const entry = this.map.types.find((t) => t.type === type) ?? { reqif: typeIdentifier(type), type, fields: {}, set: {}, externalId: 'field' as const };
      this.typeEntry.set(type, entry);
      const rt = this.catalog.recordTypes.get(type);
      const infos = rt === undefined ? [] : describeFields(rt);
      const list: AttrOut[] = [
        { id: `dossier-attr-${type}-title`, name: entry.title ?? TITLE_ATTRIBUTE, kind: 'STRING', datatype: 'dossier-dt-string', role: 'title' },
        { id: `dossier-attr-${type}-body`, name: entry.body ?? BODY_ATTRIBUTE, kind: 'XHTML', datatype: 'dossier-dt-xhtml', role: 'body' },
      ];
      for (const m of effectiveFields(entry, this.catalog)) {
        const info = infos.find((i) => i.name === m.field);
        const id = `dossier-attr-${type}-f-${xmlId(m.field)}`;
        const base = { id, name: m.attribute, mapping: m, role: 'field' as const, ...(info === undefined ? {} : { info }) };
        if (m.json || info === undefined || info.kind === 'list' || info.kind === 'object' || info.kind === 'text') list.push({ ...base, kind: 'STRING', datatype: 'dossier-dt-string' });
        else if (info.kind === 'choice') {
          const dt = `dossier-dt-${type}-${xmlId(m.field)}`;
          const labelOf = (v: string): string => Object.entries(m.values ?? {}).find(([, x]) => String(x) === v)?.[0] ?? v;
          const values = (info.values ?? []).map((v, i) => ({ id: `${dt}-${i}`, label: labelOf(v), value: v }));
          this.enums.push({ id: dt, name: `${type} ${m.field}`, values });
          list.push({ ...base, kind: 'ENUMERATION', datatype: dt, enumIds: new Map(values.map((v) => [v.value, v.id])) });
        } else {
          const kind: Kind = info.kind === 'integer' ? 'INTEGER' : info.kind === 'number' ? 'REAL' : info.kind === 'boolean' ? 'BOOLEAN' : 'DATE';
          list.push({ ...base, kind, datatype: `dossier-dt-${kind.toLowerCase()}` });
        }
      }
      this.attrs.set(type, list);
    }
  }

  write(): string {
    this.prepare();
    const d = this.data;
    const t = attr(this.time);
    this.line('<?xml version="1.0" encoding="UTF-8"?>');
    this.line('<REQ-IF xmlns="http://www.omg.org/spec/ReqIF/20110401/reqif.xsd" xmlns:xhtml="http://www.w3.org/1999/xhtml">');
    this.line('  <THE-HEADER>');
    this.line(`    <REQ-IF-HEADER IDENTIFIER="${attr(xmlId(`dossier-${d.product.key}`))}">`);
    this.line(`      <CREATION-TIME>${t}</CREATION-TIME>`);
    this.line(`      <REPOSITORY-ID>${escapeXmlText(d.product.key)}</REPOSITORY-ID>`);
    this.line('      <REQ-IF-TOOL-ID>Dossier</REQ-IF-TOOL-ID>');
    this.line('      <REQ-IF-VERSION>1.0</REQ-IF-VERSION>');
    this.line('      <SOURCE-TOOL-ID>Dossier</SOURCE-TOOL-ID>');
    this.line(`      <TITLE>${escapeXmlText(`${d.product.name} (${d.product.key})`)}</TITLE>`);
    this.line('    </REQ-IF-HEADER>');
    this.line('  </THE-HEADER>');
    this.line('  <CORE-CONTENT>');
    this.line('    <REQ-IF-CONTENT>');
    this.datatypes(t);
    const nesting = this.nesting();
    this.specTypes(t);
    this.objects();
    this.relations(nesting.nested);
    this.specifications(t, nesting.children);
    this.line('    </REQ-IF-CONTENT>');
    this.line('  </CORE-CONTENT>');
    this.line('</REQ-IF>');
    return `${this.out.join('\n')}\n`;
  }

  private datatypes(t: string): void {
    this.line('      <DATATYPES>');
    this.line(`        <DATATYPE-DEFINITION-BOOLEAN IDENTIFIER="dossier-dt-boolean" LAST-CHANGE="${t}" LONG-NAME="Boolean"/>`);
    this.line(`        <DATATYPE-DEFINITION-DATE IDENTIFIER="dossier-dt-date" LAST-CHANGE="${t}" LONG-NAME="Date"/>`);
    this.line(`        <DATATYPE-DEFINITION-INTEGER IDENTIFIER="dossier-dt-integer" LAST-CHANGE="${t}" LONG-NAME="Integer" MAX="9007199254740991" MIN="-9007199254740991"/>`);
    this.line(`        <DATATYPE-DEFINITION-REAL ACCURACY="15" IDENTIFIER="dossier-dt-real" LAST-CHANGE="${t}" LONG-NAME="Real" MAX="1.7976931348623157E308" MIN="-1.7976931348623157E308"/>`);
    this.line(`        <DATATYPE-DEFINITION-STRING IDENTIFIER="dossier-dt-string" LAST-CHANGE="${t}" LONG-NAME="Text" MAX-LENGTH="1000000"/>`);
    this.line(`        <DATATYPE-DEFINITION-XHTML IDENTIFIER="dossier-dt-xhtml" LAST-CHANGE="${t}" LONG-NAME="Formatted text"/>`);
    for (const e of this.enums) {
      this.line(`        <DATATYPE-DEFINITION-ENUMERATION IDENTIFIER="${attr(e.id)}" LAST-CHANGE="${t}" LONG-NAME="${attr(e.name)}">`);
      this.line('          <SPECIFIED-VALUES>');
      e.values.forEach((v, i) => {
        this.line(`            <ENUM-VALUE IDENTIFIER="${attr(v.id)}" LAST-CHANGE="${t}" LONG-NAME="${attr(v.label)}">`);
        this.line(`              <PROPERTIES><EMBEDDED-VALUE KEY="${i}" OTHER-CONTENT=""/></PROPERTIES>`);
        this.line('            </ENUM-VALUE>');
      });
      this.line('          </SPECIFIED-VALUES>');
      this.line('        </DATATYPE-DEFINITION-ENUMERATION>');
    }
    this.line('      </DATATYPES>');
  }

  private linkTypes(): string[] {
    return [...new Set(this.data.links.map((l) => l.type))].sort();
  }

  private specTypes(t: string): void {
    this.line('      <SPEC-TYPES>');
    for (const type of this.types()) {
      const entry = this.typeEntry.get(type);
      const rt = this.catalog.recordTypes.get(type);
      const name = entry === undefined || entry.reqif === typeIdentifier(type) ? (rt?.name ?? type) : entry.reqif;
      this.line(`        <SPEC-OBJECT-TYPE IDENTIFIER="${attr(typeIdentifier(type))}" LAST-CHANGE="${t}" LONG-NAME="${attr(name)}">`);
      this.line('          <SPEC-ATTRIBUTES>');
      for (const a of this.attrs.get(type) ?? []) {
        this.line(`            <ATTRIBUTE-DEFINITION-${a.kind} IDENTIFIER="${attr(a.id)}" LAST-CHANGE="${t}" LONG-NAME="${attr(a.name)}"${a.kind === 'ENUMERATION' ? ' MULTI-VALUED="false"' : ''}>`);
        this.line(`              <TYPE><DATATYPE-DEFINITION-${a.kind}-REF>${escapeXmlText(a.datatype)}</DATATYPE-DEFINITION-${a.kind}-REF></TYPE>`);
        this.line(`            </ATTRIBUTE-DEFINITION-${a.kind}>`);
      }
      this.line('          </SPEC-ATTRIBUTES>');
      this.line('        </SPEC-OBJECT-TYPE>');
    }
    for (const l of this.linkTypes()) {
      const entry = this.map.relations.find((r) => r.link === l);
      const name = entry === undefined || entry.reqif === linkIdentifier(l) ? (this.catalog.linkTypes.get(l)?.label ?? l) : entry.reqif;
      this.line(`        <SPEC-RELATION-TYPE IDENTIFIER="${attr(linkIdentifier(l))}" LAST-CHANGE="${t}" LONG-NAME="${attr(name)}"/>`);
    }
    this.line(`        <SPECIFICATION-TYPE IDENTIFIER="dossier-specification" LAST-CHANGE="${t}" LONG-NAME="Dossier record list"/>`);
    this.line('      </SPEC-TYPES>');
  }

  /** Spec object identifiers by record key: the externalId where there is one, else `<PRODUCT>-<KEY>`; unique. */
  private ids(): Map<string, string> {
    const ids = new Map<string, string>();
    const used = new Set<string>();
    for (const r of this.data.records) {
      const ext = r.fields.externalId;
      let id = xmlId(typeof ext === 'string' && ext !== '' ? ext : `${this.data.product.key}-${r.key}`);
      if (used.has(id)) {
        let n = 2;
        while (used.has(`${id}-${n}`)) n++;
        id = `${id}-${n}`;
      }
      used.add(id);
      ids.set(r.key, id);
    }
    return ids;
  }

  private objectIds: Map<string, string> | undefined;
  private idOf(key: string): string {
    this.objectIds ??= this.ids();
    return this.objectIds.get(key) ?? xmlId(key);
  }

  private objects(): void {
    this.line('      <SPEC-OBJECTS>');
    for (const r of this.data.records) {
      const item = `record ${r.key}`;
      const check = (s: string, what: string): string => {
        if (NOT_XML.test(s)) throw invalidInput(`${item}: its ${what} holds a control character XML cannot carry; edit it out and export again`, { item: r.key, field: what });
        return s;
      };
      this.line(`        <SPEC-OBJECT IDENTIFIER="${attr(this.idOf(r.key))}" LAST-CHANGE="${attr(r.revisedAt)}">`);
      this.line(`          <TYPE><SPEC-OBJECT-TYPE-REF>${escapeXmlText(typeIdentifier(r.type))}</SPEC-OBJECT-TYPE-REF></TYPE>`);
      this.line('          <VALUES>');
      for (const a of this.attrs.get(r.type) ?? []) {
        const def = `<DEFINITION><ATTRIBUTE-DEFINITION-${a.kind}-REF>${escapeXmlText(a.id)}</ATTRIBUTE-DEFINITION-${a.kind}-REF></DEFINITION>`;
        if (a.role === 'title') {
          this.line(`            <ATTRIBUTE-VALUE-STRING THE-VALUE="${attr(check(r.title, 'title'))}">${def}</ATTRIBUTE-VALUE-STRING>`);
          continue;
        }
        if (a.role === 'body') {
          this.line(`            <ATTRIBUTE-VALUE-XHTML>${def}<THE-VALUE>${markdownToXhtml(check(r.body, 'body'))}</THE-VALUE></ATTRIBUTE-VALUE-XHTML>`);
          continue;
        }
        const field = a.mapping?.field ?? '';
        const v = r.fields[field];
        if (v === undefined || v === null) continue;
        const scalar = typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? String(v) : JSON.stringify(v);
        switch (a.kind) {
          case 'ENUMERATION': {
            const ref = a.enumIds?.get(scalar);
            if (ref === undefined) continue;
            this.line(`            <ATTRIBUTE-VALUE-ENUMERATION>${def}<VALUES><ENUM-VALUE-REF>${escapeXmlText(ref)}</ENUM-VALUE-REF></VALUES></ATTRIBUTE-VALUE-ENUMERATION>`);
            break;
          }
          case 'DATE':
            this.line(`            <ATTRIBUTE-VALUE-DATE THE-VALUE="${attr(`${scalar}T00:00:00Z`)}">${def}</ATTRIBUTE-VALUE-DATE>`);
            break;
          case 'STRING': {
            const s = typeof v === 'string' && a.mapping?.json !== true ? v : JSON.stringify(v);
            this.line(`            <ATTRIBUTE-VALUE-STRING THE-VALUE="${attr(check(s, field))}">${def}</ATTRIBUTE-VALUE-STRING>`);
            break;
          }
          case 'BOOLEAN':
          case 'INTEGER':
          case 'REAL':
          case 'XHTML':
            this.line(`            <ATTRIBUTE-VALUE-${a.kind} THE-VALUE="${attr(scalar)}">${def}</ATTRIBUTE-VALUE-${a.kind}>`);
        }
      }
      this.line('          </VALUES>');
      this.line('        </SPEC-OBJECT>');
    }
    this.line('      </SPEC-OBJECTS>');
  }

  /**
   * With a hierarchy link in the map: each record's parent (one link of that type to a record of the same type,
   * following the map's direction), without cycles. Those links are written as nesting, not as relations.
   */
  private nesting(): { children: Map<string | undefined, string[]>; nested: Set<number> } {
    const nested = new Set<number>();
    const parent = new Map<string, string>();
    const linkOf = new Map<string, number>();
    const h = this.map.hierarchy;
    const typeOf = new Map(this.data.records.map((r) => [r.key, r.type]));
    if (h !== undefined) {
      const candidates = new Map<string, { parent: string; id: number }[]>();
      for (const l of this.data.links.filter((x) => x.type === h.link)) {
        const [c, p] = h.reverse ? [l.to, l.from] : [l.from, l.to];
        if (typeOf.get(c) === undefined || typeOf.get(c) !== typeOf.get(p)) continue;
        const list = candidates.get(c);
        if (list === undefined) candidates.set(c, [{ parent: p, id: l.id }]);
        else list.push({ parent: p, id: l.id });
      }
      for (const [c, ps] of candidates) {
        const only = ps[0];
        if (ps.length !== 1 || only === undefined) continue;
        // No cycles: walk up from the parent.
        let up: string | undefined = only.parent;
        let cycle = false;
        while (up !== undefined) {
          if (up === c) {
            cycle = true;
            break;
          }
          up = parent.get(up);
        }
        if (cycle) continue;
        parent.set(c, only.parent);
        linkOf.set(c, only.id);
        nested.add(only.id);
      }
      // Each level is two elements (SPEC-HIERARCHY, CHILDREN): keep files within what readers nest (MAX_XML_DEPTH);
      // a deeper record stays at the top with its link written as a relation.
      for (const c of [...parent.keys()]) {
        let depth = 0;
        for (let up = parent.get(c); up !== undefined; up = parent.get(up)) depth++;
        if (depth > MAX_NESTING) {
          parent.delete(c);
          const id = linkOf.get(c);
          if (id !== undefined) nested.delete(id);
        }
      }
    }
    const children = new Map<string | undefined, string[]>();
    for (const r of this.data.records) {
      const p = parent.get(r.key);
      const list = children.get(p);
      if (list === undefined) children.set(p, [r.key]);
      else list.push(r.key);
    }
    return { children, nested };
  }

  private relations(nested: ReadonlySet<number>): void {
    const byKey = new Map(this.data.records.map((r) => [r.key, r]));
    this.line('      <SPEC-RELATIONS>');
    for (const l of this.data.links) {
      if (nested.has(l.id) || !byKey.has(l.from) || !byKey.has(l.to)) continue;
      const reverse = this.map.relations.find((r) => r.link === l.type)?.reverse === true;
      const [source, target] = reverse ? [l.to, l.from] : [l.from, l.to];
      this.line(`        <SPEC-RELATION IDENTIFIER="dossier-rel-${l.id}" LAST-CHANGE="${attr(byKey.get(l.from)?.revisedAt ?? this.time)}">`);
      this.line(`          <TYPE><SPEC-RELATION-TYPE-REF>${escapeXmlText(linkIdentifier(l.type))}</SPEC-RELATION-TYPE-REF></TYPE>`);
      this.line(`          <SOURCE><SPEC-OBJECT-REF>${escapeXmlText(this.idOf(source))}</SPEC-OBJECT-REF></SOURCE>`);
      this.line(`          <TARGET><SPEC-OBJECT-REF>${escapeXmlText(this.idOf(target))}</SPEC-OBJECT-REF></TARGET>`);
      this.line('        </SPEC-RELATION>');
    }
    this.line('      </SPEC-RELATIONS>');
  }

  private specifications(t: string, children: ReadonlyMap<string | undefined, string[]>): void {
    const typeOf = new Map(this.data.records.map((r) => [r.key, r.type]));
    this.line('      <SPECIFICATIONS>');
    for (const type of this.types()) {
      const name = this.catalog.recordTypes.get(type)?.name ?? type;
      this.line(`        <SPECIFICATION IDENTIFIER="${attr(xmlId(`dossier-spec-${this.data.product.key}-${type}`))}" LAST-CHANGE="${t}" LONG-NAME="${attr(name)}">`);
      this.line('          <TYPE><SPECIFICATION-TYPE-REF>dossier-specification</SPECIFICATION-TYPE-REF></TYPE>');
      const roots = (children.get(undefined) ?? []).filter((k) => typeOf.get(k) === type);
      this.hierarchy(roots, children, 5);
      this.line('        </SPECIFICATION>');
    }
    this.line('      </SPECIFICATIONS>');
  }

  private hierarchy(keys: readonly string[], children: ReadonlyMap<string | undefined, string[]>, depth: number): void {
    if (keys.length === 0) return;
    const pad = '  '.repeat(depth);
    this.line(`${pad}<CHILDREN>`);
    for (const k of keys) {
      const id = this.idOf(k);
      this.line(`${pad}  <SPEC-HIERARCHY IDENTIFIER="${attr(`dossier-h-${id}`)}" LAST-CHANGE="${attr(this.time)}">`);
      this.line(`${pad}    <OBJECT><SPEC-OBJECT-REF>${escapeXmlText(id)}</SPEC-OBJECT-REF></OBJECT>`);
      this.hierarchy(children.get(k) ?? [], children, depth + 2);
      this.line(`${pad}  </SPEC-HIERARCHY>`);
    }
    this.line(`${pad}</CHILDREN>`);
  }
}
