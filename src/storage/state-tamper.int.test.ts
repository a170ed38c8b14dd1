import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_CATALOG } from '../core/catalog/catalog.js';
import { baselineHash } from '../core/evidence/baseline-hash.js';
import type { ParsedCommit } from '../core/evidence/commits.js';
import { sha256Hex } from '../core/hashing.js';
import type { Deps } from '../core/ports.js';
import { addLinks } from '../app/use-cases/add-links.js';
import { addRulePack } from '../app/use-cases/add-rule-pack.js';
import { changeRecordStatus } from '../app/use-cases/change-record-status.js';
import { checkRelease } from '../app/use-cases/check-release.js';
import { configureRule } from '../app/use-cases/configure-rule.js';
import { createRelease } from '../app/use-cases/create-release.js';
import { editProduct } from '../app/use-cases/edit-product.js';
import { editRecord } from '../app/use-cases/edit-record.js';
import { ingestCommits } from '../app/use-cases/ingest-commits.js';
import { removeLink } from '../app/use-cases/remove-link.js';
import { verifyIntegrity } from '../app/use-cases/verify-integrity.js';
import { voidRelease } from '../app/use-cases/void-release.js';
import { loadBuiltinPacks, parseRulePack } from '../ingest/rule-pack-file.js';
import { aProduct, someRecords } from '../test-support/factories.js';
import { DIALECTS, freshStore, type TestStore } from '../test-support/stores.js';

const packs = loadBuiltinPacks(DEFAULT_CATALOG);
const WHEN = '2026-01-01T00:00:00.000Z';
const commit = (sha: string, subject: string): ParsedCommit => ({
  sha: sha.padEnd(40, '0'),
  parents: [],
  authorName: 'Dana',
  authorEmail: 'dana@example.com',
  authoredAt: '2026-11-01T10:00:00+01:00',
  committerName: 'Dana',
  committedAt: '2026-11-01T10:00:00+01:00',
  subject,
  body: '',
  trailers: [],
  files: ['src/a.ts'],
});

/**
 * Current state changed behind the application's back, as an attacker with database access would: every mutable
 * row must match the state the audit trail proves, and every release baseline its hash.
 */
describe.each(DIALECTS)('current state against the audit trail on %s', (dialect) => {
  let t: TestStore;
  let deps: Deps;
  beforeEach(async () => {
    ({ t, deps } = await freshStore(dialect));
    await aProduct(deps);
    // SRS-1 (id 1), TC-1 (2), TC-2 (3), UN-1 (4).
    await someRecords(deps, 'RPM', ['SRS', 'TC', 'TC', 'UN']);
    await changeRecordStatus(deps, { productKey: 'RPM', record: 'SRS-1', to: 'in_review', baseRevision: 1 });
    await changeRecordStatus(deps, { productKey: 'RPM', record: 'SRS-1', to: 'approved', baseRevision: 1 });
    await editRecord(deps, { productKey: 'RPM', record: 'SRS-1', baseRevision: 1, body: 'TLS 1.3 only.' });
    await addLinks(deps, { productKey: 'RPM', links: [{ from: 'TC-1', type: 'verifies', to: 'SRS-1' }, { from: 'TC-2', type: 'verifies', to: 'SRS-1' }] });
    await removeLink(deps, { productKey: 'RPM', linkId: 2, reason: 'TC-2 was merged into TC-1' });
    await configureRule(deps, { productKey: 'RPM', ruleId: 'IEC62304-7.1-HAZARD-CAUSE', action: 'disable', justification: 'No hazards are analysed in this test product' }, packs);
    await configureRule(deps, { productKey: 'RPM', ruleId: 'ISO14971-7.2-CONTROL-EFFECTIVE', action: 'severity', severity: 'warning', justification: 'Effectiveness gaps stay visible, not blocking' }, packs);
    const pack = parseRulePack(
      `pack: team\ntitle: Team\nrules:\n  - id: TEAM-DOC-LOCATION\n    clause: ISO 13485 4.2.4\n    title: Documents say where they live\n    severity: warning\n    select: { type: DOC }\n    require: { fields: [location] }\n    message: "{key} has no location"\n    why: We keep documents in git.\n    hint: Set location.\n`,
      'team.yaml',
      deps.catalog,
    );
    await addRulePack(deps, { productKey: 'RPM', pack, builtinPacks: packs });
    await ingestCommits(deps, { productKey: 'RPM', source: 'repo', commits: [commit('c1', 'SRS-1: pin TLS 1.3')] });
    await createRelease(deps, { productKey: 'RPM', version: '1.0.0' });
  });
  afterEach(async () => t.cleanup());

  /**
   * Runs SQL with every trigger of the table it changes switched off, as an attacker with DDL rights could (the
   * guards refuse most of these changes; the point here is that verify finds them when the guards are gone).
   */
  async function behindTheAppsBack(statement: string): Promise<void> {
    const db = t.store.db;
    const table = /^(?:update|delete from|insert into)\s+(\w+)/i.exec(statement)?.[1];
    if (table === undefined) throw new Error(`cannot tell the table of: ${statement}`);
    if (dialect === 'postgres') await sql.raw(`alter table ${table} disable trigger user`).execute(db);
    else {
      const triggers = await sql<{ name: string }>`select name from sqlite_master where type = 'trigger' and tbl_name = ${table}`.execute(db);
      for (const { name } of triggers.rows) await sql.raw(`drop trigger ${name}`).execute(db);
    }
    await sql.raw(statement).execute(db);
    if (dialect === 'postgres') await sql.raw(`alter table ${table} enable trigger user`).execute(db);
  }

  async function problems(): Promise<string[]> {
    const report = await verifyIntegrity(deps);
    expect(report.ok).toBe(false);
    return report.problems.map((p) => p.message);
  }

  it('verifies the untouched store: every row of current state and the baseline match the trail', async () => {
    const report = await verifyIntegrity(deps);
    expect(report.problems).toEqual([]);
    // 1 product, 4 records, 2 links, 2 rule settings, 1 pack, 1 evidence import, 1 release.
    expect(report).toMatchObject({ ok: true, stateRowsChecked: 12, baselinesChecked: 1 });
  });

  it('P11-01: finds a record status changed behind the application\'s back', async () => {
    await behindTheAppsBack(`update records set status = 'approved' where id = 2`);
    expect(await problems()).toEqual([`record RPM/TC-1: status is 'approved' in the store but 'draft' by the audit trail`]);
  });

  it('finds who approved a record changed (the self-approval rule reads it)', async () => {
    await behindTheAppsBack(`update records set approved_by = 'mallory' where id = 1`);
    expect(await problems()).toEqual([`record RPM/SRS-1: approved by is 'mallory' in the store but 'alice' by the audit trail`]);
  });

  it('finds a record\'s approved revision changed, and its latest revision', async () => {
    await behindTheAppsBack(`update records set approved_revision = 2 where id = 1`);
    expect(await problems()).toEqual([`record RPM/SRS-1: approved revision is 2 in the store but 1 by the audit trail`]);
    await behindTheAppsBack(`update records set approved_revision = 1, latest_revision = 1 where id = 1`);
    expect(await problems()).toEqual([`record RPM/SRS-1: latest revision is 1 in the store but 2 by the audit trail`]);
  });

  it('finds a link moved to another record [DOSSIER-SRS-6]', async () => {
    await behindTheAppsBack(`update links set to_id = 4 where id = 1`);
    expect(await problems()).toEqual([`link RPM/link/1: to is 'RPM/UN-1' in the store but 'RPM/SRS-1' by the audit trail`]);
  });

  it('finds a removed link restored, and an active link marked removed', async () => {
    await behindTheAppsBack(`update links set removed_at = null, removed_by = null, removal_reason = null where id = 2`);
    expect(await problems()).toEqual([
      `link RPM/link/2: removed at is none in the store but '${await removalTime()}' by the audit trail`,
      `link RPM/link/2: removed by is none in the store but 'alice' by the audit trail`,
      `link RPM/link/2: removal reason is none in the store but 'TC-2 was merged into TC-1' by the audit trail`,
    ]);
    await behindTheAppsBack(`update links set removed_at = '${WHEN}', removed_by = 'mallory', removal_reason = 'gone' where id = 1`);
    expect(await problems()).toContain(`link RPM/link/1: removed at is '${WHEN}' in the store but none by the audit trail`);
  });

  it('follows product edits and release voids, and finds them changed behind the application\'s back', async () => {
    await editProduct(deps, { productKey: 'RPM', safetyClass: 'C', reason: 'insulin dosing moved into the app' });
    await voidRelease(deps, { productKey: 'RPM', version: '1.0.0', reason: 'frozen before the review closed' });
    expect((await verifyIntegrity(deps)).problems).toEqual([]);
    await behindTheAppsBack(`update products set safety_class = 'B' where key = 'RPM'`);
    expect(await problems()).toEqual([`product RPM: safety class is 'B' in the store but 'C' by the audit trail`]);
    await behindTheAppsBack(`update products set safety_class = 'C' where key = 'RPM'`);
    await behindTheAppsBack(`update releases set status = 'draft', voided_at = null, voided_by = null, void_reason = null where id = 1`);
    expect(await problems()).toEqual([
      `release RPM/release/1.0.0#1: status is 'draft' in the store but 'void' by the audit trail`,
      expect.stringMatching(/^release RPM\/release\/1\.0\.0#1: voided at is none in the store but '.*' by the audit trail$/),
      `release RPM/release/1.0.0#1: voided by is none in the store but 'alice' by the audit trail`,
      `release RPM/release/1.0.0#1: void reason is none in the store but 'frozen before the review closed' by the audit trail`,
    ]);
  });

  it('finds a product\'s safety class lowered (B to A would drop class B and C checks)', async () => {
    await behindTheAppsBack(`update products set safety_class = 'A'`);
    expect(await problems()).toEqual([`product RPM: safety class is 'A' in the store but 'B' by the audit trail`]);
  });

  it('finds rule settings changed, added or deleted without an audit event', async () => {
    await behindTheAppsBack(`update rule_settings set enabled = 1 where rule_id = 'IEC62304-7.1-HAZARD-CAUSE'`);
    expect(await problems()).toEqual([`rule setting RPM/rule/IEC62304-7.1-HAZARD-CAUSE: enabled is true in the store but false by the audit trail`]);
    await behindTheAppsBack(`update rule_settings set enabled = 0 where rule_id = 'IEC62304-7.1-HAZARD-CAUSE'`);
    await behindTheAppsBack(
      `insert into rule_settings (product_id, rule_id, enabled, severity, justification, updated_at, updated_by) values (1, 'ISO14971-7.1-CONTROL-FOR-RISK', 0, null, 'quiet', '${WHEN}', 'mallory')`,
    );
    await behindTheAppsBack(`delete from rule_settings where rule_id = 'ISO14971-7.2-CONTROL-EFFECTIVE'`);
    expect(await problems()).toEqual([
      'rule setting RPM/rule/ISO14971-7.1-CONTROL-FOR-RISK has no audit event: it was written outside the application',
      'rule setting RPM/rule/ISO14971-7.2-CONTROL-EFFECTIVE is in the audit trail but missing from the store',
    ]);
  });

  it('finds a product rule pack\'s definition changed, with or without its hash', async () => {
    const definition = `'{"pack":"team","rules":[],"title":"Team"}'`;
    await behindTheAppsBack(`update product_rule_packs set definition = ${definition}`);
    expect(await problems()).toEqual([expect.stringMatching(/^rule pack RPM\/pack\/team: definition hash is '[0-9a-f]{64}' in the store but '[0-9a-f]{64}' by the audit trail$/)]);
    const forged = sha256Hex('{"pack":"team","rules":[],"title":"Team"}');
    await behindTheAppsBack(`update product_rule_packs set hash = '${forged}'`);
    expect(await problems()).toEqual([
      expect.stringMatching(new RegExp(`^rule pack RPM/pack/team: hash is '${forged}' in the store but '[0-9a-f]{64}' by the audit trail$`)),
      expect.stringMatching(/^rule pack RPM\/pack\/team: definition hash is/),
    ]);
  });

  it('finds a draft release whose gate fails shown as released', async () => {
    expect((await checkRelease(deps, { productKey: 'RPM', version: '1.0.0', builtinPacks: packs })).passed).toBe(false);
    await behindTheAppsBack(`update releases set status = 'released', released_at = '${WHEN}', released_by = 'mallory'`);
    expect(await problems()).toEqual([
      `release RPM/release/1.0.0#1: status is 'released' in the store but 'draft' by the audit trail`,
      `release RPM/release/1.0.0#1: released at is '${WHEN}' in the store but none by the audit trail`,
      `release RPM/release/1.0.0#1: released by is 'mallory' in the store but none by the audit trail`,
    ]);
  });

  it('finds baseline rows changed, and the baseline hash rewritten to match them', async () => {
    await behindTheAppsBack(`update release_records set status = 'approved' where record_id = 2`);
    const baselineProblem = 'release RPM 1.0.0 baseline 1: its frozen records, links and evidence do not hash to its baseline hash: they were changed after it was frozen';
    expect(await problems()).toEqual([baselineProblem]);
    await behindTheAppsBack(`update release_records set status = 'draft' where record_id = 2`);
    await behindTheAppsBack(`delete from release_links`);
    expect(await problems()).toEqual([baselineProblem]);

    // Rewrite the release's hash to what the changed rows hash to: its RELEASE_CREATED event still knows the old one.
    const report = await verifyIntegrity(deps);
    expect(report.problems.map((p) => p.kind)).toEqual(['baseline_altered']);
    const release = await t.store.read(async (r) => (await r.listReleases())[0]);
    if (release === undefined) throw new Error('no release');
    const forged = await t.store.read(async (r) =>
      baselineHash(
        { productKey: 'RPM', version: '1.0.0', baseline: 1, auditSeq: release.auditSeq, auditHash: release.auditHash },
        {
          records: await r.listReleaseRecords(release.id),
          links: await r.listReleaseLinks(release.id),
          imports: [],
          items: await r.listEvidenceItems({ productId: 1, kind: 'commit' }),
        },
      ),
    );
    await behindTheAppsBack(`update releases set baseline_hash = '${forged}'`);
    expect(await problems()).toEqual([
      `release RPM/release/1.0.0#1: baseline hash is '${forged}' in the store but '${release.baselineHash}' by the audit trail`,
    ]);
  });

  it('finds an evidence import\'s facts changed, and a baseline\'s evidence dropped', async () => {
    await behindTheAppsBack(`update evidence_imports set source = 'other-repo'`);
    expect(await problems()).toEqual([`evidence import RPM/evidence/1: source is 'other-repo' in the store but 'repo' by the audit trail`]);
    await behindTheAppsBack(`update evidence_imports set source = 'repo'`);
    await behindTheAppsBack(`delete from release_evidence`);
    expect(await problems()).toEqual([
      'release RPM 1.0.0 baseline 1: its frozen records, links and evidence do not hash to its baseline hash: they were changed after it was frozen',
    ]);
  });

  it('P11-01: finds a record written outside the application, and one the trail has but the store lacks', async () => {
    await behindTheAppsBack(
      `insert into records (id, product_id, type, number, status, latest_revision, approved_revision, created_at, created_by, updated_at, updated_by) ` +
        `values (9, 1, 'DOC', 1, 'approved', 1, 1, '${WHEN}', 'mallory', '${WHEN}', 'mallory')`,
    );
    expect(await problems()).toContain('record RPM/DOC-1 has no audit event: it was written outside the application');
    await behindTheAppsBack(`update records set number = 7 where id = 4`);
    const found = await problems();
    expect(found).toContain('record RPM/UN-7 has no audit event: it was written outside the application');
    expect(found).toContain('record RPM/UN-1 is in the audit trail but missing from the store');
  });

  async function removalTime(): Promise<string> {
    const events = await t.store.read((r) => r.listAudit({ entityId: 'RPM/link/2', limit: 10 }));
    return events.find((e) => e.action === 'LINK_REMOVED')?.occurredAt ?? '';
  }
});
