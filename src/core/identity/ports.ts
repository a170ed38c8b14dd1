import type { ApiTokenRow, ResetTicketRow, RoleGrantRow, SessionActivity, SessionRow, UserRow } from './model.js';

/** Reads of users, role grants, sessions, API tokens and reset tickets. Implementation: `storage/identity-repository.ts`. */
export interface IdentityReader {
  findUser(username: string): Promise<UserRow | undefined>;
  findUserById(id: number): Promise<UserRow | undefined>;
  /** Every user, deactivated ones too, by username. */
  listUsers(): Promise<UserRow[]>;
  /** Role grants of one user (or of all), revoked ones too, by ID. */
  listRoleGrants(userId?: number): Promise<RoleGrantRow[]>;
  findSession(id: string): Promise<SessionRow | undefined>;
  /** Per user with any session: last login, last use, and the sessions still open at `now` (ISO UTC). */
  sessionActivity(now: string): Promise<SessionActivity[]>;
  findApiTokenBySecretHash(secretHash: string): Promise<ApiTokenRow | undefined>;
  findApiToken(id: number): Promise<ApiTokenRow | undefined>;
  /** Tokens of one user (or of all), revoked ones too, by ID. */
  listApiTokens(userId?: number): Promise<ApiTokenRow[]>;
  findResetTicket(secretHash: string): Promise<ResetTicketRow | undefined>;
}

/** What a change to a user may set (the username and creation never change). */
export interface UserPatch {
  readonly passwordHash?: string | null;
  readonly passwordSetAt?: string | null;
  readonly mustChangePassword?: boolean;
  readonly deactivatedAt?: string;
  readonly deactivatedBy?: string;
  readonly failedAttempts?: number;
  readonly lockedUntil?: string | null;
}

/** Identity writes, only inside `Store.write`. Nothing is ever deleted: users are deactivated, grants and tokens revoked. */
export interface IdentityWriter extends IdentityReader {
  /** Inserts a user with the next free ID and returns it. */
  insertUser(user: Omit<UserRow, 'id'>): Promise<UserRow>;
  updateUser(id: number, patch: UserPatch): Promise<void>;
  insertRoleGrant(grant: Omit<RoleGrantRow, 'id'>): Promise<RoleGrantRow>;
  revokeRoleGrant(id: number, at: string, by: string): Promise<void>;
  insertSession(session: SessionRow): Promise<void>;
  /** Moves a session's last-seen time and idle expiry. */
  touchSession(id: string, lastSeenAt: string, idleExpiresAt: string): Promise<void>;
  endSession(id: string, at: string): Promise<void>;
  /** Ends every open session of a user (deactivation, password change). */
  endUserSessions(userId: number, at: string): Promise<void>;
  insertApiToken(token: Omit<ApiTokenRow, 'id'>): Promise<ApiTokenRow>;
  revokeApiToken(id: number, at: string, by: string): Promise<void>;
  touchApiToken(id: number, at: string): Promise<void>;
  insertResetTicket(ticket: ResetTicketRow): Promise<void>;
  markResetTicketUsed(secretHash: string, at: string): Promise<void>;
}

/** Hashes and checks passwords (argon2id). Implementation: `shared/argon2-hasher.ts`. */
export interface PasswordHasher {
  /** A PHC string (`$argon2id$v=19$…`) with its own random salt. */
  hash(password: string): Promise<string>;
  /** True when `password` matches `hash`; false for a malformed hash. */
  verify(hash: string, password: string): Promise<boolean>;
}
