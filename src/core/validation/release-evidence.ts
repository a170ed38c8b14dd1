import { z } from 'zod';
import { recordsOf, type DesignFile } from './design.js';
import { requirementTags, resultProblems, tallyResults, type SuiteResult } from './requirement-tags.js';

/**
 * A Dossier release's validation summary: per requirement of its design file, the tests of its own suite that name
 * it and their results in each CI run (a Node.js version), split by database engine. Generated in CI from the suite's
 * JUnit output and the design file, so a customer's quality staff can review it before upgrading, and
 * `dossier validate` shows it beside the results on the customer's machine. Pure.
 */

const CountsSchema = z.object({ tests: z.number().int(), passed: z.number().int(), failed: z.number().int() });
export type Counts = z.infer<typeof CountsSchema>;

export const ReleaseEvidenceSchema = z.object({
  format: z.literal(1),
  /** Dossier's version the suite ran on. */
  version: z.string(),
  generatedAt: z.string(),
  runs: z.array(z.object({ label: z.string(), tests: z.number().int(), passed: z.number().int(), failed: z.number().int(), skipped: z.number().int() })),
  requirements: z.array(
    z.object({
      key: z.string(),
      title: z.string(),
      /** Per run label: all tests naming it, and those that ran on each engine (an engine-independent test on neither). */
      runs: z.record(z.string(), z.object({ all: CountsSchema, sqlite: CountsSchema, postgres: CountsSchema })),
    }),
  ),
  /** Requirements without a passing test, or with a failing one, per run; empty for a release. */
  problems: z.array(z.string()),
});
export type ReleaseEvidence = z.infer<typeof ReleaseEvidenceSchema>;

/** The suite's results of one CI run. */
export interface SuiteRun {
  readonly label: string;
  readonly results: readonly SuiteResult[];
}

/** The engine a test of the suite ran on, from its title (`… on sqlite > …`); null for engine-independent tests. */
export function engineOf(title: string): 'sqlite' | 'postgres' | null {
  const m = /\bon (sqlite|postgres)\b/.exec(title);
  return m === null ? null : (m[1] as 'sqlite' | 'postgres');
}

const tallyOf = (design: DesignFile, results: readonly SuiteResult[], key: string): Counts => {
  const t = tallyResults(design, results).find((x) => x.key === key);
  return { tests: t?.tests ?? 0, passed: t?.passed ?? 0, failed: t?.failed ?? 0 };
};

/** The summary of some CI runs of the suite against a design file. */
export function releaseEvidence(design: DesignFile, runs: readonly SuiteRun[], version: string, generatedAt: string): ReleaseEvidence {
  const tagged = runs.map((r) => ({ ...r, results: r.results.filter((x) => requirementTags(x.title).length > 0) }));
  const requirements = recordsOf(design, 'SRS').map((req) => ({
    key: req.key,
    title: req.title,
    runs: Object.fromEntries(
      tagged.map((r) => [
        r.label,
        {
          all: tallyOf(design, r.results, req.key),
          sqlite: tallyOf(design, r.results.filter((x) => engineOf(x.title) === 'sqlite'), req.key),
          postgres: tallyOf(design, r.results.filter((x) => engineOf(x.title) === 'postgres'), req.key),
        },
      ]),
    ),
  }));
  return {
    format: 1,
    version,
    generatedAt,
    runs: runs.map((r) => ({
      label: r.label,
      tests: r.results.length,
      passed: r.results.filter((x) => x.outcome === 'passed' || x.outcome === 'flaky').length,
      failed: r.results.filter((x) => x.outcome === 'failed' || x.outcome === 'error').length,
      skipped: r.results.filter((x) => x.outcome === 'skipped').length,
    })),
    requirements,
    problems: runs.flatMap((r) => resultProblems(tallyResults(design, r.results)).map((p) => `${r.label}: ${p}`)),
  };
}

const cell = (c: Counts | undefined): string => (c === undefined || c.tests === 0 ? '–' : c.failed > 0 ? `**${c.passed}/${c.tests} (${c.failed} failed)**` : `${c.passed}/${c.tests}`);

/** The summary as Markdown, for the release notes and a reviewer. */
export function releaseEvidenceMarkdown(e: ReleaseEvidence): string {
  const labels = e.runs.map((r) => r.label);
  const lines = [
    `# Dossier ${e.version}: validation evidence from CI`,
    '',
    `Generated ${e.generatedAt} from the JUnit output of Dossier's own test suite and its design file (\`validation/design\`).`,
    `Verdict: **${e.problems.length === 0 ? 'every requirement has passing tests and none failing, in every run' : `${e.problems.length} problem(s)`}**.`,
    '',
    '| Run | Tests | Passed | Failed | Skipped |',
    '|---|---|---|---|---|',
    ...e.runs.map((r) => `| ${r.label} | ${r.tests} | ${r.passed} | ${r.failed} | ${r.skipped} |`),
    '',
    ...(e.problems.length > 0 ? ['## Problems', '', ...e.problems.map((p) => `- ${p}`), ''] : []),
    '## Requirements',
    '',
    'Each cell: passing tests / tests naming the requirement (all; on SQLite; on PostgreSQL). Engine-independent tests count in "all" only.',
    '',
    `| Requirement | ${labels.map((l) => `${l}: all | SQLite | PostgreSQL`).join(' | ')} |`,
    `|---|${labels.map(() => '---|---|---|').join('')}`,
    ...e.requirements.map((r) => `| ${r.key} ${r.title.replaceAll('|', '\\|')} | ${labels.map((l) => [cell(r.runs[l]?.all), cell(r.runs[l]?.sqlite), cell(r.runs[l]?.postgres)].join(' | ')).join(' | ')} |`),
    '',
  ];
  return lines.join('\n');
}
