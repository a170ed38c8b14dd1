import { sql, type Kysely, type Migration } from 'kysely';
import type { Dialect } from '../schema.js';
import { guardRows, guardTables } from './guards.js';

/** Columns that never change once written: everything but when the row was used. */
const FIXED_COLUMNS: Readonly<Record<string, readonly string[]>> = {
  sso_requests: ['state_hash', 'purpose', 'code_verifier', 'nonce', 'user_id', 'session_id', 'created_at', 'expires_at'],
  sign_tickets: ['secret_hash', 'user_id', 'session_id', 'auth_time', 'created_at', 'expires_at'],
};

/** Columns that, once set, stay set: a request or a ticket is used once. */
const STAYS_SET: readonly (readonly [string, string])[] = [
  ['sso_requests', 'used_at'],
  ['sign_tickets', 'used_at'],
];

/**
 * Single sign-on with OpenID Connect. A user may be linked to one account at one provider (`sso_issuer`,
 * `sso_subject`: the provider's issuer URL and its stable subject), and no two users to the same one. Two
 * operational tables: the login or re-authentication requests sent to the provider (found by the SHA-256 of their
 * `state`, with the PKCE verifier and nonce the answer is checked against), and the one-time tickets a fresh
 * re-authentication gives for signing (the SHA-256 of their secret, bound to a user and a session). Nothing is
 * deleted: requests and tickets are marked used.
 */
export function singleSignOnMigration(dialect: Dialect): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema.alterTable('users').addColumn('sso_issuer', 'text').execute();
      await db.schema.alterTable('users').addColumn('sso_subject', 'text').execute();
      await sql`create unique index users_sso on users (sso_issuer, sso_subject) where sso_subject is not null`.execute(db);
      await db.schema
        .createTable('sso_requests')
        .addColumn('state_hash', 'text', (c) => c.primaryKey())
        .addColumn('purpose', 'text', (c) => c.notNull().check(sql`purpose in ('login', 'reauth')`))
        .addColumn('code_verifier', 'text', (c) => c.notNull())
        .addColumn('nonce', 'text', (c) => c.notNull())
        .addColumn('user_id', 'integer', (c) => c.references('users.id'))
        .addColumn('session_id', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .addColumn('used_at', 'text')
        .execute();
      await db.schema
        .createTable('sign_tickets')
        .addColumn('secret_hash', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
        .addColumn('session_id', 'text', (c) => c.notNull())
        .addColumn('auth_time', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .addColumn('used_at', 'text')
        .execute();
      await guardTables(db, dialect, { appendOnly: [], noDelete: ['sso_requests', 'sign_tickets'] });
      await guardSsoRows(db, dialect);
    },
  };
}

/** The guards 0013 puts on the identity tables (fixed columns, columns that stay set, no REPLACE), and the SSO link's. */
async function guardSsoRows(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  await guardRows(db, dialect, {
    uniqueKeys: { sso_requests: [['state_hash']], sign_tickets: [['secret_hash']] },
    fixedColumns: FIXED_COLUMNS,
    staysSet: STAYS_SET,
  });
  if (dialect !== 'sqlite') return;
  const run = (text: string): Promise<unknown> => sql.raw(text).execute(db);
  // REPLACE on the SSO link would delete the other user holding it (without triggers): refused before it can.
  const taken = `new.sso_subject is not null and exists (select 1 from users where sso_issuer = new.sso_issuer and sso_subject = new.sso_subject`;
  await run(
    `create trigger users_sso_no_replace before insert on users when ${taken}) ` +
      `begin select raise(abort, 'dossier: another user is linked to this single sign-on account; INSERT is refused'); end`,
  );
  await run(
    `create trigger users_sso_no_replace_update before update of sso_issuer, sso_subject on users when ${taken} and id <> new.id) ` +
      `begin select raise(abort, 'dossier: another user is linked to this single sign-on account; UPDATE is refused'); end`,
  );
}
