import { describe, expect, it } from 'vitest';
import { matchesRule } from './rule-filter';

const r = { pack: 'iec62304', rule: { id: 'IEC62304-5.7.1-SRS-VERIFIED', clause: 'IEC 62304 5.7.1', title: 'Every requirement is verified' } };

describe('rule search', () => {
  it('matches ID, clause, title or pack, ignoring case; empty matches all', () => {
    expect(matchesRule(r, '')).toBe(true);
    expect(matchesRule(r, 'srs-verified')).toBe(true);
    expect(matchesRule(r, '5.7.1')).toBe(true);
    expect(matchesRule(r, 'VERIFIED')).toBe(true);
    expect(matchesRule(r, 'risk')).toBe(false);
  });
});
