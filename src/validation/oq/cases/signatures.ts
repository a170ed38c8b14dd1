import assert from 'node:assert/strict';
import { acceptSignatureStatementUseCase } from '../../../app/use-cases/accept-signature-statement.js';
import { addRecords } from '../../../app/use-cases/add-records.js';
import { changeRecordStatus } from '../../../app/use-cases/change-record-status.js';
import { editRecord } from '../../../app/use-cases/edit-record.js';
import { getRecord } from '../../../app/use-cases/get-record.js';
import { grantRoleUseCase } from '../../../app/use-cases/grant-role.js';
import { listAuditEvents } from '../../../app/use-cases/list-audit-events.js';
import { setWorkflowUseCase } from '../../../app/use-cases/set-workflow.js';
import { SignRecordsOutputSchema, signRecordsUseCase } from '../../../app/use-cases/sign-records.js';
import type { z } from 'zod';
import { verifyIntegrity } from '../../../app/use-cases/verify-integrity.js';
import type { Role } from '../../../core/access/permissions.js';
import type { Deps } from '../../../core/ports.js';
import type { WorkflowMeaning } from '../../../core/signatures/model.js';
import type { OqCase, OqContext } from '../oq-case.js';
import { aUser } from './identity.js';
import { refused } from './records.js';
import { aProduct, behindTheAppsBack, columns, operator, P, rawSql, runAs, snapshot } from './support.js';

/** The signing team: each with a password, a role on the product and the accountability statement accepted. */
const TEAM = {
  quinn: { username: 'quinn.qa', printedName: 'Quinn Quality', roles: ['quality'], password: 'quinn-reviews-everything' },
  avery: { username: 'avery.approver', printedName: 'Avery Approver', roles: ['approver'], password: 'avery-approves-carefully' },
  sam: { username: 'sam.both', printedName: 'Sam Both', roles: ['quality', 'approver'], password: 'sam-holds-two-roles' },
  vic: { username: 'vic.viewer', printedName: 'Vic Viewer', roles: ['viewer'], password: 'vic-only-looks-around' },
} as const satisfies Record<string, { username: string; printedName: string; roles: readonly Role[]; password: string }>;
type Member = keyof typeof TEAM;
type SignOutput = z.output<typeof SignRecordsOutputSchema>;

async function aTeam(ctx: OqContext): Promise<void> {
  for (const m of Object.values(TEAM)) {
    const [first, ...more] = m.roles;
    await aUser(ctx, m.username, m.printedName, m.password, first);
    for (const role of more) await runAs(ctx, grantRoleUseCase, operator(ctx), { username: m.username, role, productKey: P });
    await runAs(ctx, acceptSignatureStatementUseCase, operator(ctx), { username: m.username, password: m.password });
  }
}

/** A product, the team, and `n` requirements in review (written by `deps`' actor). */
async function inReview(ctx: OqContext, n: number, deps: Deps = ctx.deps): Promise<void> {
  await aTeam(ctx);
  await addRecords(deps, { productKey: P, records: Array.from({ length: n }, (_, i) => ({ type: 'SRS', title: `Requirement ${i + 1}` })) });
  for (let i = 1; i <= n; i++) await changeRecordStatus(deps, { productKey: P, record: `SRS-${i}`, to: 'in_review', baseRevision: 1 });
}

/** A member signs records at a revision with their password, through the signing use-case. */
function sign(ctx: OqContext, who: Member, meaning: WorkflowMeaning, records: readonly string[] = ['SRS-1'], revision = 1, password: string = TEAM[who].password): Promise<SignOutput> {
  return runAs(ctx, signRecordsUseCase, operator(ctx), {
    productKey: P,
    records: records.map((record) => ({ record, revision })),
    meaning,
    username: TEAM[who].username,
    password,
  });
}

export const SIGNATURE_CASES: readonly OqCase[] = [
  {
    id: 'OQ-19',
    title: 'a signature names signer, printed name, UTC time, meaning and the signed revision\'s hash, and needs the signer\'s password at signing',
    verifies: ['SRS-30'],
    async run(ctx) {
      const { deps } = ctx;
      await aProduct(deps);
      await inReview(ctx, 2);
      const before = await snapshot(deps, true);
      await refused(sign(ctx, 'quinn', 'reviewed', ['SRS-1'], 1, 'not-the-password'), 'UNAUTHENTICATED', /wrong username or password/);
      assert.equal((await listAuditEvents(deps, { limit: 1000 })).at(-1)?.action, 'SIGNATURE_REFUSED');
      assert.deepEqual((await getRecord(deps, { productKey: P, record: 'SRS-1' })).signatures, []);
      // The failed attempt counts toward lockout; nothing else changed.
      const attempts = await ctx.store.db.selectFrom('users').select(['failed_attempts']).where('username', '=', TEAM.quinn.username).executeTakeFirstOrThrow();
      assert.equal(Number(attempts.failed_attempts), 1);

      const done = await sign(ctx, 'quinn', 'reviewed');
      const s = done.signatures[0];
      const view = await getRecord(deps, { productKey: P, record: 'SRS-1' });
      assert.equal(s?.username, 'quinn.qa');
      assert.equal(s?.printedName, 'Quinn Quality');
      assert.equal(s?.meaning, 'reviewed');
      assert.equal(s?.revision, 1);
      assert.equal(s?.method, 'password');
      assert.match(s?.signedAt ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
      assert.match(s?.manifestation ?? '', /^Reviewed by Quinn Quality \(quinn\.qa\) on \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC, revision 1$/);
      assert.equal(s?.contentHash, view.revision.hash, 'the signature is not bound to the revision it signed');
      assert.deepEqual(view.signatures.map((x) => x.id), [s?.id]);
      const applied = (await listAuditEvents(deps, { limit: 1000 })).at(-1);
      assert.equal(applied?.action, 'SIGNATURE_APPLIED');
      assert.equal(applied?.actor, 'quinn.qa');
      const recorded = JSON.parse(applied?.newValue ?? '{}') as Record<string, unknown>;
      assert.equal(recorded['meaning'], 'reviewed');
      assert.equal(recorded['printedName'], 'Quinn Quality');
      assert.equal(recorded['revision'], 1);

      // A revision other than the one the signer read is not signed.
      await editRecord(deps, { productKey: P, record: 'SRS-2', baseRevision: 1, title: 'Requirement 2, changed' });
      await changeRecordStatus(deps, { productKey: P, record: 'SRS-2', to: 'in_review', baseRevision: 2 });
      const beforeStale = await snapshot(deps, true);
      await refused(sign(ctx, 'quinn', 'reviewed', ['SRS-2'], 1), 'PRECONDITION_FAILED', /SRS-2/);
      assert.equal(await snapshot(deps, true), beforeStale);
      assert.notEqual(before, beforeStale);
    },
  },
  {
    id: 'OQ-20',
    title: 'a signature stops counting when the signed content changes; a signature altered, moved or copied in the database is reported by verification',
    verifies: ['SRS-31'],
    async run(ctx) {
      const { deps } = ctx;
      await aProduct(deps);
      await inReview(ctx, 2);
      await sign(ctx, 'quinn', 'reviewed', ['SRS-1', 'SRS-2']);
      assert.deepEqual((await sign(ctx, 'avery', 'approved')).approved, [`${P}/SRS-1`]);
      let view = await getRecord(deps, { productKey: P, record: 'SRS-1' });
      assert.equal(view.head.status, 'approved');
      assert.equal(view.approval, 'electronic');

      // The database refuses to change or delete a signature.
      await assert.rejects(rawSql(ctx, `update signatures set meaning = 'approved' where id = 2`), /append-only|refused/);
      await assert.rejects(rawSql(ctx, `delete from signatures where id = 1`), /never deleted|refused/);

      // An edit after signing: the signatures stay on revision 1, superseded; the record is no longer approved.
      await editRecord(deps, { productKey: P, record: 'SRS-1', baseRevision: 1, title: 'Requirement 1, changed after approval' });
      view = await getRecord(deps, { productKey: P, record: 'SRS-1' });
      assert.equal(view.head.status, 'draft');
      assert.equal(view.approval, null);
      assert.deepEqual(view.signatures.map((s) => [s.revision, s.superseded]), [[1, true], [1, true]]);
      assert.ok(view.signatures.every((s) => s.contentHash !== view.revision.hash));
      assert.equal((await verifyIntegrity(deps)).ok, true);

      const problems = async (): Promise<string[]> => {
        const report = await verifyIntegrity(deps);
        assert.equal(report.ok, false, 'a signature changed in the database was not found');
        return report.problems.map((p) => p.message);
      };
      // Signature 3 (avery's approval of SRS-1) moved onto SRS-2.
      await behindTheAppsBack(ctx, `update signatures set entity_id = 2 where id = 3`);
      let found = await problems();
      assert.ok(found.includes(`signature ${P}/SRS-1/signature/3: signed entity is '${P}/SRS-2' in the store but '${P}/SRS-1' by the audit trail`), found.join('\n'));
      assert.ok(found.includes(`signature 3 on ${P}/SRS-2 revision 1 does not match that revision's content`), found.join('\n'));
      await behindTheAppsBack(ctx, `update signatures set entity_id = 1 where id = 3`);
      assert.equal((await verifyIntegrity(deps)).ok, true);

      // Its content hash altered.
      await behindTheAppsBack(ctx, `update signatures set content_hash = '${'e'.repeat(64)}' where id = 2`);
      found = await problems();
      assert.ok(found.includes(`signature 2 on ${P}/SRS-2 revision 1 does not match that revision's content`), found.join('\n'));
      assert.ok(found.some((m) => m.startsWith(`signature ${P}/SRS-2/signature/2: content hash is 'eeee`)), found.join('\n'));
      const signed = (await getRecord(deps, { productKey: P, record: 'SRS-2', revision: 1 })).revision.hash;
      await behindTheAppsBack(ctx, `update signatures set content_hash = '${signed}' where id = 2`);
      assert.equal((await verifyIntegrity(deps)).ok, true);

      // Avery's approval of SRS-1 copied onto SRS-2 as a new row.
      const cols = await columns(ctx, 'signatures');
      const copied = cols.map((c) => (c === 'id' ? 'id + 100' : c === 'entity_id' ? '2' : c === 'entity_key' ? `'${P}/SRS-2'` : c)).join(', ');
      await behindTheAppsBack(ctx, `insert into signatures (${cols.join(', ')}) select ${copied} from signatures where id = 3`);
      found = await problems();
      assert.deepEqual(found, [
        `signature ${P}/SRS-2/signature/103 has no audit event: it was written outside the application`,
        `signature 103 on ${P}/SRS-2 revision 1 does not match that revision's content`,
      ]);
    },
  },
  {
    id: 'OQ-21',
    title: 'a record is approved only when every signature its workflow names is present, in order, from holders of the roles, by distinct people, none the author',
    verifies: ['SRS-32'],
    async run(ctx) {
      const { deps } = ctx;
      await aProduct(deps);
      await inReview(ctx, 1);
      // SRS-2 written by quinn: quinn may not sign it off.
      await addRecords({ ...deps, actor: { id: TEAM.quinn.username } }, { productKey: P, records: [{ type: 'SRS', title: 'Written by Quinn' }] });
      await changeRecordStatus(deps, { productKey: P, record: 'SRS-2', to: 'in_review', baseRevision: 1 });
      const status = async (record = 'SRS-1'): Promise<string> => (await getRecord(deps, { productKey: P, record })).head.status;

      const before = await snapshot(deps, true);
      await refused(sign(ctx, 'avery', 'approved'), 'INVALID_STATE', /first needs reviewed/);
      await refused(sign(ctx, 'vic', 'reviewed'), 'FORBIDDEN', /vic\.viewer/);
      await refused(sign(ctx, 'avery', 'reviewed'), 'FORBIDDEN', /needs the role reviewer or quality/);
      await refused(sign(ctx, 'quinn', 'reviewed', ['SRS-2']), 'FORBIDDEN', /nobody signs off their own work/);
      assert.equal(await snapshot(deps, true), before, 'a refused signature wrote something');

      // Sam holds both roles: having reviewed, Sam may not approve too.
      assert.deepEqual((await sign(ctx, 'sam', 'reviewed')).approved, []);
      assert.equal(await status(), 'in_review');
      await refused(sign(ctx, 'sam', 'approved'), 'FORBIDDEN', /already signed .* asks for a different person/);
      assert.equal(await status(), 'in_review');
      // A different approver completes the workflow: now it is approved.
      assert.deepEqual((await sign(ctx, 'avery', 'approved')).approved, [`${P}/SRS-1`]);
      assert.equal(await status(), 'approved');
      assert.equal((await getRecord(deps, { productKey: P, record: 'SRS-1' })).approval, 'electronic');

      // The workflow is the product's to set: one approval by an approver is then enough.
      await runAs(ctx, setWorkflowUseCase, operator(ctx), { productKey: P, subject: 'SRS', steps: [{ meaning: 'approved', roles: ['approver'] }], reason: 'one approval is enough for requirements' });
      assert.deepEqual((await sign(ctx, 'avery', 'approved', ['SRS-2'])).approved, [`${P}/SRS-2`]);
      assert.equal(await status('SRS-2'), 'approved');
    },
  },
];

/** Cases added after the documents case (IDs are never renumbered). */
export const STATEMENT_CASES: readonly OqCase[] = [
  {
    id: 'OQ-26',
    title: 'a user signs for the first time only after accepting the accountability statement with their password; the acceptance is recorded',
    verifies: ['SRS-33'],
    async run(ctx) {
      const { deps } = ctx;
      await aProduct(deps);
      await inReview(ctx, 1);
      await aUser(ctx, 'nora.new', 'Nora New', 'nora-signs-for-the-first-time', 'quality');
      const nora = { productKey: P, records: [{ record: 'SRS-1', revision: 1 }], meaning: 'reviewed' as const, username: 'nora.new', password: 'nora-signs-for-the-first-time' };
      const before = await snapshot(deps, true);
      await refused(runAs(ctx, signRecordsUseCase, operator(ctx), nora), 'INVALID_STATE', /nora\.new has not yet accepted the electronic signature accountability statement/);
      await refused(runAs(ctx, acceptSignatureStatementUseCase, operator(ctx), { username: 'nora.new', password: 'not-her-password' }), 'UNAUTHENTICATED', /wrong username or password/);
      assert.equal(await snapshot(deps, true), before, 'a refused signature or acceptance wrote something');
      assert.deepEqual((await getRecord(deps, { productKey: P, record: 'SRS-1' })).signatures, []);

      const accepted = await runAs(ctx, acceptSignatureStatementUseCase, operator(ctx), { username: 'nora.new', password: 'nora-signs-for-the-first-time' });
      assert.equal(accepted.username, 'nora.new');
      const event = (await listAuditEvents(deps, { limit: 1000 })).at(-1);
      assert.equal(event?.actor, 'nora.new');
      assert.match(event?.action ?? '', /STATEMENT/);
      const rows = await ctx.store.db.selectFrom('signature_statements').selectAll().execute();
      assert.equal(rows.length, Object.keys(TEAM).length + 1);
      const signed = await runAs(ctx, signRecordsUseCase, operator(ctx), nora);
      assert.equal(signed.signatures[0]?.username, 'nora.new');
    },
  },
];
