import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseSbomFile } from '../../ingest/sbom-file.js';
import { parseVulnerabilityFile } from '../../ingest/vulnerability-file.js';
import { identityOfOsvPackage, identityOfPurl, pep503, purlTypeOfOsvEcosystem } from './ecosystems.js';
import { bomLink, inRange, matchAdvisory, normaliseRef, type ParsedAdvisory, type SoupForMatch } from './vulnerabilities.js';

const fixture = (p: string): string => readFileSync(`test/fixtures/${p}`, 'utf8');

/** The polyglot SBOM's components as matching sees them (refs as the SBOM import keeps them). */
function soups(): Map<string, SoupForMatch> {
  const sbom = parseSbomFile(fixture('sbom/cyclonedx-1.6-polyglot.json'), 'bom.json');
  return new Map(
    sbom.components.map((c) => [
      c.name,
      { package: c.name, version: c.version, purl: c.purl, ecosystem: c.ecosystem, sbomRefs: [c.ref, bomLink(sbom.serialNumber ?? '', sbom.bomVersion ?? 0, c.ref)] },
    ]),
  );
}

/** Every (advisory, component) pair an advisory file yields: `id component → how`. */
function matches(advisories: readonly ParsedAdvisory[]): string[] {
  const out: string[] = [];
  for (const a of advisories) {
    for (const s of soups().values()) {
      const m = matchAdvisory(a, s);
      if (m !== undefined) out.push(`${a.id} ${s.package} → ${m.evaluated ? `${m.triage ?? 'untriaged'}: ${m.how}` : m.why}`);
    }
  }
  return out;
}

describe('OSV ranges', () => {
  it('evaluates events in version order, whatever order the file lists them in', () => {
    const events = [{ fixed: '2.5.0' }, { introduced: '2.0.0' }, { fixed: '1.5.0' }, { introduced: '1.0.0' }];
    expect(['0.5.0', '1.2.0', '1.5.0', '1.7.0', '2.2.0', '2.5.0', '2.7.0'].filter((v) => inRange(v, events))).toEqual(['1.2.0', '2.2.0']);
    expect(inRange('1.0.0', [{ last_affected: '1.0.0' }, { introduced: '0' }])).toBe(true);
    expect(inRange('1.0.1', [{ last_affected: '1.0.0' }, { introduced: '0' }])).toBe(false);
  });
});

describe('OSV ecosystems', () => {
  it('maps OSV ecosystems to purl types with one table, distribution releases kept apart', () => {
    const types = ['npm', 'PyPI', 'Go', 'crates.io', 'RubyGems', 'Maven', 'Packagist', 'NuGet', 'Hex', 'Pub', 'Alpine:v3.20', 'Debian:12', 'Ubuntu:22.04:LTS'].map((e) => purlTypeOfOsvEcosystem(e));
    expect(types.map((t) => `${t?.type}${t?.namespace === null ? '' : `/${t?.namespace}`}${t?.release === null ? '' : `@${t?.release}`}`)).toEqual([
      'npm', 'pypi', 'golang', 'cargo', 'gem', 'maven', 'composer', 'nuget', 'hex', 'pub', 'apk/alpine@3.20', 'deb/debian@12', 'deb/ubuntu@22.04:LTS',
    ]);
    expect(purlTypeOfOsvEcosystem('OSS-Fuzz')).toBeUndefined();
  });

  it('normalises names as each registry compares them: PEP 503 for PyPI, group:artifact for Maven, case for NuGet', () => {
    expect(pep503('Zope.Interface__x--y')).toBe('zope-interface-x-y');
    expect(identityOfOsvPackage('PyPI', 'Zope.Interface')).toEqual(identityOfPurl('pkg:pypi/zope-interface@6.0'));
    expect(identityOfOsvPackage('Maven', 'org.slf4j:slf4j-api')).toEqual(identityOfPurl('pkg:maven/org.slf4j/slf4j-api@2.0.9'));
    expect(identityOfOsvPackage('NuGet', 'newtonsoft.json')).toEqual(identityOfPurl('pkg:nuget/Newtonsoft.Json@12.0.3'));
    expect(identityOfOsvPackage('npm', '@babel/core')).toEqual(identityOfPurl('pkg:npm/%40babel/core@7.24.0'));
    expect(identityOfOsvPackage('Packagist', 'symfony/http-kernel')).toEqual(identityOfPurl('pkg:composer/symfony/http-kernel@6.4.0'));
  });

  it('matches advisories without a purl in every ecosystem it can order; never decides a range it cannot order', () => {
    expect(matches(parseVulnerabilityFile(fixture('osv/ecosystems.json'), 'osv.json'))).toEqual([
      'PYSEC-2021-142 PyYAML → untriaged: 5.3.1 is inside an affected ECOSYSTEM range',
      'GO-2024-2687 golang.org/x/net → untriaged: v0.17.0 is inside an affected SEMVER range',
      'RUSTSEC-2021-0003 smallvec → untriaged: 1.6.0 is inside an affected SEMVER range',
      'GHSA-wq4h-7r42-5hrr rack → untriaged: 2.2.3 is inside an affected ECOSYSTEM range',
      'GHSA-5crp-9r3c-p9vr Newtonsoft.Json → untriaged: 12.0.3 is inside an affected ECOSYSTEM range',
      'GHSA-jfh8-c2jp-5v3q org.apache.logging.log4j:log4j-core → range not evaluated: Dossier cannot order Maven versions',
      'GHSA-7rjr-3q55-vv33 org.apache.logging.log4j:log4j-core → untriaged: 2.14.1 is listed among the affected versions',
      'DSA-TEST-12 openssl → untriaged: 3.0.11-1~deb12u1 is inside an affected ECOSYSTEM range',
      // The withdrawn advisory still matches here: the use-case skips it before matching.
      'DOSSIER-TEST-2026-0002 lodash → untriaged: 4.17.21 is inside an affected SEMVER range',
    ]);
  });

  it("trusts osv-scanner's own finding for the package version it scanned", () => {
    expect(matches(parseVulnerabilityFile(fixture('osv/osv-scanner.json'), 'scan.json'))).toEqual([
      'GHSA-jfh8-c2jp-5v3q org.apache.logging.log4j:log4j-core → untriaged: osv-scanner found org.apache.logging.log4j:log4j-core 2.14.1 affected',
      'GO-2024-2687 golang.org/x/net → untriaged: osv-scanner found golang.org/x/net 0.17.0 affected',
    ]);
  });

  it('a component without a version is never decided', () => {
    const [pyyaml] = parseVulnerabilityFile(fixture('osv/ecosystems.json'), 'osv.json').filter((a) => a.id === 'PYSEC-2021-142');
    if (pyyaml === undefined) throw new Error('fixture');
    expect(matchAdvisory(pyyaml, { package: 'PyYAML', version: null, purl: 'pkg:pypi/pyyaml', ecosystem: 'pypi', sbomRefs: [] })).toEqual({ evaluated: false, why: 'range not evaluated: the component has no version in its SBOM' });
  });
});

describe('CycloneDX VEX statements', () => {
  it('applies a statement only to the versions it names; resolves BOM-Links; writes only the triage stated for that version', () => {
    expect(matches(parseVulnerabilityFile(fixture('vex/versions.json'), 'vex.json'))).toEqual([
      'CVE-2021-44228 org.apache.logging.log4j:log4j-core → not_affected: the VEX names urn:cdx:9b7c2a51-4d0e-4f6a-8a3e-2f1d5c6b7a80/1#pkg%3Amaven%2Forg.apache.logging.log4j%2Flog4j-core%402.14.1',
      'CVE-2099-1001 lodash → not_affected: the VEX states 4.17.21 unaffected',
      'CVE-2099-1002 PyYAML → untriaged: the VEX states 5.3.1 affected (vers:pypi/<6.0)',
      'CVE-2099-1003 org.apache.logging.log4j:log4j-core → range not evaluated: Dossier cannot order maven versions',
    ]);
  });

  it('brings BOM-Links to one form: serial number case, percent-encoded bom-ref', () => {
    expect(normaliseRef('urn:cdx:9B7C2A51-4D0E-4F6A-8A3E-2F1D5C6B7A80/1#lodash%404.17.21')).toBe(bomLink('urn:uuid:9b7c2a51-4d0e-4f6a-8a3e-2f1d5c6b7a80', 1, 'lodash@4.17.21'));
    expect(normaliseRef('lodash@4.17.21')).toBe('lodash@4.17.21');
  });

  it('a BOM-Link to another BOM, or to another version of this one, names nothing here', () => {
    const [log4j] = parseVulnerabilityFile(fixture('vex/versions.json'), 'vex.json');
    if (log4j === undefined) throw new Error('fixture');
    const s = soups().get('org.apache.logging.log4j:log4j-core') as SoupForMatch;
    const other = (ref: string): ParsedAdvisory => ({ ...log4j, statements: [{ ref, versions: null }] });
    expect(matchAdvisory(other('urn:cdx:9b7c2a51-4d0e-4f6a-8a3e-2f1d5c6b7a80/2#pkg%3Amaven%2Forg.apache.logging.log4j%2Flog4j-core%402.14.1'), s)).toBeUndefined();
    expect(matchAdvisory(other('urn:cdx:00000000-4d0e-4f6a-8a3e-2f1d5c6b7a80/1#pkg%3Amaven%2Forg.apache.logging.log4j%2Flog4j-core%402.14.1'), s)).toBeUndefined();
    expect(matchAdvisory(other('pkg:maven/org.apache.logging.log4j/log4j-core@2.17.1'), s)).toBeUndefined();
  });
});
