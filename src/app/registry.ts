import type { AnyUseCase } from './use-case.js';
import { addRecordUseCase } from './use-cases/add-record.js';
import { listProductsUseCase } from './use-cases/list-products.js';
import { ingestTestRunUseCase } from './use-cases/ingest-test-run.js';
import { ingestCommitsUseCase } from './use-cases/ingest-commits.js';
import { ingestReviewsUseCase } from './use-cases/ingest-reviews.js';
import { ingestSbomUseCase } from './use-cases/ingest-sbom.js';
import { ingestVulnerabilitiesUseCase } from './use-cases/ingest-vulnerabilities.js';
import { listEvidenceUseCase } from './use-cases/list-evidence.js';
import { relabelTestRunUseCase } from './use-cases/relabel-test-run.js';
import { voidTestRunUseCase } from './use-cases/void-test-run.js';
import { createReleaseUseCase } from './use-cases/create-release.js';
import { checkReleaseUseCase } from './use-cases/check-release.js';
import { markReleasedUseCase } from './use-cases/mark-released.js';
import { voidReleaseUseCase } from './use-cases/void-release.js';
import { diffReleasesUseCase } from './use-cases/diff-releases.js';
import { listReleasesUseCase } from './use-cases/list-releases.js';

/**
 * Every use-case the adapters expose. The HTTP API mounts a route for each and the permission-matrix test
 * enumerates them; a use-case missing here is reachable from nowhere but its own tests.
 */
export const USE_CASES: readonly AnyUseCase[] = [
  // products
  listProductsUseCase,
  // records
  addRecordUseCase,
  // links
  // trace, check, rules
  // evidence
  ingestTestRunUseCase,
  ingestCommitsUseCase,
  ingestReviewsUseCase,
  ingestSbomUseCase,
  ingestVulnerabilitiesUseCase,
  listEvidenceUseCase,
  relabelTestRunUseCase,
  voidTestRunUseCase,
  // releases
  createReleaseUseCase,
  checkReleaseUseCase,
  markReleasedUseCase,
  voidReleaseUseCase,
  diffReleasesUseCase,
  listReleasesUseCase,
  // risk
  // audit and store
  // identity (users, sessions, tokens)
];
