import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { isAppError } from '../core/errors.js';
import { DIALECTS, openTestStore } from '../test-support/stores.js';
import { migrations } from './migrate.js';
import { openStore, parseStoreTarget } from './open-store.js';

describe.each(DIALECTS)('migrations on %s', (dialect) => {
  it('are idempotent and refuse a database written by a newer Dossier [DOSSIER-SRS-7]', async () => {
    const t = await openTestStore(dialect);
    try {
      const target = parseStoreTarget(t.dbArg);
      // Opening again runs no migration twice.
      const again = await openStore(target);
      await again.close();
      await sql`insert into kysely_migration (name, timestamp) values ('9999-from-the-future', '2030-01-01T00:00:00.000Z')`.execute(t.store.db);
      const e: unknown = await openStore(target).then(
        async (s) => {
          await s.close();
          return undefined;
        },
        (err: unknown) => err,
      );
      expect(isAppError(e, 'SCHEMA_TOO_NEW')).toBe(true);
      const newest = Object.keys(migrations(dialect)).sort().at(-1) ?? '';
      expect((e as Error).message).toContain(`written by a newer Dossier (it has migration 9999-from-the-future; this Dossier knows up to ${newest})`);
    } finally {
      await t.cleanup();
    }
  });
});

describe('parseStoreTarget', () => {
  it('chooses PostgreSQL for postgres URLs and SQLite otherwise', () => {
    expect(parseStoreTarget('./dossier.db')).toEqual({ dialect: 'sqlite', location: './dossier.db' });
    expect(parseStoreTarget('postgres://u@h:5432/db?schema=qms')).toEqual({ dialect: 'postgres', location: 'postgres://u@h:5432/db', schema: 'qms' });
    expect(() => parseStoreTarget('postgres://u@h/db?schema=Bad-Name')).toThrow(/schema 'Bad-Name'/);
  });
});
