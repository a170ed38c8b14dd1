import { describe, expect, it } from 'vitest';
import { afterFailedLogin, DEFAULT_IDENTITY_POLICY, IdentityPolicySchema, isLocked, mustChangePassword, passwordExpired, passwordProblems, sessionExpiry } from './policy.js';

const P = DEFAULT_IDENTITY_POLICY;
const NOW = '2026-03-01T08:00:00.000Z';

describe('identity policy', () => {
  it('has defaults its own schema accepts', () => {
    expect(IdentityPolicySchema.parse(P)).toEqual(P);
    expect(IdentityPolicySchema.safeParse({ ...P, passwordMinLength: 4 }).success).toBe(false);
  });

  it('names every problem of a new password [DOSSIER-SRS-28]', () => {
    expect(passwordProblems(P, 'long-enough-secret', 'ada')).toEqual([]);
    expect(passwordProblems(P, 'short', 'ada')).toEqual(['it must be at least 12 characters long']);
    expect(passwordProblems(P, 'my name is ada, ok?', 'ada')).toEqual(['it must not contain the username']);
    expect(passwordProblems({ ...P, passwordMinClasses: 3 }, 'alllowercaseletters', 'ada')).toEqual([
      'it must mix at least 3 of lower-case letters, upper-case letters, digits and other characters',
    ]);
    // Length counts characters, not UTF-16 units.
    expect(passwordProblems(P, '🔑'.repeat(11), 'ada')).toEqual(['it must be at least 12 characters long']);
  });

  it('ages passwords only when configured; a password never set must be set', () => {
    expect(passwordExpired(P, { passwordSetAt: '2020-01-01T00:00:00.000Z' }, NOW)).toBe(false);
    const ageing = { ...P, passwordMaxAgeDays: 90 };
    expect(passwordExpired(ageing, { passwordSetAt: '2025-12-02T08:00:00.000Z' }, NOW)).toBe(false);
    expect(passwordExpired(ageing, { passwordSetAt: '2025-12-01T08:00:00.000Z' }, NOW)).toBe(true);
    expect(passwordExpired(P, { passwordSetAt: null }, NOW)).toBe(true);
    expect(mustChangePassword(P, { passwordSetAt: NOW, mustChangePassword: true }, NOW)).toBe(true);
  });

  it('locks after the configured number of failures, and counts again once a lockout ran out', () => {
    const p = { ...P, lockoutAttempts: 3, lockoutMinutes: 15 };
    let u = { failedAttempts: 0, lockedUntil: null as string | null };
    for (const locked of [false, false, true]) {
      const next = afterFailedLogin(p, u, NOW);
      expect(next.locked).toBe(locked);
      u = next;
    }
    expect(u).toMatchObject({ failedAttempts: 3, lockedUntil: '2026-03-01T08:15:00.000Z' });
    expect(isLocked(u, '2026-03-01T08:14:59.999Z')).toBe(true);
    expect(isLocked(u, '2026-03-01T08:15:00.000Z')).toBe(false);
    expect(afterFailedLogin(p, u, '2026-03-01T09:00:00.000Z')).toEqual({ failedAttempts: 1, lockedUntil: null, locked: false });
  });

  it('never lets the idle expiry pass the absolute one', () => {
    const p = { ...P, sessionIdleMinutes: 30, sessionAbsoluteHours: 1 };
    expect(sessionExpiry(p, NOW, NOW)).toEqual({ idleExpiresAt: '2026-03-01T08:30:00.000Z', absoluteExpiresAt: '2026-03-01T09:00:00.000Z' });
    expect(sessionExpiry(p, NOW, '2026-03-01T08:45:00.000Z').idleExpiresAt).toBe('2026-03-01T09:00:00.000Z');
  });
});
