import { z } from 'zod';
import type { Catalog } from '../catalog/catalog.js';
import { RecordStatusSchema } from '../catalog/lifecycle.js';
import { RECORD_COMPUTED } from '../catalog/record-types.js';

export const SeveritySchema = z.enum(['error', 'warning', 'info']);
export type Severity = z.infer<typeof SeveritySchema>;

/** Severity order: a gate at `warning` fails on warnings and errors. */
export const SEVERITY_RANK: Readonly<Record<Severity, number>> = { info: 0, warning: 1, error: 2 };

const OneOrMany = z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]).transform((v) => (Array.isArray(v) ? v : [v]));
/**
 * Field conditions: `{ riskControl: true, level: [item, unit] }` — a field equals the value, or one of the list; a
 * field holding a list meets the condition when it contains the value (or one of them).
 */
const Where = z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.array(z.union([z.string(), z.number(), z.boolean()]))]));

/** A required link: `in` means another record links to this one; `out` means this one links to another. */
export const LinkConditionSchema = z.strictObject({
  /** Link type, or a list of link types any of which counts. */
  type: OneOrMany,
  direction: z.enum(['in', 'out']),
  /** Record types allowed at the other end (default: any the link type allows). */
  with: OneOrMany.optional(),
  /** Conditions on the other end's fields, e.g. `{ riskControl: true }`. */
  where: Where.optional(),
  min: z.number().int().nonnegative().default(1),
  max: z.number().int().nonnegative().optional(),
});

/** Records of a type (with conditions) that must exist in the product: for product-level rules. */
export const ExistsConditionSchema = z.strictObject({
  type: z.string().min(1),
  where: Where.optional(),
  min: z.number().int().positive().default(1),
});

export const RuleSchema = z.strictObject({
  /** Stable ID, e.g. `IEC62304-5.7.1-SRS-VERIFIED`; findings carry it. */
  id: z.string().regex(/^[A-Z0-9][A-Z0-9.\-_]{2,80}$/, 'rule IDs are upper-case letters, digits, dots, dashes'),
  /** The clause it comes from, by number only, e.g. `IEC 62304 5.7.1`. */
  clause: z.string().min(1).max(100),
  title: z.string().min(1).max(200),
  severity: SeveritySchema,
  /** Another severity for some safety classes, e.g. `{ A: warning }` where the clause binds class A less. */
  classSeverity: z.partialRecord(z.enum(['A', 'B', 'C']), SeveritySchema).optional(),
  /** Which records the rule checks (`type: '*'`: every record type); `product: true` checks the product once. */
  select: z.union([
    z.strictObject({
      type: OneOrMany,
      where: Where.optional(),
      /** Records whose fields match are not checked, e.g. `{ allocation: [hardware, other_system] }`. */
      unless: Where.optional(),
      /** Statuses checked (default: every status but obsolete). */
      status: z.array(RecordStatusSchema).optional(),
    }),
    z.strictObject({
      product: z.literal(true),
      /** The product is checked only when it holds these records, e.g. a quality system run in Dossier (a procedure). */
      when: z.array(ExistsConditionSchema).optional(),
    }),
  ]),
  require: z.strictObject({
    links: z.array(LinkConditionSchema).optional(),
    /** Typed fields that must be present and not empty. */
    fields: z.array(z.string().min(1)).optional(),
    /** Conditions the record's own fields (or computed values) must meet, e.g. `{ verification: passed }`. */
    where: Where.optional(),
    status: z.array(RecordStatusSchema).optional(),
    exists: z.array(ExistsConditionSchema).optional(),
  }),
  /** What is wrong, with `{key}` for the record: short and specific. */
  message: z.string().min(1).max(500),
  /** Why it matters, in plain words for a developer without regulatory training. */
  why: z.string().min(1).max(2000),
  /** How to fix it, as concrete steps. */
  hint: z.string().min(1).max(2000),
  /** Safety classes the rule applies to (default: the pack's). */
  classes: z.array(z.enum(['A', 'B', 'C'])).optional(),
  /** `disputed` where sources disagree whether the clause binds class A (kept by default: the wider reading). */
  classA: z.enum(['disputed']).optional(),
});
export type Rule = z.infer<typeof RuleSchema>;

export const RulePackSchema = z.strictObject({
  pack: z.string().regex(/^[a-z0-9][a-z0-9-]{1,60}$/, 'pack names are lower-case letters, digits and dashes'),
  title: z.string().min(1).max(200),
  /** Safety classes the pack applies to (IEC 62304 packs); absent: every product. */
  classes: z.array(z.enum(['A', 'B', 'C'])).optional(),
  rules: z.array(RuleSchema).min(1),
});
export type RulePack = z.infer<typeof RulePackSchema>;

/** A rule's severity for a product of `safetyClass`, before the product's own settings. */
export function ruleSeverity(rule: Rule, safetyClass: string): Severity {
  return rule.classSeverity?.[safetyClass as 'A' | 'B' | 'C'] ?? rule.severity;
}

/** Every record type of the catalog for `*`, else the types named. */
export function selectedTypes(types: readonly string[], catalog: Pick<Catalog, 'recordTypes'>): string[] {
  return types.includes('*') ? [...catalog.recordTypes.keys()] : [...types];
}

/** The safety classes a rule applies to (its own list, else its pack's), or null for every product. */
export function ruleClasses(pack: RulePack, rule: Rule): readonly string[] | null {
  return rule.classes ?? pack.classes ?? null;
}

/** True when a rule applies to a product of `safetyClass`. */
export function ruleAppliesTo(pack: RulePack, rule: Rule, safetyClass: string): boolean {
  const classes = ruleClasses(pack, rule);
  return classes === null || classes.includes(safetyClass);
}

/** A problem found in a rule pack, with the path of the offending value (for line numbers). */
export interface PackProblem {
  readonly path: readonly (string | number)[];
  readonly message: string;
}

/**
 * Checks a parsed pack against the catalog: every record type, field and link type it names must exist, and each
 * required link must be possible between the types involved. Returns the problems (empty when the pack is sound).
 */
export function checkPackAgainstCatalog(pack: RulePack, catalog: Catalog): PackProblem[] {
  const problems: PackProblem[] = [];
  const types = [...catalog.recordTypes.keys()];
  const knownType = (t: string, path: (string | number)[]): boolean => {
    if (catalog.recordTypes.has(t)) return true;
    problems.push({ path, message: `unknown record type '${t}' (known: ${types.join(', ')})` });
    return false;
  };
  const knownFields = (typesHere: readonly string[], where: Record<string, unknown> | readonly string[] | undefined, path: (string | number)[]): void => {
    const names = Array.isArray(where) ? (where as readonly string[]) : Object.keys(where ?? {});
    names.forEach((f, k) => {
      const missing = typesHere.filter((t) => {
        const def = catalog.recordTypes.get(t);
        return !(f in (def?.fields.shape ?? {})) && !(f in (def?.computed ?? {})) && !(f in RECORD_COMPUTED);
      });
      if (missing.length > 0) problems.push({ path: Array.isArray(where) ? [...path, k] : [...path, f], message: `unknown field '${f}' for ${missing.join(', ')}` });
    });
  };
  const ids = new Set<string>();
  pack.rules.forEach((rule, i) => {
    const at = ['rules', i];
    if (ids.has(rule.id)) problems.push({ path: [...at, 'id'], message: `duplicate rule ID ${rule.id}` });
    ids.add(rule.id);
    let selected: string[] = [];
    const select = rule.select;
    if ('type' in select) {
      selected = selectedTypes(select.type, catalog).filter((t, k) => knownType(t, [...at, 'select', 'type', ...(select.type.length > 1 ? [k] : [])]));
      knownFields(selected, select.where, [...at, 'select', 'where']);
      knownFields(selected, select.unless, [...at, 'select', 'unless']);
      knownFields(selected, rule.require.fields, [...at, 'require', 'fields']);
      knownFields(selected, rule.require.where, [...at, 'require', 'where']);
    } else if (rule.require.links !== undefined || rule.require.fields !== undefined || rule.require.status !== undefined || rule.require.where !== undefined) {
      problems.push({ path: [...at, 'require'], message: 'a product-level rule can only require `exists`' });
    }
    rule.require.links?.forEach((l, k) => {
      const lp = [...at, 'require', 'links', k];
      const lts = l.type.map((name, m) => {
        const lt = catalog.linkTypes.get(name);
        if (lt === undefined) {
          problems.push({
            path: [...lp, 'type', ...(l.type.length > 1 ? [m] : [])],
            message: `unknown link type '${name}' (known: ${[...catalog.linkTypes.keys()].join(', ')})`,
          });
        }
        return lt;
      });
      if (lts.some((lt) => lt === undefined)) return;
      const defined = lts.filter((lt) => lt !== undefined);
      const here = defined.flatMap((lt) => (l.direction === 'in' ? lt.to : lt.from));
      const there = defined.flatMap((lt) => (l.direction === 'in' ? lt.from : lt.to));
      const impossible = selected.filter((t) => !here.includes(t));
      if (impossible.length > 0) {
        problems.push({ path: [...lp, 'direction'], message: `a '${l.type.join('/')}' link never ${l.direction === 'in' ? 'ends at' : 'starts from'} ${impossible.join(', ')}` });
      }
      const others = (l.with ?? there).filter((t, m) => knownType(t, [...lp, 'with', m]));
      const wrong = others.filter((t) => !there.includes(t));
      if (wrong.length > 0) problems.push({ path: [...lp, 'with'], message: `a '${l.type.join('/')}' link cannot have ${wrong.join(', ')} at its other end` });
      knownFields(others, l.where, [...lp, 'where']);
    });
    if (!('type' in select)) {
      select.when?.forEach((x, k) => {
        if (knownType(x.type, [...at, 'select', 'when', k, 'type'])) knownFields([x.type], x.where, [...at, 'select', 'when', k, 'where']);
      });
    }
    rule.require.exists?.forEach((x, k) => {
      if (knownType(x.type, [...at, 'require', 'exists', k, 'type'])) knownFields([x.type], x.where, [...at, 'require', 'exists', k, 'where']);
    });
  });
  return problems;
}
