import type { Selectable } from 'kysely';
import { AppError } from '../../core/errors.js';
import type { UserRow } from '../../core/identity/model.js';
import type { SignTicketRow, SsoRequestRow, SsoWriter } from '../../core/identity/sso.js';
import { toUserRow } from '../identity-repository.js';
import type { SignTicketTableRow, SsoRequestTableRow } from '../schema.js';
import { Repository } from './repository.js';

function toSsoRequestRow(r: Selectable<SsoRequestTableRow>): SsoRequestRow {
  if (r.purpose !== 'login' && r.purpose !== 'reauth') {
    throw new AppError('INTEGRITY', `single sign-on request has an unknown purpose '${r.purpose}' in the database`);
  }
  return {
    stateHash: r.state_hash,
    purpose: r.purpose,
    codeVerifier: r.code_verifier,
    nonce: r.nonce,
    userId: r.user_id,
    sessionId: r.session_id,
    createdAt: r.created_at,
    expiresAt: r.expires_at,
    usedAt: r.used_at,
  };
}

function toSignTicketRow(r: Selectable<SignTicketTableRow>): SignTicketRow {
  return {
    secretHash: r.secret_hash,
    userId: r.user_id,
    sessionId: r.session_id,
    authTime: r.auth_time,
    createdAt: r.created_at,
    expiresAt: r.expires_at,
    usedAt: r.used_at,
  };
}

/** Single sign-on: users' links to provider accounts, the requests sent to the provider, the tickets for signing. */
export class SsoRepository extends Repository implements SsoWriter {
  async findUserBySso(issuer: string, subject: string): Promise<UserRow | undefined> {
    const row = await this.db.selectFrom('users').selectAll().where('sso_issuer', '=', issuer).where('sso_subject', '=', subject).executeTakeFirst();
    return row === undefined ? undefined : toUserRow(row);
  }

  async findSsoRequest(stateHash: string): Promise<SsoRequestRow | undefined> {
    const row = await this.db.selectFrom('sso_requests').selectAll().where('state_hash', '=', stateHash).executeTakeFirst();
    return row === undefined ? undefined : toSsoRequestRow(row);
  }

  async findSignTicket(secretHash: string): Promise<SignTicketRow | undefined> {
    const row = await this.db.selectFrom('sign_tickets').selectAll().where('secret_hash', '=', secretHash).executeTakeFirst();
    return row === undefined ? undefined : toSignTicketRow(row);
  }

  async setUserSso(userId: number, issuer: string, subject: string): Promise<void> {
    await this.db.updateTable('users').set({ sso_issuer: issuer, sso_subject: subject }).where('id', '=', userId).execute();
  }

  async insertSsoRequest(r: SsoRequestRow): Promise<void> {
    await this.db
      .insertInto('sso_requests')
      .values({
        state_hash: r.stateHash,
        purpose: r.purpose,
        code_verifier: r.codeVerifier,
        nonce: r.nonce,
        user_id: r.userId,
        session_id: r.sessionId,
        created_at: r.createdAt,
        expires_at: r.expiresAt,
        used_at: r.usedAt,
      })
      .execute();
  }

  async markSsoRequestUsed(stateHash: string, at: string): Promise<void> {
    await this.db.updateTable('sso_requests').set({ used_at: at }).where('state_hash', '=', stateHash).execute();
  }

  async insertSignTicket(t: SignTicketRow): Promise<void> {
    await this.db
      .insertInto('sign_tickets')
      .values({
        secret_hash: t.secretHash,
        user_id: t.userId,
        session_id: t.sessionId,
        auth_time: t.authTime,
        created_at: t.createdAt,
        expires_at: t.expiresAt,
        used_at: t.usedAt,
      })
      .execute();
  }

  async markSignTicketUsed(secretHash: string, at: string): Promise<void> {
    await this.db.updateTable('sign_tickets').set({ used_at: at }).where('secret_hash', '=', secretHash).execute();
  }
}
