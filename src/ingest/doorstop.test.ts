import fc from 'fast-check';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CATALOG } from '../core/catalog/catalog.js';
import { isYamlFault, parseItemYaml } from './doorstop-yaml.js';
import { loadText, readDoorstopTree, type TreeFile } from './doorstop.js';
import { EMPTY_TOOL_MAP, ToolImportMapSchema } from './tool-import-map.js';

// Stamps computed with doorstop's formula in Python (sha256 over str() of UID, text, ref; URL-safe base64).
const SYS001_STAMP = 'lJpQPXj4vMJjAfzEDoceVaP1idXwuy4C0Jt4A135TLQ=';
const SYS002_STAMP = 'KYb6S4FVhcuUuudxuuplSdKpdCS93pvLTp1mobaczes=';

const config = (prefix: string, parent?: string): string =>
  `settings:\n  digits: 3\n${parent === undefined ? '' : `  parent: ${parent}\n`}  prefix: ${prefix}\n  sep: ''\n`;

const item = (o: { links?: string[]; text: string; level?: string; header?: string; active?: boolean; normative?: boolean; ref?: string; extra?: string }): string =>
  [
    `active: ${o.active ?? true}`,
    'derived: false',
    `header: '${o.header ?? ''}'`,
    `level: ${o.level ?? 1.1}`,
    `links:${o.links === undefined || o.links.length === 0 ? ' []' : ''}`,
    ...(o.links ?? []).map((l) => `- ${l}`),
    `normative: ${o.normative ?? true}`,
    `ref: '${o.ref ?? ''}'`,
    'reviewed: null',
    ...(o.extra === undefined ? [] : [o.extra]),
    'text: |',
    ...o.text.split('\n').map((l) => `  ${l}`),
    '',
  ].join('\n');

function tree(): TreeFile[] {
  return [
    { path: 'reqs/sys/.doorstop.yml', text: config('SYS') },
    { path: 'reqs/sys/SYS000.yml', text: item({ level: "'1.0'", header: 'Safety', text: '', normative: false }) },
    { path: 'reqs/sys/SYS001.yml', text: item({ level: "'1.1'", text: 'The pump shall stop at occlusion.' }) },
    { path: 'reqs/sys/SYS002.yml', text: item({ level: "'1.2'", text: 'Alarm within 2 s.', ref: 'src/alarm.c' }) },
    { path: 'reqs/sys/SYS003.yml', text: item({ active: false, text: 'Retired.' }) },
    { path: 'reqs/srs/.doorstop.yml', text: config('SRS', 'SYS') },
    // Linked with SYS001's current stamp (not suspect) and an old stamp of SYS002 (suspect).
    { path: 'reqs/srs/SRS001.yml', text: item({ links: [`SYS001: ${SYS001_STAMP}`, 'SYS002: old-stamp'], text: '**Detect** occlusion by pressure.\nMore detail.', extra: 'priority: must' }) },
    { path: 'reqs/srs/SRS002.yml', text: item({ links: [`SYS002: ${SYS002_STAMP}`], header: 'Alarm timing', text: 'Raise the alarm.' }) },
    { path: 'reqs/tst/.doorstop.yml', text: config('TST', 'SRS') },
    { path: 'reqs/tst/TST001.yml', text: item({ links: ['SRS001: null', 'SRS002'], text: 'Occlude the line; the pump stops.' }) },
  ];
}

describe('readDoorstopTree', () => {
  it('maps documents to types, items to records and links to the allowed link types, with suspect stamps', () => {
    const r = readDoorstopTree(tree(), { catalog: DEFAULT_CATALOG, map: EMPTY_TOOL_MAP, root: 'repo' });
    expect(r.problems).toEqual([]);
    expect(r.plan.records?.map((x) => [x.ref, x.type, x.title])).toEqual([
      ['SYS001', 'SYS', 'The pump shall stop at occlusion.'],
      ['SYS002', 'SYS', 'Alarm within 2 s.'],
      ['SRS001', 'SRS', 'Detect occlusion by pressure.'],
      ['SRS002', 'SRS', 'Alarm timing'],
      ['TST001', 'TC', 'Occlude the line; the pump stops.'],
    ]);
    const srs = r.plan.records?.find((x) => x.ref === 'SRS001');
    expect(srs?.fields).toEqual({ externalId: 'SRS001', priority: 'must' });
    expect(srs?.body).toBe('**Detect** occlusion by pressure.\nMore detail.\n\n*Doorstop level 1.1*');
    expect(r.plan.records?.find((x) => x.ref === 'SYS002')?.body).toBe('Alarm within 2 s.\n\nReference: `src/alarm.c`\n\n*Doorstop level 1.2 · Safety*');
    expect(r.plan.records?.find((x) => x.ref === 'TST001')?.fields).toEqual({ externalId: 'TST001', level: 'system' });
    expect(r.plan.links?.map((l) => `${l.from} ${l.type} ${l.to} ${String(l.suspect)} ${l.where ?? ''}`)).toEqual([
      'SRS001 derives_from SYS001 false repo/reqs/srs/SRS001.yml:6',
      'SRS001 derives_from SYS002 true repo/reqs/srs/SRS001.yml:7',
      'SRS002 derives_from SYS002 false repo/reqs/srs/SRS002.yml:6',
      'TST001 verifies SRS001 false repo/reqs/tst/TST001.yml:6',
      'TST001 verifies SRS002 false repo/reqs/tst/TST001.yml:7',
    ]);
    expect(r.mapping).toContain('repo/reqs/srs (doorstop document SRS, parent SYS) → SRS, 2 items');
    expect(r.mapping.join('\n')).toMatch(/1 inactive items skipped \(SYS003\)/);
    expect(r.mapping.join('\n')).toMatch(/1 headings \(non-normative items\) not imported.*SYS000/);
    expect(r.mapping).toContain('1 links suspect (their stamp differs from the parent\'s current one): imported as suspect');
  });

  it('names the file and line of a link to an item that does not exist', () => {
    const files = [...tree(), { path: 'reqs/tst/TST002.yml', text: item({ links: ['SRS001: null', 'SRS099: null'], text: 'Broken.' }) }];
    const r = readDoorstopTree(files, { catalog: DEFAULT_CATALOG, map: EMPTY_TOOL_MAP, root: 'repo' });
    expect(r.problems).toEqual([{ where: 'repo/reqs/tst/TST002.yml:7', message: 'TST002 links to SRS099, which is not an item of the tree' }]);
  });

  it('names the file, line and column of a malformed .doorstop.yml and of a malformed item', () => {
    const files = tree().map((f) =>
      f.path === 'reqs/srs/.doorstop.yml' ? { ...f, text: 'settings:\n  prefix: [SRS\n' } : f.path === 'reqs/sys/SYS001.yml' ? { ...f, text: 'text: "open\nlinks: [\n' } : f,
    );
    const r = readDoorstopTree(files, { catalog: DEFAULT_CATALOG, map: EMPTY_TOOL_MAP, root: 'repo' });
    const wheres = r.problems.map((p) => p.where);
    expect(wheres.some((w) => /^repo\/reqs\/srs\/\.doorstop\.yml:\d+:\d+$/.test(w))).toBe(true);
    expect(wheres.some((w) => /^repo\/reqs\/sys\/SYS001\.yml:\d+:\d+$/.test(w))).toBe(true);
    expect(r.problems.every((p) => p.message.startsWith('malformed YAML') || /not an item|no record type|parent document/.test(p.message))).toBe(true);
  });

  it('reports a document no type fits, naming its folder; the map file maps it', () => {
    const files: TreeFile[] = [
      { path: 'docs/other/.doorstop.yml', text: config('RSK') },
      { path: 'docs/other/RSK001.yml', text: item({ text: 'Occlusion.' }) },
    ];
    const r = readDoorstopTree(files, { catalog: DEFAULT_CATALOG, map: EMPTY_TOOL_MAP, root: '' });
    expect(r.problems).toEqual([{ where: 'docs/other', message: expect.stringMatching(/doorstop document RSK maps to no record type/) as unknown }]);
    const map = ToolImportMapSchema.parse({ types: { RSK: 'HAZ' } });
    const mapped = readDoorstopTree(files, { catalog: DEFAULT_CATALOG, map, root: '' });
    expect(mapped.problems).toEqual([]);
    expect(mapped.plan.records?.[0]?.type).toBe('HAZ');
  });

  it('uses the link type the map names where the catalog allows several', () => {
    const files: TreeFile[] = [
      { path: 'a/.doorstop.yml', text: config('SRS') },
      { path: 'a/SRS001.yml', text: item({ text: 'A.' }) },
      { path: 'b/.doorstop.yml', text: config('RC', 'SRS') },
      { path: 'b/RC001.yml', text: item({ links: ['SRS001: null'], text: 'B.' }) },
    ];
    // RC → SRS: no link type goes that way.
    const r = readDoorstopTree(files, { catalog: DEFAULT_CATALOG, map: EMPTY_TOOL_MAP, root: '' });
    expect(r.problems[0]?.message).toMatch(/no link type goes from RC to SRS/);
    // SRS under SRS may refine or implement it: the map says which.
    const same: TreeFile[] = [...files.slice(0, 2), { path: 'c/.doorstop.yml', text: config('LLR', 'SRS') }, { path: 'c/LLR001.yml', text: item({ links: ['SRS001: null'], text: 'C.' }) }];
    const unsure = readDoorstopTree(same, { catalog: DEFAULT_CATALOG, map: EMPTY_TOOL_MAP, root: '' });
    expect(unsure.problems).toEqual([{ where: 'c/LLR001.yml:6', message: expect.stringMatching(/refines, implements can all go from SRS to SRS: say which in the map file/) as unknown }]);
    const map = ToolImportMapSchema.parse({ links: { 'SRS>SRS': 'refines' } });
    expect(readDoorstopTree(same, { catalog: DEFAULT_CATALOG, map, root: '' }).plan.links?.[0]?.type).toBe('refines');
  });
});

describe('parseItemYaml', () => {
  it('reads the shape doorstop writes like a YAML parser does, with the lines of links', () => {
    const text = item({ links: [`SYS001: ${SYS001_STAMP}`, 'SYS002: null'], text: 'Line one.\n\nLine three.', level: "'1.10'" });
    const r = parseItemYaml(text);
    if (isYamlFault(r)) throw new Error(r.message);
    expect(r.data).toEqual(parse(text, { version: '1.1' }));
    expect(r.linkLines).toEqual([6, 7]);
  });

  it('agrees with the general parser on generated items, or falls back to it', () => {
    const line = fc.stringMatching(/^[ -~]{0,30}$/).filter((s) => s.trim() === s);
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 4 }), fc.array(fc.stringMatching(/^[A-Z]{2,4}\d{1,3}$/), { maxLength: 3 }), fc.boolean(), (lines, links, active) => {
        const text = item({ text: lines.join('\n'), links: [...new Set(links)].map((l) => `${l}: null`), active });
        const r = parseItemYaml(text);
        let expected: unknown;
        try {
          expected = parse(text, { version: '1.1' });
        } catch {
          return isYamlFault(r);
        }
        return !isYamlFault(r) && JSON.stringify(r.data) === JSON.stringify(expected);
      }),
      { numRuns: 300 },
    );
  });
});

describe('loadText', () => {
  it('reads text as doorstop does: no blank lines at either end, no white space at line ends', () => {
    const naive = (t: string): string =>
      t
        .replace(/^\n+/, '')
        .replace(/\n+$/, '')
        .split('\n')
        .map((l) => l.replace(/\s+$/, ''))
        .join('\n');
    fc.assert(fc.property(fc.stringMatching(/^[a-c \t\n\r\u00a0]{0,20}$/), (t) => loadText(t) === naive(t)), { numRuns: 500 });
  });
});
