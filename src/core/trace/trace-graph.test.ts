import { describe, expect, it } from 'vitest';
import { DEFAULT_CATALOG } from '../catalog/catalog.js';
import { TraceLinkColumnsBuilder } from './link-columns.js';
import { TraceRecordColumnsBuilder } from './record-columns.js';
import { TraceGraph } from './trace-graph.js';

const T0 = '2026-01-01T00:00:00.000Z';

describe('TraceGraph node columns', () => {
  const records = new TraceRecordColumnsBuilder(2);
  records.add(10, 'SRS', 3, 'approved', 2, T0, 'Alarm', '{"riskControl":true}', 'ann', 'bob');
  records.add(11, 'UN', 1, 'obsolete', 1, T0, 'Need', '{}', undefined, undefined);
  records.add(12, 'SRS', 4, 'draft', 1, T0, 'Other', { category: 'functional' }, 'ann', null);
  const links = new TraceLinkColumnsBuilder();
  links.add(1, 'derives_from', 10, 11, 2, 1, T0);
  const graph = TraceGraph.build(DEFAULT_CATALOG, records.build(), links.build());

  it('reads each record through its accessors, parsing the stored fields text on first read', () => {
    const i = graph.indexOf('SRS-3') ?? -1;
    expect([graph.id(i), graph.type(i), graph.number(i), graph.status(i), graph.revision(i), graph.title(i)]).toEqual([10, 'SRS', 3, 'approved', 2, 'Alarm']);
    expect(graph.fields(i)).toEqual({ riskControl: true });
    expect(graph.fields(i)).toBe(graph.fields(i));
    expect([graph.revisedBy(i), graph.approvedBy(i)]).toEqual(['ann', 'bob']);
    const un = graph.indexOf('UN-1') ?? -1;
    expect([graph.revisedBy(un), graph.approvedBy(un), graph.obsolete[un]]).toEqual([undefined, undefined, 1]);
    expect(graph.approvedBy(graph.indexOf('SRS-4') ?? -1)).toBeNull();
    expect(graph.fields(graph.indexOf('SRS-4') ?? -1)).toEqual({ category: 'functional' });
  });

  it('finds nodes by key and record ID, and lists a type without obsolete records unless asked', () => {
    expect(graph.indexOf('SRS-03')).toBeUndefined();
    expect(graph.indexOf('SRS-5')).toBeUndefined();
    expect(graph.indexOf('HAZ-1')).toBeUndefined();
    expect(graph.indexOf('SRS')).toBeUndefined();
    expect(graph.indexOfRecord(12)).toBe(graph.indexOf('SRS-4'));
    expect(graph.nodesOfType('UN')).toEqual([]);
    expect(graph.nodesOfType('UN', true)).toEqual([graph.indexOf('UN-1')]);
    expect(graph.nodesOfType('SRS').map((i) => graph.key(i))).toEqual(['SRS-3', 'SRS-4']);
  });

  it('gives a node as a row object like the one it was built from', () => {
    const row = { id: 1, type: 'UN', number: 7, status: 'draft', latestRevision: 1, revisedAt: T0, title: 't', fields: { a: 1 }, approvedBy: null } as const;
    const g = TraceGraph.build(DEFAULT_CATALOG, [row], new TraceLinkColumnsBuilder().build());
    expect(g.record(0)).toEqual(row);
  });
});
