import { describe, expect, it } from 'vitest';
import { parsePolicyJson, policyPart, withCell, withLevel } from './risk-policy-form';

describe('risk policy form', () => {
  it('finds the part of the policy a server error is about', () => {
    expect(policyPart('matrix.S3')).toBe('matrix');
    expect(policyPart('policy.reviewIntervalDays')).toBe('reviewIntervalDays');
    expect(policyPart('fields.severity.0.key')).toBe('severity');
    expect(policyPart(undefined)).toBeUndefined();
    expect(policyPart('')).toBeUndefined();
  });
  it('changes one cell and one level without touching the original', () => {
    const p = { matrix: { S1: { P1: 'acceptable', P2: 'reduce' } }, severity: [{ key: 'S1', name: 'Minor', definition: 'x' }] };
    const q = withCell(p, 'S1', 'P2', 'unacceptable');
    expect(q.matrix).toEqual({ S1: { P1: 'acceptable', P2: 'unacceptable' } });
    expect(p.matrix.S1.P2).toBe('reduce');
    expect(withLevel(p, 'severity', 0, 'name', 'Negligible').severity[0]).toEqual({ key: 'S1', name: 'Negligible', definition: 'x' });
    expect(withLevel(p, 'nothing', 0, 'name', 'x')).toBe(p);
  });
  it('reads JSON or says why not', () => {
    expect(parsePolicyJson('{"a":1}')).toEqual({ value: { a: 1 } });
    expect(parsePolicyJson('[1]')).toEqual({ error: 'the policy must be a JSON object' });
    expect(parsePolicyJson('{')).toMatchObject({ error: expect.stringMatching(/^not valid JSON/) as unknown });
  });
});
