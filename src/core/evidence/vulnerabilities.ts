import { identityOfName, identityOfOsvPackage, identityOfPurl, sameIdentity, type PackageIdentity } from './ecosystems.js';
import { purlBase } from './sbom.js';
import { inVersRange, sameVersion, versionOrder, type RangeResult, type VersionOrder } from './versions.js';

export type VulnSeverity = 'critical' | 'high' | 'medium' | 'low' | 'unknown';

/** OSV range events: affected from `introduced`, up to (not including) `fixed`, or up to and including `last_affected`. */
export interface RangeEvent {
  readonly introduced?: string | undefined;
  readonly fixed?: string | undefined;
  readonly last_affected?: string | undefined;
  readonly limit?: string | undefined;
}

/** OSV: one package an advisory affects, with its versions and ranges. */
export interface OsvAffected {
  readonly ecosystem: string | null;
  readonly name: string | null;
  readonly purl: string | null;
  readonly versions: readonly string[];
  readonly ranges: readonly { readonly type: string; readonly events: readonly RangeEvent[] }[];
}

/** CycloneDX VEX: one `affects[].versions` entry: a version or a `vers:` range, and its status. */
export interface VexVersion {
  readonly version: string | null;
  readonly range: string | null;
  readonly status: 'affected' | 'unaffected' | 'unknown';
}

/** CycloneDX VEX: one `affects` entry: a component reference and, optionally, which of its versions and how. */
export interface VexStatement {
  /** bom-ref, purl or BOM-Link (`urn:cdx:<serial>/<version>#<bom-ref>`). */
  readonly ref: string;
  /** `affects[].versions`: null when the entry lists none (it is then about the referenced component as it is). */
  readonly versions: readonly VexVersion[] | null;
}

/** One published vulnerability, from an OSV file or a CycloneDX VEX document. */
export interface ParsedAdvisory {
  readonly id: string;
  readonly aliases: readonly string[];
  readonly summary: string | null;
  readonly severity: VulnSeverity;
  /** Where the severity came from (the database's rating, a CVSS base score computed from its vector), or why there is none. */
  readonly severityFrom: string | null;
  readonly cvss: string | null;
  readonly source: 'osv' | 'vex';
  /** OSV: when the advisory was withdrawn; a withdrawn advisory is reported and never recorded. */
  readonly withdrawn: string | null;
  /** OSV: which packages and versions it affects. */
  readonly affected: readonly OsvAffected[];
  /** osv-scanner output: the packages (at their versions) the scanner itself found affected. */
  readonly observed: readonly { readonly ecosystem: string; readonly name: string; readonly version: string }[];
  /** VEX: the components it is about, with versions and their status. */
  readonly statements: readonly VexStatement[];
  /** VEX: the supplier's own analysis, when given. */
  readonly analysis: { readonly state: string; readonly justification: string | null; readonly detail: string | null } | null;
  /** Where it is in its file, for messages. */
  readonly at: string;
}

/** A SOUP component as matching needs it. */
export interface SoupForMatch {
  readonly package: string;
  /** Null when the SBOM gave no version: nothing can be decided about its versions. */
  readonly version: string | null;
  readonly purl: string | null;
  /** purl type (npm, maven, pypi …) or null. */
  readonly ecosystem: string | null;
  /** SBOM references this component was listed under: bom-refs, SPDXIDs, and BOM-Links in the form `bomLink` gives. */
  readonly sbomRefs: readonly string[];
}

/**
 * How an advisory applies to a SOUP component at its version: evaluated (with the triage a VEX states for that
 * version, if any) or not evaluated, with the reason, for a person to decide. No match at all is `undefined`.
 */
export type AdvisoryMatch =
  | { readonly evaluated: true; readonly how: string; readonly triage?: 'affected' | 'not_affected'; readonly justification?: string }
  | { readonly evaluated: false; readonly why: string };

/** A BOM-Link (`urn:cdx:<serial uuid>/<bom version>#<bom-ref, percent-encoded>`) in one comparable form. */
export function bomLink(serialNumber: string, bomVersion: number, ref: string): string {
  return `urn:cdx:${serialNumber.replace(/^urn:uuid:/i, '').toLowerCase()}/${bomVersion}#${ref}`;
}

/** A reference as written in a VEX, BOM-Links brought to the form `bomLink` gives; other references unchanged. */
export function normaliseRef(ref: string): string {
  const m = /^urn:cdx:([0-9a-f-]{36})\/(\d+)#(.+)$/i.exec(ref.trim());
  if (m === null) return ref;
  let fragment = m[3] as string;
  try {
    fragment = decodeURIComponent(fragment);
  } catch {
    // Not percent-encoded after all: compare as written.
  }
  return bomLink(m[1] as string, Number(m[2]), fragment);
}

/**
 * Whether `version` falls in one OSV range, evaluated as the OSV schema defines: events sorted by version (in a
 * file they may come in any order), `introduced` opens, `fixed` closes before, `last_affected` closes after.
 * Not evaluated when the range is a git range, the ecosystem's order is unknown, or a version does not parse.
 */
export function inOsvRange(
  version: string,
  range: { readonly type: string; readonly events: readonly RangeEvent[] },
  order: VersionOrder | undefined,
  ecosystem: string,
): RangeResult {
  if (range.type === 'GIT') return { kind: 'unknown', why: 'the advisory gives only git commit ranges' };
  if (order === undefined) return { kind: 'unknown', why: `Dossier cannot order ${ecosystem} versions` };
  if (!order.parse(version)) return { kind: 'unknown', why: `${version} is not a ${ecosystem} version Dossier can order` };
  const events: { at: string | null; e: RangeEvent }[] = [];
  for (const e of range.events) {
    const at = e.introduced ?? e.fixed ?? e.last_affected ?? e.limit;
    if (at === undefined) continue;
    if (e.introduced === '0') events.push({ at: null, e });
    else if (order.parse(at)) events.push({ at, e });
    else return { kind: 'unknown', why: `range version ${at} is not a ${ecosystem} version Dossier can order` };
  }
  events.sort((x, y) => (x.at === null ? (y.at === null ? 0 : -1) : y.at === null ? 1 : order.compare(x.at, y.at)));
  let affected = false;
  for (const { at, e } of events) {
    if (e.introduced !== undefined) {
      if (at === null || order.compare(version, at) >= 0) affected = true;
    } else if (e.fixed !== undefined) {
      if (order.compare(version, e.fixed) >= 0) affected = false;
    } else if (e.last_affected !== undefined) {
      if (order.compare(version, e.last_affected) > 0) affected = false;
    }
    // `limit` bounds git ranges only (the schema's evaluation ignores it elsewhere).
  }
  return affected ? { kind: 'in' } : { kind: 'out' };
}

/** Whether `version` is in OSV's `[introduced, fixed)` / `[introduced, last_affected]` events, compared as SemVer. */
export function inRange(version: string, events: readonly RangeEvent[]): boolean {
  return inOsvRange(version, { type: 'SEMVER', events }, versionOrder('semver'), 'SemVer').kind === 'in';
}

function soupIdentity(s: SoupForMatch): PackageIdentity | undefined {
  if (s.purl !== null) return identityOfPurl(s.purl);
  return s.ecosystem === null ? undefined : identityOfName(s.ecosystem, s.package);
}

function osvIdentity(x: { ecosystem: string | null; name: string | null; purl: string | null }): PackageIdentity | undefined {
  if (x.purl !== null) {
    const fromPurl = identityOfPurl(x.purl);
    if (fromPurl !== undefined) return fromPurl;
  }
  return x.ecosystem !== null && x.name !== null ? identityOfOsvPackage(x.ecosystem, x.name) : undefined;
}

/** The same package: by identity when both have one; by name when the SOUP record says nothing of its ecosystem. */
function samePackage(
  x: OsvAffected | ParsedAdvisory['observed'][number],
  s: SoupForMatch,
  mine: PackageIdentity | undefined,
): PackageIdentity | null {
  const theirs = osvIdentity({ ecosystem: x.ecosystem, name: x.name, purl: 'purl' in x ? x.purl : null });
  if (theirs !== undefined && mine !== undefined) return sameIdentity(theirs, mine) ? theirs : null;
  if (mine === undefined && theirs !== undefined) return identityOfName(theirs.type, s.package).name === theirs.name ? theirs : null;
  // An ecosystem outside the table: the exact name, in the same ecosystem when the SOUP record names one.
  if (theirs === undefined && x.name !== null && x.name === s.package) {
    const eco = (x.ecosystem ?? '').toLowerCase();
    if (s.ecosystem === null || eco === '' || eco === s.ecosystem.toLowerCase()) {
      return identityOfName(eco === '' ? 'generic' : eco, x.name);
    }
  }
  return null;
}

function osvMatch(a: ParsedAdvisory, s: SoupForMatch): AdvisoryMatch | undefined {
  const mine = soupIdentity(s);
  let notEvaluated: string | undefined;
  for (const o of a.observed) {
    const id = samePackage(o, s, mine);
    if (id !== null && s.version !== null && sameVersion(versionOrder(id.type), o.version, s.version)) {
      return { evaluated: true, how: `osv-scanner found ${o.name} ${o.version} affected` };
    }
  }
  for (const x of a.affected) {
    const id = samePackage(x, s, mine);
    if (id === null) continue;
    if (s.version === null) {
      notEvaluated ??= 'the component has no version in its SBOM';
      continue;
    }
    const order = versionOrder(id.type);
    const version = s.version;
    if (x.versions.some((v) => sameVersion(order, v, version))) return { evaluated: true, how: `${version} is listed among the affected versions` };
    for (const r of x.ranges) {
      const ecosystemOrder = r.type === 'SEMVER' && id.type !== 'golang' ? versionOrder('semver') : order;
      const res = inOsvRange(s.version, r, ecosystemOrder, r.type === 'SEMVER' ? 'SemVer' : (x.ecosystem ?? id.type));
      if (res.kind === 'in') return { evaluated: true, how: `${s.version} is inside an affected ${r.type} range` };
      if (res.kind === 'unknown') notEvaluated ??= res.why;
    }
  }
  return notEvaluated === undefined ? undefined : { evaluated: false, why: `range not evaluated: ${notEvaluated}` };
}

function refNames(ref: string, s: SoupForMatch): boolean {
  if (s.sbomRefs.includes(ref) || s.sbomRefs.includes(normaliseRef(ref))) return true;
  if (!ref.startsWith('pkg:') || s.purl === null) return false;
  if (ref === s.purl) return true;
  if (purlBase(ref) !== purlBase(s.purl)) return false;
  // A purl with a version names that version only; one without names the package (its statement lists versions).
  const theirs = ref.split(/[?#]/)[0]?.slice(purlBase(ref).length + 1) ?? '';
  if (theirs === '') return true;
  let v = theirs;
  try {
    v = decodeURIComponent(theirs);
  } catch {
    // keep as written
  }
  return s.version !== null && sameVersion(versionOrder(identityOfPurl(s.purl)?.type ?? null), v, s.version);
}

function vexMatch(a: ParsedAdvisory, s: SoupForMatch): AdvisoryMatch | undefined {
  let notEvaluated: string | undefined;
  for (const st of a.statements) {
    if (!refNames(st.ref, s)) continue;
    if (st.versions === null) return { evaluated: true, how: `the VEX names ${st.ref}`, ...triageFromAnalysis(a.analysis) };
    if (s.version === null) {
      notEvaluated ??= 'the VEX states versions and the component has no version in its SBOM';
      continue;
    }
    const order = versionOrder(identityOfPurl(s.purl ?? '')?.type ?? s.ecosystem);
    for (const v of st.versions) {
      let hit = false;
      if (v.version !== null) hit = sameVersion(order, v.version, s.version);
      else if (v.range !== null) {
        const r = inVersRange(s.version, v.range);
        if (r.kind === 'unknown') notEvaluated ??= r.why;
        hit = r.kind === 'in';
      }
      if (!hit) continue;
      const how = `the VEX states ${s.version} ${v.status}${v.range === null ? '' : ` (${v.range})`}`;
      if (v.status === 'unknown') return { evaluated: true, how };
      if (v.status === 'unaffected') {
        const t = triageFromAnalysis(a.analysis);
        const why = t.triage === 'not_affected' && t.justification !== undefined ? `; ${t.justification}` : '';
        const justification = `Supplier VEX: version ${s.version} is listed as unaffected${why}`;
        return { evaluated: true, how, triage: 'not_affected', justification };
      }
      return { evaluated: true, how, ...triageFromAnalysis(a.analysis) };
    }
  }
  return notEvaluated === undefined ? undefined : { evaluated: false, why: `range not evaluated: ${notEvaluated}` };
}

/**
 * How an advisory applies to a SOUP component at its version, or undefined when it does not. OSV: the package
 * (by purl, or by ecosystem and name through the one ecosystem table) and its version in a range evaluated in the
 * ecosystem's order, in the explicit version list, or found affected by osv-scanner; a range Dossier cannot order
 * is reported as not evaluated, never guessed. VEX: a statement whose reference names the component, and whose
 * versions (if it lists any) include its version; the triage is only what the VEX states for that version.
 */
export function matchAdvisory(a: ParsedAdvisory, s: SoupForMatch): AdvisoryMatch | undefined {
  return a.source === 'vex' ? vexMatch(a, s) : osvMatch(a, s);
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
