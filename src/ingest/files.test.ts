import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hashFiles } from './files.js';

describe('hashFiles', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dossier-hash-'));
  const file = (name: string, text: string): string => {
    const p = join(dir, name);
    writeFileSync(p, text);
    return p;
  };
  const a = file('a.xml', '<testsuite name="a"/>');
  const b = file('b.xml', '<testsuite name="b"/>');
  const c = file('c.xml', '<testsuite name="a"/><testsuite name="b"/>');

  it('the same files in another order are the same evidence', async () => {
    expect(await hashFiles([b, a])).toBe(await hashFiles([a, b]));
    expect(await hashFiles([a, b])).not.toBe(await hashFiles([a]));
    // Two files are never taken for one file with both contents.
    expect(await hashFiles([a, b])).not.toBe(await hashFiles([c]));
  });

  it('one file hashes as before (its size and SHA-256, hashed), so earlier imports are still recognised', async () => {
    const inner = createHash('sha256').update('<testsuite name="a"/>').digest('hex');
    expect(await hashFiles([a])).toBe(createHash('sha256').update(`21:${inner}\n`).digest('hex'));
  });

  it('names a file that cannot be read', async () => {
    await expect(hashFiles([join(dir, 'missing.xml')])).rejects.toThrow(/missing\.xml: no such file/);
  });
});
