import { Readable } from 'node:stream';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Deps } from '../core/ports.js';
import { JUnitReader } from '../ingest/junit.js';
import { storeSnapshot } from '../test-support/assertions.js';
import { aProduct, someRecords } from '../test-support/factories.js';
import { DIALECTS, freshStore, type TestStore } from '../test-support/stores.js';
import { addLink } from '../app/use-cases/add-link.js';
import { createRelease } from '../app/use-cases/create-release.js';
import { editRecord } from '../app/use-cases/edit-record.js';
import { ingestTestRun } from '../app/use-cases/ingest-test-run.js';
import { verifyIntegrity } from '../app/use-cases/verify-integrity.js';
import { listAuditEvents } from '../app/use-cases/list-audit-events.js';

const JUNIT = `<testsuites><testsuite name="s" timestamp="2026-11-20T09:00:00Z">
  <testcase classname="unit" name="[TC-1] refuses TLS 1.2"/>
</testsuite></testsuites>`;

/** Tables the database keeps rows of: append-only ones and ones whose rows are never deleted. */
const GUARDED = [
  'audit_events', 'revisions', 'evidence_imports', 'evidence_items', 'evidence_refs', 'release_records', 'release_links',
  'release_evidence', 'products', 'records', 'links', 'releases',
] as const;

/**
 * An attacker with direct database access who does not touch the triggers (no DDL): only INSERT/UPDATE statements.
 * Every guarded table gets rows first (a product, records, a link, a test run and a release).
 */
describe.each(DIALECTS)('ways around the append-only triggers without DDL, on %s', (dialect) => {
  let t: TestStore;
  let deps: Deps;
  beforeEach(async () => {
    ({ t, deps } = await freshStore(dialect));
    await aProduct(deps);
    await someRecords(deps, 'RPM', ['SRS', 'SRS', 'TC']);
    await editRecord(deps, { productKey: 'RPM', record: 'SRS-1', baseRevision: 1, body: 'TLS 1.3 only.' });
    await addLink(deps, { productKey: 'RPM', link: { from: 'TC-1', type: 'verifies', to: 'SRS-1' } });
    await ingestTestRun(deps, { productKey: 'RPM', source: 'run.xml', contentHash: 'a'.repeat(64), meta: { version: '1.0.0' }, cases: new JUnitReader('run.xml').cases(Readable.from([JUNIT])) });
    await createRelease(deps, { productKey: 'RPM', version: '1.0.0' });
  });
  afterEach(async () => t.cleanup());

  const run = (text: string): Promise<unknown> => sql.raw(text).execute(t.store.db);

  async function columns(table: string): Promise<string[]> {
    const rows =
      dialect === 'sqlite'
        ? await sql<{ name: string }>`select name from pragma_table_info(${table})`.execute(t.store.db)
        : await sql<{ name: string }>`select column_name as name from information_schema.columns
            where table_schema = current_schema() and table_name = ${table} order by ordinal_position`.execute(t.store.db);
    return rows.rows.map((r) => r.name);
  }

  it('every guarded table has rows to attack', async () => {
    for (const table of GUARDED) {
      const n = await sql<{ n: number }>`select count(*) as n from ${sql.table(table)}`.execute(t.store.db);
      expect(Number(n.rows[0]?.n), table).toBeGreaterThan(0);
    }
  });

  it('refuses an audit event that does not extend the chain: a gap, a wrong previous hash, an old sequence number [DOSSIER-SRS-5]', async () => {
    const before = await storeSnapshot(deps);
    const cols = (await columns('audit_events')).filter((c) => c !== 'seq' && c !== 'prev_hash');
    const head = await t.store.read((r) => r.auditHead());
    const next = (head?.seq ?? 0) + 1;
    const copy = (seq: string, prev: string): string =>
      `insert into audit_events (seq, prev_hash, ${cols.join(', ')}) select ${seq}, ${prev}, ${cols.join(', ')} from audit_events where seq = 2`;
    await expect(run(copy(String(next + 1), `'${head?.hash ?? ''}'`))).rejects.toThrow(/must extend the chain/);
    await expect(run(copy(String(next), `'${'f'.repeat(64)}'`))).rejects.toThrow(/must extend the chain/);
    await expect(run(copy('2', 'prev_hash'))).rejects.toThrow(/dossier:/);
    expect(await storeSnapshot(deps)).toBe(before);
    // The application still appends.
    await editRecord(deps, { productKey: 'RPM', record: 'SRS-2', baseRevision: 1, body: 'Still writable.' });
    expect((await listAuditEvents(deps, { limit: 100 })).at(-1)).toMatchObject({ seq: next, action: 'RECORD_REVISED', entityId: 'RPM/SRS-2' });
    expect((await verifyIntegrity(deps)).ok).toBe(true);
  });

  it('refuses INSERT … ON CONFLICT DO UPDATE on the audit trail and on revisions [DOSSIER-SRS-2] [DOSSIER-SRS-5]', async () => {
    const before = await storeSnapshot(deps);
    const ev = await columns('audit_events');
    await expect(
      run(`insert into audit_events (${ev.join(', ')}) select ${ev.join(', ')} from audit_events where seq = 2 on conflict (seq) do update set actor = 'mallory'`),
    ).rejects.toThrow(/dossier:/);
    const rv = await columns('revisions');
    await expect(
      run(`insert into revisions (${rv.join(', ')}) select ${rv.join(', ')} from revisions where record_id = 1 and revision = 1 on conflict (record_id, revision) do update set title = 'x'`),
    ).rejects.toThrow(/dossier:/);
    expect(await storeSnapshot(deps)).toBe(before);
  });

  it('refuses to change the key columns of rows that may be updated, and to bring back a removed link', async () => {
    const before = await storeSnapshot(deps);
    await expect(run(`update records set number = 9 where id = 1`)).rejects.toThrow(/dossier: .*key columns/);
    await expect(run(`update products set key = 'XYZ'`)).rejects.toThrow(/dossier: .*key columns/);
    await expect(run(`update links set to_id = 2`)).rejects.toThrow(/dossier: .*key columns/);
    await expect(run(`update releases set audit_seq = 1, audit_hash = 'x'`)).rejects.toThrow(/dossier: .*key columns/);
    expect(await storeSnapshot(deps)).toBe(before);
    await run(`update links set removed_at = '2026-01-01T00:00:00.000Z', removed_by = 'mallory'`);
    await expect(run(`update links set removed_at = null`)).rejects.toThrow(/dossier: .*stays removed/);
  });

  if (dialect === 'sqlite') {
    it('refuses INSERT OR REPLACE / REPLACE INTO on every guarded table, by rowid or by any unique key', async () => {
      const before = await storeSnapshot(deps);
      for (const table of GUARDED) {
        const cols = await columns(table);
        // Tables without an integer key: name the rowid too, so the copy collides with the row it was read from.
        const list = (cols.includes('id') ? cols : ['rowid', ...cols]).join(', ');
        // Same row again: collides on the rowid (tables with an integer key) or on the primary key.
        await expect(run(`insert or replace into ${table} (${list}) select ${list} from ${table} where rowid = (select min(rowid) from ${table})`), table).rejects.toThrow(/dossier:/);
        await expect(run(`replace into ${table} (${list}) select ${list} from ${table} where rowid = (select max(rowid) from ${table})`), table).rejects.toThrow(/dossier:/);
        if (cols.includes('id')) {
          // A new ID, the same unique key (product key, record number, import content, release baseline).
          const moved = cols.map((c) => (c === 'id' ? 'id + 1000' : c)).join(', ');
          const plain = cols.join(', ');
          if (table !== 'evidence_items' && table !== 'links') {
            await expect(run(`insert or replace into ${table} (${plain}) select ${moved} from ${table} where rowid = (select min(rowid) from ${table})`), table).rejects.toThrow(/dossier:/);
          }
        }
      }
      // The active link between the same ends, under a new ID.
      const lc = await columns('links');
      await expect(run(`insert or replace into links (${lc.join(', ')}) select ${lc.map((c) => (c === 'id' ? 'id + 1000' : c)).join(', ')} from links`)).rejects.toThrow(/dossier:/);
      // The change that rewrote another actor's events: the trail, word for word, under another name.
      const ev = (await columns('audit_events')).map((c) => (c === 'actor' ? `'mallory'` : c)).join(', ');
      await expect(run(`insert or replace into audit_events select ${ev} from audit_events`)).rejects.toThrow(/dossier:/);
      // UPDATE OR REPLACE: giving SRS-2 the number of SRS-1 would delete SRS-1.
      await expect(run(`update or replace records set number = 1 where type = 'SRS' and number = 2`)).rejects.toThrow(/dossier:/);
      expect(await storeSnapshot(deps)).toBe(before);
      expect((await verifyIntegrity(deps)).ok).toBe(true);
    });
  }
});
