import ELK from 'elkjs/lib/elk.bundled.js';
import { describe, expect, it } from 'vitest';
import { drawing, edgeLabel, elkGraph, layOut, neighbourhood, readHops, type ImpactData, type UpstreamEnds } from './graph';

// UN-1 ← SYS-1 (derives_from) ← SRS-1 (derives_from) ← TC-1 (verifies); VAL-1 validates UN-1; SRS-2 derives from SYS-1.
const IMPACT: ImpactData = {
  key: 'SYS-1',
  title: 'Measure blood pressure',
  upstream: [{ key: 'UN-1', title: 'Monitor at home', status: 'approved', linkType: 'derives_from', children: [] }],
  downstream: [
    { key: 'SRS-1', title: 'Read cuff', status: 'approved', linkType: 'derives_from', children: [{ key: 'TC-1', title: 'Cuff test', status: 'draft', linkType: 'verifies', children: [] }] },
    { key: 'SRS-2', title: 'Alarm', status: 'draft', linkType: 'derives_from', children: [] },
  ],
  edges: [
    ['SYS-1', 'derives_from', 'UN-1'],
    ['SRS-1', 'derives_from', 'SYS-1'],
    ['TC-1', 'verifies', 'SRS-1'],
    ['SRS-2', 'derives_from', 'SYS-1'],
    ['SRS-2', 'derives_from', 'SYS-1'],
  ],
};
const UP: UpstreamEnds = new Map([
  ['derives_from', 'to'],
  ['verifies', 'to'],
  ['validates', 'to'],
]);
const LABELS = new Map([
  ['derives_from', 'derives from'],
  ['verifies', 'verifies'],
]);
const SUSPECTS = [{ linkId: 7, from: 'TC-1', type: 'verifies', to: 'SRS-1', cause: 'SRS-1@2' }];

describe('trace graph neighbourhood', () => {
  it('keeps the records within N hops with their distance and side, and the links among them', () => {
    const one = neighbourhood(IMPACT, SUSPECTS, UP, 1);
    expect(one.nodes.map((n) => [n.key, n.hops, n.side])).toEqual([
      ['SYS-1', 0, 'centre'],
      ['UN-1', 1, 'upstream'],
      ['SRS-1', 1, 'downstream'],
      ['SRS-2', 1, 'downstream'],
    ]);
    expect(one.edges.map((e) => e.id)).toEqual(['SYS-1|derives_from|UN-1', 'SRS-1|derives_from|SYS-1', 'SRS-2|derives_from|SYS-1']);
    expect(one.truncated).toBe(true);
    const two = neighbourhood(IMPACT, SUSPECTS, UP, 2);
    expect(two.nodes.map((n) => n.key)).toContain('TC-1');
    expect(two.edges).toHaveLength(4);
    expect(two.truncated).toBe(false);
  });

  it('orients each edge from its upstream end to its downstream end by link type, and marks suspects', () => {
    const n = neighbourhood(IMPACT, SUSPECTS, UP, 3);
    const tc = n.edges.find((e) => e.from === 'TC-1');
    expect(tc).toMatchObject({ up: 'SRS-1', down: 'TC-1', suspect: true, cause: 'SRS-1@2' });
    expect(n.edges.filter((e) => e.suspect)).toHaveLength(1);
    const reversed = neighbourhood(IMPACT, [], new Map([['derives_from', 'from']]), 1);
    expect(reversed.edges[0]).toMatchObject({ up: 'SYS-1', down: 'UN-1' });
  });

  it('reads the hop depth from the URL, clamped to 1…6', () => {
    expect(readHops(null)).toBe(2);
    expect(readHops('4')).toBe(4);
    expect(readHops('0')).toBe(1);
    expect(readHops('99')).toBe(6);
    expect(readHops('x')).toBe(2);
  });

  it('labels edges with the link type, suspect ones saying so', () => {
    expect(edgeLabel({ type: 'derives_from', suspect: false }, LABELS)).toBe('derives from');
    expect(edgeLabel({ type: 'verifies', suspect: true }, LABELS)).toBe('verifies · suspect');
    expect(edgeLabel({ type: 'has_part', suspect: false }, LABELS)).toBe('has part');
  });
});

describe('trace graph layout', () => {
  it('asks ELK for a layered top-down layout with every node and labelled edge', () => {
    const g = elkGraph(neighbourhood(IMPACT, SUSPECTS, UP, 2), LABELS);
    expect(g.layoutOptions?.['elk.algorithm']).toBe('layered');
    expect(g.layoutOptions?.['elk.direction']).toBe('DOWN');
    expect(g.children).toHaveLength(5);
    expect(g.edges?.find((e) => e.id === 'TC-1|verifies|SRS-1')).toMatchObject({ sources: ['SRS-1'], targets: ['TC-1'], labels: [{ text: 'verifies · suspect' }] });
  });

  it('lays upstream records above downstream ones, with a path for every edge (real ELK)', async () => {
    const n = neighbourhood(IMPACT, SUSPECTS, UP, 3);
    const d = await layOut(new ELK(), n, LABELS);
    const y = new Map(d.nodes.map((x) => [x.key, x.y]));
    const at = (k: string): number => y.get(k) ?? Number.NaN;
    expect(at('UN-1')).toBeLessThan(at('SYS-1'));
    expect(at('SYS-1')).toBeLessThan(at('SRS-1'));
    expect(at('SRS-1')).toBeLessThan(at('TC-1'));
    expect(d.edges).toHaveLength(4);
    for (const e of d.edges) expect(e.d).toMatch(/^M [\d.]+ [\d.]+( L [\d.]+ [\d.]+)+$/);
    expect(d.width).toBeGreaterThan(0);
    expect(d.height).toBeGreaterThan(at('TC-1'));
    // No two boxes overlap.
    for (const a of d.nodes) for (const b of d.nodes) if (a !== b) expect(a.x + a.width <= b.x || b.x + b.width <= a.x || a.y + a.height <= b.y || b.y + b.height <= a.y).toBe(true);
  });

  it('draws an edge ELK did not route straight between the boxes', () => {
    const n = neighbourhood(IMPACT, [], UP, 1);
    const laid = { id: 'root', width: 400, height: 300, children: [{ id: 'SYS-1', x: 100, y: 100, width: 188, height: 58 }, { id: 'UN-1', x: 100, y: 0, width: 188, height: 58 }], edges: [] };
    const e = drawing(n, laid, LABELS).edges.find((x) => x.to === 'UN-1');
    expect(e?.d).toBe('M 194 58 L 194 100');
    expect(e?.label.text).toBe('derives from');
  });
});
