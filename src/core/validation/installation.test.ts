import { describe, expect, it } from 'vitest';
import { lockfileProblems, manifestProblems, modeProblems, versionAtLeast } from './installation.js';

describe('installation qualification rules [DOSSIER-SRS-53]', () => {
  it('finds files changed, missing or added since the build', () => {
    const manifest = { format: 1 as const, version: '1.0.0', files: { 'dist/a.js': 'aa', 'dist/b.js': 'bb', 'packs/p.yaml': 'pp' } };
    expect(manifestProblems(manifest, new Map([['dist/a.js', 'aa'], ['dist/b.js', 'bb'], ['packs/p.yaml', 'pp']]))).toEqual([]);
    expect(manifestProblems(manifest, new Map([['dist/a.js', 'XX'], ['packs/p.yaml', 'pp'], ['dist/evil.js', 'ee']]))).toEqual([
      '1 file(s) changed since the build: dist/a.js',
      '1 file(s) missing: dist/b.js',
      '1 file(s) not part of the build: dist/evil.js',
    ]);
  });

  it('holds installed packages to the lockfile: version and tarball hash; dev and optional packages may be absent', () => {
    const lock = {
      '': { version: '1.0.0' },
      'node_modules/kysely': { version: '0.28.0', integrity: 'sha512-K' },
      'node_modules/vitest': { version: '4.1.0', integrity: 'sha512-V', dev: true },
      'node_modules/fsevents': { version: '2.3.3', integrity: 'sha512-F', optional: true },
    };
    expect(lockfileProblems(lock, new Map([['node_modules/kysely', { version: '0.28.0', integrity: 'sha512-K' }]]))).toEqual({ checked: 1, problems: [] });
    expect(lockfileProblems(lock, new Map()).problems).toEqual(['node_modules/kysely: not installed (the lockfile requires 0.28.0)']);
    expect(lockfileProblems(lock, new Map([['node_modules/kysely', { version: '0.27.9', integrity: 'sha512-K' }]])).problems).toEqual([
      'node_modules/kysely: version 0.27.9 installed, the lockfile says 0.28.0',
    ]);
    expect(
      lockfileProblems(lock, new Map([['node_modules/kysely', { version: '0.28.0', integrity: 'sha512-OTHER' }], ['node_modules/vitest', { version: '4.1.0', integrity: null }]])).problems,
    ).toEqual(['node_modules/kysely: installed from a tarball whose hash differs from the lockfile', 'node_modules/vitest: npm has no record of installing it from the locked tarball']);
  });

  it('compares versions numerically', () => {
    expect(versionAtLeast('v20.19.0', '20.19.0')).toBe(true);
    expect(versionAtLeast('v20.9.1', '20.19.0')).toBe(false);
    expect(versionAtLeast('3.51.2', '3.40.0')).toBe(true);
    expect(versionAtLeast('15.20', '15.0')).toBe(true);
    expect(versionAtLeast('14.9', '15.0')).toBe(false);
  });

  it('keeps a store private: no access for others, no group write, no folder others can write (unless sticky)', () => {
    expect(modeProblems('s.db', 0o100600, false)).toEqual([]);
    expect(modeProblems('s.db', 0o100640, false)).toEqual([]);
    expect(modeProblems('s.db', 0o100644, false)).toEqual(['s.db: mode 644 gives other users access to the store (chmod o-rwx)']);
    expect(modeProblems('s.db', 0o100660, false)).toEqual(['s.db: mode 660 lets the group write the store (chmod g-w)']);
    expect(modeProblems('dir', 0o40755, true)).toEqual([]);
    expect(modeProblems('dir', 0o40777, true)).toEqual(['dir: folder mode 777 lets others replace the store (remove group and other write: chmod go-w)']);
    expect(modeProblems('/tmp', 0o41777, true)).toEqual([]);
  });
});
