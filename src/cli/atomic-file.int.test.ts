import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DIALECTS, openTestStore, type TestStore } from '../test-support/stores.js';
import { writeFileAtomic } from './atomic-file.js';
import { runCli } from './main.js';

/** While `full` is set, every write reaches the disk only in part and then fails as on a full disk. */
const disk = vi.hoisted(() => ({ full: false }));

vi.mock('node:fs', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs')>();
  const enospc = (): Error => Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', errno: -28, syscall: 'write' });
  const writeSync = (...args: unknown[]): number => {
    if (disk.full) {
      const [fd, data] = args as [number, Uint8Array];
      real.writeSync(fd, data.subarray(0, 5));
      throw enospc();
    }
    return (real.writeSync as (...a: unknown[]) => number)(...args);
  };
  const writeFileSync = (...args: unknown[]): void => {
    if (disk.full) {
      const [file, data] = args as [fs.PathOrFileDescriptor, string];
      real.writeFileSync(file, String(data).slice(0, 5));
      throw enospc();
    }
    (real.writeFileSync as (...a: unknown[]) => void)(...args);
  };
  return { ...real, default: { ...real, writeSync, writeFileSync }, writeSync, writeFileSync };
});

describe('writeFileAtomic', () => {
  let dir = '';
  beforeEach(() => {
    dir = fs.mkdtempSync(join(tmpdir(), 'dossier-atomic-'));
  });
  afterEach(() => {
    disk.full = false;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('writes a new file and replaces an old one whole, keeping its permissions', () => {
    const file = join(dir, 'out.json');
    writeFileAtomic(file, 'first');
    fs.chmodSync(file, 0o640);
    writeFileAtomic(file, 'second, longer');
    expect(fs.readFileSync(file, 'utf8')).toBe('second, longer');
    expect(fs.statSync(file).mode & 0o777).toBe(0o640);
    expect(fs.readdirSync(dir)).toEqual(['out.json']);
  });

  it('on a full disk leaves the earlier file as it was and no temporary file', () => {
    const file = join(dir, 'backup.json');
    fs.writeFileSync(file, 'yesterday');
    disk.full = true;
    expect(() => writeFileAtomic(file, 'today, much longer than yesterday')).toThrow(`cannot write ${file}: the disk is full (ENOSPC); nothing was written there`);
    disk.full = false;
    expect(fs.readFileSync(file, 'utf8')).toBe('yesterday');
    expect(fs.readdirSync(dir)).toEqual(['backup.json']);
  });

  it('names the file and the problem: missing folder, a folder in the way', () => {
    const missing = join(dir, 'no', 'such', 'out.json');
    expect(() => writeFileAtomic(missing, 'x')).toThrow(`cannot write ${missing}: folder ${join(dir, 'no', 'such')} does not exist (ENOENT)`);
    fs.mkdirSync(join(dir, 'taken'));
    expect(() => writeFileAtomic(join(dir, 'taken'), 'x')).toThrow(/^cannot write .*taken: it is a folder \(EISDIR\)/);
  });
});

describe.each(DIALECTS)('dossier --out on %s', (dialect) => {
  let t: TestStore;
  let dir = '';
  beforeEach(async () => {
    t = await openTestStore(dialect);
    dir = fs.mkdtempSync(join(tmpdir(), 'dossier-out-'));
  });
  afterEach(async () => {
    disk.full = false;
    await t.cleanup();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const dossier = async (...args: string[]): Promise<{ code: number; err: string }> => {
    let err = '';
    const code = await runCli(['--db', t.dbArg, '--actor', 'erin', ...args], { out: () => undefined, err: (s) => (err += s), interactive: false }, {});
    return { code, err };
  };

  it('a failed export leaves an earlier backup at the same path whole, with a one-line message', async () => {
    expect((await dossier('product', 'create', '--key', 'RPM', '--name', 'Monitor', '--intended-use', 'monitoring', '--class', 'B')).code).toBe(0);
    const file = join(dir, 'backup.json');
    expect((await dossier('export', 'json', '--out', file)).code).toBe(0);
    const backup = fs.readFileSync(file, 'utf8');
    expect(backup.length).toBeGreaterThan(100);
    disk.full = true;
    const failed = await dossier('export', 'json', '--out', file);
    disk.full = false;
    expect(failed).toEqual({ code: 2, err: `dossier: cannot write ${file}: the disk is full (ENOSPC); nothing was written there\n` });
    expect(fs.readFileSync(file, 'utf8')).toBe(backup);
    expect(fs.readdirSync(dir)).toEqual(['backup.json']);
  });

  it('--out into a missing folder is an input error naming the path', async () => {
    expect((await dossier('product', 'create', '--key', 'RPM', '--name', 'Monitor', '--intended-use', 'monitoring', '--class', 'B')).code).toBe(0);
    const file = join(dir, 'missing', 'r.txt');
    for (const args of [['export', 'json'], ['check'], ['risk', 'report']]) {
      const r = await dossier(...args, '--out', file);
      expect(r, args.join(' ')).toEqual({ code: 2, err: `dossier: cannot write ${file}: folder ${join(dir, 'missing')} does not exist (ENOENT); nothing was written there\n` });
    }
  });
});
