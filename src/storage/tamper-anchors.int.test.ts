import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseAuditAnchor, type AuditAnchor } from '../core/audit-anchor.js';
import { auditEventHash } from '../core/audit.js';
import type { Deps } from '../core/ports.js';
import { expectAppError } from '../test-support/assertions.js';
import { aProduct, someRecords } from '../test-support/factories.js';
import { DIALECTS, freshStore, type TestStore } from '../test-support/stores.js';
import { addLink } from '../app/use-cases/add-link.js';
import { createRelease } from '../app/use-cases/create-release.js';
import { changeRecordStatus } from '../app/use-cases/change-record-status.js';
import { editRecord } from '../app/use-cases/edit-record.js';
import { removeLink } from '../app/use-cases/remove-link.js';
import { getAuditAnchor } from '../app/use-cases/get-audit-anchor.js';
import { listAuditEvents } from '../app/use-cases/list-audit-events.js';
import { verifyIntegrity } from '../app/use-cases/verify-integrity.js';

/**
 * Truncation and re-chaining, as an attacker with direct database access who switches the triggers off: both leave
 * a chain that is consistent in itself, so only a point kept elsewhere (an anchor; a release's recorded head) shows
 * what was lost.
 */
describe.each(DIALECTS)('truncated and re-chained audit trails on %s', (dialect) => {
  let t: TestStore;
  let deps: Deps;
  /** The head each release recorded: the event before its RELEASE_CREATED. */
  let releasedAt: number;
  beforeEach(async () => {
    ({ t, deps } = await freshStore(dialect));
    await aProduct(deps);
    await someRecords(deps, 'RPM', ['SRS', 'TC', 'UN']);
    await editRecord(deps, { productKey: 'RPM', record: 'SRS-1', baseRevision: 1, body: 'TLS 1.3 only.' });
    await addLink(deps, { productKey: 'RPM', link: { from: 'TC-1', type: 'verifies', to: 'SRS-1' } });
    releasedAt = (await createRelease(deps, { productKey: 'RPM', version: '1.0.0' })).release.auditSeq;
    // Events after the release that write no revision (a revision without its event would show by itself).
    await changeRecordStatus(deps, { productKey: 'RPM', record: 'UN-1', to: 'in_review', baseRevision: 1 });
    await removeLink(deps, { productKey: 'RPM', linkId: 1, reason: 'Wrong test.' });
  });
  afterEach(async () => t.cleanup());

  /** Runs `fn` with every trigger on the audit trail off, as an attacker with database access could. */
  async function triggersOff(fn: () => Promise<void>): Promise<void> {
    const db = t.store.db;
    if (dialect === 'postgres') {
      await sql`alter table audit_events disable trigger user`.execute(db);
      await fn();
      await sql`alter table audit_events enable trigger user`.execute(db);
      return;
    }
    for (const name of ['audit_events_no_update', 'audit_events_no_delete', 'audit_events_extend', 'audit_events_no_replace']) {
      await sql.raw(`drop trigger ${name}`).execute(db);
    }
    await fn();
  }

  /** Deletes every event from `seq` on. */
  const truncateFrom = (seq: number): Promise<void> =>
    triggersOff(async () => {
      await sql`delete from audit_events where seq >= ${seq}`.execute(t.store.db);
    });

  /** Changes the actor of event `seq`, then re-hashes it and every event after it so the chain is whole again. */
  const rewriteFrom = (seq: number): Promise<void> =>
    triggersOff(async () => {
      const db = t.store.db;
      const rows = await db.selectFrom('audit_events').selectAll().where('seq', '>=', seq - 1).orderBy('seq').execute();
      let prevHash = rows[0]?.hash ?? '';
      for (const row of rows.slice(1)) {
        const actor = Number(row.seq) === seq ? 'mallory' : row.actor;
        const hash = auditEventHash({
          seq: Number(row.seq), occurredAt: row.occurred_at, actor, action: row.action, entityType: row.entity_type, entityId: row.entity_id,
          productKey: row.product_key, oldValue: row.old_value, newValue: row.new_value, reason: row.reason, prevHash,
        });
        await db.updateTable('audit_events').set({ actor, prev_hash: prevHash, hash }).where('seq', '=', row.seq).execute();
        prevHash = hash;
      }
    });

  async function anchorNow(): Promise<AuditAnchor> {
    return parseAuditAnchor((await getAuditAnchor(deps)).anchor);
  }

  it('audit anchor gives the head of the chain; verify accepts it, and refuses an empty trail to anchor [DOSSIER-SRS-51]', async () => {
    const events = await listAuditEvents(deps, { limit: 100 });
    const last = events.at(-1);
    const head = await getAuditAnchor(deps);
    expect(head).toEqual({ seq: last?.seq, hash: last?.hash, anchor: `${last?.seq ?? 0}:${last?.hash ?? ''}`, occurredAt: last?.occurredAt });
    const report = await verifyIntegrity(deps, undefined, { anchors: [await anchorNow(), parseAuditAnchor(`2:${events[1]?.hash ?? ''}`)] });
    expect(report).toMatchObject({ ok: true, anchorsChecked: 3, firstProblem: null });

    const empty = await freshStore(dialect);
    try {
      await expectAppError(getAuditAnchor(empty.deps), 'INVALID_STATE', /audit trail is empty/);
    } finally {
      await empty.t.cleanup();
    }
  });

  it('finds the newest events deleted down to below a release (RELEASE_CREATED included) by the head the release recorded', async () => {
    await truncateFrom(releasedAt + 1);
    const report = await verifyIntegrity(deps);
    expect(report.ok).toBe(false);
    expect(report.head?.seq).toBe(releasedAt);
    expect(report.problems).toContainEqual({
      kind: 'anchor_missing',
      seq: releasedAt,
      message: `release RPM 1.0.0 (baseline 1) was made after event ${releasedAt}, but the trail ends at event ${releasedAt}: events were removed from its end`,
    });
  });

  it('P11-01: finds a truncation above every release only with an anchor kept outside, and says where the trail now ends', async () => {
    const anchor = await anchorNow();
    await truncateFrom(anchor.seq - 1);
    const report = await verifyIntegrity(deps, undefined, { anchors: [anchor] });
    expect(report.ok).toBe(false);
    expect(report.problems).toContainEqual({
      kind: 'anchor_missing',
      seq: anchor.seq,
      message: `anchor ${anchor.seq}:${anchor.hash.slice(0, 12)}… names event ${anchor.seq}, but the trail ends at event ${anchor.seq - 2}: events were removed from its end`,
    });
  });

  it('finds an event edited below a release with everything after it re-hashed, by the head the release recorded', async () => {
    await rewriteFrom(3);
    const report = await verifyIntegrity(deps);
    expect(report.ok).toBe(false);
    expect(report.problems).toContainEqual({
      kind: 'anchor_mismatch',
      seq: releasedAt,
      message: `audit event ${releasedAt} does not have the hash recorded by release RPM 1.0.0 (baseline 1): the trail was rewritten at or before event ${releasedAt}`,
    });
  });

  it('finds an event edited after every release with everything after it re-hashed, by an anchor kept outside', async () => {
    const anchor = await anchorNow();
    await rewriteFrom(releasedAt + 2);
    const report = await verifyIntegrity(deps, undefined, { anchors: [anchor] });
    expect(report.problems).toContainEqual({
      kind: 'anchor_mismatch',
      seq: anchor.seq,
      message: `audit event ${anchor.seq} does not have the hash recorded by anchor ${anchor.seq}:${anchor.hash.slice(0, 12)}…: the trail was rewritten at or before event ${anchor.seq}`,
    });
  });
});
