import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { addLinks } from '../../../app/use-cases/add-links.js';
import { addRecords } from '../../../app/use-cases/add-records.js';
import { addLink } from '../../../app/use-cases/add-link.js';
import { editRecord } from '../../../app/use-cases/edit-record.js';
import { getRecord } from '../../../app/use-cases/get-record.js';
import { listAuditEvents } from '../../../app/use-cases/list-audit-events.js';
import { verifyIntegrity } from '../../../app/use-cases/verify-integrity.js';
import { appendAudit } from '../../../core/audit-trail.js';
import type { OqCase, OqContext } from '../oq-case.js';
import { refused } from './records.js';
import { aProduct, behindTheAppsBack, P, rawSql, snapshot } from './support.js';

/** A product with a requirement (revised once), a test case verifying it and a user need: 6 audit events. */
async function smallProduct({ deps }: OqContext): Promise<void> {
  await aProduct(deps);
  await addRecords(deps, { productKey: P, records: [{ type: 'SRS', title: 'Upload uses TLS 1.3 only' }, { type: 'TC', title: 'TLS 1.2 is refused', fields: { level: 'integration' } }, { type: 'UN', title: 'Readings stay private' }] });
  await editRecord(deps, { productKey: P, record: 'SRS-1', baseRevision: 1, body: 'TLS 1.3 only, no fallback.' });
  await addLink(deps, { productKey: P, link: { from: 'TC-1', type: 'verifies', to: 'SRS-1' } });
}

export const AUDIT_CASES: readonly OqCase[] = [
  {
    id: 'OQ-4',
    title: 'a change commits with its audit event or not at all: a batch failing part-way and a write failing after its first rows leave the last committed state',
    verifies: ['SRS-4'],
    async run(ctx) {
      const { deps } = ctx;
      await smallProduct(ctx);
      // Each committed change has its audit event, naming the revision it wrote.
      await editRecord(deps, { productKey: P, record: 'UN-1', baseRevision: 1, title: 'Readings stay private in transit' });
      const last = (await listAuditEvents(deps, { limit: 1000 })).at(-1);
      assert.equal(last?.action, 'RECORD_REVISED');
      assert.equal(last?.entityId, `${P}/UN-1`);
      const hash = (await getRecord(deps, { productKey: P, record: 'UN-1' })).revision.hash;
      assert.equal((JSON.parse(last?.newValue ?? '{}') as { hash?: string }).hash, hash);

      const before = await snapshot(deps);
      // A batch of records whose second is bad, a batch of links whose second is forbidden: neither first is kept.
      await refused(addRecords(deps, { productKey: P, records: [{ type: 'UN', title: 'Fine' }, { type: 'TC', title: 'No level' }] }), 'INVALID_INPUT', /level/);
      await refused(
        addLinks(deps, { productKey: P, links: [{ from: 'TC-1', type: 'verifies', to: 'UN-1' }, { from: 'SRS-1', type: 'verifies', to: 'TC-1' }] }),
        'INVALID_INPUT',
        /cannot go from/,
      );
      // A write that fails after its audit event and its revision are written (a crash part-way) keeps neither.
      await assert.rejects(
        deps.store.write(async (w) => {
          const at = deps.clock.now();
          await appendAudit(w, deps, at, [{ action: 'RECORD_REVISED', entityType: 'record', entityId: `${P}/UN-1`, productKey: P, newValue: { revision: 3 } }]);
          await w.insertRevisions([{ recordId: 3, revision: 3, title: 'Half-written', body: '', fields: {}, hash: 'f'.repeat(64), createdAt: at, createdBy: deps.actor.id }]);
          throw new Error('OQ: the process stops part-way');
        }),
        /stops part-way/,
      );
      assert.equal(await snapshot(deps), before, 'a failed change left part of itself in the store');
      assert.equal((await verifyIntegrity(deps)).ok, true);
      // The store goes on from the last committed state.
      await editRecord(deps, { productKey: P, record: 'UN-1', baseRevision: 2, title: 'Readings stay private at rest and in transit' });
      assert.equal((await getRecord(deps, { productKey: P, record: 'UN-1' })).head.latestRevision, 3);
      assert.equal((await verifyIntegrity(deps)).ok, true);
    },
  },
  {
    id: 'OQ-5',
    title: 'the database itself refuses to update, delete or truncate audit events, and an inserted event that does not extend the chain',
    verifies: ['SRS-5'],
    async run(ctx) {
      const { deps } = ctx;
      await smallProduct(ctx);
      const db = ctx.store.db;
      const before = await snapshot(deps);
      await assert.rejects(sql`update audit_events set actor = 'mallory' where seq = 2`.execute(db), /append-only|refused/);
      await assert.rejects(sql`update audit_events set new_value = null`.execute(db), /append-only|refused/);
      await assert.rejects(sql`delete from audit_events where seq = 6`.execute(db), /never deleted|refused/);
      await assert.rejects(sql`delete from audit_events`.execute(db), /never deleted|refused/);
      if (ctx.dialect === 'postgres') await assert.rejects(sql`truncate audit_events`.execute(db), /refused/);
      // An event copied in with the next sequence number but not the head's hash does not extend the chain.
      const cols = (await sql<{ name: string }>`${ctx.dialect === 'sqlite' ? sql`select name from pragma_table_info('audit_events')` : sql`select column_name as name from information_schema.columns where table_schema = current_schema() and table_name = 'audit_events' order by ordinal_position`}`.execute(db)).rows
        .map((r) => r.name)
        .filter((c) => c !== 'seq' && c !== 'prev_hash');
      await assert.rejects(
        rawSql(ctx, `insert into audit_events (seq, prev_hash, ${cols.join(', ')}) select 7, '${'f'.repeat(64)}', ${cols.join(', ')} from audit_events where seq = 2`),
        /must extend the chain|dossier:/,
      );
      assert.equal(await snapshot(deps), before, 'the audit trail changed under the application');
      const report = await verifyIntegrity(deps);
      assert.equal(report.ok, true);
      assert.equal(report.eventsChecked, 6);
      // The application still appends.
      await editRecord(deps, { productKey: P, record: 'UN-1', baseRevision: 1, title: 'Readings stay private in transit' });
      assert.equal((await listAuditEvents(deps, { limit: 1000 })).at(-1)?.seq, 7);
    },
  },
  {
    id: 'OQ-6',
    title: 'verification finds an audit event, a revision and a revision with its hash changed in the database behind the application, naming each',
    verifies: ['SRS-6'],
    async run(ctx) {
      const { deps } = ctx;
      await smallProduct(ctx);
      const clean = await verifyIntegrity(deps);
      assert.equal(clean.ok, true);
      assert.deepEqual(clean.problems, []);

      await behindTheAppsBack(ctx, `update audit_events set actor = 'mallory' where seq = 3`);
      let report = await verifyIntegrity(deps);
      assert.equal(report.ok, false);
      assert.equal(report.firstProblem?.kind, 'event_altered');
      assert.equal(report.firstProblem?.seq, 3);
      assert.match(report.firstProblem?.message ?? '', /audit event 3 .* does not match its hash/);

      await behindTheAppsBack(ctx, `update audit_events set actor = '${deps.actor.id}' where seq = 3`);
      assert.equal((await verifyIntegrity(deps)).ok, true, 'the event put back is not verified again');

      await behindTheAppsBack(ctx, `update revisions set title = 'Upload may use TLS 1.0' where record_id = 1 and revision = 1`);
      report = await verifyIntegrity(deps);
      assert.equal(report.ok, false);
      assert.ok(
        report.problems.some((p) => p.kind === 'revision_altered' && p.item === `${P}/SRS-1@1`),
        `not found: ${report.problems.map((p) => p.message).join('; ')}`,
      );
      // The same change with a hash recomputed to match: the trail still knows the old hash.
      await behindTheAppsBack(ctx, `update revisions set hash = '${'0'.repeat(64)}' where record_id = 1 and revision = 1`);
      report = await verifyIntegrity(deps);
      assert.ok(report.problems.some((p) => p.kind === 'revision_altered' && p.item === `${P}/SRS-1@1`));
    },
  },
  {
    id: 'OQ-7',
    title: 'verification finds current state changed in the database without touching its guards: a link marked removed, a record status, an inserted revision',
    verifies: ['SRS-6'],
    async run(ctx) {
      const { deps } = ctx;
      await smallProduct(ctx);
      assert.equal((await verifyIntegrity(deps)).ok, true);
      const messages = async (): Promise<string[]> => {
        const report = await verifyIntegrity(deps);
        assert.equal(report.ok, false, 'a change made in the database was not found');
        return report.problems.map((p) => p.message);
      };

      // Plain UPDATEs an attacker without DDL rights may run on rows that may change.
      await rawSql(ctx, `update links set removed_at = '2026-01-01T00:00:00.000Z', removed_by = 'mallory' where id = 1`);
      let found = await messages();
      assert.ok(found.some((m) => m.startsWith(`link ${P}/link/1: removed at is '2026-01-01T00:00:00.000Z' in the store but none by the audit trail`)), found.join('; '));

      await behindTheAppsBack(ctx, `update records set status = 'approved' where id = 2`);
      found = await messages();
      assert.ok(found.includes(`record ${P}/TC-1: status is 'approved' in the store but 'draft' by the audit trail`), found.join('; '));

      // A revision inserted outside Dossier: no audit event recorded it.
      const v = await getRecord(deps, { productKey: P, record: 'TC-1' });
      await behindTheAppsBack(
        ctx,
        `insert into revisions (record_id, revision, title, body, fields, hash, created_at, created_by) values (2, 2, 'Inserted', '', '${JSON.stringify(v.revision.fields)}', '${'a'.repeat(64)}', '2026-01-01T00:00:00.000Z', 'mallory')`,
      );
      found = await messages();
      assert.ok(found.some((m) => m.includes(`${P}/TC-1@2`)), found.join('; '));
    },
  },
];
