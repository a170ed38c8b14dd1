import { Readable } from 'node:stream';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ParsedCommit } from '../../core/evidence/commits.js';
import type { ParsedComponent, ParsedSbom } from '../../core/evidence/sbom.js';
import type { Deps } from '../../core/ports.js';
import { JUnitReader } from '../../ingest/junit.js';
import { parseReviewFile } from '../../ingest/review-file.js';
import { parseVulnerabilityFile } from '../../ingest/vulnerability-file.js';
import { readFileSync } from 'node:fs';
import { expectAppError, storeSnapshot } from '../../test-support/assertions.js';
import { aProduct, someRecords } from '../../test-support/factories.js';
import { DIALECTS, freshStore, type TestStore } from '../../test-support/stores.js';
import { addLinks } from './add-links.js';
import { getRecord } from './get-record.js';
import { ingestCommits } from './ingest-commits.js';
import { ingestReviews } from './ingest-reviews.js';
import { ingestSbom } from './ingest-sbom.js';
import { ingestTestRun } from './ingest-test-run.js';
import { ingestVulnerabilities } from './ingest-vulnerabilities.js';
import { listAuditEvents } from './list-audit-events.js';
import { verifyIntegrity } from './verify-integrity.js';
import { createRelease } from './create-release.js';
import { diffReleases } from './diff-releases.js';
import { editRecord } from './edit-record.js';

const JUNIT = `<testsuites>
  <testsuite name="ingestion" timestamp="2026-11-20T09:00:00Z" hostname="ci-7">
    <testcase classname="ingestion/tls.int.test.ts" name="refuses TLS 1.2"/>
    <testcase classname="e2e" name="[TC-2] pinning refuses a forged certificate"><failure message="handshake completed">trace</failure></testcase>
    <testcase classname="unit" name="checks the signature"><properties><property name="verifies" value="SRS-1, HAZ-1, SRS-99"/></properties></testcase>
    <testcase classname="unit" name="mapped by file"/>
    <testcase classname="unit" name="nobody knows"/>
  </testsuite>
</testsuites>`;

async function lastEvents(deps: Deps, n: number): Promise<{ action: string; entityId: string; newValue: Record<string, unknown> }[]> {
  const all = await listAuditEvents(deps, { limit: 10_000 });
  return all.slice(-n).map((e) => ({ action: e.action, entityId: e.entityId, newValue: JSON.parse(e.newValue ?? '{}') as Record<string, unknown> }));
}

const commit = (sha: string, subject: string, trailers: [string, string][] = [], files = ['src/a.ts'], parents: string[] = []): ParsedCommit => ({
  sha: sha.padEnd(40, '0'),
  parents,
  authorName: 'Dana',
  authorEmail: 'dana@example.com',
  authoredAt: '2026-11-01T10:00:00+01:00',
  committerName: 'Dana',
  committedAt: '2026-11-01T10:00:00+01:00',
  subject,
  body: '',
  trailers,
  files,
});

const component = (name: string, version: string, direct = true): ParsedComponent => ({
  name,
  version,
  purl: `pkg:npm/${name}@${version}`,
  ecosystem: 'npm',
  supplier: null,
  licence: 'MIT',
  direct,
  ref: `node_modules/${name}`,
});
const sbom = (...components: ParsedComponent[]): ParsedSbom => ({ format: 'npm-lockfile', specVersion: '3', components });

describe.each(DIALECTS)('evidence on %s', (dialect) => {
  let t: TestStore;
  let deps: Deps;
  beforeEach(async () => {
    ({ t, deps } = await freshStore(dialect));
    await aProduct(deps);
    // SRS-1, TC-1 (automated by file), TC-2, HAZ-1
    await someRecords(deps, 'RPM', ['SRS', 'TC', 'TC', 'HAZ']);
    await editRecord(deps, { productKey: 'RPM', record: 'TC-1', baseRevision: 1, fields: { automated: true, automationId: 'ingestion/tls.int.test.ts' } });
  });
  afterEach(async () => t.cleanup());

  it('records a test run: results mapped by automationId, [ID] in names, properties and a mapping file; unmapped kept; one audit event with the digest [DOSSIER-SRS-18]', async () => {
    const reader = new JUnitReader('run.xml');
    const s = await ingestTestRun(deps, {
      productKey: 'RPM',
      source: 'run.xml',
      contentHash: 'a'.repeat(64),
      meta: { version: '1.2.0', commit: 'abcdef1' },
      cases: reader.cases(Readable.from([JUNIT])),
      facts: () => reader.facts,
      mapping: { 'unit::mapped by file': ['TC-2'] },
    });
    expect(s.totals).toEqual({ passed: 4, failed: 1, error: 0, skipped: 0, flaky: 0 });
    expect([s.mapped, s.unmapped, s.unmappedSample]).toEqual([4, 1, ['unit::nobody knows']]);
    expect(s.unresolved.map((u) => `${u.id}: ${u.why}`)).toEqual(['HAZ-1: a test result cannot verify a HAZ record', 'SRS-99: no such record']);
    expect(s.run.meta).toMatchObject({ version: '1.2.0', commit: 'abcdef1', startedAt: '2026-11-20T09:00:00.000Z', host: 'ci-7', runner: 'alice' });
    const items = await deps.store.read((r) => r.listEvidenceItems({ productId: 1, importIds: [s.run.id] }));
    expect(items.map((i) => [i.key, i.outcome, i.refs.map((x) => `${x.role}:${x.recordId}`).join(',')])).toEqual([
      ['ingestion/tls.int.test.ts::refuses TLS 1.2', 'passed', 'result_of:2'],
      ['e2e::[TC-2] pinning refuses a forged certificate', 'failed', 'result_of:3'],
      ['unit::checks the signature', 'passed', 'verifies:1'],
      ['unit::mapped by file', 'passed', 'result_of:3'],
      ['unit::nobody knows', 'passed', ''],
    ]);
    const [ev] = await lastEvents(deps, 1);
    expect(ev).toMatchObject({ action: 'EVIDENCE_IMPORTED', entityId: `RPM/evidence/${s.run.id}`, newValue: { kind: 'test_run', itemCount: 5, itemsDigest: s.run.itemsDigest } });

    // The same content again is recognised and writes nothing.
    const before = await storeSnapshot(deps);
    const again = await ingestTestRun(deps, { productKey: 'RPM', source: 'copy.xml', contentHash: 'a'.repeat(64), meta: {}, cases: new JUnitReader('x').cases(Readable.from([JUNIT])) });
    expect(again.duplicate).toBe(true);
    expect(await storeSnapshot(deps)).toBe(before);
  });

  it('a mapping file counts only its own entries: a test named like what every object inherits maps to nothing [DOSSIER-SRS-18]', async () => {
    const xml = '<testsuite name="s"><testcase classname="unit" name="constructor"/><testcase classname="toString" name="hasOwnProperty"/></testsuite>';
    const s = await ingestTestRun(deps, {
      productKey: 'RPM',
      source: 'odd.xml',
      contentHash: 'c'.repeat(64),
      meta: {},
      cases: new JUnitReader('odd.xml').cases(Readable.from([xml])),
      mapping: { 'unit::mapped by file': ['TC-2'] },
    });
    expect([s.mapped, s.unmapped, s.unresolved]).toEqual([0, 2, []]);
  });

  it('a file that breaks half-way leaves nothing behind [DOSSIER-SRS-4]', async () => {
    const before = await storeSnapshot(deps);
    const broken = JUNIT.replace('<testcase classname="unit" name="nobody knows"/>', '<testcase classname="unit" name="nobody knows">');
    await expectAppError(
      ingestTestRun(deps, { productKey: 'RPM', source: 'run.xml', contentHash: 'b'.repeat(64), meta: {}, cases: new JUnitReader('run.xml').cases(Readable.from([broken.slice(0, 300), broken.slice(300)])) }),
      'INVALID_INPUT',
      /^run\.xml:\d+:\d+: /,
    );
    expect(await storeSnapshot(deps)).toBe(before);
  });

  it('records commits once each, with trailer and subject references, and reports code changes that name nothing [DOSSIER-SRS-20]', async () => {
    const commits = [
      commit('c3', 'Merge branch main', [], ['src/a.ts'], ['c2'.padEnd(40, '0'), 'c1'.padEnd(40, '0')]),
      commit('c2', 'Refactor queue'),
      commit('c1', 'SRS-1: TLS 1.3 only', [['Verifies', 'TC-1'], ['Fixes', 'ANOM-9'], ['Signed-off-by', 'Dana <d@e>']]),
      commit('c0', 'Docs', [], ['docs/x.md']),
    ];
    const s = await ingestCommits(deps, { productKey: 'RPM', source: 'repo', commits });
    expect([s.added, s.referenced, s.unreferenced.map((u) => u.subject)]).toEqual([4, 1, ['Refactor queue']]);
    expect(s.unresolved.map((u) => u.id)).toEqual(['ANOM-9']);
    const items = await deps.store.read((r) => r.listEvidenceItems({ productId: 1, kind: 'commit' }));
    expect(items.map((i) => [i.data['subject'], i.outcome, i.refs.map((x) => `${x.role}:${x.recordId}`).join(',')])).toEqual([
      ['Docs', 'no_code', ''],
      ['SRS-1: TLS 1.3 only', 'referenced', 'refs:1,verifies:2'],
      ['Refactor queue', 'unreferenced', ''],
      ['Merge branch main', 'merge', ''],
    ]);
    expect((await lastEvents(deps, 1))[0]).toMatchObject({ action: 'EVIDENCE_IMPORTED', newValue: { kind: 'commits', itemCount: 4 } });
    const again = await ingestCommits(deps, { productKey: 'RPM', source: 'repo', commits: [commit('c4', 'New'), ...commits] });
    expect([again.added, again.alreadyKnown]).toEqual([1, 4]);
  });

  it('records reviews with their verdicts and commits; the newest by updated_at counts across imports, not the last file imported [DOSSIER-SRS-20]', async () => {
    const file = parseReviewFile(readFileSync('test/fixtures/reviews/github-pulls.json', 'utf8'), 'pulls.json');
    const skipped = [{ index: 9, number: 50, reason: 'state: Invalid option' }];
    const s = await ingestReviews(deps, { productKey: 'RPM', source: 'pulls.json', contentHash: 'c'.repeat(64), reviews: file.reviews, skipped });
    expect(s.outcomes).toMatchObject({ approved: 1, self_approved: 1, approved_earlier_commit: 1, unapproved: 1, approved_after_merge: 1, open: 1, review_data_missing: 0 });
    expect(s.notIndependentlyApproved.map((f) => `${f.key} ${f.severity}`)).toEqual([
      'github:vitallink/rpm#44 error',
      'github:vitallink/rpm#46 error',
      'github:vitallink/rpm#47 error',
      'github:vitallink/rpm#48 warning',
    ]);
    expect(s.unresolved.map((u) => u.id)).toEqual(['SRS-4', 'TC-5', 'SRS-6']);
    expect((await lastEvents(deps, 1))[0]).toMatchObject({
      action: 'EVIDENCE_IMPORTED',
      newValue: { kind: 'reviews', itemCount: 6, meta: { added: 6, stale: 0, outcomes: { approved: 1, approved_earlier_commit: 1 }, skipped } },
    });
    const hotfix = file.reviews[1];
    if (hotfix === undefined) throw new Error('fixture');
    // A newer export: the hotfix was approved on its head before the merge after all (re-run of the export).
    const approvedHotfix = { ...hotfix, updatedAt: '2026-10-21T09:00:00Z', reviews: [{ reviewer: 'sam', state: 'APPROVED', at: '2026-10-20T15:58:00Z', commit: hotfix.headSha, bot: false }] };
    const t2 = await ingestReviews(deps, { productKey: 'RPM', source: 'new.json', contentHash: 'd'.repeat(64), reviews: [approvedHotfix, ...file.reviews.slice(2)] });
    expect([t2.added, t2.unchanged, t2.stale, t2.outcomes.approved]).toEqual([1, 4, 0, 1]);
    // An older export imported afterwards does not bring the older state back.
    const older = { ...hotfix, title: 'Hotfix (old title)', updatedAt: '2026-10-20T16:00:00Z' };
    const before = await storeSnapshot(deps);
    const t3 = await ingestReviews(deps, { productKey: 'RPM', source: 'old.json', contentHash: 'e'.repeat(64), reviews: [older] });
    expect([t3.import, t3.added, t3.stale]).toEqual([undefined, 0, 1]);
    expect(await storeSnapshot(deps)).toEqual(before);
    const frozen = await createRelease(deps, { productKey: 'RPM', version: '1.0.0' });
    expect(frozen.reviews).toBe(6);
    const held = await deps.store.read(async (r) => {
      const product = await r.findProduct('RPM');
      const release = await r.findRelease(product?.id ?? 0, '1.0.0');
      const ids = (await r.listReleaseEvidence(release?.id ?? 0)).flatMap((e) => (e.itemId === null ? [] : [e.itemId]));
      return r.listEvidenceItems({ productId: product?.id ?? 0, itemIds: ids });
    });
    expect(held.find((i) => i.key === 'github:vitallink/rpm#44')?.outcome).toBe('approved');
  });

  it('keeps SOUP records in line with an SBOM: added, upgraded (anomaly review cleared, back to draft), removed (obsolete) [DOSSIER-SRS-21]', async () => {
    const first = await ingestSbom(deps, { productKey: 'RPM', source: 'lock', contentHash: 'e'.repeat(64), sbom: sbom(component('react', '18.2.0'), component('ws', '6.2.2', false)) });
    expect(first.added.map((a) => `${a.record} ${a.name}`)).toEqual(['SOUP-1 react', 'SOUP-2 ws']);
    await editRecord(deps, { productKey: 'RPM', record: 'SOUP-1', baseRevision: 1, fields: { anomalyReview: 'Reviewed 18.2.0' } });
    const second = await ingestSbom(deps, { productKey: 'RPM', source: 'lock', contentHash: 'f'.repeat(64), sbom: sbom(component('react', '18.3.1'), component('zod', '4.0.0')) });
    expect(second.changed).toEqual([{ record: 'SOUP-1', name: 'react', version: '18.3.1', from: '18.2.0' }]);
    expect(second.added.map((a) => a.record)).toEqual(['SOUP-3']);
    expect(second.removed).toEqual([{ record: 'SOUP-2', name: 'ws', version: '6.2.2' }]);
    const react = await getRecord(deps, { productKey: 'RPM', record: 'SOUP-1' });
    expect(react.revision.fields).toMatchObject({ version: '18.3.1', purl: 'pkg:npm/react@18.3.1' });
    expect(react.revision.fields['anomalyReview']).toBeUndefined();
    expect((await getRecord(deps, { productKey: 'RPM', record: 'SOUP-2' })).head.status).toBe('obsolete');
    const events = await lastEvents(deps, 4);
    expect(events.map((e) => `${e.action} ${e.entityId}`)).toEqual([
      'RECORD_REVISED RPM/SOUP-1',
      'RECORD_CREATED RPM/SOUP-3',
      'RECORD_STATUS_CHANGED RPM/SOUP-2',
      `EVIDENCE_IMPORTED RPM/evidence/${second.import.id}`,
    ]);
  });

  it('turns advisories into untriaged vulnerability records on the SOUP versions they affect, once [DOSSIER-SRS-21]', async () => {
    await ingestSbom(deps, { productKey: 'RPM', source: 'lock', contentHash: 'e'.repeat(64), sbom: sbom(component('ws', '6.2.2', false), component('braces', '3.0.3')) });
    const advisories = parseVulnerabilityFile(readFileSync('demo/osv-scan.json', 'utf8'), 'osv.json');
    const s = await ingestVulnerabilities(deps, { productKey: 'RPM', source: 'osv.json', contentHash: '1'.repeat(64), advisories });
    expect(s.created).toEqual([{ record: 'VULN-1', advisory: 'GHSA-3h5v-q93c-6h6q', soup: 'SOUP-1', triage: 'untriaged', evaluated: true, note: '6.2.2 is inside an affected SEMVER range' }]);
    expect(s.unmatched).toEqual(['GHSA-grv7-fg5c-xmjg']);
    const links = await deps.store.read((r) => r.listLinks({ productId: 1 }));
    expect(links.map((l) => `${l.fromKey} ${l.type} ${l.toKey}`)).toEqual(['VULN-1 affects SOUP-1']);
    const again = await ingestVulnerabilities(deps, { productKey: 'RPM', source: 'osv2.json', contentHash: '2'.repeat(64), advisories });
    expect([again.created.length, again.known]).toEqual([0, 1]);
  });

  it('freezes a release baseline that anchors the audit head; a later change does not touch it; diff shows it [DOSSIER-SRS-22]', async () => {
    await addLinks(deps, { productKey: 'RPM', links: [{ from: 'TC-1', type: 'verifies', to: 'SRS-1' }] });
    const head = await deps.store.read((r) => r.auditHead());
    const a = await createRelease(deps, { productKey: 'RPM', version: '1.0.0' });
    expect(a.release).toMatchObject({ baseline: 1, status: 'draft', auditSeq: head?.seq, auditHash: head?.hash });
    expect([a.records, a.links]).toEqual([4, 1]);
    const [ev] = await lastEvents(deps, 1);
    expect(ev).toMatchObject({ action: 'RELEASE_CREATED', entityId: 'RPM/release/1.0.0', newValue: { baselineHash: a.release.baselineHash, auditSeq: head?.seq } });
    await editRecord(deps, { productKey: 'RPM', record: 'SRS-1', baseRevision: 1, title: 'Upload uses TLS 1.3 only, with pinning' });
    await someRecords(deps, 'RPM', ['DOC']);
    const b = await createRelease(deps, { productKey: 'RPM', version: '1.1.0' });
    expect(b.release.baselineHash).not.toBe(a.release.baselineHash);
    const frozen = await deps.store.read((r) => r.listReleaseRecords(a.release.id));
    expect(frozen.find((x) => x.recordId === 1)?.revision).toBe(1);
    const d = await diffReleases(deps, { productKey: 'RPM', from: '1.0.0', to: '1.1.0' });
    expect(d.records).toEqual({ added: ['DOC-1'], removed: [], changed: [{ record: 'SRS-1', from: 'rev 1 draft', to: 'rev 2 draft' }] });
    await expectAppError(createRelease(deps, { productKey: 'RPM', version: '1.0.0', testRuns: [999] }), 'INVALID_INPUT', /test run 999 is not a test run of RPM/);
    expect((await verifyIntegrity(deps)).ok).toBe(true);
  });

  it('the database refuses UPDATE and DELETE on evidence and frozen baselines [DOSSIER-SRS-22]', async () => {
    await ingestCommits(deps, { productKey: 'RPM', source: 'repo', commits: [commit('c1', 'SRS-1: x')] });
    await addLinks(deps, { productKey: 'RPM', links: [{ from: 'TC-1', type: 'verifies', to: 'SRS-1' }] });
    await createRelease(deps, { productKey: 'RPM', version: '1.0.0' });
    const db = t.store.db;
    for (const stmt of [
      sql`update evidence_items set outcome = 'referenced'`,
      sql`delete from evidence_items`,
      sql`update evidence_imports set items_digest = 'x'`,
      sql`delete from evidence_refs`,
      sql`update release_records set revision = 9`,
      sql`delete from release_links`,
      sql`delete from releases`,
    ]) {
      await expect(stmt.execute(db), stmt.compile(db).sql).rejects.toThrow(/append-only|never deleted|refused/);
    }
  });

  it('audit verify finds an evidence item changed behind the application\'s back', async () => {
    await ingestCommits(deps, { productKey: 'RPM', source: 'repo', commits: [commit('c1', 'Refactor'), commit('c0', 'SRS-1: x')] });
    expect((await verifyIntegrity(deps)).evidenceChecked).toBe(1);
    const db = t.store.db;
    // As an attacker with database access: switch the guard off and mark the unreferenced commit as referenced.
    if (dialect === 'postgres') await sql`alter table evidence_items disable trigger user`.execute(db);
    else await sql`drop trigger evidence_items_no_update`.execute(db);
    await sql`update evidence_items set outcome = 'referenced' where outcome = 'unreferenced'`.execute(db);
    const report = await verifyIntegrity(deps);
    expect(report.ok).toBe(false);
    expect(report.firstProblem?.message).toBe('evidence import RPM/evidence/1 (commits repo) does not match its digest: its items were changed, added or removed after the import');
  });
});
