import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isAppError } from '../core/errors.js';
import { countComponents, countComponentsInText, parseSbomFile } from './sbom-file.js';
import { decodeJsonBytes } from './text-file.js';

const fixture = (p: string): string => readFileSync(`test/fixtures/${p}`, 'utf8');

function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(isAppError(e, 'INVALID_INPUT'), String(e)).toBe(true);
    return (e as Error).message;
  }
  throw new Error('expected an error');
}

const row = (c: { name: string; version: string | null; direct: boolean }): string => `${c.name} ${c.version ?? '-'} ${c.direct ? 'direct' : 'transitive'}`;

describe('SBOM components listed twice or without a version', () => {
  it('CycloneDX from cyclonedx-npm: the deduped package listed twice (same purl) is one component with both bom-refs', () => {
    const s = parseSbomFile(fixture('sbom/cyclonedx-npm-1.6.json'), 'bom.json');
    expect(s.components.map(row)).toEqual(['express 4.19.2 direct', 'debug 2.6.9 transitive', 'body-parser 1.20.2 transitive']);
    expect(s.components.find((c) => c.name === 'debug')).toMatchObject({ licence: 'MIT', ref: 'express@4.19.2|debug@2.6.9', refs: ['express@4.19.2|debug@2.6.9', 'body-parser@1.20.2|debug@2.6.9'] });
    expect(s).toMatchObject({ serialNumber: 'urn:uuid:5f0e2c8a-1b3d-4e6f-9a0b-7c8d9e0f1a2b', bomVersion: 1 });
  });

  it('CycloneDX: cdx:npm:package:development marks a development-only package, left out unless asked for', () => {
    const s = parseSbomFile(fixture('sbom/cyclonedx-npm-1.6.json'), 'bom.json', { includeDev: true });
    expect(s.components.map((c) => c.name)).toContain('@types/node');
    expect(s.components.find((c) => c.name === '@types/node')).toMatchObject({ direct: true, purl: 'pkg:npm/%40types/node@20.19.43' });
  });

  it('CycloneDX: without a dependency entry for metadata.component, direct are the components nothing else depends on; a missing version is kept as null', () => {
    const s = parseSbomFile(fixture('sbom/cyclonedx-1.4-no-root-entry.json'), 'syft.json');
    expect(s.components.map(row)).toEqual(['requests 2.31.0 direct', 'urllib3 2.2.1 transitive', 'vendored-crc - direct', 'alpine - direct']);
  });

  it('SPDX 2.2: two packages with the same purl are one; NOASSERTION as the version is no version', () => {
    const s = parseSbomFile(fixture('sbom/spdx-2.2.json'), 'trivy.spdx.json');
    expect(s.specVersion).toBe('SPDX-2.2');
    expect(s.components.map(row)).toEqual(['com.fasterxml.jackson.core:jackson-databind 2.17.0 direct', 'vitallink-crypto-shim - direct']);
    expect(s.components[0]).toMatchObject({ supplier: 'FasterXML', licence: 'Apache-2.0', refs: ['SPDXRef-Package-jackson-1', 'SPDXRef-Package-jackson-2'] });
  });

  it('npm lockfile: devOptional packages are installed by a production install, dev ones are not', () => {
    const s = parseSbomFile(fixture('sbom/package-lock-devoptional.json'), 'package-lock.json');
    expect(s.components.map(row)).toEqual(['chokidar 3.6.0 direct', 'anymatch 3.1.3 transitive', 'fsevents 2.3.3 transitive']);
  });
});

describe('SBOM versions and formats', () => {
  const cdx = (specVersion: string): string => JSON.stringify({ bomFormat: 'CycloneDX', specVersion, version: 1, components: [{ type: 'library', name: 'a', version: '1.0.0', purl: 'pkg:npm/a@1.0.0' }] });

  it('reads CycloneDX 1.2 to 1.7 and SPDX 2.2 and 2.3 JSON', () => {
    for (const v of ['1.2', '1.3', '1.4', '1.5', '1.6', '1.7']) expect(parseSbomFile(cdx(v), 'bom.json').components.map((c) => c.name), v).toEqual(['a']);
    expect(parseSbomFile(fixture('sbom/spdx-2.3.json'), 's.json').specVersion).toBe('SPDX-2.3');
  });

  it('refuses what it does not read, saying which versions it does', () => {
    expect(errorOf(() => parseSbomFile(cdx('1.1'), 'bom.json'))).toMatch(/^bom\.json:1:\d+: specVersion: CycloneDX specVersion must be 1\.2 to 1\.7 \(1\.0 and 1\.1 have no JSON format\)$/);
    expect(errorOf(() => parseSbomFile(cdx('2.0'), 'bom.json'))).toMatch(/specVersion must be 1\.2 to 1\.7/);
    expect(errorOf(() => parseSbomFile(fixture('sbom/spdx-3.0.json'), 'sbom.spdx3.json'))).toBe('sbom.spdx3.json:1:1: SPDX 3.0 (JSON-LD) is not supported: export the SBOM as SPDX 2.3 or 2.2 JSON');
    expect(errorOf(() => parseSbomFile('{"spdxVersion": "SPDX-2.1", "packages": []}', 'old.json'))).toBe('old.json:1:17: spdxVersion: SPDX-2.1 is not supported: only SPDX 2.2 and 2.3 JSON are read');
    expect(errorOf(() => parseSbomFile('<?xml version="1.0"?>\n<bom xmlns="http://cyclonedx.org/schema/bom/1.5"/>', 'bom.xml'))).toBe('bom.xml: XML SBOMs are not read: export the CycloneDX or SPDX document as JSON');
    expect(errorOf(() => parseSbomFile('SPDXVersion: SPDX-2.3\nDataLicense: CC0-1.0\n', 'sbom.spdx'))).toMatch(/SPDX tag-value files are not read/);
  });
});

describe('SBOM text encodings', () => {
  const text = fixture('sbom/cyclonedx-npm-1.6.json');
  const names = (t: string): string[] => parseSbomFile(t, 'bom.json').components.map((c) => c.name);
  const utf16be = (s: string): Buffer => Buffer.from(s, 'utf16le').swap16();

  it('reads UTF-8 with a byte order mark and UTF-16 in either byte order, with or without one', () => {
    const expected = names(text);
    expect(names(`\uFEFF${text}`)).toEqual(expected);
    expect(names(decodeJsonBytes(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]), 'bom.json'))).toEqual(expected);
    expect(names(decodeJsonBytes(Buffer.from(`\uFEFF${text}`, 'utf16le'), 'bom.json'))).toEqual(expected);
    expect(names(decodeJsonBytes(utf16be(`\uFEFF${text}`), 'bom.json'))).toEqual(expected);
    expect(names(decodeJsonBytes(Buffer.from(text, 'utf16le'), 'bom.json'))).toEqual(expected);
    expect(names(decodeJsonBytes(utf16be(text), 'bom.json'))).toEqual(expected);
  });

  it('refuses UTF-32, broken UTF-8, and UTF-16 text that was read as UTF-8, with a clear message', () => {
    const utf32 = Buffer.alloc(8);
    utf32.writeUInt32LE(0x7b, 0);
    utf32.writeUInt32LE(0x7d, 4);
    expect(errorOf(() => decodeJsonBytes(utf32, 'bom.json'))).toBe('bom.json: UTF-32 text is not read: save the file as UTF-8');
    expect(errorOf(() => decodeJsonBytes(Buffer.from([0x7b, 0xc3, 0x28, 0x7d]), 'bom.json'))).toBe('bom.json: not valid UTF-8 text: save the file as UTF-8');
    expect(errorOf(() => parseSbomFile(Buffer.from(text, 'utf16le').toString('utf8'), 'bom.json'))).toBe('bom.json: the file is UTF-16 or UTF-32 text read as UTF-8: save it as UTF-8');
  });
});

describe('SBOM size limit', () => {
  it('refuses an SBOM with more components than the limit before building anything, naming the count and the limit', () => {
    const many = JSON.stringify({ bomFormat: 'CycloneDX', specVersion: '1.6', components: Array.from({ length: 6 }, (_, i) => ({ type: 'library', name: `p${i}`, version: '1.0.0' })) });
    expect(errorOf(() => parseSbomFile(many, 'big.json', { maxComponents: 5 }))).toBe('big.json: components: 6 components, more than the limit of 5 per SBOM (raise it with --max-components)');
    expect(parseSbomFile(many, 'big.json', { maxComponents: 6 }).components).toHaveLength(6);
    expect(errorOf(() => parseSbomFile(fixture('sbom/package-lock-devoptional.json'), 'lock.json', { maxComponents: 3 }))).toMatch(/^lock\.json: packages: 5 components, more than the limit of 3/);
  });
});

describe('counting components in the text of a large file', () => {
  it('counts what the parsed document holds, whatever the strings, nesting and layout', () => {
    for (const f of ['sbom/cyclonedx-npm-1.6.json', 'sbom/cyclonedx-1.5.json', 'sbom/spdx-2.2.json', 'sbom/package-lock-devoptional.json']) {
      const text = fixture(f);
      expect(countComponentsInText(text), f).toBe(countComponents(JSON.parse(text) as Record<string, unknown>).count);
    }
    const tricky = fc.string({ maxLength: 8 }).map((x) => `${x}"[{]},:\\`);
    const component: fc.Memo<Record<string, unknown>> = fc.memo((n) =>
      fc.record({ type: fc.constant('library'), name: tricky, note: fc.oneof(tricky, fc.integer(), fc.constant(null), fc.array(tricky, { maxLength: 2 })), components: n > 1 ? fc.array(component(n - 1), { maxLength: 3 }) : fc.constant([]) }),
    );
    const bom = fc.record({ bomFormat: fc.constant('CycloneDX'), components: fc.array(component(3), { maxLength: 5 }), metadata: fc.record({ components: fc.array(tricky, { maxLength: 2 }) }) });
    const lock = fc.record({ lockfileVersion: fc.constant(3), packages: fc.dictionary(tricky, fc.record({ version: tricky })) });
    fc.assert(
      fc.property(fc.oneof(bom, lock), fc.constantFrom(undefined, 2), (doc, indent) => {
        expect(countComponentsInText(JSON.stringify(doc, null, indent))).toBe(countComponents(doc as Record<string, unknown>).count);
      }),
    );
  });

  it('refuses a large file over the limit before parsing it', () => {
    const many = JSON.stringify({ bomFormat: 'CycloneDX', specVersion: '1.6', components: Array.from({ length: 6 }, (_, i) => ({ type: 'library', name: `p${i}`, version: '1.0.0' })) });
    // Broken after the components: only a count made before parsing refuses it for its size rather than its syntax.
    const big = `${many.slice(0, -1)}${' '.repeat(4_000_001)}, "x": }`;
    expect(errorOf(() => parseSbomFile(big, 'big.json', { maxComponents: 5 }))).toBe('big.json: components: 6 components, more than the limit of 5 per SBOM (raise it with --max-components)');
    expect(errorOf(() => parseSbomFile(big, 'big.json', { maxComponents: 6 }))).toMatch(/^big\.json:1:\d+: malformed JSON/);
  });
});

describe('SBOM readers on bad input', () => {
  it('never crash on random or mutated files: parse, or refuse naming the file', () => {
    for (const [name, seed] of [
      ['npm.json', fixture('sbom/cyclonedx-npm-1.6.json')],
      ['syft.json', fixture('sbom/cyclonedx-1.4-no-root-entry.json')],
      ['spdx.json', fixture('sbom/spdx-2.2.json')],
      ['lock.json', fixture('sbom/package-lock-devoptional.json')],
    ] as const) {
      const mutated = fc.tuple(fc.nat(seed.length), fc.nat(30), fc.string({ maxLength: 12 })).map(([at, cut, insert]) => seed.slice(0, at) + insert + seed.slice(Math.min(seed.length, at + cut)));
      fc.assert(
        fc.property(fc.oneof(mutated, fc.json(), fc.string({ maxLength: 100 })), (t) => {
          try {
            parseSbomFile(t, name);
          } catch (e) {
            expect(isAppError(e, 'INVALID_INPUT'), String(e)).toBe(true);
            expect((e as Error).message.startsWith(name)).toBe(true);
          }
        }),
        { numRuns: 200 },
      );
    }
  });

  it('never crash decoding random bytes: text, or a refusal naming the file', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        try {
          expect(typeof decodeJsonBytes(bytes, 'x.json')).toBe('string');
        } catch (e) {
          expect(isAppError(e, 'INVALID_INPUT'), String(e)).toBe(true);
          expect((e as Error).message.startsWith('x.json: ')).toBe(true);
        }
      }),
    );
  });
});
