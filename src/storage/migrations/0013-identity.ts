import { sql, type Kysely, type Migration } from 'kysely';
import type { Dialect } from '../schema.js';
import { guardRows, guardTables } from './guards.js';

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
      await guardRows(db, dialect, { uniqueKeys: UNIQUE_KEYS, fixedColumns: FIXED_COLUMNS, staysSet: STAYS_SET });
    },
  };
}
