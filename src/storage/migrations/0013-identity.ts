import { sql, type Kysely, type Migration } from 'kysely';
import type { Dialect } from '../schema.js';
import { guardTables } from './guards.js';

/** Columns that name a row and never change once written (the rest of the row may be updated). */
const FIXED_COLUMNS: Readonly<Record<string, readonly string[]>> = {
  users: ['id', 'username', 'created_at', 'created_by'],
  role_grants: ['id', 'user_id', 'product_key', 'role', 'granted_at', 'granted_by'],
  api_tokens: ['id', 'secret_hash', 'name', 'user_id', 'product_key', 'permissions', 'created_at', 'created_by'],
  password_resets: ['secret_hash', 'user_id', 'created_at', 'created_by', 'expires_at'],
};

/** Columns that, once set, stay set: a deactivated user stays deactivated, a revoked grant or token stays revoked. */
const STAYS_SET: readonly (readonly [string, string])[] = [
  ['users', 'deactivated_at'],
  ['role_grants', 'revoked_at'],
  ['api_tokens', 'revoked_at'],
  ['password_resets', 'used_at'],
];

/** Unique keys, besides the rowid, checked before an insert on SQLite (see 0005: REPLACE deletes without triggers). */
const UNIQUE_KEYS: Readonly<Record<string, readonly (readonly string[])[]>> = {
  users: [['username']],
  role_grants: [],
  api_tokens: [['secret_hash']],
  password_resets: [['secret_hash']],
  sessions: [['id']],
};

/**
 * Users, role grants, sessions, API tokens and password reset tickets. Nothing is ever deleted: a user is
 * deactivated (its username stays taken, so it is never reused or reassigned), grants and tokens are revoked,
 * sessions ended, tickets used. Secrets are never stored: sessions, tokens and tickets are found by the SHA-256 of
 * their secret, passwords are argon2id hashes.
 */
export function identityMigration(dialect: Dialect): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('users')
        .addColumn('id', 'integer', (c) => c.primaryKey())
        .addColumn('username', 'text', (c) => c.notNull().unique())
        .addColumn('printed_name', 'text', (c) => c.notNull())
        .addColumn('password_hash', 'text')
        .addColumn('password_set_at', 'text')
        .addColumn('must_change_password', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('deactivated_at', 'text')
        .addColumn('deactivated_by', 'text')
        .addColumn('failed_attempts', 'integer', (c) => c.notNull())
        .addColumn('locked_until', 'text')
        .execute();
      await db.schema
        .createTable('role_grants')
        .addColumn('id', 'integer', (c) => c.primaryKey())
        .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
        .addColumn('product_key', 'text', (c) => c.notNull())
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('granted_at', 'text', (c) => c.notNull())
        .addColumn('granted_by', 'text', (c) => c.notNull())
        .addColumn('revoked_at', 'text')
        .addColumn('revoked_by', 'text')
        .execute();
      // A role is held at most once at a time; revoked grants are kept beside a new one.
      await sql`create unique index role_grants_active on role_grants (user_id, product_key, role) where revoked_at is null`.execute(db);
      await db.schema
        .createTable('sessions')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('last_seen_at', 'text', (c) => c.notNull())
        .addColumn('idle_expires_at', 'text', (c) => c.notNull())
        .addColumn('absolute_expires_at', 'text', (c) => c.notNull())
        .addColumn('ended_at', 'text')
        .execute();
      await db.schema.createIndex('sessions_user').on('sessions').column('user_id').execute();
      await db.schema
        .createTable('api_tokens')
        .addColumn('id', 'integer', (c) => c.primaryKey())
        .addColumn('secret_hash', 'text', (c) => c.notNull().unique())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
        .addColumn('product_key', 'text', (c) => c.notNull())
        .addColumn('permissions', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('revoked_at', 'text')
        .addColumn('revoked_by', 'text')
        .addColumn('last_used_at', 'text')
        .execute();
      await db.schema
        .createTable('password_resets')
        .addColumn('secret_hash', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .addColumn('used_at', 'text')
        .execute();
      await guardTables(db, dialect, { appendOnly: [], noDelete: ['users', 'role_grants', 'sessions', 'api_tokens', 'password_resets'] });
      await guardIdentityRows(db, dialect);
    },
  };
}

/** Fixed columns, columns that stay set, and (SQLite) no REPLACE: the same guards 0005 puts on the record tables. */
async function guardIdentityRows(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  const run = (text: string): Promise<unknown> => sql.raw(text).execute(db);
  if (dialect === 'sqlite') {
    for (const [t, keys] of Object.entries(UNIQUE_KEYS)) {
      const collides = [
        `exists (select 1 from ${t} where rowid = new.rowid)`,
        ...keys.map((cols) => `exists (select 1 from ${t} where ${cols.map((c) => `${c} = new.${c}`).join(' and ')})`),
      ];
      await run(
        `create trigger ${t}_no_replace before insert on ${t} when ${collides.join(' or ')} ` +
          `begin select raise(abort, 'dossier: ${t} already holds a row with this key; rows are never replaced, INSERT is refused'); end`,
      );
    }
    for (const [t, cols] of Object.entries(FIXED_COLUMNS)) {
      await run(
        `create trigger ${t}_fixed_columns before update of ${cols.join(', ')} on ${t} ` +
          `when ${cols.map((c) => `new.${c} is not old.${c}`).join(' or ')} ` +
          `begin select raise(abort, 'dossier: the key columns of ${t} (${cols.join(', ')}) never change; UPDATE is refused'); end`,
      );
    }
    for (const [t, c] of STAYS_SET) {
      await run(
        `create trigger ${t}_${c}_stays before update of ${c} on ${t} when old.${c} is not null and new.${c} is not old.${c} ` +
          `begin select raise(abort, 'dossier: ${t}.${c} never changes once set; UPDATE is refused'); end`,
      );
    }
    return;
  }
  // dossier_refuse_key_change() comes from 0005.
  for (const [t, cols] of Object.entries(FIXED_COLUMNS)) {
    await run(
      `create trigger ${t}_fixed_columns before update on ${t} for each row ` +
        `when (${cols.map((c) => `new.${c} is distinct from old.${c}`).join(' or ')}) ` +
        `execute function dossier_refuse_key_change('its key columns (${cols.join(', ')}) never change')`,
    );
  }
  for (const [t, c] of STAYS_SET) {
    await run(
      `create trigger ${t}_${c}_stays before update on ${t} for each row ` +
        `when (old.${c} is not null and new.${c} is distinct from old.${c}) ` +
        `execute function dossier_refuse_key_change('${c} never changes once set')`,
    );
  }
}
