import { describe, expect, it } from 'vitest';
import { filtersFrom, findingCounts, keyInSearch, paramsOf, restPages } from './listFilters';

describe('record list filters', () => {
  it('reads the URL, ignoring what is not a filter, and writes it back', () => {
    const f = filtersFrom(new URLSearchParams('type=srs&status=nope&q=%20alarm%20&findings=1'));
    expect(f).toEqual({ type: 'SRS', q: 'alarm', findings: true });
    expect(paramsOf(f).toString()).toBe('type=SRS&q=alarm&findings=1');
    expect(paramsOf(filtersFrom(new URLSearchParams('status=in_review'))).toString()).toBe('status=in_review');
    expect(paramsOf({ findings: false }).toString()).toBe('');
  });

  it('counts findings per record, whatever the key is qualified with', () => {
    const c = findingCounts([{ record: 'SRS-1' }, { record: 'RPM/SRS-1' }, { record: null }, { record: 'TC-2' }]);
    expect([...c]).toEqual([
      ['SRS-1', 2],
      ['TC-2', 1],
    ]);
  });

  it('spots a record key typed into the search', () => {
    expect(keyInSearch('srs-12')).toBe('SRS-12');
    expect(keyInSearch('RPM/HAZ-3')).toBe('HAZ-3');
    expect(keyInSearch('alarm limits')).toBeUndefined();
  });

  it('pages the rest of a long list', () => {
    expect(restPages(25_250, 250, 10_000)).toEqual([
      { offset: 250, limit: 10_000 },
      { offset: 10_250, limit: 10_000 },
      { offset: 20_250, limit: 5_000 },
    ]);
    expect(restPages(100, 250, 10_000)).toEqual([]);
  });
});
