import { fileURLToPath } from 'node:url';
import { sha256Hex } from '../core/hashing.js';
import type { ParsedCommit } from '../core/evidence/commits.js';
import type { Deps } from '../core/ports.js';
import { addLinks } from '../app/use-cases/add-links.js';
import { createRelease } from '../app/use-cases/create-release.js';
import { ingestCommits } from '../app/use-cases/ingest-commits.js';
import { ingestReviews } from '../app/use-cases/ingest-reviews.js';
import { ingestSbom } from '../app/use-cases/ingest-sbom.js';
import { ingestTestRun } from '../app/use-cases/ingest-test-run.js';
import { ingestVulnerabilities } from '../app/use-cases/ingest-vulnerabilities.js';
import { hashFiles } from '../ingest/files.js';
import { JUnitReader } from '../ingest/junit.js';
import { parseReviewFile } from '../ingest/review-file.js';
import { parseSbomFile } from '../ingest/sbom-file.js';
import { parseVulnerabilityFile } from '../ingest/vulnerability-file.js';
import { readTextFile } from '../ingest/yaml-file.js';

/** The demo's evidence files (`demo/` at the package root), the same kind a CI job would hand to `dossier evidence`. */
export const DEMO_DIR = fileURLToPath(new URL('../../demo/', import.meta.url));

/** The demo's 1.2.0 history: commits with trailers, one hotfix that names nothing. */
const COMMITS: readonly [string, string, string, string, readonly (readonly [string, string])[], readonly string[]][] = [
  ['2026-09-01T09:12:00Z', 'dana.engineer@vitallink.example', 'Dana Engineer', 'Upload client: refuse TLS 1.2', [['Implements', 'SRS-3'], ['Verifies', 'TC-4']], ['mobile/src/net/tls.ts', 'mobile/test/tls-version.int.test.ts']],
  ['2026-09-08T14:03:00Z', 'ali.backend@vitallink.example', 'Ali Backend', 'FHIR: map blood pressure as a panel', [['Implements', 'SRS-14']], ['cloud/fhir/observation.ts']],
  ['2026-09-15T10:40:00Z', 'dana.engineer@vitallink.example', 'Dana Engineer', 'Pin the ingestion API public key', [['Implements', 'SRS-4'], ['Refs', 'RC-1']], ['mobile/src/net/pinning.ts', 'mobile/test/pinning.int.test.ts']],
  ['2026-09-22T16:20:00Z', 'sam.reviewer@vitallink.example', 'Sam Reviewer', 'Escalation: schedule SMS at alert time + 15 min', [['Implements', 'SRS-11']], ['cloud/rules/escalation.ts']],
  ['2026-10-01T08:55:00Z', 'dana.engineer@vitallink.example', 'Dana Engineer', 'SRS-7: encrypt the upload queue at rest', [], ['mobile/src/queue/store.ts']],
  ['2026-10-20T15:58:00Z', 'lee.dev@vitallink.example', 'Lee Dev', 'Hotfix: reminder scheduling on Android 14', [], ['mobile/src/reminders/schedule.ts']],
  ['2026-10-22T09:00:00Z', 'lee.dev@vitallink.example', 'Lee Dev', 'Docs: update the release notes', [], ['docs/release-notes.md']],
];

function demoCommits(): ParsedCommit[] {
  let parent: string | null = null;
  const out: ParsedCommit[] = [];
  for (const [at, email, name, subject, trailers, files] of COMMITS) {
    const sha = sha256Hex(`demo commit|${at}|${subject}`).slice(0, 40);
    out.push({ sha, parents: parent === null ? [] : [parent], authorName: name, authorEmail: email, authoredAt: at, committerName: name, committedAt: at, subject, body: '', trailers, files });
    parent = sha;
  }
  // git log lists newest first.
  return out.reverse();
}

/**
 * The evidence a team would have for VitalLink 1.2.0, imported through the same readers and use-cases as
 * `dossier evidence …`: a CI test run (one failure, one error), commits, code reviews (one self-approved hotfix),
 * the mobile app's lockfile as SBOM (react-native upgraded, new SOUP without assessment) and an OSV scan (an
 * untriaged vulnerability in ws). Then the 1.2.0 baseline is frozen, so `dossier release check 1.2.0` has real
 * findings to show.
 */
export async function seedDemoEvidence(deps: Deps, productKey: string): Promise<void> {
  const junit = `${DEMO_DIR}junit-1.2.0.xml`;
  const reader = new JUnitReader(junit);
  await ingestTestRun(deps, {
    productKey,
    source: 'junit-1.2.0.xml',
    contentHash: await hashFiles([junit]),
    meta: { version: '1.2.0', build: 'ci-2291', commit: demoCommits()[0]?.sha.slice(0, 12) ?? '', environment: 'CI: Ubuntu 24.04, Node 20; device lab: Pixel 8 (Android 15), iPhone 15 (iOS 18)', runner: 'https://ci.vitallink.example/pipelines/2291' },
    cases: reader.cases(),
    facts: () => reader.facts,
  });
  await ingestCommits(deps, { productKey, source: 'vitallink/rpm v1.1.0..v1.2.0', commits: demoCommits() });
  const reviews = `${DEMO_DIR}reviews-github.json`;
  await ingestReviews(deps, { productKey, source: 'reviews-github.json', contentHash: await hashFiles([reviews]), reviews: parseReviewFile(readTextFile(reviews, 'review file'), reviews).reviews });
  const lock = `${DEMO_DIR}package-lock.json`;
  await ingestSbom(deps, { productKey, source: 'mobile/package-lock.json', contentHash: await hashFiles([lock]), sbom: parseSbomFile(readTextFile(lock, 'SBOM'), lock) });
  const osv = `${DEMO_DIR}osv-scan.json`;
  await ingestVulnerabilities(deps, { productKey, source: 'osv-scan.json', contentHash: await hashFiles([osv]), advisories: parseVulnerabilityFile(readTextFile(osv, 'vulnerability file'), osv) });
  // The scan's vulnerability bears on data in transit: linked to the hazard, it flags its risks for review.
  await addLinks(deps, { productKey, links: [{ from: 'VULN-1', type: 'concerns', to: 'HAZ-1' }], reason: 'OSV scan finding to weigh in the next risk review' });
  await createRelease(deps, { productKey, version: '1.2.0', reason: 'release candidate 3 for 1.2.0' });
}
