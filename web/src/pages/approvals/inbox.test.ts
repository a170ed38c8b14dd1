import { describe, expect, it } from 'vitest';
import { batchOf, filterInbox, formatSelection, parseSelection, waitedFor } from './inbox';

const item = (record: string, meaning = 'reviewed', title = 'A title') => ({
  productKey: record.split('/')[0] ?? '',
  record,
  key: record.split('/')[1] ?? '',
  title,
  revision: 1,
  meaning,
});

describe('the approvals inbox logic', () => {
  const items = [item('RPM/SRS-1'), item('RPM/SRS-2', 'approved', 'Alarm limits'), item('ABC/SRS-1')];

  it('filters by product, meaning and text', () => {
    expect(filterInbox(items, {}).length).toBe(3);
    expect(filterInbox(items, { product: 'RPM' }).map((i) => i.record)).toEqual(['RPM/SRS-1', 'RPM/SRS-2']);
    expect(filterInbox(items, { meaning: 'approved' }).map((i) => i.record)).toEqual(['RPM/SRS-2']);
    expect(filterInbox(items, { q: 'alarm' }).map((i) => i.record)).toEqual(['RPM/SRS-2']);
    expect(filterInbox(items, { product: '', meaning: null, q: '  ' }).length).toBe(3);
  });

  it('keeps the selection in one URL parameter', () => {
    expect(parseSelection(null)).toEqual([]);
    expect(parseSelection('RPM/SRS-1, RPM/SRS-2,')).toEqual(['RPM/SRS-1', 'RPM/SRS-2']);
    expect(formatSelection(['RPM/SRS-1', 'RPM/SRS-1', 'RPM/SRS-2'])).toBe('RPM/SRS-1,RPM/SRS-2');
  });

  it('signs a selection in one go only on one product with one meaning', () => {
    expect(batchOf(items, [])).toEqual({ ok: false, reason: 'Select the records to sign together' });
    expect(batchOf(items, ['RPM/SRS-1', 'ABC/SRS-1']).ok).toBe(false);
    expect(batchOf(items, ['RPM/SRS-1', 'RPM/SRS-2']).ok).toBe(false);
    const more = [...items, item('RPM/SRS-3')];
    const b = batchOf(more, ['RPM/SRS-1', 'RPM/SRS-3', 'RPM/GONE-9']);
    expect(b.ok && b.items.map((i) => i.record)).toEqual(['RPM/SRS-1', 'RPM/SRS-3']);
    expect(b.ok && b.meaning).toBe('reviewed');
  });

  it('says how long an item has waited', () => {
    expect(waitedFor('2026-12-01T10:00:00Z', '2026-12-01T10:00:30Z')).toBe('just now');
    expect(waitedFor('2026-12-01T10:00:00Z', '2026-12-01T10:01:00Z')).toBe('1 minute');
    expect(waitedFor('2026-12-01T10:00:00Z', '2026-12-01T15:00:00Z')).toBe('5 hours');
    expect(waitedFor('2026-12-01T10:00:00Z', '2026-12-05T10:00:00Z')).toBe('4 days');
  });
});
