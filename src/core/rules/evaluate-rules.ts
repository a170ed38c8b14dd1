import { valueText } from '../value-text.js';
import { sha256Hex } from '../hashing.js';
import { naturalCompare } from '../natural-order.js';
import type { RecordStatus } from '../catalog/lifecycle.js';
import type { TraceGraph } from '../trace/trace-graph.js';
import { RECORD_COMPUTED } from '../catalog/record-types.js';
import { ruleAppliesTo, ruleSeverity, SEVERITY_RANK, type Rule, type RulePack, type Severity } from './rule-pack.js';

/** One finding: a rule a record (or the product) does not meet. */
export interface Finding {
  /** Stable across runs: the same rule, product and record give the same ID. */
  readonly id: string;
  readonly ruleId: string;
  readonly pack: string;
  readonly clause: string;
  readonly severity: Severity;
  readonly title: string;
  /** `SRS-12`, or null for a product-level finding. */
  readonly record: string | null;
  readonly message: string;
  readonly hint: string;
}

/** A product's changes to the packs: disabled rules (with the recorded justification) and severity overrides. */
export interface RuleSettings {
  readonly disabled: ReadonlyMap<string, string>;
  readonly severity: ReadonlyMap<string, Severity>;
}

/** The result of running the rules. */
export interface CheckResult {
  readonly product: string;
  readonly safetyClass: string;
  readonly packs: readonly string[];
  readonly rulesRun: number;
  readonly recordsChecked: number;
  readonly findings: readonly Finding[];
  readonly disabled: readonly { readonly ruleId: string; readonly justification: string }[];
  /** Things a reader should know, e.g. that the product has no records yet. */
  readonly notes: readonly string[];
}

// The engine reads node data through these few functions only, so a graph that keeps its nodes another way
// (columns, titles and fields read on demand) changes them here and nowhere else.
const nodeStatus = (graph: TraceGraph, i: number): RecordStatus => graph.status(i);
/** Parsed from the stored JSON on first read and kept by the graph: most rules read links and status alone. */
const nodeFields = (graph: TraceGraph, i: number): Readonly<Record<string, unknown>> => graph.fields(i);
const nodeTitle = (graph: TraceGraph, i: number): string => graph.title(i);
const nodeNumber = (graph: TraceGraph, i: number): number => graph.number(i);
const nodeRevisedBy = (graph: TraceGraph, i: number): string | undefined => graph.revisedBy(i);
const nodeApprovedBy = (graph: TraceGraph, i: number): string | null | undefined => graph.approvedBy(i);

type Value = string | number | boolean;
type Where = Readonly<Record<string, Value | Value[]>>;

/** Field conditions as a list, made once per rule rather than walked with `Object.entries` per record. */
type CompiledWhere = readonly (readonly [name: string, want: Value | readonly Value[]])[] | undefined;
const compileWhere = (where: Where | undefined): CompiledWhere => (where === undefined ? undefined : Object.entries(where));

const present = (v: unknown): boolean =>
  v !== undefined && v !== null && v !== '' && !(Array.isArray(v) && v.length === 0);

/** The rules that apply to a product of `safetyClass`, from the packs, after the product's settings. */
export function applicableRules(packs: readonly RulePack[], safetyClass: string, settings: RuleSettings): { pack: string; rule: Rule }[] {
  const out: { pack: string; rule: Rule }[] = [];
  for (const p of packs) {
    for (const rule of p.rules) {
      if (!ruleAppliesTo(p, rule, safetyClass)) continue;
      if (settings.disabled.has(rule.id)) continue;
      out.push({ pack: p.pack, rule });
    }
  }
  return out;
}

/**
 * Reads one value of node i: a value computed for it (the catalog's `computed`) first, then a value every record
 * has (RECORD_COMPUTED), then its own field.
 */
type ValueReader = (i: number, name: string) => unknown;

function valueReader(graph: TraceGraph, computed: ReadonlyMap<number, Readonly<Record<string, unknown>>>): ValueReader {
  return (i, k) => {
    const extra = computed.size === 0 ? undefined : computed.get(i);
    return extra !== undefined && k in extra ? extra[k] : k in RECORD_COMPUTED ? recordValue(graph, i, k) : nodeFields(graph, i)[k];
  };
}

// The loops below run for every record and rule (millions of times on a large product): indexed loops and no
// callbacks, so nothing is allocated per record before the optimizing compiler has seen the code.
function matches(value: ValueReader, i: number, where: CompiledWhere): boolean {
  if (where === undefined) return true;
  for (let k = 0; k < where.length; k++) {
    const condition = where[k];
    if (condition === undefined) continue;
    const want = condition[1];
    const v = value(i, condition[0]);
    if (!Array.isArray(want)) {
      if (v !== want && !(Array.isArray(v) && v.includes(want))) return false;
      continue;
    }
    let any = false;
    for (let m = 0; m < want.length && !any; m++) any = want[m] === v || (Array.isArray(v) && v.includes(want[m]));
    if (!any) return false;
  }
  return true;
}

/** A message or hint split once at its `{name}` placeholders: literal text at even places, names at odd ones. */
type Template = readonly string[];
const compileTemplate = (text: string): Template => text.split(/\{(\w+)\}/);

/** What every finding of one run shares: the graph its records are in, and how to read their values. */
interface RunContext {
  readonly graph: TraceGraph;
  readonly product: string;
  readonly value: ValueReader;
}

/** A rule as the engine runs it: its severity for this product and its templates worked out once. */
interface CompiledRule {
  readonly pack: string;
  readonly rule: Rule;
  readonly severity: Severity;
  readonly message: Template;
  readonly hint: Template;
}

/**
 * A finding whose ID, message and hint are worked out when read, not when found: a check of a large product finds
 * tens of thousands, and most callers print a few or only count them. Reading gives the same text every time
 * (the graph is immutable). JSON output goes through `toJSON`, with the fields in the order of `Finding`; a spread
 * (`{ ...finding }`) would miss the three computed fields, so copy with `toJSON()`.
 */
class RuleFinding implements Finding {
  readonly ruleId: string;
  readonly pack: string;
  readonly clause: string;
  readonly severity: Severity;
  readonly title: string;
  readonly record: string | null;
  readonly #ctx: RunContext;
  readonly #rule: CompiledRule;
  /** Node index, or -1 for a product-level finding. */
  readonly #node: number;

  constructor(ctx: RunContext, rule: CompiledRule, node: number) {
    this.ruleId = rule.rule.id;
    this.pack = rule.pack;
    this.clause = rule.rule.clause;
    this.severity = rule.severity;
    this.title = rule.rule.title;
    this.record = node < 0 ? null : ctx.graph.key(node);
    this.#ctx = ctx;
    this.#rule = rule;
    this.#node = node;
  }

  get id(): string {
    return sha256Hex(`${this.ruleId}|${this.#ctx.product}|${this.record ?? '*'}`).slice(0, 16);
  }

  get message(): string {
    return this.#fill(this.#rule.message);
  }

  get hint(): string {
    return this.#fill(this.#rule.hint);
  }

  toJSON(): Finding {
    return {
      id: this.id,
      ruleId: this.ruleId,
      pack: this.pack,
      clause: this.clause,
      severity: this.severity,
      title: this.title,
      record: this.record,
      message: this.message,
      hint: this.hint,
    };
  }

  /** `{key}` is the record (or the product), `{title}` its title, any other name its value; unknown names stay. */
  #fill(t: Template): string {
    let out = t[0] ?? '';
    for (let k = 1; k < t.length; k += 2) {
      const name = t[k] ?? '';
      if (name === 'key') out += this.record ?? this.#ctx.product;
      else if (name === 'title') out += this.#node < 0 ? '' : nodeTitle(this.#ctx.graph, this.#node);
      else {
        const v = this.#node < 0 ? undefined : this.#ctx.value(this.#node, name);
        out += v === undefined ? `{${name}}` : valueText(v).replace(/_/g, ' ');
      }
      out += t[k + 1] ?? '';
    }
    return out;
  }
}

/**
 * Runs completeness rules over a product's trace graph. Pure: the graph, the packs and the settings in, findings
 * out, in a stable order (clause, severity, rule, record).
 */
export function evaluateRules(
  graph: TraceGraph,
  product: { readonly key: string; readonly safetyClass: string },
  packs: readonly RulePack[],
  settings: RuleSettings,
  computed: ReadonlyMap<number, Readonly<Record<string, unknown>>> = new Map(),
): CheckResult {
  const rules = applicableRules(packs, product.safetyClass, settings);
  const disabled = [...settings.disabled].map(([ruleId, justification]) => ({ ruleId, justification }));
  const base = {
    product: product.key,
    safetyClass: product.safetyClass,
    packs: [...new Set(rules.map((r) => r.pack))],
    disabled,
  };
  if (graph.size === 0) {
    return { ...base, rulesRun: 0, recordsChecked: 0, findings: [], notes: [`product ${product.key} has no records yet: there is nothing to check`] };
  }
  const byType = new Map<string, number[]>();
  for (let i = 0; i < graph.size; i++) {
    if (graph.obsolete[i] === 1) continue;
    const type = graph.typeNames[graph.typeOf[i] ?? 0] ?? '';
    const list = byType.get(type);
    if (list === undefined) byType.set(type, [i]);
    else list.push(i);
  }

  const value = valueReader(graph, computed);
  const halves = edgeHalves(graph);
  const ctx: RunContext = { graph, product: product.key, value };
  const compiled: CompiledRule[] = [];
  /** The findings of each rule, in the order found: the nodes, or -1 for the product. */
  const found: number[][] = [];

  for (const { pack, rule } of rules) {
    compiled.push({
      pack,
      rule,
      severity: settings.severity.get(rule.id) ?? ruleSeverity(rule, product.safetyClass),
      message: compileTemplate(rule.message),
      hint: compileTemplate(rule.hint),
    });
    const nodes: number[] = [];
    found.push(nodes);
    const select = rule.select;
    if (!('type' in select)) {
      const holds = (x: { readonly type: string; readonly where?: Where | undefined; readonly min: number }): boolean => {
        const where = compileWhere(x.where);
        return (byType.get(x.type) ?? []).filter((i) => matches(value, i, where)).length >= x.min;
      };
      // A product-level rule with `when` checks only products that hold those records.
      if ((select.when ?? []).every(holds) && !(rule.require.exists ?? []).every(holds)) nodes.push(-1);
      continue;
    }
    const check = compileCheck(graph, halves, rule);
    const selectWhere = compileWhere(select.where);
    const selectUnless = compileWhere(select.unless);
    for (const type of select.type.includes('*') ? [...byType.keys()] : select.type) {
      const nodesOfType = byType.get(type) ?? [];
      for (let k = 0; k < nodesOfType.length; k++) {
        const i = nodesOfType[k] ?? 0;
        if (select.status !== undefined && !select.status.includes(nodeStatus(graph, i))) continue;
        if (!matches(value, i, selectWhere)) continue;
        if (selectUnless !== undefined && matches(value, i, selectUnless)) continue;
        if (!meets(graph, i, value, check)) nodes.push(i);
      }
    }
  }
  const findings: RuleFinding[] = [];
  for (const [r, nodes] of sortFindings(graph, compiled, found)) {
    const rule = compiled[r];
    if (rule !== undefined) for (const i of nodes) findings.push(new RuleFinding(ctx, rule, i));
  }
  return { ...base, rulesRun: rules.length, recordsChecked: graph.size, findings, notes: [] };
}

/**
 * Ranks of strings in natural order: equal strings (as the collator sees them) get the same rank, so comparing
 * ranks gives exactly what comparing the strings gives.
 */
function naturalRanks(values: Iterable<string>): Map<string, number> {
  const sorted = [...new Set(values)].sort(naturalCompare);
  const ranks = new Map<string, number>();
  let rank = 0;
  sorted.forEach((s, k) => {
    if (k > 0 && naturalCompare(sorted[k - 1] ?? '', s) !== 0) rank++;
    ranks.set(s, rank);
  });
  return ranks;
}

/** Record types of upper-case letters only: for these, `TYPE-n` keys sort by type, then by number. */
const PLAIN_TYPE = /^[A-Z]+$/;

/**
 * Orders findings by clause, severity (highest first), rule ID and record, each in natural order (SRS-2 before
 * SRS-10, 5.2 before 5.10), ties in the order found. The strings are ranked once and only integers are compared
 * (a collator call per comparison was most of a large check's time): rules are ordered by their key, and each
 * rule's findings, already in record order when the store returns records in number order, are sorted only when
 * they are not. Rules with equal keys (one rule ID in two packs) have their findings merged.
 * @returns per rule (index into `rules`, in output order), its findings' nodes in output order
 */
function sortFindings(graph: TraceGraph, rules: readonly CompiledRule[], found: readonly (readonly number[])[]): [number, readonly number[]][] {
  const clauseRank = naturalRanks(rules.map((r) => r.rule.clause));
  const idRank = naturalRanks(rules.map((r) => r.rule.id));
  const ruleKey = rules.map(
    (r) => ((clauseRank.get(r.rule.clause) ?? 0) * 4 + (SEVERITY_RANK.error - SEVERITY_RANK[r.severity])) * rules.length + (idRank.get(r.rule.id) ?? 0),
  );
  const plain = graph.typeNames.every((t) => PLAIN_TYPE.test(t));
  // Record keys `TYPE-n` with plain types compare as (type, n): the first difference between two such keys is in
  // the type's letters, or the dash against a letter where one type is a prefix of the other, or else in n.
  const typeRank = naturalRanks(graph.typeNames.map((t) => `${t}-0`));
  const typeRankOf = graph.typeNames.map((t) => (typeRank.get(`${t}-0`) ?? 0) + 1);
  const keyRank = plain ? undefined : naturalRanks(found.flat().map((i) => (i < 0 ? '' : graph.key(i))));
  const recordKey = (i: number): number =>
    i < 0 ? -1 : keyRank !== undefined ? (keyRank.get(graph.key(i)) ?? 0) : (typeRankOf[graph.typeOf[i] ?? 0] ?? 0) * 2 ** 32 + nodeNumber(graph, i);

  const order = rules.map((_, r) => r).sort((a, b) => (ruleKey[a] ?? 0) - (ruleKey[b] ?? 0) || a - b);
  const out: [number, readonly number[]][] = [];
  for (let k = 0; k < order.length; ) {
    const r = order[k] ?? 0;
    let end = k + 1;
    while (end < order.length && ruleKey[order[end] ?? 0] === ruleKey[r]) end++;
    if (end - k === 1) {
      out.push([r, inRecordOrder(found[r] ?? [], recordKey)]);
    } else {
      // One rule ID in several packs: one run of findings, each still carrying its own rule.
      const merged = order.slice(k, end).flatMap((q) => (found[q] ?? []).map((i) => [q, i] as const));
      const keys = merged.map(([, i]) => recordKey(i));
      const sorted = merged.map((_, m) => m).sort((a, b) => (keys[a] ?? 0) - (keys[b] ?? 0) || a - b);
      for (const m of sorted) {
        const [q, i] = merged[m] ?? [0, -1];
        out.push([q, [i]]);
      }
    }
    k = end;
  }
  return out;
}

/** The nodes sorted by record (stable), or the list itself when it is already in order. */
function inRecordOrder(nodes: readonly number[], recordKey: (i: number) => number): readonly number[] {
  const keys = nodes.map(recordKey);
  let sorted = true;
  for (let k = 1; k < keys.length && sorted; k++) sorted = (keys[k - 1] ?? 0) <= (keys[k] ?? 0);
  if (sorted) return nodes;
  return nodes
    .map((_, k) => k)
    .sort((a, b) => (keys[a] ?? 0) - (keys[b] ?? 0) || a - b)
    .map((k) => nodes[k] ?? -1);
}

/** The values every record has beside its fields (the catalog's RECORD_COMPUTED). */
function recordValue(graph: TraceGraph, i: number, name: string): unknown {
  switch (name) {
    case 'revisedBy':
      return nodeRevisedBy(graph, i);
    case 'approvedBy':
      return nodeStatus(graph, i) === 'approved' ? (nodeApprovedBy(graph, i) ?? undefined) : undefined;
    case 'selfApproved': {
      // 21 CFR 820.40, ISO 13485 4.2.4: approval is a second person's review; unknown approvers are not flagged.
      const approvedBy = nodeApprovedBy(graph, i);
      return nodeStatus(graph, i) === 'approved' && typeof approvedBy === 'string' && approvedBy === nodeRevisedBy(graph, i);
    }
    default:
      return undefined;
  }
}

/** A link condition compiled against one graph: masks instead of name lookups in the hot loop. */
interface CompiledLinkCondition {
  readonly linkTypes: Uint8Array;
  readonly others: Uint8Array | null;
  readonly incoming: boolean;
  readonly where: CompiledWhere;
  readonly min: number;
  readonly max: number | undefined;
  /** Counting stops here: the outcome is known (at least `min` with no `max`, or more than `max`). */
  readonly enough: number;
  /** Which halves of the adjacency can hold a matching edge (edges below node i, edges above it). */
  readonly down: boolean;
  readonly up: boolean;
}

/** What a selected record must meet, compiled once per rule. */
interface CompiledCheck {
  readonly status: readonly RecordStatus[] | undefined;
  readonly fields: readonly string[] | undefined;
  readonly where: CompiledWhere;
  readonly links: readonly CompiledLinkCondition[];
}

/**
 * Per link type of the graph, which adjacency half its edges are in as seen from each end: bit 1, the `from` end
 * finds them among the edges below it; bit 2, above it; bits 4 and 8 the same for the `to` end. A type's edges all
 * point the same way (the catalog's `upstream`), so one pass over the edges tells.
 */
function edgeHalves(graph: TraceGraph): Uint8Array {
  const halves = new Uint8Array(graph.linkTypeNames.length);
  for (let e = 0; e < graph.edgeCount; e++) {
    const t = graph.edgeType[e] ?? 0;
    const fromIsUp = graph.edgeFrom[e] === graph.edgeUp[e];
    const fromIsDown = graph.edgeFrom[e] === graph.edgeDown[e];
    halves[t] = (halves[t] ?? 0) | (fromIsUp ? 1 | 8 : 0) | (fromIsDown ? 2 | 4 : 0);
  }
  return halves;
}

function compileCheck(graph: TraceGraph, halves: Uint8Array, rule: Rule): CompiledCheck {
  const req = rule.require;
  return {
    status: req.status,
    fields: req.fields,
    where: compileWhere(req.where),
    links: (req.links ?? []).map((c) => {
      const linkTypes = graph.linkTypeMask(c.type);
      const incoming = c.direction === 'in';
      let seen = 0;
      linkTypes.forEach((on, t) => (seen |= on === 1 ? (halves[t] ?? 0) : 0));
      return {
        linkTypes,
        others: c.with === undefined ? null : graph.typeMask(c.with),
        incoming,
        where: compileWhere(c.where),
        min: c.min,
        max: c.max,
        enough: c.max === undefined ? c.min : c.max + 1,
        down: (seen & (incoming ? 4 : 1)) !== 0,
        up: (seen & (incoming ? 8 : 2)) !== 0,
      };
    }),
  };
}

/** Counts, up to `count + enough`, the edges of one adjacency half at node i that meet a condition. */
function countHalf(
  graph: TraceGraph,
  i: number,
  c: CompiledLinkCondition,
  value: ValueReader,
  count: number,
  start: Int32Array,
  edges: Int32Array,
  other: Int32Array,
): number {
  for (let k = start[i] ?? 0, end = start[i + 1] ?? 0; k < end && count < c.enough; k++) {
    const e = edges[k] ?? 0;
    if (c.linkTypes[graph.edgeType[e] ?? 0] !== 1) continue;
    if ((graph.edgeFrom[e] !== i) !== c.incoming) continue;
    const o = other[e] ?? 0;
    if (graph.obsolete[o] === 1) continue;
    if (c.others !== null && c.others[graph.typeOf[o] ?? 0] !== 1) continue;
    if (c.where !== undefined && !matches(value, o, c.where)) continue;
    count++;
  }
  return count;
}

/**
 * Counts the links of node i that meet a condition, in the adjacency halves they can be in, and only until the
 * outcome is known (`enough`).
 */
function countLinks(graph: TraceGraph, i: number, c: CompiledLinkCondition, value: ValueReader): number {
  let count = 0;
  if (c.down) count = countHalf(graph, i, c, value, count, graph.downStart, graph.downEdges, graph.edgeDown);
  if (c.up) count = countHalf(graph, i, c, value, count, graph.upStart, graph.upEdges, graph.edgeUp);
  return count;
}

function meets(graph: TraceGraph, i: number, value: ValueReader, check: CompiledCheck): boolean {
  if (check.status !== undefined && !check.status.includes(nodeStatus(graph, i))) return false;
  const fields = check.fields;
  if (fields !== undefined) for (let k = 0; k < fields.length; k++) if (!present(value(i, fields[k] ?? ''))) return false;
  if (!matches(value, i, check.where)) return false;
  for (let k = 0; k < check.links.length; k++) {
    const c = check.links[k];
    if (c === undefined) continue;
    const count = countLinks(graph, i, c, value);
    if (count < c.min || (c.max !== undefined && count > c.max)) return false;
  }
  return true;
}

/** True when any finding is at or above `threshold`. */
export function failsGate(findings: readonly Finding[], threshold: Severity): boolean {
  return findings.some((f) => SEVERITY_RANK[f.severity] >= SEVERITY_RANK[threshold]);
}
