import { valueText } from '../value-text.js';
import { sha256Hex } from '../hashing.js';
import { naturalCompare } from '../natural-order.js';
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

type Value = string | number | boolean;

/** Reads one field (or computed value) of a record. */
type FieldReader = (name: string) => unknown;

function matches(field: FieldReader, where: Readonly<Record<string, Value | Value[]>> | undefined): boolean {
  if (where === undefined) return true;
  for (const [k, want] of Object.entries(where)) {
    const v = field(k);
    if (Array.isArray(want) ? !want.some((w) => w === v) : v !== want) return false;
  }
  return true;
}

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
 * Runs completeness rules over a product's trace graph. Pure: the graph, the packs and the settings in, findings
 * out, in a stable order (clause, rule, record).
 */
export function evaluateRules(
  graph: TraceGraph,
  product: { readonly key: string; readonly safetyClass: string },
  packs: readonly RulePack[],
  settings: RuleSettings,
  computed: ReadonlyMap<number, Readonly<Record<string, unknown>>> = new Map(),
): CheckResult {
  /** A node's fields, and the values computed for it (the catalog's `computed`), which take precedence. */
  const fieldsOf = (i: number): FieldReader => {
    const extra = computed.get(i);
    // Parsed only when a rule reads a field: most rules read links and status alone.
    let own: Readonly<Record<string, unknown>> | undefined;
    return (k) => (extra !== undefined && k in extra ? extra[k] : k in RECORD_COMPUTED ? recordValue(graph, i, k) : (own ??= graph.fields(i))[k]);
  };
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
    const type = graph.type(i);
    const list = byType.get(type);
    if (list === undefined) byType.set(type, [i]);
    else list.push(i);
  }

  const findings: Finding[] = [];
  const finding = (pack: string, rule: Rule, node: number | null, key: string | null, field: FieldReader = () => undefined): void => {
    const severity = settings.severity.get(rule.id) ?? ruleSeverity(rule, product.safetyClass);
    const fill = (s: string): string =>
      s.replace(/\{(\w+)\}/g, (whole, name: string) => {
        if (name === 'key') return key ?? product.key;
        if (name === 'title') return node === null ? '' : graph.title(node);
        const v = field(name);
        return v === undefined ? whole : valueText(v).replace(/_/g, ' ');
      });
    findings.push({
      id: sha256Hex(`${rule.id}|${product.key}|${key ?? '*'}`).slice(0, 16),
      ruleId: rule.id,
      pack,
      clause: rule.clause,
      severity,
      title: rule.title,
      record: key,
      message: fill(rule.message),
      hint: fill(rule.hint),
    });
  };

  for (const { pack, rule } of rules) {
    const select = rule.select;
    if (!('type' in select)) {
      const ok = (rule.require.exists ?? []).every(
        (x) => (byType.get(x.type) ?? []).filter((i) => matches(fieldsOf(i), x.where)).length >= x.min,
      );
      if (!ok) finding(pack, rule, null, null);
      continue;
    }
    const links = compileLinks(graph, rule);
    for (const type of select.type.includes('*') ? [...byType.keys()] : select.type) {
      for (const i of byType.get(type) ?? []) {
        if (select.status !== undefined && !select.status.includes(graph.status(i))) continue;
        const fields = fieldsOf(i);
        if (!matches(fields, select.where)) continue;
        if (!meets(graph, i, fields, rule, links, fieldsOf)) finding(pack, rule, i, graph.key(i), fields);
      }
    }
  }
  findings.sort(
    (a, b) =>
      naturalCompare(a.clause, b.clause) ||
      SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] ||
      naturalCompare(a.ruleId, b.ruleId) ||
      naturalCompare(a.record ?? '', b.record ?? ''),
  );
  return { ...base, rulesRun: rules.length, recordsChecked: graph.size, findings, notes: [] };
}

/** The values every record has beside its fields (the catalog's RECORD_COMPUTED). */
function recordValue(graph: TraceGraph, i: number, name: string): unknown {
  switch (name) {
    case 'revisedBy':
      return graph.revisedBy(i);
    case 'approvedBy':
      return graph.status(i) === 'approved' ? (graph.approvedBy(i) ?? undefined) : undefined;
    case 'selfApproved': {
      // 21 CFR 820.40, ISO 13485 4.2.4: approval is a second person's review; unknown approvers are not flagged.
      const approvedBy = graph.approvedBy(i);
      return graph.status(i) === 'approved' && typeof approvedBy === 'string' && approvedBy === graph.revisedBy(i);
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
  readonly where: Readonly<Record<string, Value | Value[]>> | undefined;
  readonly min: number;
  readonly max: number | undefined;
}

function compileLinks(graph: TraceGraph, rule: Rule): CompiledLinkCondition[] {
  return (rule.require.links ?? []).map((c) => ({
    linkTypes: graph.linkTypeMask(c.type),
    others: c.with === undefined ? null : graph.typeMask(c.with),
    incoming: c.direction === 'in',
    where: c.where,
    min: c.min,
    max: c.max,
  }));
}

/** Counts the links of node i that meet a condition: scans both CSR halves, since links may point either way. */
function countLinks(graph: TraceGraph, i: number, c: CompiledLinkCondition, fieldsOf: (i: number) => FieldReader): number {
  let count = 0;
  for (const [start, edges, other] of [
    [graph.downStart, graph.downEdges, graph.edgeDown],
    [graph.upStart, graph.upEdges, graph.edgeUp],
  ] as const) {
    for (let k = start[i] ?? 0, end = start[i + 1] ?? 0; k < end; k++) {
      const e = edges[k] ?? 0;
      if (c.linkTypes[graph.edgeType[e] ?? 0] !== 1) continue;
      if ((graph.edgeFrom[e] !== i) !== c.incoming) continue;
      const o = other[e] ?? 0;
      if (graph.obsolete[o] === 1) continue;
      if (c.others !== null && c.others[graph.typeOf[o] ?? 0] !== 1) continue;
      if (c.where !== undefined && !matches(fieldsOf(o), c.where)) continue;
      count++;
    }
  }
  return count;
}

function meets(
  graph: TraceGraph,
  i: number,
  field: FieldReader,
  rule: Rule,
  links: readonly CompiledLinkCondition[],
  fieldsOf: (i: number) => FieldReader,
): boolean {
  const req = rule.require;
  if (req.status !== undefined && !req.status.includes(graph.status(i))) return false;
  if (req.fields !== undefined && !req.fields.every((f) => present(field(f)))) return false;
  if (!matches(field, req.where)) return false;
  for (const c of links) {
    const count = countLinks(graph, i, c, fieldsOf);
    if (count < c.min || (c.max !== undefined && count > c.max)) return false;
  }
  return true;
}

/** True when any finding is at or above `threshold`. */
export function failsGate(findings: readonly Finding[], threshold: Severity): boolean {
  return findings.some((f) => SEVERITY_RANK[f.severity] >= SEVERITY_RANK[threshold]);
}
