import { PackageURL } from 'packageurl-js';
import { z } from 'zod';
import type { ParsedComponent, ParsedSbom } from '../core/evidence/sbom.js';
import { failAtPath, parseJsonAs } from './json-file.js';

/** CycloneDX component types that are software (SOUP candidates). */
const SOFTWARE_TYPES = new Set(['application', 'framework', 'library', 'container', 'platform', 'operating-system', 'device-driver', 'firmware']);

const Licenses = z.array(z.looseObject({ license: z.looseObject({ id: z.string().optional(), name: z.string().optional() }).optional(), expression: z.string().optional() })).optional();
interface CdxComponent {
  type: string;
  name: string;
  version?: string | undefined;
  group?: string | undefined;
  purl?: string | undefined;
  'bom-ref'?: string | undefined;
  supplier?: { name?: string | undefined } | undefined;
  publisher?: string | undefined;
  author?: string | undefined;
  licenses?: z.infer<typeof Licenses>;
  scope?: string | undefined;
  components?: CdxComponent[] | undefined;
}
const CdxComponentSchema: z.ZodType<CdxComponent> = z.lazy(() =>
  z.looseObject({
    type: z.string(),
    name: z.string().min(1),
    version: z.string().optional(),
    group: z.string().optional(),
    purl: z.string().optional(),
    'bom-ref': z.string().optional(),
    supplier: z.looseObject({ name: z.string().optional() }).optional(),
    publisher: z.string().optional(),
    author: z.string().optional(),
    licenses: Licenses,
    scope: z.string().optional(),
    components: z.array(CdxComponentSchema).optional(),
  }),
);
const CycloneDxSchema = z.looseObject({
  bomFormat: z.literal('CycloneDX'),
  specVersion: z.enum(['1.4', '1.5', '1.6'], { message: 'CycloneDX specVersion must be 1.4, 1.5 or 1.6' }),
  metadata: z.looseObject({ component: z.looseObject({ 'bom-ref': z.string().optional() }).optional() }).optional(),
  components: z.array(CdxComponentSchema).default([]),
  dependencies: z.array(z.looseObject({ ref: z.string(), dependsOn: z.array(z.string()).optional() })).optional(),
});

const SpdxSchema = z.looseObject({
  spdxVersion: z.literal('SPDX-2.3', { message: 'only SPDX 2.3 JSON is supported' }),
  documentDescribes: z.array(z.string()).optional(),
  packages: z
    .array(
      z.looseObject({
        SPDXID: z.string().min(1),
        name: z.string().min(1),
        versionInfo: z.string().optional(),
        supplier: z.string().optional(),
        originator: z.string().optional(),
        licenseConcluded: z.string().optional(),
        licenseDeclared: z.string().optional(),
        externalRefs: z.array(z.looseObject({ referenceType: z.string(), referenceLocator: z.string() })).optional(),
      }),
    )
    .default([]),
  relationships: z.array(z.looseObject({ spdxElementId: z.string(), relationshipType: z.string(), relatedSpdxElement: z.string() })).optional(),
});

const LockEntry = z.looseObject({
  version: z.string().optional(),
  name: z.string().optional(),
  license: z.string().optional(),
  dev: z.boolean().optional(),
  devOptional: z.boolean().optional(),
  optional: z.boolean().optional(),
  link: z.boolean().optional(),
  dependencies: z.record(z.string(), z.string()).optional(),
  devDependencies: z.record(z.string(), z.string()).optional(),
  optionalDependencies: z.record(z.string(), z.string()).optional(),
});
const LockfileSchema = z.looseObject({
  lockfileVersion: z.union([z.literal(2), z.literal(3)], { message: 'npm lockfile version must be 2 or 3 (lockfileVersion 1 comes from npm 6: run npm install with npm 7 or later)' }),
  packages: z.record(z.string(), LockEntry),
});

const nullIfNoAssertion = (s: string | undefined): string | null => (s === undefined || s === '' || s === 'NOASSERTION' || s === 'NONE' ? null : s);

function ecosystemOf(purl: string | null): string | null {
  if (purl === null) return null;
  try {
    return PackageURL.fromString(purl).type;
  } catch {
    return null;
  }
}

/**
 * Reads a CycloneDX JSON (1.4–1.6), SPDX JSON (2.3) or npm `package-lock.json` (v2/v3) and lists its software
 * components with name, version, purl, supplier, licence and whether each is a direct dependency. Dev-only
 * packages of a lockfile are left out unless `includeDev` (they are tools, not part of the shipped software).
 * @throws AppError INVALID_INPUT naming file, line, column: unknown format or version, missing fields, duplicates
 */
export function parseSbomFile(text: string, file: string, options: { includeDev?: boolean } = {}): ParsedSbom {
  const head = parseJsonAs(text, file, z.looseObject({}));
  if ('bomFormat' in head) return cycloneDx(text, file);
  if ('spdxVersion' in head) return spdx(text, file);
  if ('lockfileVersion' in head) return lockfile(text, file, options.includeDev === true);
  return failAtPath(text, file, [], 'not an SBOM: expected CycloneDX JSON (bomFormat), SPDX JSON (spdxVersion) or an npm package-lock.json (lockfileVersion)');
}

function cycloneDx(text: string, file: string): ParsedSbom {
  const bom = parseJsonAs(text, file, CycloneDxSchema);
  const root = bom.metadata?.component?.['bom-ref'];
  const rootDeps = root === undefined ? undefined : new Set(bom.dependencies?.find((d) => d.ref === root)?.dependsOn ?? []);
  const out: ParsedComponent[] = [];
  const seen = new Map<string, string>();
  const walk = (list: readonly CdxComponent[], path: (string | number)[]): void => {
    list.forEach((c, i) => {
      const at = [...path, i];
      if (c.components !== undefined) walk(c.components, [...at, 'components']);
      if (!SOFTWARE_TYPES.has(c.type)) return;
      if (c.version === undefined || c.version === '') failAtPath(text, file, [...at, 'name'], `component ${c.name} has no version`);
      const ref = c['bom-ref'] ?? c.purl ?? `${c.group ?? ''}/${c.name}@${c.version ?? ''}`;
      const dupKey = c.purl ?? ref;
      const before = seen.get(dupKey);
      if (before !== undefined) failAtPath(text, file, at, `duplicate component ${dupKey} (also at ${before})`);
      seen.set(dupKey, at.join('.'));
      const purl = c.purl ?? null;
      const licence = (c.licenses ?? []).map((l) => l.expression ?? l.license?.id ?? l.license?.name).filter((x): x is string => x !== undefined).join(' AND ');
      out.push({
        name: c.group === undefined || c.group === '' ? c.name : ecosystemOf(purl) === 'npm' ? `${c.group}/${c.name}` : `${c.group}:${c.name}`,
        version: c.version ?? '',
        purl,
        ecosystem: ecosystemOf(purl),
        supplier: c.supplier?.name ?? c.publisher ?? c.author ?? null,
        licence: licence === '' ? null : licence,
        direct: rootDeps === undefined ? true : rootDeps.has(ref),
        ref,
      });
    });
  };
  walk(bom.components, ['components']);
  return { format: 'cyclonedx', specVersion: bom.specVersion, components: out };
}

function spdx(text: string, file: string): ParsedSbom {
  const doc = parseJsonAs(text, file, SpdxSchema);
  const rels = doc.relationships ?? [];
  const roots = new Set([
    ...(doc.documentDescribes ?? []),
    ...rels.filter((r) => r.spdxElementId === 'SPDXRef-DOCUMENT' && r.relationshipType === 'DESCRIBES').map((r) => r.relatedSpdxElement),
  ]);
  const direct = new Set([
    ...rels.filter((r) => roots.has(r.spdxElementId) && ['DEPENDS_ON', 'CONTAINS', 'STATIC_LINK', 'DYNAMIC_LINK'].includes(r.relationshipType)).map((r) => r.relatedSpdxElement),
    ...rels.filter((r) => roots.has(r.relatedSpdxElement) && ['DEPENDENCY_OF', 'CONTAINED_BY'].includes(r.relationshipType)).map((r) => r.spdxElementId),
  ]);
  const hasGraph = direct.size > 0;
  const out: ParsedComponent[] = [];
  const seen = new Map<string, number>();
  doc.packages.forEach((p, i) => {
    if (roots.has(p.SPDXID)) return;
    const before = seen.get(p.SPDXID);
    if (before !== undefined) failAtPath(text, file, ['packages', i, 'SPDXID'], `duplicate package ${p.SPDXID} (also at packages[${before}])`);
    seen.set(p.SPDXID, i);
    if (p.versionInfo === undefined || p.versionInfo === '') failAtPath(text, file, ['packages', i, 'name'], `package ${p.name} has no versionInfo`);
    const purl = p.externalRefs?.find((r) => r.referenceType === 'purl')?.referenceLocator ?? null;
    const supplier = nullIfNoAssertion(p.supplier ?? p.originator)?.replace(/^(Organization|Person|Tool):\s*/, '') ?? null;
    out.push({
      name: p.name,
      version: p.versionInfo ?? '',
      purl,
      ecosystem: ecosystemOf(purl),
      supplier,
      licence: nullIfNoAssertion(p.licenseConcluded) ?? nullIfNoAssertion(p.licenseDeclared),
      direct: hasGraph ? direct.has(p.SPDXID) : true,
      ref: p.SPDXID,
    });
  });
  return { format: 'spdx', specVersion: doc.spdxVersion, components: out };
}

function lockfile(text: string, file: string, includeDev: boolean): ParsedSbom {
  const lock = parseJsonAs(text, file, LockfileSchema);
  const root = lock.packages[''] ?? {};
  const directNames = new Set([
    ...Object.keys(root.dependencies ?? {}),
    ...Object.keys(root.optionalDependencies ?? {}),
    ...(includeDev ? Object.keys(root.devDependencies ?? {}) : []),
  ]);
  const byId = new Map<string, ParsedComponent>();
  for (const [path, entry] of Object.entries(lock.packages)) {
    if (path === '' || entry.link === true || !path.includes('node_modules/')) continue;
    if (!includeDev && (entry.dev === true || entry.devOptional === true)) continue;
    const name = entry.name ?? path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length);
    if (entry.version === undefined) failAtPath(text, file, ['packages', path], `package ${name} has no version`);
    const version = entry.version ?? '';
    const slash = name.startsWith('@') ? name.indexOf('/') : -1;
    const purl = new PackageURL('npm', slash > 0 ? name.slice(0, slash) : undefined, slash > 0 ? name.slice(slash + 1) : name, version).toString();
    const topLevel = path === `node_modules/${name}`;
    const prev = byId.get(purl);
    // npm nests the same version in several places; one component, direct if any copy is.
    byId.set(purl, {
      name,
      version,
      purl,
      ecosystem: 'npm',
      supplier: null,
      licence: entry.license ?? null,
      direct: (prev?.direct ?? false) || (topLevel && directNames.has(name)),
      ref: prev?.ref ?? path,
    });
  }
  return { format: 'npm-lockfile', specVersion: String(lock.lockfileVersion), components: [...byId.values()] };
}
