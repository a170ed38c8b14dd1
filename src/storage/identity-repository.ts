import type { Selectable } from 'kysely';
import { z } from 'zod';
import { AppError } from '../core/errors.js';
import { canonicalJson } from '../core/hashing.js';
import {
  PermissionSchema,
  RoleSchema,
  type ApiTokenRow,
  type ResetTicketRow,
  type RoleGrantRow,
  type SessionActivity,
  type SessionRow,
  type UserRow,
} from '../core/identity/model.js';
import type { IdentityWriter, UserPatch } from '../core/identity/ports.js';
import { Repository } from './repositories/repository.js';
import type { ApiTokenTableRow, PasswordResetTableRow, RoleGrantTableRow, SessionTableRow, UserTableRow } from './schema.js';

const PermissionsJsonSchema = z.array(PermissionSchema);

/** A user row of the database as the domain sees it (the SSO repository reads users too). */
export function toUserRow(r: Selectable<UserTableRow>): UserRow {
  return {
    id: r.id,
    username: r.username,
    printedName: r.printed_name,
    passwordHash: r.password_hash,
    passwordSetAt: r.password_set_at,
    mustChangePassword: Number(r.must_change_password) !== 0,
    createdAt: r.created_at,
    createdBy: r.created_by,
    deactivatedAt: r.deactivated_at,
    deactivatedBy: r.deactivated_by,
    failedAttempts: Number(r.failed_attempts),
    lockedUntil: r.locked_until,
    ssoIssuer: r.sso_issuer,
    ssoSubject: r.sso_subject,
  };
}

function toRoleGrantRow(r: Selectable<RoleGrantTableRow>): RoleGrantRow {
  const role = RoleSchema.safeParse(r.role);
  if (!role.success) throw new AppError('INTEGRITY', `role grant ${r.id} has an unknown role '${r.role}' in the database`);
  return {
    id: r.id,
    userId: r.user_id,
    productKey: r.product_key,
    role: role.data,
    grantedAt: r.granted_at,
    grantedBy: r.granted_by,
    revokedAt: r.revoked_at,
    revokedBy: r.revoked_by,
  };
}

function toSessionRow(r: Selectable<SessionTableRow>): SessionRow {
  return {
    id: r.id,
    userId: r.user_id,
    createdAt: r.created_at,
    lastSeenAt: r.last_seen_at,
    idleExpiresAt: r.idle_expires_at,
    absoluteExpiresAt: r.absolute_expires_at,
    endedAt: r.ended_at,
  };
}

function toApiTokenRow(r: Selectable<ApiTokenTableRow>): ApiTokenRow {
  let permissions: unknown;
  try {
    permissions = JSON.parse(r.permissions);
  } catch {
    permissions = undefined;
  }
  const parsed = PermissionsJsonSchema.safeParse(permissions);
  if (!parsed.success) throw new AppError('INTEGRITY', `API token ${r.id} has unreadable permissions in the database`);
  return {
    id: r.id,
    secretHash: r.secret_hash,
    name: r.name,
    userId: r.user_id,
    productKey: r.product_key,
    permissions: parsed.data,
    createdAt: r.created_at,
    createdBy: r.created_by,
    revokedAt: r.revoked_at,
    revokedBy: r.revoked_by,
    lastUsedAt: r.last_used_at,
  };
}

function toResetTicketRow(r: Selectable<PasswordResetTableRow>): ResetTicketRow {
  return {
    secretHash: r.secret_hash,
    userId: r.user_id,
    createdAt: r.created_at,
    createdBy: r.created_by,
    expiresAt: r.expires_at,
    usedAt: r.used_at,
  };
}

/**
 * The identity repository: users, role grants, sessions, API tokens and reset tickets over one Kysely connection or
 * transaction. `KyselySession` extends it, so the store's readers and writers carry these methods.
 */
export class IdentityRepository extends Repository implements IdentityWriter {

  async findUser(username: string): Promise<UserRow | undefined> {
    const row = await this.db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
    return row === undefined ? undefined : toUserRow(row);
  }

  async findUserById(id: number): Promise<UserRow | undefined> {
    const row = await this.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
    return row === undefined ? undefined : toUserRow(row);
  }

  async listUsers(): Promise<UserRow[]> {
    return (await this.db.selectFrom('users').selectAll().orderBy('username').execute()).map(toUserRow);
  }

  async listRoleGrants(userId?: number): Promise<RoleGrantRow[]> {
    let q = this.db.selectFrom('role_grants').selectAll().orderBy('id');
    if (userId !== undefined) q = q.where('user_id', '=', userId);
    return (await q.execute()).map(toRoleGrantRow);
  }

  async findSession(id: string): Promise<SessionRow | undefined> {
    const row = await this.db.selectFrom('sessions').selectAll().where('id', '=', id).executeTakeFirst();
    return row === undefined ? undefined : toSessionRow(row);
  }

  async sessionActivity(now: string): Promise<SessionActivity[]> {
    const last = await this.db
      .selectFrom('sessions')
      .select((eb) => ['user_id', eb.fn.max('created_at').as('last_login_at'), eb.fn.max('last_seen_at').as('last_seen_at')])
      .groupBy('user_id')
      .orderBy('user_id')
      .execute();
    // ISO UTC times of one form compare as text in both databases.
    const open = await this.db
      .selectFrom('sessions')
      .select((eb) => ['user_id', eb.fn.countAll().as('n')])
      .where('ended_at', 'is', null)
      .where('idle_expires_at', '>', now)
      .where('absolute_expires_at', '>', now)
      .groupBy('user_id')
      .execute();
    const openBy = new Map(open.map((r) => [r.user_id, Number(r.n)]));
    return last.map((r) => ({
      userId: r.user_id,
      lastLoginAt: r.last_login_at,
      lastSeenAt: r.last_seen_at,
      openSessions: openBy.get(r.user_id) ?? 0,
    }));
  }

  async findApiTokenBySecretHash(secretHash: string): Promise<ApiTokenRow | undefined> {
    const row = await this.db.selectFrom('api_tokens').selectAll().where('secret_hash', '=', secretHash).executeTakeFirst();
    return row === undefined ? undefined : toApiTokenRow(row);
  }

  async findApiToken(id: number): Promise<ApiTokenRow | undefined> {
    const row = await this.db.selectFrom('api_tokens').selectAll().where('id', '=', id).executeTakeFirst();
    return row === undefined ? undefined : toApiTokenRow(row);
  }

  async listApiTokens(userId?: number): Promise<ApiTokenRow[]> {
    let q = this.db.selectFrom('api_tokens').selectAll().orderBy('id');
    if (userId !== undefined) q = q.where('user_id', '=', userId);
    return (await q.execute()).map(toApiTokenRow);
  }

  async findResetTicket(secretHash: string): Promise<ResetTicketRow | undefined> {
    const row = await this.db.selectFrom('password_resets').selectAll().where('secret_hash', '=', secretHash).executeTakeFirst();
    return row === undefined ? undefined : toResetTicketRow(row);
  }

  async insertUser(u: Omit<UserRow, 'id'>): Promise<UserRow> {
    const id = await this.nextId('users');
    await this.db
      .insertInto('users')
      .values({
        id,
        username: u.username,
        printed_name: u.printedName,
        password_hash: u.passwordHash,
        password_set_at: u.passwordSetAt,
        must_change_password: u.mustChangePassword ? 1 : 0,
        created_at: u.createdAt,
        created_by: u.createdBy,
        deactivated_at: u.deactivatedAt,
        deactivated_by: u.deactivatedBy,
        failed_attempts: u.failedAttempts,
        locked_until: u.lockedUntil,
        sso_issuer: u.ssoIssuer,
        sso_subject: u.ssoSubject,
      })
      .execute();
    return { ...u, id };
  }

  async updateUser(id: number, p: UserPatch): Promise<void> {
    const set: Partial<UserTableRow> = {};
    if (p.passwordHash !== undefined) set.password_hash = p.passwordHash;
    if (p.passwordSetAt !== undefined) set.password_set_at = p.passwordSetAt;
    if (p.mustChangePassword !== undefined) set.must_change_password = p.mustChangePassword ? 1 : 0;
    if (p.deactivatedAt !== undefined) set.deactivated_at = p.deactivatedAt;
    if (p.deactivatedBy !== undefined) set.deactivated_by = p.deactivatedBy;
    if (p.failedAttempts !== undefined) set.failed_attempts = p.failedAttempts;
    if (p.lockedUntil !== undefined) set.locked_until = p.lockedUntil;
    if (Object.keys(set).length === 0) return;
    await this.db.updateTable('users').set(set).where('id', '=', id).execute();
  }

  async insertRoleGrant(g: Omit<RoleGrantRow, 'id'>): Promise<RoleGrantRow> {
    const id = await this.nextId('role_grants');
    await this.db
      .insertInto('role_grants')
      .values({
        id,
        user_id: g.userId,
        product_key: g.productKey,
        role: g.role,
        granted_at: g.grantedAt,
        granted_by: g.grantedBy,
        revoked_at: g.revokedAt,
        revoked_by: g.revokedBy,
      })
      .execute();
    return { ...g, id };
  }

  async revokeRoleGrant(id: number, at: string, by: string): Promise<void> {
    await this.db.updateTable('role_grants').set({ revoked_at: at, revoked_by: by }).where('id', '=', id).execute();
  }

  async insertSession(s: SessionRow): Promise<void> {
    await this.db
      .insertInto('sessions')
      .values({
        id: s.id,
        user_id: s.userId,
        created_at: s.createdAt,
        last_seen_at: s.lastSeenAt,
        idle_expires_at: s.idleExpiresAt,
        absolute_expires_at: s.absoluteExpiresAt,
        ended_at: s.endedAt,
      })
      .execute();
  }

  async touchSession(id: string, lastSeenAt: string, idleExpiresAt: string): Promise<void> {
    await this.db.updateTable('sessions').set({
      last_seen_at: lastSeenAt,
      idle_expires_at: idleExpiresAt,
    }).where('id', '=', id).execute();
  }

  async endSession(id: string, at: string): Promise<void> {
    await this.db.updateTable('sessions').set({ ended_at: at }).where('id', '=', id).where('ended_at', 'is', null).execute();
  }

  async endUserSessions(userId: number, at: string): Promise<void> {
    await this.db.updateTable('sessions').set({ ended_at: at }).where(
      'user_id',
      '=',
      userId,
    ).where('ended_at', 'is', null).execute();
  }

  async insertApiToken(t: Omit<ApiTokenRow, 'id'>): Promise<ApiTokenRow> {
    const id = await this.nextId('api_tokens');
    await this.db
      .insertInto('api_tokens')
      .values({
        id,
        secret_hash: t.secretHash,
        name: t.name,
        user_id: t.userId,
        product_key: t.productKey,
        permissions: canonicalJson(t.permissions),
        created_at: t.createdAt,
        created_by: t.createdBy,
        revoked_at: t.revokedAt,
        revoked_by: t.revokedBy,
        last_used_at: t.lastUsedAt,
      })
      .execute();
    return { ...t, id };
  }

  async revokeApiToken(id: number, at: string, by: string): Promise<void> {
    await this.db.updateTable('api_tokens').set({ revoked_at: at, revoked_by: by }).where('id', '=', id).execute();
  }

  async touchApiToken(id: number, at: string): Promise<void> {
    await this.db.updateTable('api_tokens').set({ last_used_at: at }).where('id', '=', id).execute();
  }

  async insertResetTicket(t: ResetTicketRow): Promise<void> {
    await this.db
      .insertInto('password_resets')
      .values({
        secret_hash: t.secretHash,
        user_id: t.userId,
        created_at: t.createdAt,
        created_by: t.createdBy,
        expires_at: t.expiresAt,
        used_at: t.usedAt,
      })
      .execute();
  }

  async markResetTicketUsed(secretHash: string, at: string): Promise<void> {
    await this.db.updateTable('password_resets').set({ used_at: at }).where('secret_hash', '=', secretHash).execute();
  }

  /** The next free ID of a table (writes are serialized, so no other writer takes it meanwhile). */
  private async nextId(table: 'users' | 'role_grants' | 'api_tokens'): Promise<number> {
    const row = await this.db
      .selectFrom(table)
      .select((eb) => eb.fn.max<number | null>('id').as('max'))
      .executeTakeFirst();
    return Number(row?.max ?? 0) + 1;
  }
}
