import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_CATALOG } from '../../core/catalog/catalog.js';
import type { RoleGrant } from '../../core/access/permissions.js';
import type { Principal } from '../../core/access/principal.js';
import type { ParsedCommit } from '../../core/evidence/commits.js';
import type { ParsedTestCase } from '../../core/evidence/test-results.js';
import type { Deps } from '../../core/ports.js';
import { JUnitReader } from '../../ingest/junit.js';
import { parseReviewFile } from '../../ingest/review-file.js';
import { parseSbomFile } from '../../ingest/sbom-file.js';
import { parseVulnerabilityFile } from '../../ingest/vulnerability-file.js';
import { expectAppError, storeSnapshot } from '../../test-support/assertions.js';
import { aProduct, aTestCase, someRecords } from '../../test-support/factories.js';
import { DIALECTS, freshStore, type TestStore } from '../../test-support/stores.js';
import { execute } from '../execute.js';
import { processServices } from '../process-services.js';
import { USE_CASES } from '../registry.js';
import type { UseCase } from '../use-case.js';
import type { z } from 'zod';
import { checkReleaseUseCase } from './check-release.js';
import { addRecords } from './add-records.js';
import { configureRule } from './configure-rule.js';
import { createReleaseUseCase } from './create-release.js';
import { diffReleasesUseCase } from './diff-releases.js';
import { ingestCommitsUseCase } from './ingest-commits.js';
import { ingestReviewsUseCase } from './ingest-reviews.js';
import { ingestSbomUseCase } from './ingest-sbom.js';
import { ingestTestRunUseCase } from './ingest-test-run.js';
import { ingestVulnerabilitiesUseCase } from './ingest-vulnerabilities.js';
import { listAuditEvents } from './list-audit-events.js';
import { listEvidenceUseCase } from './list-evidence.js';
import { listReleasesUseCase } from './list-releases.js';
import { markReleasedUseCase } from './mark-released.js';
import { signReleaseUseCase } from './sign-release.js';
import { aSigningTeam, SIGNERS } from '../../test-support/signers.js';
import { localPrincipal } from '../../core/access/principal.js';
import { relabelTestRunUseCase } from './relabel-test-run.js';
import { voidReleaseUseCase } from './void-release.js';
import { voidTestRunUseCase } from './void-test-run.js';

const user = (id: string, grants: RoleGrant[]): Principal => ({
  id,
  userId: 3,
  printedName: id,
  kind: 'user',
  grants,
  sessionId: 's1',
  authenticatedAt: '2026-01-01T00:00:00.000Z',
});

/** Quality and approver on RPM and EMPTY: every permission these use-cases need. */
const QA = user('quinn', ['RPM', 'EMPTY'].flatMap((productKey) => [{ productKey, role: 'quality' as const }, { productKey, role: 'approver' as const }]));
const VIEWER = user('vera', [{ productKey: 'RPM', role: 'viewer' }]);

const JUNIT = `<testsuite name="s" timestamp="2026-11-20T09:00:00Z" hostname="ci-7">
  <testcase classname="e2e" name="[TC-1] refuses TLS 1.2"/>
  <testcase classname="unit" name="nobody knows"><failure message="boom">trace</failure></testcase>
</testsuite>`;

const aCase = (name: string): ParsedTestCase => aTestCase({ name, properties: [['verifies', 'SRS-1']] });

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
  trailers: [['Implements', 'SRS-1']],
  files: ['src/a.ts'],
});

const fixture = (p: string): string => readFileSync(`test/fixtures/${p}`, 'utf8');
const hash = (c: string): string => c.repeat(64);

describe.each(DIALECTS)('evidence and release descriptors on %s', (dialect) => {
  let t: TestStore;
  let deps: Deps;
  beforeEach(async () => {
    ({ t, deps } = await freshStore(dialect));
    await aProduct(deps);
    await someRecords(deps, 'RPM', ['SRS', 'TC']);
  });
  afterEach(async () => t.cleanup());

  const services = processServices(DEFAULT_CATALOG);
  const run = <I extends z.ZodType, O extends z.ZodType>(uc: UseCase<I, O>, input: z.input<I>, p: Principal = QA): Promise<z.output<O>> =>
    execute(uc, { deps, principal: p, services }, input, { checkOutput: true });
  /** The audit events written since `from` (a count of events), as `ACTION entity by actor`. */
  const eventsSince = async (from: number): Promise<string[]> =>
    (await listAuditEvents(deps, { limit: 10_000 })).slice(from).map((e) => `${e.action} ${e.entityId} by ${e.actor}`);
  const eventCount = async (): Promise<number> => (await listAuditEvents(deps, { limit: 10_000 })).length;

  it('imports every kind of evidence as the principal, lists, relabels and voids runs; each write names the principal', async () => {
    let n = await eventCount();
    const reader = new JUnitReader('run.xml');
    const streamed = await run(ingestTestRunUseCase, {
      productKey: 'RPM',
      source: 'run.xml',
      contentHash: hash('a'),
      meta: { version: '1.0.0' },
      cases: reader.cases(Readable.from([JUNIT])),
      facts: () => reader.facts,
    });
    expect(streamed).toMatchObject({ duplicate: false, mapped: 1, unmapped: 1, totals: { passed: 1, failed: 1 }, run: { importedBy: 'quinn', version: '1.0.0' } });
    expect(streamed.run.meta).toMatchObject({ host: 'ci-7', runner: 'quinn' });
    // The same shape as a JSON array (what an API caller sends).
    const second = await run(ingestTestRunUseCase, { productKey: 'RPM', source: 'b.xml', contentHash: hash('b'), meta: {}, cases: [aCase('checks the signature')] });
    expect(second).toMatchObject({ mapped: 1, run: { itemCount: 1, version: null } });
    expect(await eventsSince(n)).toEqual([`EVIDENCE_IMPORTED RPM/evidence/${streamed.run.id} by quinn`, `EVIDENCE_IMPORTED RPM/evidence/${second.run.id} by quinn`]);

    n = await eventCount();
    const relabelled = await run(relabelTestRunUseCase, { productKey: 'RPM', run: second.run.id, version: '1.0.0', reason: 'imported without a version' });
    expect(relabelled.version).toBe('1.0.0');
    const voided = await run(voidTestRunUseCase, { productKey: 'RPM', run: second.run.id, reason: 'wrong build' });
    expect(voided).toMatchObject({ voidedBy: 'quinn', voidReason: 'wrong build' });
    expect(await eventsSince(n)).toEqual([`EVIDENCE_RELABELLED RPM/evidence/${second.run.id} by quinn`, `EVIDENCE_VOIDED RPM/evidence/${second.run.id} by quinn`]);

    n = await eventCount();
    const commits = await run(ingestCommitsUseCase, { productKey: 'RPM', source: 'repo', commits: [commit('c2', 'Pin certificates'), commit('c1', 'Start')] });
    expect(commits).toMatchObject({ added: 2, referenced: 2, import: { kind: 'commits', importedBy: 'quinn' } });
    const reviews = parseReviewFile(fixture('reviews/github-pulls.json'), 'pulls.json');
    const r = await run(ingestReviewsUseCase, { productKey: 'RPM', source: 'pulls.json', contentHash: hash('c'), reviews: reviews.reviews, skipped: reviews.skipped });
    expect(r.import?.kind).toBe('reviews');
    expect(r.notIndependentlyApproved.length).toBeGreaterThan(0);
    const s = await run(ingestSbomUseCase, { productKey: 'RPM', source: 'bom.json', contentHash: hash('d'), sbom: parseSbomFile(fixture('sbom/cyclonedx-1.6-polyglot.json'), 'bom.json') });
    expect(s.added.length).toBeGreaterThan(0);
    const v = await run(ingestVulnerabilitiesUseCase, { productKey: 'RPM', source: 'ecosystems.json', contentHash: hash('e'), advisories: parseVulnerabilityFile(fixture('osv/ecosystems.json'), 'ecosystems.json') });
    expect(v.created.length).toBeGreaterThan(0);
    const imports = (await eventsSince(n)).filter((e) => e.startsWith('EVIDENCE_IMPORTED'));
    expect(imports).toEqual([commits.import, r.import, s.import, v.import].map((i) => `EVIDENCE_IMPORTED RPM/evidence/${i?.id ?? '?'} by quinn`));
    // The SOUP and vulnerability records the imports wrote are the principal's too.
    expect((await eventsSince(n)).every((e) => e.endsWith(' by quinn'))).toBe(true);

    const listed = await run(listEvidenceUseCase, { productKey: 'RPM' }, VIEWER);
    expect(listed.map((i) => i.kind)).toEqual(['test_run', 'test_run', 'commits', 'reviews', 'sbom', 'vulnerabilities']);
    expect((await run(listEvidenceUseCase, { productKey: 'RPM', kind: 'test_run' }, VIEWER)).map((i) => i.voidedAt === null)).toEqual([true, false]);
  });

  it('freezes, checks, diffs, marks released, voids and lists releases, the rule packs coming from the process', async () => {
    await aProduct(deps, { key: 'EMPTY' });
    // A product whose gate passes: a development plan, a passing test run of the version, an acceptable overall
    // residual risk evaluation (drafts: approval is waived for them with a justification).
    await addRecords(deps, { productKey: 'EMPTY', records: [{ type: 'ORR', title: 'Overall residual risk 1.0.0', fields: { release: '1.0.0', acceptable: true } }] });
    await someRecords(deps, 'EMPTY', ['DOC']);
    await configureRule(deps, { productKey: 'EMPTY', ruleId: 'RELEASE-RECORD-APPROVED', action: 'disable', justification: 'Descriptor test of a pilot build' }, services.builtinPacks());
    await run(ingestTestRunUseCase, { productKey: 'EMPTY', source: 'run.xml', contentHash: hash('f'), meta: { version: '1.0.0' }, cases: [aCase('smoke')] });
    let n = await eventCount();
    const first = await run(createReleaseUseCase, { productKey: 'EMPTY', version: '1.0.0' });
    expect(first).toMatchObject({ records: 2, testRuns: [1], release: { status: 'draft', createdBy: 'quinn' } });
    const check = await run(checkReleaseUseCase, { productKey: 'EMPTY', version: '1.0.0' }, user('vera', [{ productKey: 'EMPTY', role: 'viewer' }]));
    expect(check.findings.filter((f) => f.severity === 'error')).toEqual([]);
    expect(check).toMatchObject({ passed: true, failOn: 'error', release: { version: '1.0.0' } });
    // Rule packs were run: the built-in ones, loaded by the process services, not sent by the caller.
    expect(check.rules.packs.length).toBeGreaterThan(0);
    // Released with the release workflow's signatures: quality approves the baseline, an approver releases it.
    await aSigningTeam(deps, 'EMPTY');
    n = await eventCount();
    const ops = localPrincipal('ops');
    const approval = await run(signReleaseUseCase, { productKey: 'EMPTY', version: '1.0.0', baseline: 1, meaning: 'approved', username: SIGNERS.quinn.username, password: SIGNERS.quinn.password }, ops);
    expect(approval).toMatchObject({ entity: 'EMPTY/release/1.0.0', revision: 1, meaning: 'approved', username: 'quinn.qa', printedName: 'Quinn Quality' });
    const marked = await run(markReleasedUseCase, { productKey: 'EMPTY', version: '1.0.0', reason: 'gate passed', username: SIGNERS.avery.username, password: SIGNERS.avery.password }, ops);
    expect(marked).toMatchObject({ status: 'released', releasedBy: 'avery.approver' });
    const next = await run(createReleaseUseCase, { productKey: 'EMPTY', version: '1.1.0' });
    const voided = await run(voidReleaseUseCase, { productKey: 'EMPTY', version: '1.1.0', reason: 'frozen from the wrong branch' });
    expect(voided).toMatchObject({ status: 'void', voidedBy: 'quinn', baseline: next.release.baseline });
    expect(await eventsSince(n)).toEqual([
      'SIGNATURE_APPLIED EMPTY/release/1.0.0/signature/1 by quinn.qa',
      'SIGNATURE_APPLIED EMPTY/release/1.0.0/signature/2 by avery.approver',
      'RELEASE_RELEASED EMPTY/release/1.0.0 by avery.approver',
      'RELEASE_CREATED EMPTY/release/1.1.0 by quinn',
      'RELEASE_VOIDED EMPTY/release/1.1.0 by quinn',
    ]);
    expect((await run(listReleasesUseCase, { productKey: 'EMPTY' })).map((x) => `${x.version} ${x.status}`)).toEqual(['1.0.0 released', '1.1.0 void']);

    // A product with records: two baselines and their diff.
    n = await eventCount();
    await run(createReleaseUseCase, { productKey: 'RPM', version: '2.0.0' });
    const gate = await run(checkReleaseUseCase, { productKey: 'RPM', version: '2.0.0', failOn: 'warning' });
    expect(gate.passed).toBe(false);
    expect(gate.findings.length).toBeGreaterThan(0);
    // Plain data, as the API sends it: no objects that compute their message on demand.
    expect(gate.findings.every((f) => Object.getPrototypeOf(f) === Object.prototype && typeof f.message === 'string')).toBe(true);
    await someRecords(deps, 'RPM', ['HAZ']);
    await run(createReleaseUseCase, { productKey: 'RPM', version: '2.1.0' });
    const diff = await run(diffReleasesUseCase, { productKey: 'RPM', from: '2.0.0', to: '2.1.0' });
    expect(diff.records.added).toEqual(['HAZ-1']);
    await expectAppError(
      run(markReleasedUseCase, { productKey: 'RPM', version: '2.1.0', username: SIGNERS.avery.username, password: SIGNERS.avery.password }, localPrincipal('ops')),
      'INVALID_STATE',
      /cannot be marked released: its gate has \d+ error finding/,
    );
    expect((await eventsSince(n)).filter((e) => e.startsWith('RELEASE_'))).toEqual(['RELEASE_CREATED RPM/release/2.0.0 by quinn', 'RELEASE_CREATED RPM/release/2.1.0 by quinn']);
  });

  it('refuses an import by a viewer with FORBIDDEN, keeps the refusal in the trail and changes nothing else [DOSSIER-SRS-29]', async () => {
    const n = await eventCount();
    await expectAppError(
      run(ingestTestRunUseCase, { productKey: 'RPM', source: 'b.xml', contentHash: hash('b'), meta: {}, cases: [aCase('x')] }, VIEWER),
      'FORBIDDEN',
      /vera may not record a test run from parsed junit results: it needs the permission evidence\.import on RPM/,
    );
    await expectAppError(run(voidTestRunUseCase, { productKey: 'RPM', run: 1, reason: 'x' }, VIEWER), 'FORBIDDEN', /evidence\.correct on RPM/);
    expect(await eventsSince(n)).toEqual(['ACCESS_DENIED evidence.tests by vera', 'ACCESS_DENIED evidence.void by vera']);
    expect(await run(listEvidenceUseCase, { productKey: 'RPM' }, VIEWER)).toEqual([]);
  });

  it('checks streamed test cases one by one: a bad case names itself and its field, and nothing is written', async () => {
    const before = await storeSnapshot(deps);
    const cases = Readable.from([aCase('fine'), { ...aCase('bad'), outcome: 'exploded', at: 'run.xml:9' }]);
    await expectAppError(
      run(ingestTestRunUseCase, { productKey: 'RPM', source: 'b.xml', contentHash: hash('b'), meta: {}, cases: cases as AsyncIterable<ParsedTestCase> }),
      'INVALID_INPUT',
      /^invalid test run: case 2 \(run\.xml:9\): cases\[1\]\.outcome: /,
    );
    await expectAppError(
      run(ingestTestRunUseCase, { productKey: 'RPM', source: 'b.xml', contentHash: 'nope', meta: {}, cases: [] }),
      'INVALID_INPUT',
      /^invalid test run: contentHash: expected a SHA-256/,
    );
    await expectAppError(
      run(ingestSbomUseCase, { productKey: 'RPM', source: 'bom.json', contentHash: hash('d'), sbom: { format: 'npm-lockfile', specVersion: '3', components: [{ name: '' }] } as never }),
      'INVALID_INPUT',
      /^invalid SBOM: sbom\.components\[0\]\.name: /,
    );
    expect(await storeSnapshot(deps)).toBe(before);
  });

  it('registers every descriptor in the evidence and release sections', () => {
    const names = USE_CASES.map((u) => u.name);
    for (const name of ['evidence.tests', 'evidence.commits', 'evidence.reviews', 'evidence.sbom', 'evidence.vulnerabilities', 'evidence.list', 'evidence.relabel', 'evidence.void']) {
      expect(names).toContain(name);
    }
    for (const name of ['release.create', 'release.check', 'release.mark', 'release.void', 'release.diff', 'release.list']) expect(names).toContain(name);
  });
});
