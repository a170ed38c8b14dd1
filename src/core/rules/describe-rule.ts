import type { Catalog } from '../catalog/catalog.js';
import { RECORD_COMPUTED } from '../catalog/record-types.js';
import type { Rule } from './rule-pack.js';

/** A record type as people read it: `Software requirement (SRS)`. */
function typeName(catalog: Catalog, key: string): string {
  return `${catalog.recordTypes.get(key)?.name ?? key} (${key})`;
}

const fieldsText = (where: Readonly<Record<string, unknown>> | undefined): string =>
  where === undefined
    ? ''
    : ` with ${Object.entries(where)
        .map(([k, v]) => `${k} = ${Array.isArray(v) ? v.join(' or ') : String(v)}`)
        .join(' and ')}`;

/**
 * What a rule checks, in plain words: which records, and what each must have. Generated from the rule's own
 * definition, so it cannot drift from what the engine does.
 */
export function describeRuleCheck(rule: Rule, catalog: Catalog): string[] {
  const s = rule.select;
  if (!('type' in s)) {
    const when = (s.when ?? []).map((x) => `at least ${x.min} ${typeName(catalog, x.type)}${fieldsText(x.where)}`);
    return [
      ...(when.length === 0 ? [] : [`Checked only for a product that has ${when.join(' and ')}.`]),
      ...(rule.require.exists ?? []).map((x) => `The product must have at least ${x.min} ${typeName(catalog, x.type)}${fieldsText(x.where)}.`),
    ];
  }
  const who =
    `every ${s.type.includes('*') ? 'record' : s.type.map((t) => typeName(catalog, t)).join(' or ')}${fieldsText(s.where)}` +
    `${s.status === undefined ? ' that is not obsolete' : ` whose status is ${s.status.join(' or ')}`}` +
    `${s.unless === undefined ? '' : `, except one${fieldsText(s.unless)}`}`;
  const needs: string[] = [];
  for (const l of rule.require.links ?? []) {
    const others = l.with === undefined ? 'another record' : l.with.map((t) => typeName(catalog, t)).join(' or ');
    const count = l.max === undefined ? `at least ${l.min}` : l.max === l.min ? `exactly ${l.min}` : `between ${l.min} and ${l.max}`;
    needs.push(
      l.direction === 'in'
        ? `${count} ${others}${fieldsText(l.where)} linked to it by '${l.type.join("' or '")}'`
        : `${count} '${l.type.join("' or '")}' link${l.min === 1 ? '' : 's'} to ${others}${fieldsText(l.where)}`,
    );
  }
  // Values the trace engine computes (a risk's zones, a control's verification) are named with what they mean.
  const computedOf = (f: string): string | undefined => RECORD_COMPUTED[f] ?? s.type.map((t) => catalog.recordTypes.get(t)?.computed?.[f]).find((d) => d !== undefined);
  const computedNote = (f: string): string => {
    const d = computedOf(f);
    return d === undefined ? '' : ` (computed: ${d})`;
  };
  for (const f of rule.require.fields ?? []) needs.push(computedOf(f) === undefined ? `a value in its field '${f}'` : `a value for '${f}'${computedNote(f)}`);
  for (const [k, v] of Object.entries(rule.require.where ?? {})) needs.push(`'${k}' = ${Array.isArray(v) ? v.join(' or ') : String(v)}${computedNote(k)}`);
  if (rule.require.status !== undefined) needs.push(`status ${rule.require.status.join(' or ')}`);
  const notes = Object.keys(s.where ?? {}).filter((k) => computedOf(k) !== undefined).map((k) => `'${k}' is computed: ${computedOf(k) ?? ''}.`);
  return [`For ${who}, Dossier checks that it has ${needs.join('; and ')}.`, ...notes];
}
