import semver from 'semver';

/**
 * Version ordering per ecosystem, by purl type. Where Dossier knows the ecosystem's own rules it orders versions
 * exactly; elsewhere it has no order at all, and callers must not guess (they fall back to explicit version lists
 * and leave the decision to a person).
 *
 * Ordered exactly: SemVer 2.0 (`semver`, and the npm, cargo, hex, pub types), Go modules (SemVer with a `v`
 * prefix, pseudo-versions included), PyPI (PEP 440: epoch, release, pre-, post- and dev-releases; local labels
 * break ties only), NuGet (numeric parts, any count, then SemVer pre-release rules, case-insensitive) and RubyGems
 * (Gem::Version: numeric and letter segments, letters mark a pre-release) and Debian/Ubuntu packages (dpkg: epoch,
 * upstream version, revision; `~` sorts before anything). Not ordered: Maven, Alpine, RPM, Composer and everything
 * else.
 */
export type VersionCompare = (a: string, b: string) => number;

/** A comparator, and a check that a version is one the ecosystem could have written. */
export interface VersionOrder {
  readonly parse: (v: string) => boolean;
  readonly compare: VersionCompare;
}

const SEMVER: VersionOrder = { parse: (v) => semver.valid(v) !== null, compare: (a, b) => semver.compare(a, b) };

const stripV = (v: string): string => (v.startsWith('v') ? v.slice(1) : v);
const GO: VersionOrder = { parse: (v) => semver.valid(stripV(v)) !== null, compare: (a, b) => semver.compare(stripV(a), stripV(b)) };

// ---- PEP 440 ----
const PEP440 = new RegExp(
  [
    '^v?(?:(\\d+)!)?(\\d+(?:\\.\\d+)*)', // epoch, release
    '(?:[-_.]?(a|b|c|rc|alpha|beta|pre|preview)[-_.]?(\\d*))?', // pre-release
    '(?:-(\\d+)|[-_.]?(post|rev|r)[-_.]?(\\d*))?', // post-release
    '(?:[-_.]?(dev)[-_.]?(\\d*))?', // dev-release
    '(?:\\+([a-z0-9]+(?:[-_.][a-z0-9]+)*))?$', // local label
  ].join(''),
  'i',
);
interface Pep440 {
  epoch: number;
  release: number[];
  pre: [number, number] | null;
  post: number | null;
  dev: number | null;
  local: string | null;
}
function pep440(v: string): Pep440 | undefined {
  const m = PEP440.exec(v.trim());
  if (m === null) return undefined;
  const release = (m[2] as string).split('.').map(Number);
  while (release.length > 1 && release.at(-1) === 0) release.pop();
  const preKind = m[3]?.toLowerCase();
  const preRank = preKind === undefined ? null : preKind === 'a' || preKind === 'alpha' ? 0 : preKind === 'b' || preKind === 'beta' ? 1 : 2;
  const post = m[5] !== undefined ? Number(m[5]) : m[6] !== undefined ? Number(m[7] === '' ? 0 : m[7]) : null;
  return {
    epoch: m[1] === undefined ? 0 : Number(m[1]),
    release,
    pre: preRank === null ? null : [preRank, Number(m[4] === '' ? 0 : m[4])],
    post,
    dev: m[8] === undefined ? null : Number(m[9] === '' ? 0 : m[9]),
    local: m[10] ?? null,
  };
}
const cmpNum = (a: number, b: number): number => (a < b ? -1 : a > b ? 1 : 0);
function cmpLists(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = cmpNum(a[i] ?? 0, b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}
function comparePep440(x: string, y: string): number {
  const a = pep440(x);
  const b = pep440(y);
  if (a === undefined || b === undefined) throw new Error(`not a PEP 440 version: ${a === undefined ? x : y}`);
  // Sort keys as PEP 440 defines them: a dev-release of a final sorts before its pre-releases; no pre-release sorts
  // after any pre-release; no post-release before any post-release; no dev-release after any dev-release.
  const preKey = (p: Pep440): number[] => (p.pre === null ? (p.post === null && p.dev !== null ? [-1] : [3]) : p.pre);
  const postKey = (p: Pep440): number[] => (p.post === null ? [-1] : [p.post]);
  const devKey = (p: Pep440): number[] => (p.dev === null ? [Number.MAX_SAFE_INTEGER] : [p.dev]);
  return (
    cmpNum(a.epoch, b.epoch) ||
    cmpLists(a.release, b.release) ||
    cmpLists(preKey(a), preKey(b)) ||
    cmpLists(postKey(a), postKey(b)) ||
    cmpLists(devKey(a), devKey(b)) ||
    cmpNum(a.local === null ? 0 : 1, b.local === null ? 0 : 1) ||
    (a.local ?? '').localeCompare(b.local ?? '')
  );
}
const PYPI: VersionOrder = { parse: (v) => pep440(v) !== undefined, compare: comparePep440 };

// ---- NuGet ----
const NUGET_RE = /^(\d+(?:\.\d+){0,3})(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+[0-9A-Za-z-.]+)?$/;
function compareNuget(x: string, y: string): number {
  const a = NUGET_RE.exec(x.trim());
  const b = NUGET_RE.exec(y.trim());
  if (a === null || b === null) throw new Error(`not a NuGet version: ${a === null ? x : y}`);
  const d = cmpLists((a[1] as string).split('.').map(Number), (b[1] as string).split('.').map(Number));
  if (d !== 0) return d;
  const pa = a[2]?.toLowerCase();
  const pb = b[2]?.toLowerCase();
  if (pa === undefined || pb === undefined) return pa === pb ? 0 : pa === undefined ? 1 : -1;
  return semver.compare(`0.0.0-${pa}`, `0.0.0-${pb}`);
}
const NUGET: VersionOrder = { parse: (v) => NUGET_RE.test(v.trim()), compare: compareNuget };

// ---- RubyGems (Gem::Version) ----
const GEM_RE = /^[0-9]+(?:\.[0-9a-zA-Z]+)*(?:-[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$/;
function gemSegments(v: string): (number | string)[] {
  // Gem::Version treats "-" as ".pre." and splits into runs of digits or letters.
  const segs = (v.trim().replace(/-/g, '.pre.').match(/[0-9]+|[a-z]+/gi) ?? []).map((s) => (/^\d+$/.test(s) ? Number(s) : s));
  // Canonical form: trailing zeros dropped from the release part and from the pre-release part.
  const firstString = segs.findIndex((s) => typeof s === 'string');
  const release = firstString < 0 ? segs : segs.slice(0, firstString);
  const pre = firstString < 0 ? [] : segs.slice(firstString);
  const trim = (xs: (number | string)[]): (number | string)[] => {
    const out = [...xs];
    while (out.length > 0 && out.at(-1) === 0) out.pop();
    return out;
  };
  return [...trim(release), ...trim(pre)];
}
function compareGem(x: string, y: string): number {
  if (!GEM_RE.test(x.trim()) || !GEM_RE.test(y.trim())) throw new Error(`not a RubyGems version: ${GEM_RE.test(x.trim()) ? y : x}`);
  const a = gemSegments(x);
  const b = gemSegments(y);
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const l = a[i] ?? 0;
    const r = b[i] ?? 0;
    if (l === r) continue;
    if (typeof l === 'string' && typeof r === 'number') return -1;
    if (typeof l === 'number' && typeof r === 'string') return 1;
    return l < r ? -1 : 1;
  }
  return 0;
}
const GEM: VersionOrder = { parse: (v) => GEM_RE.test(v.trim()), compare: compareGem };

// ---- Debian (dpkg) ----
const DEB_RE = /^(?:(\d+):)?([0-9][A-Za-z0-9.+~:-]*?)(?:-([A-Za-z0-9.+~]+))?$/;
const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const isAlpha = (c: number): boolean => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
/** dpkg's character order: `~` before the end of the string, letters before other characters. */
const debOrder = (c: number | undefined): number => (c === undefined || isDigit(c) ? 0 : isAlpha(c) ? c : c === 126 ? -1 : c + 256);
/** dpkg's verrevcmp: alternating non-digit parts (character order) and digit parts (numeric). */
function verrevcmp(a: string, b: string): number {
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    while ((i < a.length && !isDigit(a.charCodeAt(i))) || (j < b.length && !isDigit(b.charCodeAt(j)))) {
      const ac = debOrder(i < a.length ? a.charCodeAt(i) : undefined);
      const bc = debOrder(j < b.length ? b.charCodeAt(j) : undefined);
      if (ac !== bc) return ac - bc;
      i++;
      j++;
    }
    while (a.charCodeAt(i) === 48) i++;
    while (b.charCodeAt(j) === 48) j++;
    let firstDiff = 0;
    while (i < a.length && j < b.length && isDigit(a.charCodeAt(i)) && isDigit(b.charCodeAt(j))) {
      if (firstDiff === 0) firstDiff = a.charCodeAt(i) - b.charCodeAt(j);
      i++;
      j++;
    }
    if (i < a.length && isDigit(a.charCodeAt(i))) return 1;
    if (j < b.length && isDigit(b.charCodeAt(j))) return -1;
    if (firstDiff !== 0) return firstDiff;
  }
  return 0;
}
function compareDeb(x: string, y: string): number {
  const a = DEB_RE.exec(x.trim());
  const b = DEB_RE.exec(y.trim());
  if (a === null || b === null) throw new Error(`not a Debian version: ${a === null ? x : y}`);
  return (
    Math.sign(Number(a[1] ?? 0) - Number(b[1] ?? 0)) ||
    Math.sign(verrevcmp(a[2] as string, b[2] as string)) ||
    Math.sign(verrevcmp(a[3] ?? '', b[3] ?? ''))
  );
}
const DEB: VersionOrder = { parse: (v) => DEB_RE.test(v.trim()), compare: compareDeb };

/** The one table: purl type → version order. `semver` stands for OSV's SEMVER ranges and vers' semver scheme. */
const ORDERS: Readonly<Record<string, VersionOrder>> = {
  semver: SEMVER,
  npm: SEMVER,
  cargo: SEMVER,
  hex: SEMVER,
  pub: SEMVER,
  golang: GO,
  pypi: PYPI,
  nuget: NUGET,
  gem: GEM,
  deb: DEB,
};

/** The version order of a purl type (or `semver`), or undefined when Dossier does not know the ecosystem's rules. */
export function versionOrder(purlType: string | null): VersionOrder | undefined {
  return purlType === null ? undefined : ORDERS[purlType.toLowerCase()];
}

/** Whether two versions are the same: equal text, or equal in the ecosystem's order when both parse. */
export function sameVersion(order: VersionOrder | undefined, a: string, b: string): boolean {
  if (a === b) return true;
  return order !== undefined && order.parse(a) && order.parse(b) && order.compare(a, b) === 0;
}

/** Outcome of checking a version against a range: in, out, or not evaluated (and why). */
export type RangeResult = { readonly kind: 'in' } | { readonly kind: 'out' } | { readonly kind: 'unknown'; readonly why: string };

const OPS = ['>=', '<=', '!=', '<', '>', '='] as const;
type Op = (typeof OPS)[number];

/**
 * Whether `version` is inside a `vers:` range (`vers:npm/>=1.0.0|<2.0.0`), with the algorithm of the vers
 * specification: `=` and `!=` first, then the sorted constraints read as intervals. Unknown schemes and versions
 * the scheme cannot order are not evaluated.
 */
export function inVersRange(version: string, range: string): RangeResult {
  const m = /^vers:([a-z0-9.+-]+)\/(.*)$/i.exec(range.trim());
  if (m === null) return { kind: 'unknown', why: `${range} is not a vers range` };
  const scheme = (m[1] as string).toLowerCase();
  const body = (m[2] as string).replace(/\s+/g, '');
  if (body === '*') return { kind: 'in' };
  const order = versionOrder(scheme);
  if (order === undefined) return { kind: 'unknown', why: `Dossier cannot order ${scheme} versions` };
  if (!order.parse(version)) return { kind: 'unknown', why: `${version} is not a ${scheme} version` };
  const constraints: { op: Op; v: string }[] = [];
  for (const c of body.split('|')) {
    const op = OPS.find((o) => c.startsWith(o)) ?? '=';
    const v = decodeURIComponent(c.slice(c.startsWith(op) ? op.length : 0));
    if (v === '' || !order.parse(v)) {
      return { kind: 'unknown', why: `${range}: ${v === '' ? 'empty version' : `${v} is not a ${scheme} version`}` };
    }
    constraints.push({ op, v });
  }
  const cmp = (v: string): number => order.compare(version, v);
  if (constraints.some((c) => c.op === '=' && cmp(c.v) === 0)) return { kind: 'in' };
  if (constraints.some((c) => c.op === '!=' && cmp(c.v) === 0)) return { kind: 'out' };
  const rest = constraints.filter((c) => c.op !== '=' && c.op !== '!=').sort((a, b) => order.compare(a.v, b.v));
  const holds = (c: { op: Op; v: string }): boolean => {
    const d = cmp(c.v);
    return c.op === '<' ? d < 0 : c.op === '<=' ? d <= 0 : c.op === '>' ? d > 0 : d >= 0;
  };
  const lower = (c: { op: Op } | undefined): boolean => c?.op === '>' || c?.op === '>=';
  const upper = (c: { op: Op } | undefined): boolean => c?.op === '<' || c?.op === '<=';
  const first = rest[0];
  const last = rest.at(-1);
  if (first !== undefined && upper(first) && holds(first)) return { kind: 'in' };
  if (last !== undefined && lower(last) && holds(last)) return { kind: 'in' };
  for (let i = 0; i + 1 < rest.length; i++) {
    const a = rest[i] as { op: Op; v: string };
    const b = rest[i + 1] as { op: Op; v: string };
    if (lower(a) && upper(b) && holds(a) && holds(b)) return { kind: 'in' };
  }
  return { kind: 'out' };
}
