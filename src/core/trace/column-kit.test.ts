import { describe, expect, it } from 'vitest';
import { grown, NameIndex } from './column-kit.js';
import { TraceLinkColumnsBuilder } from './link-columns.js';

describe('column kit', () => {
  it('numbers names in order of first sight and refuses a 257th', () => {
    const names = new NameIndex('link types');
    expect([names.of('verifies'), names.of('derives_from'), names.of('verifies')]).toEqual([0, 1, 0]);
    expect(names.names).toEqual(['verifies', 'derives_from']);
    for (let i = 2; i < 256; i++) names.of(`t${i}`);
    expect(() => names.of('one-too-many')).toThrow('more than 256 link types');
  });

  it('grows a column keeping its type and rows', () => {
    const b = grown(Float64Array.of(1.5, 2.5), 4);
    expect(b).toBeInstanceOf(Float64Array);
    expect([...b]).toEqual([1.5, 2.5, 0, 0]);
  });

  it('a builder past its first capacity keeps every row', () => {
    const builder = new TraceLinkColumnsBuilder(16);
    for (let i = 0; i < 100; i++) builder.add(i + 1, i % 2 === 0 ? 'verifies' : 'derives_from', i, i + 1, 1, 2, '2026-01-01T00:00:00.000Z');
    const c = builder.build();
    expect(c.count).toBe(100);
    expect([c.ids[0], c.ids[99], c.toIds[99], c.types[c.typeOf[99] ?? 0]]).toEqual([1, 100, 100, 'derives_from']);
  });
});
