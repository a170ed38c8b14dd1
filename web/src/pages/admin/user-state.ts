/** What the users page needs of a user (the API's `UserSchema`). */
export interface UserLike {
  readonly deactivatedAt: string | null;
  readonly lockedUntil: string | null;
  readonly passwordSetAt: string | null;
  readonly mustChangePassword: boolean;
}

export type UserState = 'active' | 'locked' | 'deactivated' | 'invited';

/** A user's state at `now`: deactivated for good, locked for a while, invited (no password yet), or active. */
export function userState(u: UserLike, now: number): UserState {
  if (u.deactivatedAt !== null) return 'deactivated';
  if (u.lockedUntil !== null && Date.parse(u.lockedUntil) > now) return 'locked';
  if (u.passwordSetAt === null) return 'invited';
  return 'active';
}

export const STATE_LABEL: Readonly<Record<UserState, string>> = {
  active: 'Active',
  locked: 'Locked',
  deactivated: 'Deactivated',
  invited: 'No password yet',
};

export const STATE_COLOR: Readonly<Record<UserState, string>> = { active: 'green', locked: 'orange', deactivated: 'gray', invited: 'blue' };

/** Users by the `state` filter of the URL (`all` or missing: every user). */
export function filterUsers<T extends UserLike>(users: readonly T[], state: string | null, now: number): T[] {
  return state === null || state === 'all' ? [...users] : users.filter((u) => userState(u, now) === state);
}
