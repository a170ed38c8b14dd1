import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cvssBaseScore, cvssVersionOf, severityOfScore } from './cvss.js';

describe('CVSS base scores', () => {
  it('computes v3.x base scores that match the scores published for these vectors', () => {
    const cases: [string, number, string][] = [
      ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 9.8, 'critical'],
      ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H', 7.5, 'high'],
      ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H', 10, 'critical'],
      ['CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N', 6.1, 'medium'],
      ['CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:L/I:L/A:N', 6.4, 'medium'],
      ['CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H', 7.8, 'high'],
      ['CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:N/A:N', 5.9, 'medium'],
      ['CVSS:3.1/AV:P/AC:H/PR:H/UI:R/S:U/C:L/I:N/A:N', 1.6, 'low'],
      ['CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 9.8, 'critical'],
      ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N', 0, 'none'],
      // Temporal metrics do not change the base score.
      ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:U/RL:O/RC:C', 9.8, 'critical'],
    ];
    for (const [vector, score, severity] of cases) expect(cvssBaseScore(vector), vector).toMatchObject({ score, severity });
  });

  it('computes v2 base scores with NVD bands, and does not compute v4.0', () => {
    expect(cvssBaseScore('AV:N/AC:L/Au:N/C:P/I:P/A:P')).toEqual({ version: '2.0', score: 7.5, severity: 'high' });
    expect(cvssBaseScore('AV:N/AC:M/Au:N/C:N/I:P/A:N')).toMatchObject({ score: 4.3, severity: 'medium' });
    expect(cvssBaseScore('AV:N/AC:L/Au:N/C:C/I:C/A:C')).toMatchObject({ score: 10, severity: 'high' });
    expect(cvssBaseScore('AV:L/AC:L/Au:N/C:P/I:N/A:N')).toMatchObject({ score: 2.1, severity: 'low' });
    expect(cvssBaseScore('CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N')).toBeUndefined();
    expect(cvssVersionOf('CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N')).toBe('4.0');
    expect(cvssVersionOf('AV:N/AC:L/Au:N/C:P/I:P/A:P')).toBe('2.0');
  });

  it('refuses malformed vectors instead of guessing', () => {
    for (const v of ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H', 'CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 'CVSS:3.1/AV:N/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', '', 'high']) {
      expect(cvssBaseScore(v), v).toBeUndefined();
    }
  });

  it('every well-formed v3.1 vector scores between 0 and 10 in one-decimal steps, banded consistently', () => {
    const m = (xs: string[]): fc.Arbitrary<string> => fc.constantFrom(...xs);
    fc.assert(
      fc.property(fc.tuple(m(['N', 'A', 'L', 'P']), m(['L', 'H']), m(['N', 'L', 'H']), m(['N', 'R']), m(['U', 'C']), m(['H', 'L', 'N']), m(['H', 'L', 'N']), m(['H', 'L', 'N'])), ([av, ac, pr, ui, s, c, i, a]) => {
        const r = cvssBaseScore(`CVSS:3.1/AV:${av}/AC:${ac}/PR:${pr}/UI:${ui}/S:${s}/C:${c}/I:${i}/A:${a}`);
        expect(r).toBeDefined();
        if (r === undefined) return;
        expect(r.score).toBeGreaterThanOrEqual(0);
        expect(r.score).toBeLessThanOrEqual(10);
        expect(Math.round(r.score * 10)).toBeCloseTo(r.score * 10, 9);
        expect(r.severity).toBe(severityOfScore(r.score));
        expect(r.score === 0).toBe(c === 'N' && i === 'N' && a === 'N');
      }),
    );
  });
});
