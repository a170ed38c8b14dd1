/** One software component as an SBOM or lockfile lists it. */
export interface ParsedComponent {
  /** As the ecosystem names it: `react-native`, `@babel/core`, `ca.uhn.hapi.fhir:hapi-fhir-client`. */
  readonly name: string;
  /** Null when the SBOM gives none (optional in CycloneDX and SPDX): kept, and flagged for the SOUP review. */
  readonly version: string | null;
  readonly purl: string | null;
  /** purl type (npm, maven, pypi, generic …) or null. */
  readonly ecosystem: string | null;
  readonly supplier: string | null;
  readonly licence: string | null;
  /** A direct dependency of the product (not only pulled in by another component). */
  readonly direct: boolean;
  /** The SBOM's own reference (CycloneDX bom-ref, SPDXID, lockfile path). */
  readonly ref: string;
  /** Every reference it was listed under, `ref` first, when the SBOM listed it more than once. */
  readonly refs?: readonly string[] | undefined;
}

export interface ParsedSbom {
  readonly format: 'cyclonedx' | 'spdx' | 'npm-lockfile';
  readonly specVersion: string;
  readonly components: readonly ParsedComponent[];
  /** CycloneDX: the BOM's serial number (`urn:uuid:…`) and version, which BOM-Links in VEX documents point at. */
  readonly serialNumber?: string | undefined;
  readonly bomVersion?: number | undefined;
}

/** Components per SBOM accepted by default; past it the file is refused (`--max-components` raises it). */
export const DEFAULT_MAX_SBOM_COMPONENTS = 50_000;

/** A purl without its version, qualifiers and subpath: the identity of a component across versions. */
export function purlBase(purl: string): string {
  const noSub = purl.split('#')[0] ?? purl;
  const noQual = noSub.split('?')[0] ?? noSub;
  const at = noQual.lastIndexOf('@');
  // An '@' before the last '/' is an npm scope (percent-encoded in canonical purls, but not always in the wild).
  return at > noQual.lastIndexOf('/') ? noQual.slice(0, at) : noQual;
}

/** A component's identity across versions: its purl base, or `name:<name>` when it has no purl. */
export function componentIdentity(c: Pick<ParsedComponent, 'purl' | 'name'>): string {
  return c.purl === null ? `name:${c.name}` : purlBase(c.purl);
}
