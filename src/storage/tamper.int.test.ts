import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Deps } from '../core/ports.js';
import { expectAppError } from '../test-support/assertions.js';
import { aProduct, someRecords } from '../test-support/factories.js';
import { DIALECTS, freshStore, type TestStore } from '../test-support/stores.js';
import { addLink } from '../app/use-cases/add-link.js';
import { editRecord } from '../app/use-cases/edit-record.js';
import { verifyIntegrity } from '../app/use-cases/verify-integrity.js';
import { auditEventHash } from '../core/audit.js';
import { hashRevision } from '../core/revision-hash.js';

describe.each(DIALECTS)('audit trail integrity on %s', (dialect) => {
  let t: TestStore;
  let deps: Deps;
  beforeEach(async () => {
    ({ t, deps } = await freshStore(dialect));
    await aProduct(deps);
    await someRecords(deps, 'RPM', ['SRS', 'TC', 'UN']);
    await editRecord(deps, { productKey: 'RPM', record: 'SRS-1', baseRevision: 1, body: 'TLS 1.3 only.' });
    await addLink(deps, { productKey: 'RPM', link: { from: 'TC-1', type: 'verifies', to: 'SRS-1' } });
  });
  afterEach(async () => t.cleanup());

  /** Runs SQL with the append-only triggers switched off: what an attacker with database access could do. */
  async function behindTheAppsBack(table: 'audit_events' | 'revisions', statement: string): Promise<void> {
    const db = t.store.db;
    if (dialect === 'postgres') {
      await sql.raw(`alter table ${table} disable trigger user`).execute(db);
      await sql.raw(statement).execute(db);
      await sql.raw(`alter table ${table} enable trigger user`).execute(db);
    } else {
      await sql.raw(`drop trigger ${table}_no_update`).execute(db);
      await sql.raw(statement).execute(db);
    }
  }

  it('verifies an untouched store', async () => {
    const report = await verifyIntegrity(deps);
    expect(report).toMatchObject({ ok: true, eventsChecked: 6, revisionsChecked: 4, firstProblem: null });
    expect(report.head?.seq).toBe(6);
  });

  it('P11-03 P11-05: the database itself refuses UPDATE and DELETE on the audit trail and on revisions [DOSSIER-SRS-2] [DOSSIER-SRS-3] [DOSSIER-SRS-5]', async () => {
    const db = t.store.db;
    await expect(sql`update audit_events set actor = 'mallory' where seq = 2`.execute(db)).rejects.toThrow(/append-only|refused/);
    await expect(sql`delete from audit_events where seq = 6`.execute(db)).rejects.toThrow(/never deleted|refused/);
    await expect(sql`update revisions set title = 'x'`.execute(db)).rejects.toThrow(/append-only|refused/);
    await expect(sql`delete from revisions`.execute(db)).rejects.toThrow(/never deleted|refused/);
    await expect(sql`delete from records`.execute(db)).rejects.toThrow(/never deleted|refused/);
    await expect(sql`delete from links`.execute(db)).rejects.toThrow(/never deleted|refused/);
    if (dialect === 'postgres') await expect(sql`truncate audit_events`.execute(db)).rejects.toThrow(/refused/);
    expect((await verifyIntegrity(deps)).ok).toBe(true);
  });

  it('P11-01: finds an audit event changed behind the application\'s back and names it [DOSSIER-SRS-6]', async () => {
    await behindTheAppsBack('audit_events', `update audit_events set actor = 'mallory' where seq = 3`);
    const report = await verifyIntegrity(deps);
    expect(report.ok).toBe(false);
    expect(report.firstProblem).toMatchObject({ kind: 'event_altered', seq: 3 });
    expect(report.firstProblem?.message).toMatch(/audit event 3 \(RECORD_CREATED RPM\/TC-1\) does not match its hash/);
  });

  it('P11-01: finds an event whose hash was recomputed too, because the next event no longer points to it', async () => {
    const db = t.store.db;
    const row = await db.selectFrom('audit_events').selectAll().where('seq', '=', 2).executeTakeFirstOrThrow();
    
    const forged = auditEventHash({
      seq: 2, occurredAt: row.occurred_at, actor: 'mallory', action: row.action, entityType: row.entity_type,
      entityId: row.entity_id, productKey: row.product_key, oldValue: row.old_value, newValue: row.new_value,
      reason: row.reason, prevHash: row.prev_hash,
    });
    await behindTheAppsBack('audit_events', `update audit_events set actor = 'mallory', hash = '${forged}' where seq = 2`);
    const report = await verifyIntegrity(deps);
    expect(report.firstProblem).toMatchObject({ kind: 'chain_broken', seq: 3 });
  });

  it('P11-01: finds a record revision changed behind the application\'s back, with or without its hash [DOSSIER-SRS-6]', async () => {
    await behindTheAppsBack('revisions', `update revisions set title = 'Upload may use TLS 1.0' where record_id = 1 and revision = 1`);
    let report = await verifyIntegrity(deps);
    expect(report.ok).toBe(false);
    expect(report.firstProblem).toMatchObject({ kind: 'revision_altered', item: 'RPM/SRS-1@1' });
    expect(report.firstProblem?.message).toMatch(/does not match its stored hash/);

    // Now also rewrite the stored hash so the revision is self-consistent: the trail still knows the old hash.
    
    const v = await t.store.read((r) => r.findRevision(1, 1));
    const forged = hashRevision('RPM', 'SRS', 1, { revision: 1, title: 'Upload may use TLS 1.0', body: v?.body ?? '', fields: v?.fields ?? {} });
    if (dialect === 'postgres') {
      await behindTheAppsBack('revisions', `update revisions set hash = '${forged}' where record_id = 1 and revision = 1`);
    } else {
      await sql.raw(`update revisions set hash = '${forged}' where record_id = 1 and revision = 1`).execute(t.store.db);
    }
    report = await verifyIntegrity(deps);
    expect(report.firstProblem).toMatchObject({ kind: 'revision_altered', item: 'RPM/SRS-1@1' });
    expect(report.firstProblem?.message).toMatch(/differs from the revision its audit event recorded/);
  });

  it('refuses to write through the store when the database refuses, leaving the last committed state [DOSSIER-SRS-4]', async () => {
    const db = t.store.db;
    // A write that fails half-way (after inserting a revision) keeps nothing of it. A key already taken is a conflict.
    await expectAppError(
      deps.store.write(async (w) => {
        await w.insertRevisions([{ recordId: 1, revision: 3, title: 'x', body: '', fields: {}, hash: 'f'.repeat(64), createdAt: 'now', createdBy: 'alice' }]);
        await w.insertRevisions([{ recordId: 1, revision: 3, title: 'dup', body: '', fields: {}, hash: 'f'.repeat(64), createdAt: 'now', createdBy: 'alice' }]);
      }),
      'CONFLICT',
      /^revisions already holds a row with /,
    );
    const n = await db.selectFrom('revisions').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
    expect(Number(n.n)).toBe(4);
    expect((await verifyIntegrity(deps)).ok).toBe(true);
  });
});
