import type { DesignFile } from './design.js';

/**
 * Tests of Dossier's own suite name the design-file requirements they verify in their title, as
 * `[DOSSIER-SRS-12]`. This module reads those tags and says where the tests and the design file disagree. Pure.
 */

const TAG = /\[DOSSIER-([A-Z][A-Z0-9]*-[1-9]\d*)\]/g;

/** Design-file keys a test title names (`SRS-12`), in order, without repeats. */
export function requirementTags(title: string): string[] {
  return [...new Set([...title.matchAll(TAG)].map((m) => m[1] ?? ''))];
}

/** Record types a test may name: what a test can verify in the design file. */
export const VERIFIABLE_TYPES: readonly string[] = ['SRS', 'RC'];

/** A test as the check sees it: where it is, its title, and whether it can prove anything. */
export interface TaggedTest {
  /** File (and line) for messages. */
  readonly where: string;
  readonly title: string;
  /** A skipped or todo test proves nothing. */
  readonly skipped: boolean;
}

/**
 * What disagrees between the design file and the tests' titles, one sentence per problem (empty when they agree):
 * a requirement that no test that runs names, a tag naming a record the design file does not hold, or one that no
 * test can verify.
 */
export function tagProblems(design: DesignFile, tests: readonly TaggedTest[]): string[] {
  const problems: string[] = [];
  const byKey = new Map(design.records.map((r) => [r.key, r]));
  const named = new Set<string>();
  for (const t of tests) {
    for (const key of requirementTags(t.title)) {
      const rec = byKey.get(key);
      if (rec === undefined) problems.push(`${t.where}: test '${t.title}' names DOSSIER-${key}, which the design file does not hold`);
      else if (!VERIFIABLE_TYPES.includes(rec.type)) problems.push(`${t.where}: test '${t.title}' names DOSSIER-${key}, a ${rec.type} record, which a test cannot verify`);
      else if (!t.skipped) named.add(key);
    }
  }
  for (const r of design.records) {
    if (r.type === 'SRS' && !named.has(r.key)) problems.push(`${r.key} (${r.where}) '${r.title}': no test names it`);
  }
  return problems;
}

/** A result of Dossier's own suite (one JUnit test case). */
export interface SuiteResult {
  readonly title: string;
  readonly outcome: 'passed' | 'failed' | 'error' | 'skipped' | 'flaky';
}

/** Per requirement: the suite's tests that name it, and how many of them passed. */
export interface RequirementTally {
  readonly key: string;
  readonly tests: number;
  readonly passed: number;
  readonly failed: number;
}

/** Counts, per requirement of the design file (key order), the suite's results that name it. */
export function tallyResults(design: DesignFile, results: readonly SuiteResult[]): RequirementTally[] {
  const tally = new Map(design.records.filter((r) => r.type === 'SRS').map((r) => [r.key, { key: r.key, tests: 0, passed: 0, failed: 0 }]));
  for (const res of results) {
    for (const key of requirementTags(res.title)) {
      const t = tally.get(key);
      if (t === undefined) continue;
      t.tests += 1;
      if (res.outcome === 'passed' || res.outcome === 'flaky') t.passed += 1;
      else if (res.outcome === 'failed' || res.outcome === 'error') t.failed += 1;
    }
  }
  return [...tally.values()];
}

/** Problems of a run of the suite: a requirement without a passing test, or with a failing one. */
export function resultProblems(tallies: readonly RequirementTally[]): string[] {
  return tallies.flatMap((t) =>
    t.passed === 0 ? [`${t.key}: no passing test (${t.tests} named it)`] : t.failed > 0 ? [`${t.key}: ${t.failed} of ${t.tests} tests failed`] : [],
  );
}
