import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { auditEventHash } from '../core/audit.js';
import { sha256Hex } from '../core/hashing.js';
import { accountabilityStatement } from '../core/signatures/model.js';
import type { Deps } from '../core/ports.js';
import { hashRevision } from '../core/revision-hash.js';
import { verifyIntegrity } from '../app/use-cases/verify-integrity.js';
import { storeSnapshot } from '../test-support/assertions.js';
import { aSignedProduct, type SignedProduct } from '../test-support/release-signatures.js';
import { SIGNERS } from '../test-support/signers.js';
import { DIALECTS, freshStore, type TestStore } from '../test-support/stores.js';

/**
 * Electronic signatures against an attacker with database access (21 CFR 11.70: a signature cannot be changed,
 * removed, copied or moved to other content without it being found). The database itself refuses changes to
 * signature rows; with its guards switched off, `audit verify` finds each change, naming the signature.
 */
describe.each(DIALECTS)('signatures against the audit trail on %s', (dialect) => {
  let t: TestStore;
  let deps: Deps;
  let made: SignedProduct;
  beforeEach(async () => {
    ({ t, deps } = await freshStore(dialect, SIGNERS.dana.username));
    made = await aSignedProduct(deps);
  }, 60_000);
  afterEach(async () => t.cleanup());

  const run = (text: string): Promise<unknown> => sql.raw(text).execute(t.store.db);

  /** Runs SQL with every trigger of the table it changes switched off, as an attacker with DDL rights could. */
  async function behindTheAppsBack(statement: string): Promise<void> {
    const table = /^(?:update|delete from|insert into)\s+(\w+)/i.exec(statement)?.[1];
    if (table === undefined) throw new Error(`cannot tell the table of: ${statement}`);
    if (dialect === 'postgres') await run(`alter table ${table} disable trigger user`);
    else {
      const triggers = await sql<{ name: string }>`select name from sqlite_master where type = 'trigger' and tbl_name = ${table}`.execute(t.store.db);
      for (const { name } of triggers.rows) await run(`drop trigger ${name}`);
    }
    await run(statement);
    if (dialect === 'postgres') await run(`alter table ${table} enable trigger user`);
  }

  async function problems(): Promise<string[]> {
    const report = await verifyIntegrity(deps);
    expect(report.ok).toBe(false);
    return report.problems.map((p) => p.message);
  }

  it('P11-01: verifies the untouched store: every signature, statement acceptance and workflow matches the trail', async () => {
    const report = await verifyIntegrity(deps);
    expect(report.problems).toEqual([]);
    // 1 product, 2 records, 4 users, 4 grants, 1 release; 5 signatures, 4 statement acceptances, 1 workflow.
    expect(report).toMatchObject({ ok: true, stateRowsChecked: 22 });
    // The head the release was made at, and the head each of its two signatures was made with.
    expect(report.anchorsChecked).toBe(3);
  });

  it('P11-05, P11-15: the database itself refuses UPDATE and DELETE on signatures and statement acceptances', async () => {
    const before = await storeSnapshot(deps);
    await expect(run(`update signatures set meaning = 'approved' where id = 1`)).rejects.toThrow(/append-only|refused/);
    await expect(run(`update signatures set entity_id = 2 where id = 3`)).rejects.toThrow(/append-only|refused/);
    await expect(run(`delete from signatures where id = 5`)).rejects.toThrow(/never deleted|refused/);
    await expect(run(`update signature_statements set text = 'I accept nothing.'`)).rejects.toThrow(/append-only|refused/);
    await expect(run(`delete from signature_statements`)).rejects.toThrow(/never deleted|refused/);
    await expect(run(`delete from workflows`)).rejects.toThrow(/never deleted|refused/);
    if (dialect === 'postgres') {
      await expect(run(`truncate signatures`)).rejects.toThrow(/refused/);
      await expect(run(`truncate signature_statements`)).rejects.toThrow(/refused/);
    }
    expect(await storeSnapshot(deps)).toBe(before);
    expect((await verifyIntegrity(deps)).ok).toBe(true);
  });

  if (dialect === 'sqlite') {
    it('P11-15: refuses INSERT OR REPLACE / REPLACE INTO on signatures and statement acceptances, by ID or by key', async () => {
      const before = await storeSnapshot(deps);
      for (const table of ['signatures', 'signature_statements']) {
        const cols = (await sql<{ name: string }>`select name from pragma_table_info(${table})`.execute(t.store.db)).rows.map((r) => r.name);
        const list = cols.join(', ');
        // The same row under its own ID, and under a new ID with the same key (step of a revision; user and version).
        await expect(run(`insert or replace into ${table} (${list}) select ${list} from ${table} where id = 1`), table).rejects.toThrow(/dossier:/);
        await expect(run(`replace into ${table} (${list}) select ${list} from ${table} where id = 2`), table).rejects.toThrow(/dossier:/);
        const moved = cols.map((c) => (c === 'id' ? 'id + 1000' : c)).join(', ');
        await expect(run(`insert or replace into ${table} (${list}) select ${moved} from ${table} where id = 1`), table).rejects.toThrow(/dossier:/);
      }
      expect(await storeSnapshot(deps)).toBe(before);
      expect((await verifyIntegrity(deps)).ok).toBe(true);
    });
  }

  it('P11-15: finds a signature\'s meaning, printed name or signer changed, naming the signature', async () => {
    await behindTheAppsBack(`update signatures set meaning = 'approved' where id = 2`);
    expect(await problems()).toEqual([`signature RPM/SRS-2/signature/2: meaning is 'approved' in the store but 'reviewed' by the audit trail`]);
    await behindTheAppsBack(`update signatures set meaning = 'reviewed', printed_name = 'Mallory' where id = 2`);
    expect(await problems()).toEqual([`signature RPM/SRS-2/signature/2: printed name is 'Mallory' in the store but 'Quinn Quality' by the audit trail`]);
    // Another user's ID (the name columns left as they were): the signer is named by the user ID too.
    await behindTheAppsBack(`update signatures set printed_name = 'Quinn Quality', user_id = 4 where id = 2`);
    expect(await problems()).toEqual([`signature RPM/SRS-2/signature/2: user is 'vic.viewer' in the store but 'quinn.qa' by the audit trail`]);
    // A value no signature can hold is reported, not thrown.
    await behindTheAppsBack(`update signatures set user_id = 2, meaning = 'whatever' where id = 2`);
    expect(await problems()).toEqual([`signature RPM/SRS-2/signature/2: meaning is 'whatever' in the store but 'reviewed' by the audit trail`]);
  });

  it('P11-15: finds a signature\'s content hash changed: it no longer matches the trail nor the revision it names [DOSSIER-SRS-31]', async () => {
    await behindTheAppsBack(`update signatures set content_hash = '${'e'.repeat(64)}' where id = 3`);
    expect(await problems()).toEqual([
      expect.stringMatching(/^signature RPM\/SRS-1\/signature\/3: content hash is 'e{64}' in the store but '[0-9a-f]{64}' by the audit trail$/),
      `signature 3 on RPM/SRS-1 revision 1 does not match that revision's content`,
    ]);
  });

  it('P11-15: finds a signed revision changed with its hash, by the revision check and the signature on it', async () => {
    const v = await t.store.read((r) => r.findRevision(2, 1));
    const forged = hashRevision('RPM', 'SRS', 2, { revision: 1, title: 'Signed, then changed', body: v?.body ?? '', fields: v?.fields ?? {} });
    await behindTheAppsBack(`update revisions set title = 'Signed, then changed', hash = '${forged}' where record_id = 2 and revision = 1`);
    expect(await problems()).toEqual([
      'revision RPM/SRS-2@1 differs from the revision its audit event recorded: content and hash were changed together',
      `signature 2 on RPM/SRS-2 revision 1 does not match that revision's content`,
    ]);
  });

  it('P11-15: finds a signature moved to another record, with or without its entity key [DOSSIER-SRS-31]', async () => {
    await behindTheAppsBack(`update signatures set entity_id = 2 where id = 3`);
    expect(await problems()).toEqual([
      `signature RPM/SRS-1/signature/3: signed entity is 'RPM/SRS-2' in the store but 'RPM/SRS-1' by the audit trail`,
      `signature 3 on RPM/SRS-2 revision 1 does not match that revision's content`,
    ]);
    await behindTheAppsBack(`update signatures set entity_key = 'RPM/SRS-2' where id = 3`);
    expect(await problems()).toEqual([
      `signature RPM/SRS-1/signature/3: entity key is 'RPM/SRS-2' in the store but 'RPM/SRS-1' by the audit trail`,
      `signature RPM/SRS-1/signature/3: signed entity is 'RPM/SRS-2' in the store but 'RPM/SRS-1' by the audit trail`,
      `signature 3 on RPM/SRS-2 revision 1 does not match that revision's content`,
    ]);
  });

  it('P11-15: finds a signature moved to a later revision of its record', async () => {
    await behindTheAppsBack(`update signatures set revision = 2 where id = 3`);
    expect(await problems()).toEqual([
      `signature RPM/SRS-1/signature/3: revision is 2 in the store but 1 by the audit trail`,
      `signature 3 on RPM/SRS-1 revision 2 does not match that revision's content`,
    ]);
  });

  it('P11-15: finds a signature deleted, and one inserted without its event', async () => {
    await behindTheAppsBack(`delete from signatures where id = 3`);
    expect(await problems()).toEqual([`signature RPM/SRS-1/signature/3 is in the audit trail but missing from the store`]);
    // An approval of SRS-2 nobody gave: a copy of its review under avery.approver's name, with no SIGNATURE_APPLIED.
    await behindTheAppsBack(
      `insert into signatures (id, product_id, entity_type, entity_id, entity_key, revision, content_hash, manifest, meaning, step, user_id, username, printed_name, signed_at, method) ` +
        `select 9, product_id, entity_type, entity_id, entity_key, revision, content_hash, manifest, 'approved', 1, 3, 'avery.approver', 'Avery Approver', signed_at, method from signatures where id = 2`,
    );
    expect(await problems()).toEqual([
      `signature RPM/SRS-2/signature/9 has no audit event: it was written outside the application`,
      `signature RPM/SRS-1/signature/3 is in the audit trail but missing from the store`,
    ]);
  });

  it('P11-10: finds a statement acceptance changed or removed, and a workflow changed', async () => {
    await behindTheAppsBack(`update signature_statements set text = 'I accept nothing.' where id = 2`);
    await behindTheAppsBack(`delete from signature_statements where id = 4`);
    await run(`update workflows set definition = '{"distinctSigners":false,"steps":[{"meaning":"approved","notAuthor":false,"roles":["author"]}]}'`);
    expect(await problems()).toEqual([
      `statement acceptance user/quinn.qa/statement/1: text is 'I accept nothing.' in the store but '${accountabilityStatement(SIGNERS.quinn.printedName)}' by the audit trail`,
      expect.stringMatching(/^workflow RPM\/workflow\/DOC: definition is '.*"roles":\["author"\].*' in the store but '.*' by the audit trail$/),
      `statement acceptance user/vic.viewer/statement/1 is in the audit trail but missing from the store`,
    ]);
  });

  it('P11-15: finds a release signature\'s manifest changed, with its content hash or without', async () => {
    const manifest = (await t.store.read((r) => r.listSignatures('release', [1]))).find((s) => s.id === 5)?.manifest ?? '';
    const forged = manifest.replace('"passed":true', '"passed":false');
    expect(forged).not.toBe(manifest);
    await behindTheAppsBack(`update signatures set manifest = '${forged}' where id = 5`);
    expect(await problems()).toEqual([
      expect.stringMatching(/^signature RPM\/release\/1\.0\.0\/signature\/5: manifest is '.*"passed":false.*' in the store but '.*"passed":true.*' by the audit trail$/),
      'signature 5 on RPM 1.0.0 baseline 1 does not match its manifest: the manifest or its hash was changed after signing',
    ]);
    await behindTheAppsBack(`update signatures set content_hash = '${sha256Hex(forged)}' where id = 5`);
    // The manifest now hashes to the stored hash and names the release: the trail still has both as signed.
    expect(await problems()).toEqual([
      expect.stringMatching(/^signature RPM\/release\/1\.0\.0\/signature\/5: content hash is '[0-9a-f]{64}' in the store but '[0-9a-f]{64}' by the audit trail$/),
      expect.stringMatching(/^signature RPM\/release\/1\.0\.0\/signature\/5: manifest is '.*"passed":false.*' in the store but '.*"passed":true.*' by the audit trail$/),
    ]);
  });

  it('P11-15: finds a release signature\'s meaning changed, even to a value no signature can hold', async () => {
    await behindTheAppsBack(`update signatures set meaning = 'whatever' where id = 5`);
    expect(await problems()).toEqual([
      `signature RPM/release/1.0.0/signature/5: meaning is 'whatever' in the store but 'released' by the audit trail`,
      `signature 5 on RPM 1.0.0 baseline 1 has a manifest naming meaning 'released' (the signature's is 'whatever'): it does not sign this release`,
    ]);
  });

  it('P11-15: finds a release signature moved to another baseline of its release', async () => {
    const { createRelease } = await import('../app/use-cases/create-release.js');
    await createRelease(deps, { productKey: 'RPM', version: '1.0.0' });
    await behindTheAppsBack(`update signatures set entity_id = 2, revision = 2 where id = 5`);
    const found = await problems();
    expect(found).toEqual([
      `signature RPM/release/1.0.0/signature/5: signed entity is 'RPM/release/1.0.0#2' in the store but 'RPM/release/1.0.0#1' by the audit trail`,
      `signature RPM/release/1.0.0/signature/5: revision is 2 in the store but 1 by the audit trail`,
      expect.stringMatching(/^signature 5 on RPM 1\.0\.0 baseline 2 has a manifest naming baseline 1 \(the release's is 2\), baseline hash .*: it does not sign this release$/),
    ]);
  });

  /** Deletes every audit event from `seq` on, the trail's guards switched off. */
  const truncateFrom = (seq: number): Promise<void> => behindTheAppsBack(`delete from audit_events where seq >= ${seq}`);

  it('P11-01: finds the newest events removed after a signed release, naming the last release signature', async () => {
    const { approved, released } = made.releaseSignedAt;
    await truncateFrom(released);
    let report = await verifyIntegrity(deps);
    expect(report.ok).toBe(false);
    expect(report.problems).toContainEqual({
      kind: 'anchor_missing',
      seq: released - 1,
      message: `the audit trail ends at event ${released - 1} but release RPM 1.0.0 (signature 5, released) was signed with the trail at event ${released - 1} and recorded after it: events were removed`,
    });
    expect(report.problems.map((p) => p.message)).toContain('signature RPM/release/1.0.0/signature/5 has no audit event: it was written outside the application');

    // Cut below both release signatures: the last one signed is named, once.
    await truncateFrom(approved);
    report = await verifyIntegrity(deps);
    const cut = report.problems.filter((p) => p.kind === 'anchor_missing');
    expect(cut).toEqual([
      {
        kind: 'anchor_missing',
        seq: released - 1,
        message: `the audit trail ends at event ${approved - 1} but release RPM 1.0.0 (signature 5, released) was signed with the trail at event ${released - 1} and recorded after it: events were removed`,
      },
    ]);
  });

  it('P11-01: finds the trail rewritten and re-hashed after the release was made but before it was signed', async () => {
    const { approved } = made.releaseSignedAt;
    const from = made.releaseCreatedAt;
    // The release's own head (before its RELEASE_CREATED) still holds: only the signed heads show the rewrite.
    await triggersOffOnTheTrail(async () => {
      const db = t.store.db;
      const rows = await db.selectFrom('audit_events').selectAll().where('seq', '>=', from - 1).orderBy('seq').execute();
      let prevHash = rows[0]?.hash ?? '';
      for (const row of rows.slice(1)) {
        const actor = Number(row.seq) === from ? 'mallory' : row.actor;
        const hash = auditEventHash({
          seq: Number(row.seq), occurredAt: row.occurred_at, actor, action: row.action, entityType: row.entity_type, entityId: row.entity_id,
          productKey: row.product_key, oldValue: row.old_value, newValue: row.new_value, reason: row.reason, prevHash,
        });
        await db.updateTable('audit_events').set({ actor, prev_hash: prevHash, hash }).where('seq', '=', row.seq).execute();
        prevHash = hash;
      }
    });
    const report = await verifyIntegrity(deps);
    expect(report.problems.filter((p) => p.kind === 'anchor_mismatch')).toEqual([
      {
        kind: 'anchor_mismatch',
        seq: approved - 1,
        message: `audit event ${approved - 1} does not have the hash recorded by release RPM 1.0.0 (signature 4, approved): the trail was rewritten at or before event ${approved - 1}`,
      },
      {
        kind: 'anchor_mismatch',
        seq: approved,
        message: `audit event ${approved} does not have the hash recorded by release RPM 1.0.0 (signature 5, released): the trail was rewritten at or before event ${approved}`,
      },
    ]);
  });

  async function triggersOffOnTheTrail(fn: () => Promise<void>): Promise<void> {
    if (dialect === 'postgres') {
      await run('alter table audit_events disable trigger user');
      await fn();
      await run('alter table audit_events enable trigger user');
      return;
    }
    const triggers = await sql<{ name: string }>`select name from sqlite_master where type = 'trigger' and tbl_name = 'audit_events'`.execute(t.store.db);
    for (const { name } of triggers.rows) await run(`drop trigger ${name}`);
    await fn();
  }
});
