import { PackageURL } from 'packageurl-js';

/**
 * The one table from OSV ecosystem names to purl types (and, for Linux distributions, the purl namespace), so an
 * advisory that names `{ ecosystem, name }` without a purl still finds the SBOM component it is about. OSV
 * ecosystems may carry a release after a colon (`Debian:12`, `Alpine:v3.20`): the release is kept apart.
 */
const OSV_ECOSYSTEMS: Readonly<Record<string, { readonly type: string; readonly namespace?: string }>> = {
  npm: { type: 'npm' },
  pypi: { type: 'pypi' },
  go: { type: 'golang' },
  'crates.io': { type: 'cargo' },
  rubygems: { type: 'gem' },
  maven: { type: 'maven' },
  packagist: { type: 'composer' },
  nuget: { type: 'nuget' },
  hex: { type: 'hex' },
  pub: { type: 'pub' },
  cran: { type: 'cran' },
  hackage: { type: 'hackage' },
  swifturl: { type: 'swift' },
  alpine: { type: 'apk', namespace: 'alpine' },
  wolfi: { type: 'apk', namespace: 'wolfi' },
  chainguard: { type: 'apk', namespace: 'chainguard' },
  debian: { type: 'deb', namespace: 'debian' },
  ubuntu: { type: 'deb', namespace: 'ubuntu' },
  'red hat': { type: 'rpm', namespace: 'redhat' },
  'rocky linux': { type: 'rpm', namespace: 'rocky-linux' },
  almalinux: { type: 'rpm', namespace: 'almalinux' },
  suse: { type: 'rpm', namespace: 'suse' },
  opensuse: { type: 'rpm', namespace: 'opensuse' },
};

/** A package's identity for matching: purl type and the name as the ecosystem compares it. */
export interface PackageIdentity {
  readonly type: string;
  /** Namespace and name joined as the ecosystem writes them (`@babel/core`, `org.slf4j:slf4j-api`, `github.com/a/b`). */
  readonly name: string;
  /** Linux distributions: the release (`12`, `3.20`) when known. */
  readonly release: string | null;
}

/** PEP 503: lowercase, and every run of `-`, `_` and `.` becomes one `-`. */
export function pep503(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

/** Types whose names compare case-insensitively (their registries treat names that way). */
const CASE_INSENSITIVE = new Set(['npm', 'nuget', 'composer', 'hex', 'pub', 'cargo', 'golang', 'apk', 'deb', 'rpm', 'cran']);

function normalise(type: string, name: string): string {
  if (type === 'pypi') return pep503(name);
  return CASE_INSENSITIVE.has(type) ? name.toLowerCase() : name;
}

/** The purl type and namespace an OSV ecosystem stands for, and its release; undefined for ecosystems not in the table. */
export function purlTypeOfOsvEcosystem(
  ecosystem: string,
): { type: string; namespace: string | null; release: string | null } | undefined {
  const colon = ecosystem.indexOf(':');
  const base = (colon < 0 ? ecosystem : ecosystem.slice(0, colon)).trim().toLowerCase();
  const entry = OSV_ECOSYSTEMS[base];
  if (entry === undefined) return undefined;
  const release = colon < 0 ? null : ecosystem.slice(colon + 1).trim().replace(/^v/, '') || null;
  return { type: entry.type, namespace: entry.namespace ?? null, release };
}

/** A package's identity from its purl; undefined when the purl does not parse. */
export function identityOfPurl(purl: string): PackageIdentity | undefined {
  let p: PackageURL;
  try {
    p = PackageURL.fromString(purl);
  } catch {
    return undefined;
  }
  const type = p.type.toLowerCase();
  const distro = typeof p.qualifiers?.['distro'] === 'string' ? p.qualifiers['distro'] : null;
  const ns = p.namespace ?? '';
  // Distributions: the namespace is the vendor, the name alone identifies the package within it.
  if (type === 'deb' || type === 'apk' || type === 'rpm') return { type, name: normalise(type, `${ns.toLowerCase()}/${p.name}`), release: distro };
  const joined = ns === '' ? p.name : type === 'maven' ? `${ns}:${p.name}` : `${ns}/${p.name}`;
  return { type, name: normalise(type, joined), release: null };
}

/** A package's identity from an OSV `package` (ecosystem and name); undefined for ecosystems not in the table. */
export function identityOfOsvPackage(ecosystem: string, name: string): PackageIdentity | undefined {
  const e = purlTypeOfOsvEcosystem(ecosystem);
  if (e === undefined) return undefined;
  const full = e.namespace === null ? name : `${e.namespace}/${name}`;
  return { type: e.type, name: normalise(e.type, full), release: e.release };
}

/** A package's identity from a name and a purl type (a SOUP record without a purl); maven names are `group:artifact`. */
export function identityOfName(type: string, name: string): PackageIdentity {
  const t = type.toLowerCase();
  return { type: t, name: normalise(t, name), release: null };
}

/**
 * Whether two identities name the same package. Distribution releases must agree when both are known as numbers (a
 * Debian 11 advisory is not about Debian 12); `debian-12` and `12`, `alpine-3.20` and `3.20` agree.
 */
export function sameIdentity(a: PackageIdentity, b: PackageIdentity): boolean {
  if (a.type !== b.type || a.name !== b.name) return false;
  if (a.release === null || b.release === null) return true;
  const tail = (r: string): string => r.toLowerCase().replace(/^[a-z-]*?-(?=\d)/, '').replace(/^v/, '');
  const x = tail(a.release);
  const y = tail(b.release);
  // Code names (`bookworm`) cannot be compared with numbers here: keep the match rather than miss an advisory.
  return x === y || !/^\d/.test(x) || !/^\d/.test(y);
}
