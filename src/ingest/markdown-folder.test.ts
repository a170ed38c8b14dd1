import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CATALOG } from '../core/catalog/catalog.js';
import { renderRecordFile } from '../export/markdown-folder.js';
import { anyRecordContent, anyText } from '../test-support/folder-records.js';
import { readFolderManifest, readMarkdownFolder, type FolderFile } from './markdown-folder.js';

const options = { productKey: 'RPM', catalog: DEFAULT_CATALOG, prefix: 'reqs/' };
const file = (path: string, text: string): FolderFile => ({ path, bytes: Buffer.from(text) });
/** The file as a person's edit leaves it: the digest no longer holds, so it is parsed in full. */
const edited = (text: string): string => text.replace(/\ndigest: [0-9a-f]{64}\n/, '\n');

describe('the Markdown folder reader', () => {
  it('reads back every record exactly as written: title, body, typed fields, links, id and revision', () => {
    fc.assert(
      fc.property(fc.array(anyRecordContent, { minLength: 1, maxLength: 5 }), (contents) => {
        const records = contents.map((c, i) => ({ ...c, key: `${c.type}-${i + 1}`, revision: i + 1, status: 'draft' }));
        const files = records.map((r) => file(`${r.type}/${r.key}.md`, edited(renderRecordFile(r, r.type === 'SYS' ? [] : [{ type: 'derives_from', to: 'SYS-99' }]))));
        const read = readMarkdownFolder(files, options);
        expect(read.problems).toEqual([]);
        const byRef = new Map(read.plan.records.map((r) => [r.ref, r]));
        for (const r of records) {
          expect(byRef.get(r.key)).toMatchObject({ key: r.key, baseRevision: r.revision, type: r.type, title: r.title, body: r.body, fields: r.fields });
        }
        expect(read.plan.links.map((l) => `${l.from} ${l.type} ${l.to}`).sort()).toEqual(
          records.filter((r) => r.type !== 'SYS').map((r) => `${r.key} derives_from SYS-99`).sort(),
        );
      }),
      { numRuns: 300 },
    );
  });

  it('skips files whose digest holds, reading only their id and revision', () => {
    const text = renderRecordFile({ key: 'SRS-3', type: 'SRS', revision: 2, status: 'approved', title: 'T', body: 'B', fields: {} }, []);
    const read = readMarkdownFolder([file('SRS/SRS-3.md', text)], options);
    expect(read).toEqual({ plan: { linkMode: 'replace', records: [], links: [] }, problems: [], entries: [{ path: 'SRS/SRS-3.md', key: 'SRS-3', type: 'SRS', revision: 2, status: 'approved', unchanged: true }] });
  });

  it('takes a new file\'s type from its folder and its path as its ref, which other files may link to', () => {
    const read = readMarkdownFolder(
      [file('SRS/new-alarm.md', '---\ntitle: Alarm\n---\nBody\n'), file('TC/t.md', '---\ntitle: Alarm test\nfields:\n  level: unit\nlinks:\n  verifies: SRS/new-alarm.md\n---\n')],
      options,
    );
    expect(read.problems).toEqual([]);
    expect(read.plan.records.map((r) => [r.ref, r.type, r.key])).toEqual([['SRS/new-alarm', 'SRS', undefined], ['TC/t', 'TC', undefined]]);
    expect(read.plan.links).toEqual([{ from: 'TC/t', type: 'verifies', to: 'SRS/new-alarm', where: 'reqs/TC/t.md:6:13' }]);
  });

  it('reads a link to a file of the folder as that file\'s record, and refuses links to another product', () => {
    const read = readMarkdownFolder(
      [
        file('SRS/SRS-3.md', '---\nid: SRS-3\nrevision: 1\ntitle: Existing\n---\n'),
        file('TC/a.md', '---\ntitle: A\nfields:\n  level: unit\nlinks:\n  verifies: [SRS/SRS-3, RPM/SRS-4]\n---\n'),
        file('TC/b.md', '---\ntitle: B\nfields:\n  level: unit\nlinks:\n  verifies: [IBC/SRS-1]\n---\n'),
      ],
      options,
    );
    expect(read.plan.links.map((l) => `${l.from} ${l.to}`)).toEqual(['TC/a SRS-3', 'TC/a SRS-4']);
    expect(read.problems).toEqual([{ where: 'reqs/TC/b.md:6:14', message: 'links to IBC/SRS-1, a record of product IBC: links stay within RPM' }]);
    expect(read.plan.records.map((r) => r.ref)).toEqual(['SRS-3', 'TC/a']);
  });

  it('reads CR LF files and a byte order mark as the same text', () => {
    const read = readMarkdownFolder([file('SRS/SRS-1.md', '\ufeff---\r\nid: SRS-1\r\nrevision: 1\r\ntitle: T\r\n---\r\nLine one\r\nLine two\r\n')], options);
    expect(read.problems).toEqual([]);
    expect(read.plan.records[0]).toMatchObject({ key: 'SRS-1', title: 'T', body: 'Line one\nLine two' });
  });

  it('never throws on any text: it returns a plan or problems with file, line and column', () => {
    const frontMatterish = fc.tuple(anyText(20), anyText(20)).map(([a, b]) => `---\n${a}\n---\n${b}`);
    const yamlish = fc
      .array(fc.constantFrom('id: ', 'title: ', 'fields:', 'links:', '  ', '- ', '[', ']', '{', '}', ': ', '&a ', '*a', '!!int ', '"', "'", '|', '\n', 'SRS-1', 'derives_from', '---', '%YAML 1.2'), { maxLength: 40 })
      .map((parts) => `---\n${parts.join('')}\n---\nbody`);
    fc.assert(
      fc.property(fc.oneof(anyText(40), frontMatterish, yamlish), fc.constantFrom('SRS/x.md', 'TC/SRS-1.md', 'NOPE/a.md'), (text, path) => {
        const read = readMarkdownFolder([file(path, text)], options);
        for (const p of read.problems) expect(p.where).toMatch(/^reqs\/[A-Z]+\/[^:]+\.md:\d+:\d+$/);
        if (read.problems.length === 0) expect(read.plan.records.length + read.entries.filter((e) => e.unchanged).length).toBe(1);
      }),
      { numRuns: 3000 },
    );
  });

  it('reads the folder file: format and product', () => {
    expect(readFolderManifest('format: 1\nproduct: RPM\nwrittenAt: x\n', 'f.yml', 'RPM')).toEqual([]);
    expect(readFolderManifest('format: 2\nproduct: RPM\n', 'f.yml', 'RPM')).toEqual([{ where: 'f.yml:1:9', message: 'format 2 is newer than this Dossier reads (1): update Dossier' }]);
    expect(readFolderManifest('format: 1\nproduct: IBC\nextra: 1\n', 'f.yml', 'RPM').map((p) => p.where)).toEqual(['f.yml:3:1', 'f.yml:2:10']);
    expect(readFolderManifest('format: [1\n', 'f.yml', 'RPM')[0]?.message).toMatch(/^malformed YAML/);
  });
});
