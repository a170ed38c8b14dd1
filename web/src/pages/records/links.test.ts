import { describe, expect, it } from 'vitest';
import { groupLinks } from './links';

const TYPES = [
  { key: 'refines', label: 'refines', inverse: 'refined by', upstream: 'to' as const },
  { key: 'verifies', label: 'verifies', inverse: 'verified by', upstream: 'to' as const },
];
const link = (id: number, type: string, from: string, to: string) => ({ id, type, fromKey: from, fromType: from.split('-')[0] ?? '', toKey: to, toType: to.split('-')[0] ?? '', confirmedAt: null });

describe('a record\'s links, seen from it', () => {
  it('puts what it refines upstream and what verifies it downstream, by label, marking suspects', () => {
    const g = groupLinks('SRS-1', [link(1, 'refines', 'SRS-1', 'SYS-2'), link(2, 'verifies', 'TC-10', 'SRS-1'), link(3, 'verifies', 'TC-9', 'SRS-1')], TYPES, [{ linkId: 2, cause: 'SRS-1 changed' }]);
    expect(g.upstream).toEqual([{ label: 'refines', links: [{ id: 1, other: 'SYS-2', otherType: 'SYS', confirmedAt: null }] }]);
    expect(g.downstream).toHaveLength(1);
    expect(g.downstream[0]?.label).toBe('verified by');
    expect(g.downstream[0]?.links.map((l) => [l.other, l.suspect])).toEqual([
      ['TC-9', undefined],
      ['TC-10', 'SRS-1 changed'],
    ]);
  });

  it('reads a link type the catalog does not know by its key, the target upstream', () => {
    const g = groupLinks('A-1', [link(4, 'custom', 'A-1', 'B-1')], [], []);
    expect(g.upstream[0]?.label).toBe('custom');
  });
});
