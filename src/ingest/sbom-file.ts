import { PackageURL } from 'packageurl-js';
import { z } from 'zod';
import { DEFAULT_MAX_SBOM_COMPONENTS, type ParsedComponent, type ParsedSbom } from '../core/evidence/sbom.js';
import { invalidInput } from '../core/errors.js';
import { failAtPath, parseJsonText } from './json-file.js';

/** CycloneDX component types that are software (SOUP candidates). */
const SOFTWARE_TYPES = new Set(['application', 'framework', 'library', 'container', 'platform', 'operating-system', 'device-driver', 'firmware']);

/** CycloneDX versions with a JSON format (1.0 and 1.1 were XML only). */
const CYCLONEDX_VERSIONS = ['1.2', '1.3', '1.4', '1.5', '1.6', '1.7'] as const;
const SPDX_VERSIONS = ['SPDX-2.2', 'SPDX-2.3'] as const;

const str = z.string().nullish();
const Licenses = z.array(z.looseObject({ license: z.looseObject({ id: str, name: str }).nullish(), expression: str })).nullish();
const Properties = z.array(z.looseObject({ name: z.string(), value: str })).nullish();
interface CdxComponent {
  type: string;
  name: string;
  version?: string | null | undefined;
  group?: string | null | undefined;
  purl?: string | null | undefined;
  'bom-ref'?: string | null | undefined;
  supplier?: { name?: string | null | undefined } | null | undefined;
  publisher?: string | null | undefined;
  author?: string | null | undefined;
  licenses?: z.infer<typeof Licenses>;
  properties?: z.infer<typeof Properties>;
  components?: CdxComponent[] | null | undefined;
}
const CdxComponentSchema: z.ZodType<CdxComponent> = z.lazy(() =>
  z.looseObject({
    type: z.string(),
    name: z.string().min(1),
    version: str,
    group: str,
    purl: str,
    'bom-ref': str,
    supplier: z.looseObject({ name: str }).nullish(),
    publisher: str,
    author: str,
    licenses: Licenses,
    properties: Properties,
    components: z.array(CdxComponentSchema).nullish(),
  }),
);
const CycloneDxSchema = z.looseObject({
  bomFormat: z.literal('CycloneDX'),
  specVersion: z.enum(CYCLONEDX_VERSIONS, { message: 'CycloneDX specVersion must be 1.2 to 1.7 (1.0 and 1.1 have no JSON format)' }),
  serialNumber: str,
  version: z.number().int().nullish(),
  metadata: z.looseObject({ component: z.looseObject({ 'bom-ref': str }).nullish() }).nullish(),
  components: z.array(CdxComponentSchema).nullish(),
  dependencies: z.array(z.looseObject({ ref: z.string(), dependsOn: z.array(z.string()).nullish() })).nullish(),
});

const SpdxSchema = z.looseObject({
  spdxVersion: z.enum(SPDX_VERSIONS),
  documentDescribes: z.array(z.string()).nullish(),
  packages: z
    .array(
      z.looseObject({
        SPDXID: z.string().min(1),
        name: z.string().min(1),
        versionInfo: str,
        supplier: str,
        originator: str,
        licenseConcluded: str,
        licenseDeclared: str,
        externalRefs: z.array(z.looseObject({ referenceType: z.string(), referenceLocator: z.string() })).nullish(),
      }),
    )
    .nullish(),
  relationships: z.array(z.looseObject({ spdxElementId: z.string(), relationshipType: z.string(), relatedSpdxElement: z.string() })).nullish(),
});

const LockEntry = z.looseObject({
  version: str,
  name: str,
  license: str,
  dev: z.boolean().nullish(),
  devOptional: z.boolean().nullish(),
  optional: z.boolean().nullish(),
  link: z.boolean().nullish(),
  dependencies: z.record(z.string(), z.string()).nullish(),
  devDependencies: z.record(z.string(), z.string()).nullish(),
  optionalDependencies: z.record(z.string(), z.string()).nullish(),
});
const LockfileSchema = z.looseObject({
  lockfileVersion: z.union([z.literal(2), z.literal(3)], { message: 'npm lockfile version must be 2 or 3 (lockfileVersion 1 comes from npm 6: run npm install with npm 7 or later)' }),
  packages: z.record(z.string(), LockEntry),
});

const nullIfNoAssertion = (s: string | null | undefined): string | null => (s == null || s === '' || s === 'NOASSERTION' || s === 'NONE' ? null : s);
const nonEmpty = (s: string | null | undefined): string | null => (s == null || s.trim() === '' ? null : s);

function ecosystemOf(purl: string | null): string | null {
  if (purl === null) return null;
  try {
    return PackageURL.fromString(purl).type;
  } catch {
    return null;
  }
}

/** Options of `parseSbomFile`. */
export interface SbomReadOptions {
  /** Keep development-only packages (lockfile `dev`, CycloneDX `cdx:npm:package:development`): tools, not shipped. */
  readonly includeDev?: boolean;
  /** Refuse an SBOM that lists more components than this (default `DEFAULT_MAX_SBOM_COMPONENTS`). */
  readonly maxComponents?: number;
}

/** Checks already-parsed JSON against a schema; a problem names the file, line, column and path. */
function check<S extends z.ZodType>(raw: unknown, text: string, file: string, schema: S): z.infer<S> {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  failAtPath(text, file, (issue?.path ?? []).filter((p): p is string | number => typeof p !== 'symbol'), issue?.message ?? 'invalid');
}

/** Components listed (all of them, nested ones too), counted on the raw JSON before anything else is built. */
export function countComponents(raw: Record<string, unknown>): { count: number; path: string } {
  if ('bomFormat' in raw) {
    let n = 0;
    const walk = (xs: unknown): void => {
      if (!Array.isArray(xs)) return;
      for (const c of xs) {
        n++;
        if (typeof c === 'object' && c !== null) walk((c as Record<string, unknown>)['components']);
      }
    };
    walk(raw['components']);
    return { count: n, path: 'components' };
  }
  if ('spdxVersion' in raw) return { count: Array.isArray(raw['packages']) ? raw['packages'].length : 0, path: 'packages' };
  const pkgs = raw['packages'];
  return { count: typeof pkgs === 'object' && pkgs !== null ? Object.keys(pkgs).length : 0, path: 'packages' };
}

/**
 * Counts components in JSON text without building it: the elements of every array under a `components` key, the
 * entries of a top-level `packages` array (SPDX) or object (npm lockfile). Used on large files, so one far over the
 * limit is refused before `JSON.parse` builds millions of objects. Malformed text gives some count; parsing then
 * reports the real problem.
 */
export function countComponentsInText(text: string): number {
  // `counting`: an array whose elements are components (root.components, and a component's components);
  // `holder`: an object whose `components` array counts (the root, and each component).
  const stack: { array: boolean; key: string | null; holder: boolean; counting: boolean }[] = [];
  let key: string | null = null;
  let count = 0;
  const isSpace = (c: number): boolean => c === 32 || c === 10 || c === 13 || c === 9;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    const top = stack.at(-1);
    if (ch === 34 /* " */) {
      let j = i + 1;
      while (j < text.length && text.charCodeAt(j) !== 34) j += text.charCodeAt(j) === 92 /* \\ */ ? 2 : 1;
      let k = j + 1;
      while (k < text.length && isSpace(text.charCodeAt(k))) k++;
      if (top !== undefined && !top.array && text.charCodeAt(k) === 58 /* : */) {
        // A key; an npm lockfile's packages are the keys of its top-level `packages` object.
        key = text.slice(i + 1, Math.min(j, i + 41));
        if (stack.length === 2 && top.key === 'packages') count++;
      } else if (top?.counting === true) count++;
      i = j;
    } else if (ch === 123 /* { */ || ch === 91 /* [ */) {
      if (top?.counting === true) count++;
      const ownKey = top === undefined || top.array ? null : key;
      const array = ch === 91;
      const counting = array && ((ownKey === 'components' && top?.holder === true) || (ownKey === 'packages' && stack.length === 1));
      stack.push({ array, key: ownKey, holder: !array && (top === undefined || top.counting), counting });
      key = null;
    } else if (ch === 125 /* } */ || ch === 93 /* ] */) {
      stack.pop();
    } else if (!isSpace(ch) && ch !== 44 && ch !== 58) {
      // A number, true, false or null: an element of a counted array too.
      if (top?.counting === true) count++;
      while (i + 1 < text.length && !',]}'.includes(text[i + 1] as string)) i++;
    }
  }
  return count;
}

/** Above this many characters, components are counted in the text before it is parsed. */
const PRE_COUNT_CHARS = 4_000_000;

/**
 * Reads a CycloneDX JSON (1.2–1.7), SPDX JSON (2.2, 2.3) or npm `package-lock.json` (v2/v3) and lists its software
 * components with name, version, purl, supplier, licence and whether each is a direct dependency. A component
 * listed twice (same purl) is one component; one without a version is kept with a null version. Development-only
 * packages are left out unless `includeDev` (they are tools, not part of the shipped software). Refused with a clear
 * message: XML and SPDX tag-value files, SPDX 3.0, CycloneDX 1.0/1.1, npm lockfile v1, UTF-16/32 text that reached
 * here undecoded, and more components than `maxComponents`. A UTF-8 byte order mark is ignored.
 * @throws AppError INVALID_INPUT naming file, line, column: unknown format or version, missing fields, too many components
 */
export function parseSbomFile(input: string, file: string, options: SbomReadOptions = {}): ParsedSbom {
  const text = input.startsWith('\uFEFF') ? input.slice(1) : input;
  // Not JSON at all: said plainly, without a line and column that would point into text of another format.
  const refuse = (message: string): never => {
    throw invalidInput(`${file}: ${message}`, { file });
  };
  if (text.slice(0, 4).includes('\u0000')) refuse('the file is UTF-16 or UTF-32 text read as UTF-8: save it as UTF-8');
  const start = text.trimStart();
  if (start.startsWith('<')) refuse('XML SBOMs are not read: export the CycloneDX or SPDX document as JSON');
  if (/^SPDXVersion:/m.test(start.slice(0, 2000)) && !start.startsWith('{')) refuse('SPDX tag-value files are not read: export the SPDX 2.2 or 2.3 document as JSON');
  const max = options.maxComponents ?? DEFAULT_MAX_SBOM_COMPONENTS;
  const tooMany = (count: number, path: string): never => refuse(`${path}: ${count} components, more than the limit of ${max} per SBOM (raise it with --max-components)`);
  if (text.length > PRE_COUNT_CHARS) {
    const count = countComponentsInText(text);
    if (count > max) tooMany(count, start.includes('"lockfileVersion"') || start.includes('"spdxVersion"') ? 'packages' : 'components');
  }
  const raw = parseJsonText(text, file);
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) failAtPath(text, file, [], 'not an SBOM: expected CycloneDX JSON (bomFormat), SPDX JSON (spdxVersion) or an npm package-lock.json (lockfileVersion)');
  const head = raw as Record<string, unknown>;
  if ('@context' in head || '@graph' in head) failAtPath(text, file, [], 'SPDX 3.0 (JSON-LD) is not supported: export the SBOM as SPDX 2.3 or 2.2 JSON');
  if ('spdxVersion' in head && !SPDX_VERSIONS.includes(head['spdxVersion'] as (typeof SPDX_VERSIONS)[number])) {
    failAtPath(text, file, ['spdxVersion'], `${String(head['spdxVersion'])} is not supported: only SPDX 2.2 and 2.3 JSON are read`);
  }
  if (!('bomFormat' in head) && !('spdxVersion' in head) && !('lockfileVersion' in head)) {
    failAtPath(text, file, [], 'not an SBOM: expected CycloneDX JSON (bomFormat), SPDX JSON (spdxVersion) or an npm package-lock.json (lockfileVersion)');
  }
  // Counted before the document is checked and copied: a huge SBOM is refused before it costs memory and storage.
  // No line and column: locating them would parse the huge text a second time into a tree.
  const { count, path } = countComponents(head);
  if (count > max) tooMany(count, path);
  const includeDev = options.includeDev === true;
  if ('bomFormat' in head) return cycloneDx(check(head, text, file, CycloneDxSchema), includeDev);
  if ('spdxVersion' in head) return spdx(check(head, text, file, SpdxSchema), text, file);
  return lockfile(check(head, text, file, LockfileSchema), includeDev);
}

/** Components keyed by purl (else name and version): a second listing merges into the first. */
class ComponentSet {
  private readonly byKey = new Map<string, { c: ParsedComponent; refs: string[] }>();

  add(c: ParsedComponent, key: string): void {
    const prev = this.byKey.get(key);
    if (prev === undefined) {
      this.byKey.set(key, { c, refs: [c.ref] });
      return;
    }
    if (!prev.refs.includes(c.ref)) prev.refs.push(c.ref);
    prev.c = { ...prev.c, direct: prev.c.direct || c.direct, supplier: prev.c.supplier ?? c.supplier, licence: prev.c.licence ?? c.licence };
  }

  list(): ParsedComponent[] {
    return [...this.byKey.values()].map(({ c, refs }) => (refs.length > 1 ? { ...c, refs } : c));
  }
}

const componentKey = (purl: string | null, name: string, version: string | null): string => purl ?? `name:${name}@${version ?? ''}`;

function cycloneDx(bom: z.infer<typeof CycloneDxSchema>, includeDev: boolean): ParsedSbom {
  const root = bom.metadata?.component?.['bom-ref'] ?? undefined;
  const deps = bom.dependencies ?? [];
  const rootEntry = root === undefined ? undefined : deps.find((d) => d.ref === root);
  // Direct: what the product's own entry depends on. Without that entry (tools often omit it), the components
  // nothing else depends on are the top of the graph; without any graph, every component counts as direct.
  const dependedOn = new Set(deps.filter((d) => d.ref !== root).flatMap((d) => (d.dependsOn ?? []).filter((x) => x !== d.ref)));
  const isDirect = (refs: readonly string[]): boolean =>
    rootEntry !== undefined ? refs.some((r) => (rootEntry.dependsOn ?? []).includes(r)) : deps.length === 0 || !refs.some((r) => dependedOn.has(r));
  const set = new ComponentSet();
  const walk = (list: readonly CdxComponent[]): void => {
    for (const c of list) {
      if (c.components != null) walk(c.components);
      if (!SOFTWARE_TYPES.has(c.type)) continue;
      const dev = (c.properties ?? []).some((p) => p.name === 'cdx:npm:package:development' && p.value === 'true');
      if (dev && !includeDev) continue;
      const version = nonEmpty(c.version);
      const purl = nonEmpty(c.purl);
      const group = nonEmpty(c.group);
      const ref = c['bom-ref'] ?? purl ?? `${group ?? ''}/${c.name}@${version ?? ''}`;
      const licence = (c.licenses ?? []).map((l) => l.expression ?? l.license?.id ?? l.license?.name).filter((x): x is string => x != null).join(' AND ');
      // As the ecosystem writes it: Maven `group:artifact`; npm, Go, Composer … `namespace/name`.
      const type = ecosystemOf(purl);
      const name = group === null ? c.name : type === null || type === 'maven' ? `${group}:${c.name}` : `${group}/${c.name}`;
      set.add(
        {
          name,
          version,
          purl,
          ecosystem: type,
          supplier: c.supplier?.name ?? c.publisher ?? c.author ?? null,
          licence: licence === '' ? null : licence,
          direct: isDirect([ref]),
          ref,
        },
        componentKey(purl, name, version),
      );
    }
  };
  walk(bom.components ?? []);
  return {
    format: 'cyclonedx',
    specVersion: bom.specVersion,
    components: set.list(),
    ...(bom.serialNumber == null ? {} : { serialNumber: bom.serialNumber }),
    ...(bom.version == null ? {} : { bomVersion: bom.version }),
  };
}

function spdx(doc: z.infer<typeof SpdxSchema>, text: string, file: string): ParsedSbom {
  const rels = doc.relationships ?? [];
  const roots = new Set([
    ...(doc.documentDescribes ?? []),
    ...rels.filter((r) => r.spdxElementId === 'SPDXRef-DOCUMENT' && r.relationshipType === 'DESCRIBES').map((r) => r.relatedSpdxElement),
    ...rels.filter((r) => r.relatedSpdxElement === 'SPDXRef-DOCUMENT' && r.relationshipType === 'DESCRIBED_BY').map((r) => r.spdxElementId),
  ]);
  const direct = new Set([
    ...rels.filter((r) => roots.has(r.spdxElementId) && ['DEPENDS_ON', 'CONTAINS', 'STATIC_LINK', 'DYNAMIC_LINK'].includes(r.relationshipType)).map((r) => r.relatedSpdxElement),
    ...rels.filter((r) => roots.has(r.relatedSpdxElement) && ['DEPENDENCY_OF', 'CONTAINED_BY'].includes(r.relationshipType)).map((r) => r.spdxElementId),
  ]);
  const hasGraph = direct.size > 0;
  const set = new ComponentSet();
  const seen = new Map<string, number>();
  (doc.packages ?? []).forEach((p, i) => {
    if (roots.has(p.SPDXID)) return;
    // SPDXIDs are unique within a document by definition: a repeat is a broken document, not a repeated listing.
    const before = seen.get(p.SPDXID);
    if (before !== undefined) failAtPath(text, file, ['packages', i, 'SPDXID'], `duplicate package ${p.SPDXID} (also at packages[${before}])`);
    seen.set(p.SPDXID, i);
    const purl = p.externalRefs?.find((r) => r.referenceType === 'purl')?.referenceLocator ?? null;
    const supplier = nullIfNoAssertion(p.supplier ?? p.originator)?.replace(/^(Organization|Person|Tool):\s*/, '') ?? null;
    const version = nullIfNoAssertion(p.versionInfo);
    set.add(
      {
        name: p.name,
        version,
        purl,
        ecosystem: ecosystemOf(purl),
        supplier,
        licence: nullIfNoAssertion(p.licenseConcluded) ?? nullIfNoAssertion(p.licenseDeclared),
        direct: hasGraph ? direct.has(p.SPDXID) : true,
        ref: p.SPDXID,
      },
      componentKey(purl, p.name, version),
    );
  });
  return { format: 'spdx', specVersion: doc.spdxVersion, components: set.list() };
}

function lockfile(lock: z.infer<typeof LockfileSchema>, includeDev: boolean): ParsedSbom {
  const root = lock.packages[''] ?? {};
  const directNames = new Set([
    ...Object.keys(root.dependencies ?? {}),
    ...Object.keys(root.optionalDependencies ?? {}),
    ...(includeDev ? Object.keys(root.devDependencies ?? {}) : []),
  ]);
  const set = new ComponentSet();
  for (const [path, entry] of Object.entries(lock.packages)) {
    if (path === '' || entry.link === true || !path.includes('node_modules/')) continue;
    // `dev`: only the dev tree needs it. `devOptional` (an optional dependency of the shipped tree that the dev
    // tree also needs) is installed by a production install, so it is shipped.
    if (!includeDev && entry.dev === true) continue;
    const name = entry.name ?? path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length);
    const version = nonEmpty(entry.version);
    const slash = name.startsWith('@') ? name.indexOf('/') : -1;
    const purl = new PackageURL('npm', slash > 0 ? name.slice(0, slash) : undefined, slash > 0 ? name.slice(slash + 1) : name, version ?? undefined).toString();
    // npm nests the same version in several places: one component, direct if any copy is.
    set.add(
      { name, version, purl, ecosystem: 'npm', supplier: null, licence: entry.license ?? null, direct: path === `node_modules/${name}` && directNames.has(name), ref: path },
      purl,
    );
  }
  return { format: 'npm-lockfile', specVersion: String(lock.lockfileVersion), components: set.list() };
}
