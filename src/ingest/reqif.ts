import type { Catalog } from '../core/catalog/catalog.js';
import { describeFields, type FieldInfo } from '../core/catalog/field-input.js';
import { invalidInput } from '../core/errors.js';
import type { ImportLink, ImportPlan, ImportProblem, ImportRecord } from '../core/interchange/plan.js';
import { BODY_ATTRIBUTE, TITLE_ATTRIBUTE, effectiveFields, type FieldMapping, type ReqifMap, type ReqifRelationMap, type ReqifTypeMap } from './reqif-map.js';
import { child, elements, parseXmlTree, textOf, type XmlElement } from './reqif-xml.js';
import { xhtmlToMarkdown } from './xhtml.js';

/**
 * Reads ReqIF 1.2 (`.reqif`) files as DOORS, DOORS Next, Polarion, Jama, codebeamer, Enterprise Architect and
 * ReqIF Studio/ProR write them: the header, datatypes (string, integer, real, boolean, date, enumeration, XHTML),
 * spec object, relation and specification types with their attribute definitions, spec objects with their values,
 * spec relations, and specifications with nested spec hierarchies. Namespace prefixes are ignored (tools differ:
 * `xhtml:`, `html:`, a default namespace). Tool extensions are counted and ignored.
 *
 * Reading is two steps: {@link readReqif} checks the file on its own (every reference resolves, enumeration values
 * belong to their datatype, XHTML holds no active content) and {@link reqifToPlan} maps it onto the catalog. Every
 * problem names the file, the line and the item; with any, nothing is imported.
 */

export type ReqifKind = 'STRING' | 'INTEGER' | 'REAL' | 'BOOLEAN' | 'DATE' | 'ENUMERATION' | 'XHTML';
const KINDS: readonly ReqifKind[] = ['STRING', 'INTEGER', 'REAL', 'BOOLEAN', 'DATE', 'ENUMERATION', 'XHTML'];

export interface ReqifEnumValue {
  readonly id: string;
  readonly name: string;
}

export interface ReqifDatatype {
  readonly id: string;
  readonly name: string;
  readonly kind: ReqifKind;
  readonly values: ReadonlyMap<string, ReqifEnumValue>;
}

export interface ReqifAttributeDef {
  readonly id: string;
  readonly name: string;
  readonly kind: ReqifKind;
  readonly datatype: ReqifDatatype | undefined;
  readonly multiValued: boolean;
}

export interface ReqifSpecType {
  readonly id: string;
  readonly name: string;
  readonly kind: 'SPEC-OBJECT-TYPE' | 'SPEC-RELATION-TYPE' | 'SPECIFICATION-TYPE' | 'RELATION-GROUP-TYPE';
  readonly attributes: readonly ReqifAttributeDef[];
  readonly line: number;
}

/** A value as read: text, a number, a boolean, enumeration labels, or Markdown from XHTML. */
export type ReqifValue = string | number | boolean | readonly string[];

export interface ReqifAttributeValue {
  readonly def: ReqifAttributeDef;
  readonly value: ReqifValue;
  readonly line: number;
}

export interface ReqifSpecObject {
  readonly id: string;
  readonly longName?: string;
  readonly type: ReqifSpecType | undefined;
  readonly values: readonly ReqifAttributeValue[];
  readonly line: number;
}

export interface ReqifRelation {
  readonly id: string;
  readonly type: ReqifSpecType | undefined;
  readonly source: string;
  readonly target: string;
  readonly line: number;
}

export interface ReqifHierarchy {
  readonly object: string;
  readonly children: readonly ReqifHierarchy[];
  readonly line: number;
}

export interface ReqifSpecification {
  readonly id: string;
  readonly name: string;
  readonly children: readonly ReqifHierarchy[];
}

export interface ReqifDocument {
  readonly file: string;
  readonly header: { readonly identifier: string; readonly title: string; readonly tool: string; readonly sourceTool: string; readonly creationTime: string };
  readonly types: readonly ReqifSpecType[];
  readonly objects: readonly ReqifSpecObject[];
  readonly relations: readonly ReqifRelation[];
  readonly specifications: readonly ReqifSpecification[];
  /** Elements under TOOL-EXTENSIONS (ignored). */
  readonly toolExtensions: number;
  /** What makes the file unusable: with any, nothing is imported. */
  readonly problems: readonly ImportProblem[];
  /** What was dropped on the way (pictures, unknown XHTML elements), for the report. */
  readonly warnings: readonly string[];
}

const REF = (el: XmlElement | undefined): string => textOf(el);

/**
 * Reads and checks a ReqIF document.
 * @throws AppError INVALID_INPUT naming `file:line:column` for malformed XML or a root other than REQ-IF
 */
export function readReqif(text: string, file: string): ReqifDocument {
  const root = parseXmlTree(text, file);
  if (root.name !== 'REQ-IF') {
    throw invalidInput(`${file}:${root.line}:${root.column}: not ReqIF: the root element is <${root.qname}>, expected <REQ-IF>`, { file, line: root.line, column: root.column });
  }
  const problems: ImportProblem[] = [];
  const warnings: string[] = [];
  const at = (el: { line: number; column?: number }): string => `${file}:${el.line}${el.column === undefined ? '' : `:${el.column}`}`;
  const problem = (el: { line: number; column?: number }, message: string): void => {
    problems.push({ where: at(el), message });
  };
  const seen = new Map<string, number>();
  const identify = (el: XmlElement, what: string): string => {
    const id = el.attrs.IDENTIFIER ?? '';
    if (id === '') problem(el, `${what} without an IDENTIFIER`);
    else if (seen.has(id)) problem(el, `${what} '${id}': IDENTIFIER already used at line ${seen.get(id)}`);
    else seen.set(id, el.line);
    return id;
  };

  const headerEl = child(child(root, 'THE-HEADER'), 'REQ-IF-HEADER');
  const header = {
    identifier: headerEl?.attrs.IDENTIFIER ?? '',
    title: textOf(child(headerEl, 'TITLE')),
    tool: textOf(child(headerEl, 'REQ-IF-TOOL-ID')),
    sourceTool: textOf(child(headerEl, 'SOURCE-TOOL-ID')),
    creationTime: textOf(child(headerEl, 'CREATION-TIME')),
  };
  const content = child(child(root, 'CORE-CONTENT'), 'REQ-IF-CONTENT');
  if (content === undefined) problem(root, 'no CORE-CONTENT/REQ-IF-CONTENT: the file holds no requirements');
  const extensions = child(root, 'TOOL-EXTENSIONS');
  const toolExtensions = extensions === undefined ? 0 : elements(extensions).length;

  // Datatypes.
  const datatypes = new Map<string, ReqifDatatype>();
  for (const el of elements(child(content, 'DATATYPES') ?? root).filter((e) => e.name.startsWith('DATATYPE-DEFINITION-'))) {
    const kind = el.name.slice('DATATYPE-DEFINITION-'.length) as ReqifKind;
    if (!KINDS.includes(kind)) {
      problem(el, `unknown datatype <${el.qname}>`);
      continue;
    }
    const id = identify(el, `datatype`);
    const values = new Map<string, ReqifEnumValue>();
    for (const v of elements(child(el, 'SPECIFIED-VALUES') ?? el).filter((e) => e.name === 'ENUM-VALUE')) {
      const vid = identify(v, `enumeration value of datatype '${id}'`);
      values.set(vid, { id: vid, name: v.attrs['LONG-NAME'] ?? vid });
    }
    datatypes.set(id, { id, name: el.attrs['LONG-NAME'] ?? id, kind, values });
  }

  // Spec types with their attribute definitions.
  const typeById = new Map<string, ReqifSpecType>();
  const types: ReqifSpecType[] = [];
  for (const el of elements(child(content, 'SPEC-TYPES') ?? root)) {
    if (!['SPEC-OBJECT-TYPE', 'SPEC-RELATION-TYPE', 'SPECIFICATION-TYPE', 'RELATION-GROUP-TYPE'].includes(el.name)) continue;
    const id = identify(el, el.name);
    const attributes: ReqifAttributeDef[] = [];
    for (const a of elements(child(el, 'SPEC-ATTRIBUTES') ?? el).filter((e) => e.name.startsWith('ATTRIBUTE-DEFINITION-'))) {
      const kind = a.name.slice('ATTRIBUTE-DEFINITION-'.length) as ReqifKind;
      const aid = identify(a, `attribute definition of ${el.name} '${id}'`);
      if (!KINDS.includes(kind)) {
        problem(a, `unknown attribute definition <${a.qname}>`);
        continue;
      }
      const refEl = child(child(a, 'TYPE'), `DATATYPE-DEFINITION-${kind}-REF`);
      const ref = REF(refEl);
      const datatype = datatypes.get(ref);
      if (datatype === undefined) problem(refEl ?? a, `attribute definition '${aid}' refers to datatype '${ref}', which is not in the file`);
      else if (datatype.kind !== kind) problem(refEl ?? a, `attribute definition '${aid}' (${kind}) refers to datatype '${ref}' of kind ${datatype.kind}`);
      attributes.push({ id: aid, name: a.attrs['LONG-NAME'] ?? aid, kind, datatype, multiValued: a.attrs['MULTI-VALUED'] === 'true' });
    }
    const t: ReqifSpecType = { id, name: el.attrs['LONG-NAME'] ?? id, kind: el.name as ReqifSpecType['kind'], attributes, line: el.line };
    typeById.set(id, t);
    types.push(t);
  }
  const typeOf = (el: XmlElement, refName: string, item: string): ReqifSpecType | undefined => {
    const refEl = child(child(el, 'TYPE'), refName);
    const ref = REF(refEl);
    const t = typeById.get(ref);
    if (t === undefined) problem(refEl ?? el, `${item}: TYPE refers to '${ref}', which is not in the file`);
    return t;
  };

  // Spec objects and their values.
  const objects: ReqifSpecObject[] = [];
  for (const el of elements(child(content, 'SPEC-OBJECTS') ?? root).filter((e) => e.name === 'SPEC-OBJECT')) {
    const id = identify(el, 'SPEC-OBJECT');
    const item = `spec object '${id}'`;
    const type = typeOf(el, 'SPEC-OBJECT-TYPE-REF', item);
    const values: ReqifAttributeValue[] = [];
    for (const v of elements(child(el, 'VALUES') ?? el).filter((e) => e.name.startsWith('ATTRIBUTE-VALUE-'))) {
      const kind = v.name.slice('ATTRIBUTE-VALUE-'.length) as ReqifKind;
      if (!KINDS.includes(kind)) {
        problem(v, `${item}: unknown value <${v.qname}>`);
        continue;
      }
      const refEl = child(child(v, 'DEFINITION'), `ATTRIBUTE-DEFINITION-${kind}-REF`);
      const ref = REF(refEl);
      const def = type?.attributes.find((a) => a.id === ref);
      if (def === undefined) {
        if (type !== undefined) problem(refEl ?? v, `${item}: DEFINITION refers to '${ref}', which is not an attribute of its type '${type.name}'`);
        continue;
      }
      const what = `${item}, attribute '${def.name}'`;
      const value = readValue(v, kind, def, what, problem, (w) => warnings.push(`${at(w)}: ${what}: ${w.message}`));
      if (value !== undefined) values.push({ def, value, line: v.line });
    }
    const longName = el.attrs['LONG-NAME'];
    objects.push({ id, type, values, line: el.line, ...(longName === undefined ? {} : { longName }) });
  }
  const objectIds = new Set(objects.map((o) => o.id));
  const objectRef = (el: XmlElement | undefined, parent: XmlElement, item: string): string => {
    const refEl = child(el, 'SPEC-OBJECT-REF');
    const ref = REF(refEl);
    if (!objectIds.has(ref)) problem(refEl ?? el ?? parent, `${item}: SPEC-OBJECT-REF '${ref}' names no spec object in the file`);
    return ref;
  };

  const relations: ReqifRelation[] = [];
  for (const el of elements(child(content, 'SPEC-RELATIONS') ?? root).filter((e) => e.name === 'SPEC-RELATION')) {
    const id = identify(el, 'SPEC-RELATION');
    const item = `spec relation '${id}'`;
    const type = typeOf(el, 'SPEC-RELATION-TYPE-REF', item);
    relations.push({ id, type, source: objectRef(child(el, 'SOURCE'), el, `${item} SOURCE`), target: objectRef(child(el, 'TARGET'), el, `${item} TARGET`), line: el.line });
  }

  const hierarchy = (el: XmlElement | undefined): ReqifHierarchy[] =>
    elements(el ?? root)
      .filter((e) => el !== undefined && e.name === 'SPEC-HIERARCHY')
      .map((h) => ({ object: objectRef(child(h, 'OBJECT'), h, `spec hierarchy '${h.attrs.IDENTIFIER ?? ''}'`), children: hierarchy(child(h, 'CHILDREN')), line: h.line }));
  const specifications: ReqifSpecification[] = [];
  for (const el of elements(child(content, 'SPECIFICATIONS') ?? root).filter((e) => e.name === 'SPECIFICATION')) {
    const id = identify(el, 'SPECIFICATION');
    typeOf(el, 'SPECIFICATION-TYPE-REF', `specification '${id}'`);
    specifications.push({ id, name: el.attrs['LONG-NAME'] ?? id, children: hierarchy(child(el, 'CHILDREN')) });
  }
  return { file, header, types, objects, relations, specifications, toolExtensions, problems, warnings };
}

function readValue(
  v: XmlElement,
  kind: ReqifKind,
  def: ReqifAttributeDef,
  what: string,
  problem: (el: XmlElement, message: string) => void,
  warn: (w: { line: number; column: number; message: string }) => void,
): ReqifValue | undefined {
  const raw = v.attrs['THE-VALUE'];
  switch (kind) {
    case 'STRING':
    case 'DATE':
      return raw ?? '';
    case 'INTEGER':
    case 'REAL': {
      const n = Number(raw);
      if (raw === undefined || raw.trim() === '' || !Number.isFinite(n) || (kind === 'INTEGER' && !Number.isInteger(n))) {
        problem(v, `${what}: '${raw ?? ''}' is not ${kind === 'INTEGER' ? 'an integer' : 'a number'}`);
        return undefined;
      }
      return n;
    }
    case 'BOOLEAN':
      if (raw === 'true' || raw === '1') return true;
      if (raw === 'false' || raw === '0') return false;
      problem(v, `${what}: '${raw ?? ''}' is not a boolean (true or false)`);
      return undefined;
    case 'ENUMERATION': {
      const labels: string[] = [];
      for (const r of elements(child(v, 'VALUES') ?? v).filter((e) => e.name === 'ENUM-VALUE-REF')) {
        const ref = textOf(r);
        const ev = def.datatype?.values.get(ref);
        if (ev === undefined) problem(r, `${what}: enumeration value '${ref}' is not a value of datatype '${def.datatype?.name ?? '?'}'`);
        else labels.push(ev.name);
      }
      if (labels.length > 1 && !def.multiValued) problem(v, `${what}: ${labels.length} values for an attribute that is not MULTI-VALUED`);
      return labels;
    }
    case 'XHTML': {
      const the = child(v, 'THE-VALUE');
      const r = xhtmlToMarkdown(the?.children ?? []);
      for (const i of r.issues) {
        if (i.severity === 'problem') problem({ ...v, line: i.line, column: i.column }, `${what}: XHTML ${i.message}`);
        else warn(i);
      }
      return r.markdown;
    }
  }
}

// ——— mapping onto the catalog ———

function matches(name: string, t: { id: string; name: string }): boolean {
  return t.name === name || t.id === name;
}

/** The plan, reading problems and mapping lines that `runImport` takes. */
export interface ReqifReadResult {
  readonly plan: ImportPlan;
  readonly problems: readonly ImportProblem[];
  readonly mapping: readonly string[];
}

const oneLine = (s: string): string => s.replace(/\s+/g, ' ').trim();

function titleFrom(body: string, fallback: string): string {
  const first = body.split('\n').map((l) => oneLine(l.replace(/^\s*(#{1,6}|[-*]|\d+\.)\s+/, '').replace(/[*`]/g, ''))).find((l) => l !== '');
  const t = first ?? fallback;
  return t.length > 200 ? `${t.slice(0, 199)}…` : t;
}

/** A read value in the shape of the field it goes to. */
function toField(v: ReqifValue, f: FieldInfo | undefined, m: FieldMapping, kind: ReqifKind): { value?: unknown; error?: string } {
  if (m.json) {
    if (typeof v !== 'string') return { error: 'is mapped as JSON but is not a text attribute' };
    try {
      return { value: JSON.parse(v) as unknown };
    } catch {
      return { error: 'is not valid JSON' };
    }
  }
  const mapped = (label: string): unknown => (m.values !== undefined && label in m.values ? m.values[label] : label);
  if (Array.isArray(v)) {
    const labels = v as readonly string[];
    if (labels.length === 0) return {};
    if (f?.kind === 'list') return { value: labels.map(mapped) };
    return labels.length === 1 ? { value: mapped(labels[0] ?? '') } : { error: `has ${labels.length} values; field ${f?.name ?? m.field} takes one` };
  }
  if (typeof v === 'string') {
    if (v === '') return {};
    if (f?.kind === 'boolean' && (v === 'true' || v === 'false')) return { value: v === 'true' };
    if ((f?.kind === 'integer' || f?.kind === 'number') && v.trim() !== '' && Number.isFinite(Number(v))) return { value: Number(v) };
    if (f?.kind === 'date' && kind === 'DATE') return { value: v.slice(0, 10) };
    if (f?.kind === 'choice') return { value: mapped(v) };
    return { value: v };
  }
  if (f?.kind === 'text' || f?.kind === 'choice') return { value: f.kind === 'choice' ? mapped(String(v)) : String(v) };
  return { value: v };
}

/**
 * Maps a checked ReqIF document onto the catalog: spec objects of mapped types become records (the IDENTIFIER is the
 * plan ref and, unless the map says otherwise, the `externalId`), mapped attributes their title, body and fields,
 * spec relations of mapped types links, and nesting in specifications the map's hierarchy link. Objects are taken
 * in specification order (then the rest in file order), so records are numbered as the document reads. What did
 * not map is listed, not refused.
 * @param existing - keys of the product's records by `<type> <externalId>`: a spec object already imported updates
 *   its record (a new revision when it changed) instead of adding another
 */
export function reqifToPlan(doc: ReqifDocument, map: ReqifMap, catalog: Catalog, existing: ReadonlyMap<string, string> = new Map()): ReqifReadResult {
  const problems: ImportProblem[] = [...doc.problems];
  const mapping: string[] = [];
  const where = (line: number): string => `${doc.file}:${line}`;
  mapping.push(
    `${doc.file}: ReqIF '${doc.header.title || doc.header.identifier}' from ${doc.header.sourceTool || doc.header.tool || 'an unnamed tool'}: ` +
      `${doc.objects.length} spec objects, ${doc.relations.length} relations, ${doc.specifications.length} specifications`,
  );

  // Each spec object type → its map entry.
  const typeMap = new Map<string, ReqifTypeMap>();
  for (const t of doc.types.filter((x) => x.kind === 'SPEC-OBJECT-TYPE')) {
    const m = map.types.find((e) => matches(e.reqif, t));
    const count = doc.objects.filter((o) => o.type === t).length;
    if (m === undefined) {
      mapping.push(`spec object type '${t.name}' not mapped: ${count} objects skipped`);
      continue;
    }
    typeMap.set(t.id, { ...m, title: m.title ?? TITLE_ATTRIBUTE, body: m.body ?? BODY_ATTRIBUTE });
    const fms = effectiveFields(m, catalog);
    const attrs = t.attributes.map((a) => {
      if (matches(m.title ?? TITLE_ATTRIBUTE, a)) return `${a.name} → title`;
      if (matches(m.body ?? BODY_ATTRIBUTE, a)) return `${a.name} → body`;
      const f = fms.find((x) => matches(x.attribute, a));
      return f === undefined ? `${a.name} not mapped (ignored)` : `${a.name} → ${f.field}`;
    });
    mapping.push(`spec object type '${t.name}' → ${m.type}, ${count} objects${attrs.length === 0 ? '' : `: ${attrs.join('; ')}`}`);
  }

  const taken = (o: ReqifSpecObject): boolean => {
    const m = o.type === undefined ? undefined : typeMap.get(o.type.id);
    if (m === undefined) return false;
    if (m.only === undefined) return true;
    const only = m.only;
    const v = o.values.find((x) => matches(only.attribute, x.def))?.value;
    const vs = v === undefined ? [] : Array.isArray(v) ? (v as readonly string[]) : [String(v)];
    return vs.some((x) => only.values.includes(x));
  };
  const filteredOut = new Map<string, number>();
  for (const o of doc.objects) {
    if (o.type !== undefined && typeMap.has(o.type.id) && !taken(o)) filteredOut.set(o.type.name, (filteredOut.get(o.type.name) ?? 0) + 1);
  }
  for (const [name, n] of filteredOut) mapping.push(`spec object type '${name}': ${n} objects skipped by the map's 'only' filter (headings, information)`);

  // Records, in specification order first.
  const order: string[] = [];
  const placed = new Set<string>();
  const parentOf = new Map<string, { parent: string; line: number }>();
  const byId = new Map(doc.objects.map((o) => [o.id, o]));
  const walk = (hs: readonly ReqifHierarchy[], parent: string | undefined): void => {
    for (const h of hs) {
      const obj = byId.get(h.object);
      const mapped = obj !== undefined && taken(obj);
      if (mapped && !placed.has(h.object)) {
        placed.add(h.object);
        order.push(h.object);
      }
      if (mapped && parent !== undefined && !parentOf.has(h.object)) parentOf.set(h.object, { parent, line: h.line });
      walk(h.children, mapped ? h.object : parent);
    }
  };
  for (const s of doc.specifications) walk(s.children, undefined);
  for (const o of doc.objects) if (taken(o) && !placed.has(o.id)) order.push(o.id);

  const records: ImportRecord[] = [];
  const typeOfRef = new Map<string, string>();
  for (const id of order) {
    const o = byId.get(id);
    const m = o?.type === undefined ? undefined : typeMap.get(o.type.id);
    if (o === undefined || m === undefined) continue;
    const rt = catalog.recordTypes.get(m.type);
    const infos = rt === undefined ? [] : describeFields(rt);
    let title: string | undefined;
    let body = '';
    const fields: Record<string, unknown> = { ...m.set };
    const fms = effectiveFields(m, catalog);
    for (const v of o.values) {
      if (m.title !== undefined && matches(m.title, v.def)) title = Array.isArray(v.value) ? (v.value as string[]).join(', ') : String(v.value);
      else if (m.body !== undefined && matches(m.body, v.def)) body = Array.isArray(v.value) ? (v.value as string[]).join(', ') : String(v.value);
      else {
        const fm = fms.find((x) => matches(x.attribute, v.def));
        if (fm === undefined) continue;
        const r = toField(v.value, infos.find((i) => i.name === fm.field), fm, v.def.kind);
        if (r.error !== undefined) problems.push({ where: where(v.line), message: `spec object '${id}', attribute '${v.def.name}' ${r.error}` });
        else if ('value' in r) fields[fm.field] = r.value;
      }
    }
    if (m.externalId === 'identifier' && fields.externalId === undefined) fields.externalId = id;
    // A title is one line: line breaks become spaces; other spacing is kept as written.
    const t = (title ?? '').replace(/[\r\n]+/g, ' ').trim();
    const key = typeof fields.externalId === 'string' ? existing.get(`${m.type} ${fields.externalId}`) : undefined;
    records.push({ ref: id, ...(key === undefined ? {} : { key }), type: m.type, title: t !== '' ? (t.length > 500 ? `${t.slice(0, 499)}…` : t) : titleFrom(body, o.longName ?? id), body, fields, where: where(o.line) });
    typeOfRef.set(id, m.type);
  }

  // Links from relations, then from the hierarchy.
  const links: ImportLink[] = [];
  const linkSeen = new Set<string>();
  const addLink = (from: string, type: string, to: string, line: number): void => {
    const k = `${from}\u0000${type}\u0000${to}`;
    if (linkSeen.has(k)) return;
    linkSeen.add(k);
    links.push({ from, type, to, where: where(line) });
  };
  const relCounts = new Map<string, { m: ReqifRelationMap | undefined; n: number; skipped: number }>();
  for (const r of doc.relations) {
    if (r.type === undefined) continue;
    const m = map.relations.find((e) => r.type !== undefined && matches(e.reqif, r.type));
    const c = relCounts.get(r.type.name) ?? { m, n: 0, skipped: 0 };
    relCounts.set(r.type.name, c);
    if (m === undefined) continue;
    if (!typeOfRef.has(r.source) || !typeOfRef.has(r.target)) {
      c.skipped++;
      continue;
    }
    c.n++;
    if (m.reverse) addLink(r.target, m.link, r.source, r.line);
    else addLink(r.source, m.link, r.target, r.line);
  }
  for (const [name, c] of relCounts) {
    if (c.m === undefined) mapping.push(`spec relation type '${name}' not mapped: its relations skipped`);
    else mapping.push(`spec relation type '${name}' → ${c.m.link}${c.m.reverse ? ' (reversed)' : ''}, ${c.n} links${c.skipped > 0 ? `; ${c.skipped} skipped (an end is not imported)` : ''}`);
  }
  if (map.hierarchy !== undefined) {
    const h = map.hierarchy;
    const lt = catalog.linkTypes.get(h.link);
    let n = 0;
    let outside = 0;
    for (const [childId, p] of parentOf) {
      const [from, to] = h.reverse ? [p.parent, childId] : [childId, p.parent];
      const ft = typeOfRef.get(from);
      const tt = typeOfRef.get(to);
      const allowed = lt !== undefined && ft !== undefined && tt !== undefined && lt.from.includes(ft) && lt.to.includes(tt) && (lt.pairs?.[ft]?.includes(tt) ?? true);
      if (!allowed) {
        outside++;
        continue;
      }
      n++;
      addLink(from, h.link, to, p.line);
    }
    mapping.push(`hierarchy → ${h.link} links (${h.reverse ? 'parent to child' : 'child to parent'}): ${n}${outside > 0 ? `; ${outside} nestings not linked (${h.link} does not join those types)` : ''}`);
  } else if (parentOf.size > 0) {
    mapping.push(`hierarchy: ${parentOf.size} nestings kept as record order only (the map has no hierarchy link)`);
  }
  if (doc.toolExtensions > 0) mapping.push(`TOOL-EXTENSIONS: ${doc.toolExtensions} elements ignored`);
  for (const w of doc.warnings) mapping.push(`warning: ${w}`);
  return { plan: { records, links, linkMode: 'add' }, problems, mapping };
}
