import { describe, expect, it } from 'vitest';
import { compareRevisions, fieldText, foldUnchanged, sideBySide } from './revisionDiff';

describe('side-by-side revision diff', () => {
  it('keeps unchanged lines on both sides and pairs a replaced line with the words that changed', () => {
    const rows = sideBySide('one\ntwo\nthree\n', 'one\ntwo and a half\nthree\nfour\n');
    expect(rows.map((r) => [r.left?.kind ?? null, r.right?.kind ?? null])).toEqual([
      ['same', 'same'],
      ['removed', 'added'],
      ['same', 'same'],
      [null, 'added'],
    ]);
    expect(rows[1]?.right?.segments?.filter((s) => s.changed).map((s) => s.text).join('')).toMatch(/and a half/);
    expect(rows[3]?.right).toMatchObject({ line: 4, text: 'four' });
    expect(rows[2]?.left?.line).toBe(3);
  });

  it('shows a removed run alone on the left', () => {
    const rows = sideBySide('a\nb\nc', 'a\nc');
    expect(rows).toHaveLength(3);
    expect(rows[1]).toEqual({ left: { line: 2, text: 'b', kind: 'removed' }, right: null });
    expect(sideBySide('', '')).toEqual([]);
  });

  it('folds long unchanged runs around the changes', () => {
    const a = Array.from({ length: 20 }, (_, i) => `line ${i}`).join('\n');
    const b = a.replace('line 10', 'line ten');
    const shown = foldUnchanged(sideBySide(a, b), 2);
    expect(shown[0]).toEqual({ kind: 'gap', count: 8 });
    expect(shown.filter((s) => s.kind === 'row')).toHaveLength(5);
    expect(shown.at(-1)).toEqual({ kind: 'gap', count: 7 });
  });

  it('compares title, fields in catalog order and body, counting the changes', () => {
    const c = compareRevisions(
      { revision: 1, title: 'Old', body: 'x', fields: { priority: 'must', riskControl: false } },
      { revision: 2, title: 'New', body: 'x', fields: { priority: 'should', riskControl: false, rationale: 'why' } },
      ['priority', 'category', 'rationale', 'riskControl'],
    );
    expect(c.title.changed).toBe(true);
    expect(c.fields.map((f) => [f.field, f.from, f.to, f.changed])).toEqual([
      ['priority', 'must', 'should', true],
      ['rationale', '—', 'why', true],
      ['riskControl', 'false', 'false', false],
    ]);
    expect(c.bodyChanged).toBe(false);
    expect(c.changes).toBe(3);
  });

  it('prints field values for people', () => {
    expect(fieldText(undefined)).toBe('—');
    expect(fieldText(['a', 'b'])).toBe('a, b');
    expect(fieldText(true)).toBe('true');
    expect(fieldText([{ action: 'x' }])).toBe('[{"action":"x"}]');
  });
});
