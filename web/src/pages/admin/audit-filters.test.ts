import { describe, expect, it } from 'vitest';
import { apiQuery, csvExportHref, dayAfter, filtersFromParams, paramsWithFilters, shortValue } from './audit-filters';

describe('audit filters', () => {
  it('reads the filters from the URL, leaving blanks and other parameters out', () => {
    expect(filtersFromParams(new URLSearchParams('actor=ada&action=&seq=4&from=2026-03-01'))).toEqual({ actor: 'ada', from: '2026-03-01' });
  });
  it('writes them back, keeping other parameters and dropping cleared ones', () => {
    const next = paramsWithFilters(new URLSearchParams('actor=ada&seq=4'), { action: 'user_created' });
    expect(next.toString()).toBe('seq=4&action=user_created');
  });
  it('turns the inclusive last day into the exclusive bound the API takes', () => {
    expect(dayAfter('2026-02-28')).toBe('2026-03-01');
    expect(dayAfter('2026-12-31')).toBe('2027-01-01');
    expect(dayAfter('yesterday')).toBeUndefined();
    expect(apiQuery({ until: '2026-03-01', action: 'token_created', productKey: 'rpm' })).toEqual({ to: '2026-03-02', action: 'TOKEN_CREATED', productKey: 'RPM' });
  });
  it('links the CSV export with the same filters', () => {
    expect(csvExportHref({ actor: 'ada b' })).toBe('/api/v1/audit/export?actor=ada+b&format=csv');
  });
  it('shortens long values', () => {
    expect(shortValue(null)).toBe('');
    expect(shortValue('x'.repeat(10), 5)).toBe('xxxx…');
  });
});
