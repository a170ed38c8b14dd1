import type { Catalog } from '../catalog/catalog.js';
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
    return (rule.require.exists ?? []).map((x) => `The product must have at least ${x.min} ${typeName(catalog, x.type)}${fieldsText(x.where)}.`);
  }
  const who = `every ${s.type.map((t) => typeName(catalog, t)).join(' or ')}${fieldsText(s.where)}${s.status === undefined ? ' that is not obsolete' : ` whose status is ${s.status.join(' or ')}`}`;
  const needs: string[] = [];
  for (const l of rule.require.links ?? []) {
    const others = l.with === undefined ? 'another record' : l.with.map((t) => typeName(catalog, t)).join(' or ');
    const count = l.max === undefined ? `at least ${l.min}` : `between ${l.min} and ${l.max}`;
    needs.push(
      l.direction === 'in'
        ? `${count} ${others}${fieldsText(l.where)} linked to it by '${l.type.join("' or '")}'`
        : `${count} '${l.type.join("' or '")}' link${l.min === 1 ? '' : 's'} to ${others}${fieldsText(l.where)}`,
    );
  }
  for (const f of rule.require.fields ?? []) needs.push(`a value in its field '${f}'`);
  if (rule.require.status !== undefined) needs.push(`status ${rule.require.status.join(' or ')}`);
  return [`For ${who}, Dossier checks that it has ${needs.join('; and ')}.`];
}
