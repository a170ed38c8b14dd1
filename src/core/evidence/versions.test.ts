import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { inVersRange, sameVersion, versionOrder } from './versions.js';

const sorted = (type: string, xs: readonly string[]): string[] => {
  const o = versionOrder(type);
  if (o === undefined) throw new Error(`no order for ${type}`);
  return [...xs].sort(o.compare);
};
const shuffle = (xs: readonly string[]): string[] => [...xs].reverse().sort((a, b) => (a.length % 3) - (b.length % 3));

describe('version orders', () => {
  it('orders PyPI versions by PEP 440: dev before pre, pre before final, local after, post after, epochs first', () => {
    const order = ['1.0.dev0', '1.0a1', '1.0a2.dev1', '1.0a2', '1.0b1', '1.0rc1', '1.0', '1.0+local.7', '1.0.post1.dev0', '1.0.post1', '1.1.dev0', '1.1', '1.10', '2!0.1'];
    expect(sorted('pypi', shuffle(order))).toEqual(order);
    expect(sameVersion(versionOrder('pypi'), '1.0', '1.0.0')).toBe(true);
    expect(sameVersion(versionOrder('pypi'), '1.0RC1', '1.0rc1')).toBe(true);
    expect(versionOrder('pypi')?.parse('not a version')).toBe(false);
  });

  it('orders RubyGems versions as Gem::Version: letters are pre-releases, trailing zeros do not count', () => {
    const order = ['1.0.a', '1.0.b1', '1.0', '1.0.1', '2.2.3', '2.2.3.1', '2.2.10'];
    expect(sorted('gem', shuffle(order))).toEqual(order);
    expect(sameVersion(versionOrder('gem'), '1.0.a', '1.a')).toBe(true);
    expect(sameVersion(versionOrder('gem'), '1.0.0', '1')).toBe(true);
  });

  it('orders NuGet versions: four numeric parts, case-insensitive pre-release labels', () => {
    expect(sorted('nuget', ['1.0.1', '1.0.0.1', '1.0.0', '1.0.0-beta'])).toEqual(['1.0.0-beta', '1.0.0', '1.0.0.1', '1.0.1']);
    expect(sameVersion(versionOrder('nuget'), '1.0.0-Beta', '1.0.0-beta')).toBe(true);
  });

  it('orders Go module versions with or without the v prefix, pseudo-versions included', () => {
    expect(sorted('golang', ['v0.1.0', '0.0.9', 'v0.0.0-20210101000000-abcdef123456'])).toEqual(['v0.0.0-20210101000000-abcdef123456', '0.0.9', 'v0.1.0']);
    expect(sameVersion(versionOrder('golang'), 'v0.17.0', '0.17.0')).toBe(true);
  });

  it('orders Debian package versions as dpkg does: epoch, upstream, revision, ~ before anything', () => {
    const order = ['1.0~rc1', '1.0', '1.0-1', '1.0a', '1.0.1', '3.0.11-1~deb12u1', '3.0.11-1', '3.0.11-1+deb12u1', '3.0.13-1~deb12u1', '1:0.9'];
    expect(sorted('deb', shuffle(order))).toEqual(order);
    expect(sameVersion(versionOrder('deb'), '0:1.0-1', '1.0-1')).toBe(true);
    expect(sameVersion(versionOrder('deb'), '1.01', '1.1')).toBe(true);
    expect(versionOrder('deb')?.parse('not-a-version')).toBe(false);
  });

  it('has no order for ecosystems whose rules it does not implement', () => {
    for (const t of ['maven', 'apk', 'rpm', 'composer', 'generic']) expect(versionOrder(t), t).toBeUndefined();
  });

  it('the PEP 440 order is antisymmetric and transitive', () => {
    const pep = fc.tuple(fc.nat(3), fc.nat(12), fc.constantFrom('', 'a1', 'b2', 'rc1', '.post1', '.dev3', 'a1.dev1')).map(([a, b, s]) => `${a}.${b}${s}`);
    fc.assert(
      fc.property(pep, pep, pep, (a, b, c) => {
        const o = versionOrder('pypi');
        if (o === undefined) return;
        expect(Math.sign(o.compare(a, b)) + Math.sign(o.compare(b, a))).toBe(0);
        if (o.compare(a, b) <= 0 && o.compare(b, c) <= 0) expect(o.compare(a, c)).toBeLessThanOrEqual(0);
      }),
    );
  });
});

describe('vers ranges', () => {
  it('evaluates constraints as intervals, = and != first', () => {
    expect(inVersRange('1.5.0', 'vers:npm/>=1.0.0|<2.0.0')).toEqual({ kind: 'in' });
    expect(inVersRange('2.0.0', 'vers:npm/>=1.0.0|<2.0.0')).toEqual({ kind: 'out' });
    expect(inVersRange('0.5.0', 'vers:npm/<1.0.0|>=2.0.0|<2.1.0')).toEqual({ kind: 'in' });
    expect(inVersRange('2.0.5', 'vers:npm/<1.0.0|>=2.0.0|<2.1.0')).toEqual({ kind: 'in' });
    expect(inVersRange('1.5.0', 'vers:npm/<1.0.0|>=2.0.0|<2.1.0')).toEqual({ kind: 'out' });
    expect(inVersRange('1.2.3', 'vers:npm/1.2.3')).toEqual({ kind: 'in' });
    expect(inVersRange('1.5', 'vers:pypi/>=1.0|!=1.5|<2.0')).toEqual({ kind: 'out' });
    expect(inVersRange('5.3.1', 'vers:pypi/<6.0')).toEqual({ kind: 'in' });
    expect(inVersRange('9.9.9', 'vers:npm/*')).toEqual({ kind: 'in' });
  });

  it('does not evaluate schemes it cannot order, nor versions the scheme does not parse', () => {
    expect(inVersRange('2.14.1', 'vers:maven/>=2.0|<2.17.0')).toMatchObject({ kind: 'unknown', why: 'Dossier cannot order maven versions' });
    expect(inVersRange('not-a-version', 'vers:npm/<2.0.0')).toMatchObject({ kind: 'unknown' });
    expect(inVersRange('1.0.0', 'npm/<2.0.0')).toMatchObject({ kind: 'unknown' });
  });
});
