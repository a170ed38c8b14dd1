import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkPolicy, DEFAULT_RISK_POLICY, evaluateEstimate, ZONE_RANK, ZONES, type RiskPolicy, type Zone } from './policy.js';

const sev = DEFAULT_RISK_POLICY.severity.map((l) => l.key);
const prob = DEFAULT_RISK_POLICY.probability.map((l) => l.key);

/** Random monotone matrices: each cell is the worst of its lower neighbours, sometimes raised. */
const monotoneMatrix = fc.array(fc.array(fc.nat(2), { minLength: 5, maxLength: 5 }), { minLength: 5, maxLength: 5 }).map((raise) => {
  const ranks: number[][] = [];
  sev.forEach((_, i) => {
    ranks[i] = [];
    prob.forEach((_, j) => {
      const below = i > 0 ? (ranks[i - 1]?.[j] ?? 0) : 0;
      const left = j > 0 ? (ranks[i]?.[j - 1] ?? 0) : 0;
      const r = Math.max(below, left, (raise[i]?.[j] ?? 0) === 2 ? Math.min(2, Math.max(below, left) + 1) : 0);
      (ranks[i] as number[])[j] = r;
    });
  });
  return Object.fromEntries(sev.map((s, i) => [s, Object.fromEntries(prob.map((q, j) => [q, ZONES[ranks[i]?.[j] ?? 0] as Zone]))]));
});

const zoneOf = (p: RiskPolicy, severity: string, probability: string): Zone => {
  const v = evaluateEstimate(p, { severity, probability });
  if ('problem' in v) throw new Error(v.problem);
  return v.zone;
};

describe('risk policy', () => {
  it('the default policy is complete and monotone', () => {
    expect(checkPolicy(DEFAULT_RISK_POLICY)).toEqual([]);
  });

  it('zones are monotone: raising severity or probability never lowers the zone', () => {
    fc.assert(
      fc.property(monotoneMatrix, fc.nat(4), fc.nat(4), fc.nat(4), fc.nat(4), (matrix, s1, p1, ds, dp) => {
        const policy = { ...DEFAULT_RISK_POLICY, matrix };
        expect(checkPolicy(policy)).toEqual([]);
        const s2 = Math.min(4, s1 + ds);
        const p2 = Math.min(4, p1 + dp);
        const low = zoneOf(policy, sev[s1] ?? '', prob[p1] ?? '');
        const high = zoneOf(policy, sev[s2] ?? '', prob[p2] ?? '');
        expect(ZONE_RANK[high]).toBeGreaterThanOrEqual(ZONE_RANK[low]);
      }),
    );
  });

  it('refuses any matrix where a riskier cell is in a better zone [DOSSIER-SRS-23]', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...ZONES), { minLength: 25, maxLength: 25 }), (cells) => {
        const matrix = Object.fromEntries(sev.map((s, i) => [s, Object.fromEntries(prob.map((q, j) => [q, cells[i * 5 + j] as Zone]))]));
        const policy = { ...DEFAULT_RISK_POLICY, matrix };
        const monotone = sev.every((s, i) => prob.every((q, j) => {
          const here = ZONE_RANK[matrix[s]?.[q] ?? 'acceptable'];
          return (i === 0 || here >= ZONE_RANK[matrix[sev[i - 1] ?? '']?.[q] ?? 'acceptable']) && (j === 0 || here >= ZONE_RANK[matrix[s]?.[prob[j - 1] ?? ''] ?? 'acceptable']);
        }));
        expect(checkPolicy(policy).length === 0).toBe(monotone);
      }),
    );
  });

  it('names an incomplete matrix, unknown levels and an unmapped exploitability level by path [DOSSIER-SRS-23]', () => {
    const { S3: _dropped, ...rows } = DEFAULT_RISK_POLICY.matrix;
    expect(checkPolicy({ ...DEFAULT_RISK_POLICY, matrix: rows })).toEqual([{ path: ['matrix'], message: 'the matrix has no row for severity S3' }]);
    const holed = { ...DEFAULT_RISK_POLICY.matrix, S2: { P1: 'acceptable' as const, P2: 'acceptable' as const, P3: 'acceptable' as const, P4: 'reduce' as const, P9: 'reduce' as const } };
    expect(checkPolicy({ ...DEFAULT_RISK_POLICY, matrix: holed }).map((p) => p.message)).toEqual(['the matrix has no cell for S2 × P5', 'P9 is not a probability level']);
    const { E5: _e5, ...mapping } = DEFAULT_RISK_POLICY.exploitabilityAsProbability;
    expect(checkPolicy({ ...DEFAULT_RISK_POLICY, exploitabilityAsProbability: mapping })[0]?.message).toBe('exploitability E5 is not mapped to a probability band');
    const backwards = { ...DEFAULT_RISK_POLICY.exploitabilityAsProbability, E5: 'P1' };
    expect(checkPolicy({ ...DEFAULT_RISK_POLICY, exploitabilityAsProbability: backwards })[0]?.path).toEqual(['exploitabilityAsProbability', 'E5']);
    expect(checkPolicy({ ...DEFAULT_RISK_POLICY, probabilityMode: 'p1xp2' })[0]?.message).toBe('p1xp2 needs p1, p2 and combine');
  });

  it('evaluates P1 × P2, exploitability, and says what is wrong with an estimate [DOSSIER-SRS-24] [DOSSIER-SRS-26]', () => {
    const lv = (key: string): { key: string; name: string; definition: string } => ({ key, name: key, definition: key });
    const p1xp2: RiskPolicy = {
      ...DEFAULT_RISK_POLICY,
      probabilityMode: 'p1xp2',
      p1: [lv('L'), lv('H')],
      p2: [lv('L'), lv('H')],
      combine: { L: { L: 'P1', H: 'P2' }, H: { L: 'P3', H: 'P5' } },
    };
    expect(checkPolicy(p1xp2)).toEqual([]);
    expect(evaluateEstimate(p1xp2, { severity: 'S3', p1: 'H', p2: 'L' })).toEqual({ severity: 'S3', probability: 'P3', basis: 'P1 H × P2 L', zone: 'reduce' });
    expect(evaluateEstimate(p1xp2, { severity: 'S3', probability: 'P3' })).toMatchObject({ problem: expect.stringMatching(/policy estimates P1 × P2/) as unknown });
    expect(checkPolicy({ ...p1xp2, combine: { L: { L: 'P2', H: 'P1' }, H: { L: 'P3', H: 'P5' } } })[0]?.path).toEqual(['combine', 'L', 'H']);
    expect(evaluateEstimate(DEFAULT_RISK_POLICY, { severity: 'S4', exploitability: 'E2' })).toEqual({ severity: 'S4', probability: 'P2', basis: 'E2', zone: 'reduce' });
    expect(evaluateEstimate({ ...DEFAULT_RISK_POLICY, exploitabilityUse: 'never' }, { severity: 'S4', exploitability: 'E2' })).toMatchObject({ problem: expect.stringMatching(/does not allow/) as unknown, field: 'exploitability' });
    expect(evaluateEstimate(DEFAULT_RISK_POLICY, { severity: 'S9', probability: 'P1' })).toEqual({ problem: 'severity S9 is not a level of the policy (S1, S2, S3, S4, S5)', field: 'severity' });
    expect(evaluateEstimate(DEFAULT_RISK_POLICY, { severity: 'S2' })).toMatchObject({ field: 'probability' });
    expect(evaluateEstimate(DEFAULT_RISK_POLICY, { severity: 'S2', probability: 'P2', exploitability: 'E2' })).toMatchObject({ problem: expect.stringMatching(/more than one/) as unknown });
  });
});
