import { describe, expect, it } from 'vitest';
import { actionText, findingAnchors, statusText, utcMinute, utcSecond } from './format';

describe('record page formatting', () => {
  it('prints times in UTC with the zone named', () => {
    expect(utcMinute('2026-12-01T18:40:12.345Z')).toBe('2026-12-01 18:40 UTC');
    expect(utcSecond('2026-12-01T18:40:12.345Z')).toBe('2026-12-01 18:40:12 UTC');
    expect(utcMinute('yesterday')).toBe('yesterday');
  });
  it('prints actions and statuses as words', () => {
    expect(actionText('RECORD_STATUS_CHANGED')).toBe('Record status changed');
    expect(statusText('in_review')).toBe('in review');
  });
});

describe('finding anchors', () => {
  it('names each finding by its rule, numbering repeats', () => {
    expect(findingAnchors([{ ruleId: 'A.1' }, { ruleId: 'B' }, { ruleId: 'A.1' }])).toEqual(['finding-A.1', 'finding-B', 'finding-A.1-2']);
  });
});
