import { describe, expect, it } from 'vitest';
import { filterUsers, userState } from './user-state';

const NOW = Date.parse('2026-03-01T08:00:00Z');
const base = { deactivatedAt: null, lockedUntil: null, passwordSetAt: '2026-01-01T00:00:00Z', mustChangePassword: false };

describe('user state', () => {
  it('is deactivated before locked, locked only while the lockout runs, invited without a password', () => {
    expect(userState(base, NOW)).toBe('active');
    expect(userState({ ...base, lockedUntil: '2026-03-01T08:10:00Z' }, NOW)).toBe('locked');
    expect(userState({ ...base, lockedUntil: '2026-03-01T07:50:00Z' }, NOW)).toBe('active');
    expect(userState({ ...base, lockedUntil: '2026-03-01T08:10:00Z', deactivatedAt: '2026-02-01T00:00:00Z' }, NOW)).toBe('deactivated');
    expect(userState({ ...base, passwordSetAt: null }, NOW)).toBe('invited');
  });
  it('filters by state, or not at all', () => {
    const users = [base, { ...base, deactivatedAt: '2026-02-01T00:00:00Z' }];
    expect(filterUsers(users, null, NOW)).toHaveLength(2);
    expect(filterUsers(users, 'all', NOW)).toHaveLength(2);
    expect(filterUsers(users, 'deactivated', NOW)).toEqual([users[1]]);
  });
});
