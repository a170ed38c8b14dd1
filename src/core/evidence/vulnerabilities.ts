import semver from 'semver';
import { purlBase } from './sbom.js';

export type VulnSeverity = 'critical' | 'high' | 'medium' | 'low' | 'unknown';

/** OSV range events: affected from `introduced`, up to (not including) `fixed`, or up to and including `last_affected`. */
export interface RangeEvent {
  readonly introduced?: string | undefined;
  readonly fixed?: string | undefined;
  readonly last_affected?: string | undefined;
  readonly limit?: string | undefined;
}

/** One published vulnerability, from an OSV file or a CycloneDX VEX document. */
export interface ParsedAdvisory {
  readonly id: string;
  readonly aliases: readonly string[];
  readonly summary: string | null;
  readonly severity: VulnSeverity;
  readonly cvss: string | null;
  readonly source: 'osv' | 'vex';
  /** OSV: which packages and versions it affects. */
  readonly affected: readonly {
    readonly ecosystem: string | null;
    readonly name: string | null;
    readonly purl: string | null;
    readonly versions: readonly string[];
    readonly ranges: readonly { readonly type: string; readonly events: readonly RangeEvent[] }[];
  }[];
  /** VEX: the components it affects, by bom-ref or purl. */
  readonly refs: readonly string[];
  /** VEX: the supplier's own analysis, when given. */
  readonly analysis: { readonly state: string; readonly justification: string | null; readonly detail: string | null } | null;
  /** Where it is in its file, for messages. */
  readonly at: string;
}

/** A SOUP component as matching needs it. */
export interface SoupForMatch {
  readonly package: string;
  readonly version: string;
  readonly purl: string | null;
  readonly ecosystem: string | null;
  /** SBOM references (bom-ref, SPDXID) this component was listed under. */
  readonly sbomRefs: readonly string[];
}

const parseVersion = (v: string): string | null => semver.valid(v) ?? semver.valid(semver.coerce(v, { loose: true }));

/** Whether `version` falls in an OSV SEMVER/ECOSYSTEM range (versions compared as semver where they parse). */
export function inRange(version: string, events: readonly RangeEvent[]): boolean {
  const v = parseVersion(version);
  if (v === null) return false;
  let affected = false;
  for (const e of events) {
    if (e.introduced !== undefined) {
      const intro = e.introduced === '0' ? '0.0.0' : parseVersion(e.introduced);
      if (intro !== null && semver.gte(v, intro)) affected = true;
    }
    if (e.fixed !== undefined) {
      const fixed = parseVersion(e.fixed);
      if (fixed !== null && semver.gte(v, fixed)) affected = false;
    }
    if (e.last_affected !== undefined) {
      const last = parseVersion(e.last_affected);
      if (last !== null && semver.gt(v, last)) affected = false;
    }
  }
  return affected;
}

/** Whether an advisory affects this SOUP component at its version. */
export function affects(a: ParsedAdvisory, s: SoupForMatch): boolean {
  if (a.source === 'vex') return a.refs.some((r) => r === s.purl || s.sbomRefs.includes(r));
  return a.affected.some((x) => {
    const sameName =
      (x.purl !== null && s.purl !== null && purlBase(x.purl) === purlBase(s.purl)) ||
      (x.name !== null && x.name === s.package && (x.ecosystem === null || s.ecosystem === null || x.ecosystem.toLowerCase() === s.ecosystem.toLowerCase()));
    if (!sameName) return false;
    if (x.versions.includes(s.version)) return true;
    return x.ranges.some((r) => r.type !== 'GIT' && inRange(s.version, r.events));
  });
}

/** Triage fields from a VEX analysis: not_affected/false_positive/resolved → not affected; exploitable → affected. */
export function triageFromAnalysis(a: ParsedAdvisory['analysis']): { triage?: 'not_affected' | 'affected'; justification?: string } {
  if (a === null) return {};
  const why = [a.justification, a.detail].filter((x): x is string => x !== null && x !== '').join(': ');
  if (['not_affected', 'false_positive', 'resolved', 'resolved_with_pedigree'].includes(a.state)) {
    return { triage: 'not_affected', ...(why === '' ? {} : { justification: `Supplier VEX (${a.state}): ${why}` }) };
  }
  if (a.state === 'exploitable') return { triage: 'affected', ...(why === '' ? {} : { justification: `Supplier VEX: ${why}` }) };
  return {};
}
