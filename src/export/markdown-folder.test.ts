import fc from 'fast-check';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { untouchedFile } from '../ingest/markdown-folder.js';
import { anyRecordContent, anyText } from '../test-support/folder-records.js';
import { renderFolder, renderRecordFile, yamlValue } from './markdown-folder.js';

/** JSON values as fields hold them: storable strings in any script, finite numbers. */
const jsonValue = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    anyText(6),
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(anyText(2).filter((k) => k !== '__proto__'), tie('value'), { maxKeys: 4 }),
  ),
})).value;

describe('the Markdown folder writer', () => {
  it('writes every value as YAML that reads back exactly', () => {
    fc.assert(
      fc.property(jsonValue, (v) => {
        const expected: unknown = JSON.parse(JSON.stringify({ value: v }));
        expect(parse(yamlValue(v), { uniqueKeys: true })).toEqual(expected);
      }),
      { numRuns: 2000 },
    );
  });

  it('writes the same file for the same record, whose digest holds and whose first lines give its id and revision', () => {
    fc.assert(
      fc.property(anyRecordContent, fc.integer({ min: 1, max: 99 }), (c, revision) => {
        const r = { ...c, key: `${c.type}-7`, revision, status: 'draft' };
        const links = [{ type: 'derives_from', to: 'SYS-10' }, { type: 'derives_from', to: 'SYS-2' }];
        const text = renderRecordFile(r, links);
        expect(renderRecordFile(r, [...links].reverse())).toBe(text);
        expect(text).toContain('derives_from: [SYS-2, SYS-10]');
        expect(untouchedFile(Buffer.from(text))).toEqual({ key: `${c.type}-7`, type: c.type, revision, status: 'draft' });
        // Any change to the text breaks the digest.
        expect(untouchedFile(Buffer.from(`${text} `))).toBeUndefined();
        expect(untouchedFile(Buffer.from(text.replace('status: draft', 'status: approved')))).toBeUndefined();
      }),
      { numRuns: 300 },
    );
  });

  it('puts each record in its type folder, in path order, with its outgoing links', () => {
    const rec = (key: string): { key: string; type: string; revision: number; status: string; title: string; body: string; fields: Record<string, unknown> } => ({
      key, type: key.split('-')[0] ?? '', revision: 1, status: 'draft', title: key, body: '', fields: {},
    });
    const files = renderFolder({ records: [rec('SYS-1'), rec('SRS-10'), rec('SRS-2')], links: [{ type: 'derives_from', from: 'SRS-2', to: 'SYS-1' }] });
    expect(files.map((f) => f.path)).toEqual(['SRS/SRS-10.md', 'SRS/SRS-2.md', 'SYS/SYS-1.md']);
    expect(files[1]?.text).toMatch(/\nlinks:\n {2}derives_from: \[SYS-1\]\ndigest: [0-9a-f]{64}\n---\n$/);
    expect(files[0]?.text).not.toContain('links:');
  });
});
