/**
 * The rules of installation qualification, as pure comparisons of what was expected with what was found: files
 * against the hashes written at build, installed packages against the lockfile, versions against what is
 * supported, file modes against what keeps a store private. The adapter (`src/validation/iq.ts`) gathers the facts.
 */

/** Where the build writes the hashes of the files it installs, below the package root. */
export const INSTALL_MANIFEST = 'dist/install-manifest.json';

/** The package folders whose files the manifest covers (every one that `package.json` ships), and files at the root. */
export const MANIFEST_FOLDERS: readonly string[] = ['dist', 'packs', 'templates', 'demo', 'validation'];
export const MANIFEST_FILES: readonly string[] = ['package.json', 'package-lock.json'];

/** The install manifest: each shipped file's SHA-256 by its `/`-separated path below the package root. */
export interface InstallManifest {
  readonly format: 1;
  readonly version: string;
  readonly files: Readonly<Record<string, string>>;
}

/** Differences between the manifest and the files found, one sentence each (a few of each kind, then a count). */
export function manifestProblems(expected: InstallManifest, found: ReadonlyMap<string, string>): string[] {
  const missing: string[] = [];
  const changed: string[] = [];
  for (const [path, hash] of Object.entries(expected.files)) {
    const got = found.get(path);
    if (got === undefined) missing.push(path);
    else if (got !== hash) changed.push(path);
  }
  const extra = [...found.keys()].filter((p) => expected.files[p] === undefined);
  return [...listed('changed since the build', changed), ...listed('missing', missing), ...listed('not part of the build', extra)];
}

function listed(what: string, paths: readonly string[]): string[] {
  if (paths.length === 0) return [];
  const shown = [...paths].sort().slice(0, 5).join(', ');
  return [`${paths.length} file(s) ${what}: ${shown}${paths.length > 5 ? ', …' : ''}`];
}

/** One package entry of an npm lockfile (v2/v3 `packages`), as far as the check reads it. */
export interface LockEntry {
  readonly version?: string;
  readonly integrity?: string;
  readonly dev?: boolean;
  readonly optional?: boolean;
  readonly devOptional?: boolean;
  readonly link?: boolean;
}

/** What is installed at one lockfile path: its version, and the integrity npm recorded when it installed it. */
export interface InstalledPackage {
  readonly version: string | null;
  /** From `node_modules/.package-lock.json` (npm's record of what it installed); null when it has none. */
  readonly integrity: string | null;
}

/**
 * Installed packages against the lockfile: every package the lockfile requires at run time is installed, at the
 * locked version, and npm installed it from a tarball with the locked integrity hash. Development and optional
 * packages may be absent (an install without them), but where present they must match too.
 * @param installed - by lockfile path (`node_modules/kysely`); absent: not installed
 */
export function lockfileProblems(lock: Readonly<Record<string, LockEntry>>, installed: ReadonlyMap<string, InstalledPackage>): { checked: number; problems: string[] } {
  const problems: string[] = [];
  let checked = 0;
  for (const [path, entry] of Object.entries(lock)) {
    if (path === '' || entry.link === true || entry.version === undefined) continue;
    const got = installed.get(path);
    if (got === undefined) {
      if (entry.dev !== true && entry.optional !== true && entry.devOptional !== true) problems.push(`${path}: not installed (the lockfile requires ${entry.version})`);
      continue;
    }
    checked += 1;
    if (got.version !== entry.version) problems.push(`${path}: version ${got.version ?? 'unknown'} installed, the lockfile says ${entry.version}`);
    else if (entry.integrity !== undefined && got.integrity !== entry.integrity) {
      problems.push(`${path}: ${got.integrity === null ? 'npm has no record of installing it from the locked tarball' : 'installed from a tarball whose hash differs from the lockfile'}`);
    }
  }
  return { checked, problems };
}

/** `a.b.c` ≥ `x.y.z`, numerically (pre-release tags ignored). */
export function versionAtLeast(version: string, minimum: string): boolean {
  const parts = (v: string): number[] => v.replace(/^v/, '').split(/[.-]/).slice(0, 3).map((p) => Number.parseInt(p, 10) || 0);
  const a = parts(version);
  const b = parts(minimum);
  for (let i = 0; i < 3; i += 1) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) > (b[i] ?? 0);
  return true;
}

/**
 * What a store file's (or its folder's) mode lets others do that they should not: a store is private to the
 * account that runs Dossier. Others must have no access to the file at all; the group may read but not write; the
 * folder must not let others or the group replace the file (unless sticky, as `/tmp` is).
 */
export function modeProblems(path: string, mode: number, isFolder: boolean): string[] {
  const octal = (mode & 0o777).toString(8).padStart(3, '0');
  if (isFolder) return (mode & 0o022) !== 0 && (mode & 0o1000) === 0 ? [`${path}: folder mode ${octal} lets others replace the store (remove group and other write: chmod go-w)`] : [];
  const problems: string[] = [];
  if ((mode & 0o007) !== 0) problems.push(`${path}: mode ${octal} gives other users access to the store (chmod o-rwx)`);
  if ((mode & 0o020) !== 0) problems.push(`${path}: mode ${octal} lets the group write the store (chmod g-w)`);
  return problems;
}
