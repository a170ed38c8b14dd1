import { Option, type Command } from 'commander';
import { table } from '../output.js';
import { DEFAULT_MAX_SBOM_COMPONENTS } from '../../core/evidence/sbom.js';
import { invalidInput } from '../../core/errors.js';
import { basename } from 'node:path';
import { REVIEW_FINDING, REVIEW_OUTCOMES } from '../../core/evidence/reviews.js';
import { DEFAULT_MAX_TEXT } from '../../ingest/junit-limits.js';
import type { EvidenceKind } from '../../core/evidence/model.js';
import type { TestRunSummary } from '../../app/use-cases/ingest-test-run.js';
import type { Kit } from '../command-kit.js';
import { EXIT } from '../exit-codes.js';

/** `dossier evidence …`: evidence from CI, git, code review and SBOMs, each import one transaction. */
export function registerEvidenceCommands(program: Command, kit: Kit): void {
  const evidence = program.command('evidence').description('import evidence: test results, commits, code reviews, SBOMs, vulnerabilities');

  evidence
    .command('tests')
    .description('record a test run from JUnit XML files (Surefire, Gradle, pytest, Jest, Vitest, GoogleTest, Playwright)')
    .argument('<files...>', 'JUnit XML files of one run')
    .option('-p, --product <KEY>', 'product (default: the only one)')
    .option('--version <version>', 'product version under test (a release takes the runs of its version)')
    .option('--build <id>', 'build number or CI pipeline ID')
    .option('--commit <sha>', 'commit under test')
    .option('--environment <text>', 'where it ran: OS, devices, browsers, configuration')
    .option('--runner <text>', 'who or what ran it (CI job URL, tester); default: the actor')
    .option('--started-at <time>', 'start time (default: the earliest suite timestamp)')
    .option('--finished-at <time>', 'finish time')
    .option('--map <file>', 'mapping file: tests → record IDs (YAML or JSON)')
    .option('--fail-on-failures', 'exit 1 when a test failed or errored (the run is still recorded)')
    .addOption(
      new Option('--max-text <bytes>', 'cap on each message and output kept per test case (head and tail are kept, the cut is marked)')
        .env('DOSSIER_JUNIT_MAX_TEXT')
        .default(String(DEFAULT_MAX_TEXT)),
    )
    .action(
      kit.action(
        async (
          ctx,
          files: string[],
          o: { product?: string; version?: string; build?: string; commit?: string; environment?: string; runner?: string; startedAt?: string; finishedAt?: string; map?: string; failOnFailures?: boolean; maxText: string },
        ) => {
          const [{ ingestTestRunUseCase }, { hashFiles }, { readTestMapping }, { readJUnitFiles, runFacts }] = await Promise.all([
            import('../../app/use-cases/ingest-test-run.js'),
            import('../../ingest/files.js'),
            import('../../ingest/test-mapping-file.js'),
            import('../../ingest/junit.js'),
          ]);
          const productKey = await ctx.productKey(o.product);
          files = [...new Set(files)];
          const contentHash = await hashFiles(files);
          const mapping = o.map === undefined ? undefined : readTestMapping(o.map);
          const maxText = Number(o.maxText);
          if (!/^\d+$/.test(o.maxText) || maxText < 256 || maxText > 64 * 1024 * 1024) {
            throw invalidInput(`--max-text (or DOSSIER_JUNIT_MAX_TEXT) must be a number of bytes from 256 to 67108864, not '${o.maxText}'`, { field: 'max-text' });
          }
          const meta = {
            ...(o.version === undefined ? {} : { version: o.version }),
            ...(o.build === undefined ? {} : { build: o.build }),
            ...(o.commit === undefined ? {} : { commit: o.commit }),
            ...(o.environment === undefined ? {} : { environment: o.environment }),
            ...(o.runner === undefined ? {} : { runner: o.runner }),
            ...(o.startedAt === undefined ? {} : { startedAt: o.startedAt }),
            ...(o.finishedAt === undefined ? {} : { finishedAt: o.finishedAt }),
          };
          let s: TestRunSummary;
          if (ctx.config.server !== undefined) {
            // Against a server: the files are uploaded as they are read from disk and parsed there, never held whole.
            const [{ uploadRemote }, { TEST_RUN_UPLOAD_PATH }] = await Promise.all([import('../remote-client.js'), import('../../server/upload-paths.js')]);
            const fields = { ...meta, source: files.join(', '), contentHash, maxText: String(maxText), ...(mapping === undefined ? {} : { mapping: JSON.stringify(mapping) }) };
            const path = TEST_RUN_UPLOAD_PATH.replace(':productKey', encodeURIComponent(productKey));
            s = (await uploadRemote({ url: ctx.config.server, token: ctx.config.token }, path, fields, files)) as TestRunSummary;
          } else {
            const { cases, readers } = readJUnitFiles(files, maxText);
            s = await ctx.run(ingestTestRunUseCase, { productKey, source: files.join(', '), contentHash, meta, cases, facts: () => runFacts(readers), ...(mapping === undefined ? {} : { mapping }) });
          }
          ctx.print(s, () => {
            if (s.relabelled) return `already imported as test run ${s.run.id} (${s.run.importedAt} by ${s.run.importedBy}) without a version; now labelled ${s.run.version ?? ''}`;
            if (s.duplicate) return `already imported as test run ${s.run.id} (${s.run.importedAt} by ${s.run.importedBy}); nothing changed`;
            const t = s.totals;
            const lines = [
              `test run ${s.run.id}: ${s.run.itemCount} results (${t.passed} passed, ${t.failed} failed, ${t.error} errors, ${t.skipped} skipped, ${t.flaky} flaky)`,
              `${s.mapped} mapped to records, ${s.unmapped} unmapped`,
            ];
            if (s.unmapped > 0) lines.push(`unmapped (kept, not linked): ${s.unmappedSample.join('; ')}${s.unmapped > s.unmappedSample.length ? ' …' : ''}`);
            for (const u of s.unresolved.slice(0, 20)) lines.push(`unresolved ${u.id} named by ${u.by}: ${u.why}`);
            return lines.join('\n');
          });
          const failed = s.totals.failed + s.totals.error > 0;
          return o.failOnFailures === true && failed ? EXIT.findings : EXIT.ok;
        },
      ),
    );

  const runId = (text: string): number => {
    if (!/^[1-9]\d{0,9}$/.test(text)) throw invalidInput(`a test run is named by its number (see dossier evidence list --kind test_run), not '${text}'`, { field: 'run' });
    return Number(text);
  };

  evidence
    .command('relabel')
    .description('attach a test run to a product version, or move it to another (audit-trailed)')
    .argument('<run>', 'test run number (dossier evidence list --kind test_run)')
    .requiredOption('--version <version>', 'the product version the run tested')
    .requiredOption('--reason <text>', 'why (kept in the audit trail)')
    .option('-p, --product <KEY>', 'product (default: the only one)')
    .action(
      kit.action(async (ctx, run: string, o: { version: string; reason: string; product?: string }) => {
        const { relabelTestRunUseCase } = await import('../../app/use-cases/relabel-test-run.js');
        const r = await ctx.run(relabelTestRunUseCase, { productKey: await ctx.productKey(o.product), run: runId(run), version: o.version, reason: o.reason });
        ctx.print(r, () => `test run ${r.id} is now labelled ${r.version ?? ''}; a release of that version takes it when frozen (dossier release create)`);
      }),
    );

  evidence
    .command('void')
    .description('mark a mistaken test run void: kept, never deleted, but counted for no verdict and no release')
    .argument('<run>', 'test run number (dossier evidence list --kind test_run)')
    .requiredOption('--reason <text>', 'why the run does not count (kept with it and in the audit trail)')
    .option('-p, --product <KEY>', 'product (default: the only one)')
    .action(
      kit.action(async (ctx, run: string, o: { reason: string; product?: string }) => {
        const { voidTestRunUseCase } = await import('../../app/use-cases/void-test-run.js');
        const r = await ctx.run(voidTestRunUseCase, { productKey: await ctx.productKey(o.product), run: runId(run), reason: o.reason });
        ctx.print(r, () => `test run ${r.id} is void (${r.voidReason ?? ''}); a draft release that holds it should be frozen again`);
      }),
    );

  evidence
    .command('git')
    .description('record commits with the records their trailers (Implements:, Verifies:, Fixes:, Refs:) or subjects name')
    .option('-p, --product <KEY>', 'product (default: the only one)')
    .option('--range <A..B>', 'revision range (default: the whole history of HEAD)')
    .option('--repo <path>', 'repository', '.')
    .option('--fail-on-unreferenced', 'exit 1 when a commit changes code without naming a record')
    .action(
      kit.action(async (ctx, o: { product?: string; range?: string; repo: string; failOnUnreferenced?: boolean }) => {
        const productKey = await ctx.productKey(o.product);
        const [{ readGitLog }, { ingestCommitsUseCase }] = await Promise.all([import('../../ingest/git-log.js'), import('../../app/use-cases/ingest-commits.js')]);
        const commits = await readGitLog(o.repo, o.range);
        const s = await ctx.run(ingestCommitsUseCase, { productKey, source: `${o.repo}${o.range === undefined ? '' : ` ${o.range}`}`, commits });
        ctx.print(s, () => {
          const lines = [
            s.import === undefined
              ? `${s.read} commits read, all already recorded; nothing changed`
              : `commits import ${s.import.id}: ${s.added} new commits (${s.alreadyKnown} already recorded), ${s.referenced} name records`,
          ];
          for (const u of s.unreferenced) lines.push(`warning: ${u.sha.slice(0, 12)} changes code but names no record: ${u.subject} (${u.author})`);
          for (const u of s.unresolved.slice(0, 20)) lines.push(`unresolved ${u.id} named by ${u.by}: ${u.why}`);
          return lines.join('\n');
        });
        return o.failOnUnreferenced === true && s.unreferenced.length > 0 ? EXIT.findings : EXIT.ok;
      }),
    );

  evidence
    .command('reviews')
    .description(
      'record code reviews: GitHub pull requests with their reviews (REST, `gh api --paginate`, `gh pr list/view --json`) or GitLab merge requests with their approvals',
    )
    .argument('<file>', 'JSON: an array of pull or merge requests, pages back to back or slurped, or one a line')
    .option('-p, --product <KEY>', 'product (default: the only one)')
    .option('--repo <owner/name>', 'repository of entries that do not name theirs (`gh pr list` without `url`)')
    .action(
      kit.action(async (ctx, file: string, o: { product?: string; repo?: string }) => {
        const productKey = await ctx.productKey(o.product);
        const [{ parseReviewFile, skippedEntryText }, { readTextFile }, { ingestReviewsUseCase }, { hashFiles }] = await Promise.all([
          import('../../ingest/review-file.js'),
          import('../../ingest/yaml-file.js'),
          import('../../app/use-cases/ingest-reviews.js'),
          import('../../ingest/files.js'),
        ]);
        const parsed = parseReviewFile(readTextFile(file, 'review file'), file, o.repo === undefined ? {} : { repo: o.repo });
        const s = await ctx.run(ingestReviewsUseCase, { productKey, source: file, contentHash: await hashFiles([file]), reviews: parsed.reviews, skipped: parsed.skipped });
        ctx.print(s, () => {
          if (s.duplicate) return `already imported as reviews import ${s.import?.id ?? ''}; nothing changed`;
          const counts = REVIEW_OUTCOMES.filter((k) => s.outcomes[k] > 0 || k === 'approved').map((k) => `${s.outcomes[k]} ${k.replace(/_/g, ' ')}`);
          const lines = [
            s.import === undefined
              ? `${parsed.reviews.length} change requests read, none newer than already recorded; nothing changed`
              : `reviews import ${s.import.id}: ${s.added} change requests (${counts.join(', ')}), ${s.unchanged} unchanged, ${s.stale} older than recorded`,
          ];
          for (const k of s.skipped) lines.push(`warning: ${skippedEntryText(file, k)}`);
          for (const f of s.notIndependentlyApproved) lines.push(`${f.severity}: ${f.key} "${f.title}" by ${f.author} was merged ${REVIEW_FINDING[f.outcome]?.text ?? f.outcome}`);
          for (const u of s.unresolved.slice(0, 20)) lines.push(`unresolved ${u.id} named by ${u.by}: ${u.why}`);
          return lines.join('\n');
        });
      }),
    );

  evidence
    .command('sbom')
    .description('create or update SOUP records from CycloneDX JSON (1.2-1.7), SPDX JSON (2.2, 2.3) or npm package-lock.json (v2/v3)')
    .argument('<file>', 'SBOM or lockfile (UTF-8 or UTF-16)')
    .option('-p, --product <KEY>', 'product (default: the only one)')
    .option('--source <name>', 'name of this SBOM across imports, for removals (default: the file name)')
    .option('--include-dev', 'include development-only packages (lockfile dev, CycloneDX cdx:npm:package:development): tools, not shipped')
    .option('--max-components <n>', `refuse an SBOM with more components than this (default ${DEFAULT_MAX_SBOM_COMPONENTS})`)
    .action(
      kit.action(async (ctx, file: string, o: { product?: string; source?: string; includeDev?: boolean; maxComponents?: string }) => {
        const maxComponents = o.maxComponents === undefined ? DEFAULT_MAX_SBOM_COMPONENTS : Number(o.maxComponents);
        if (!Number.isSafeInteger(maxComponents) || maxComponents < 1) throw invalidInput(`--max-components must be a whole number of at least 1, not ${o.maxComponents ?? ''}`, { field: 'max-components' });
        const productKey = await ctx.productKey(o.product);
        const [{ parseSbomFile }, { readJsonTextFile }, { ingestSbomUseCase }, { hashFiles }] = await Promise.all([
          import('../../ingest/sbom-file.js'),
          import('../../ingest/text-file.js'),
          import('../../app/use-cases/ingest-sbom.js'),
          import('../../ingest/files.js'),
        ]);
        const sbom = parseSbomFile(readJsonTextFile(file, 'SBOM'), file, { includeDev: o.includeDev === true, maxComponents });
        const s = await ctx.run(ingestSbomUseCase, { productKey, source: o.source ?? basename(file), contentHash: await hashFiles([file]), sbom, maxComponents });
        ctx.print(s, () => {
          if (s.duplicate) return `already imported as SBOM import ${s.import.id}; nothing changed`;
          const v = (x: string | null): string => x ?? '(no version)';
          const lines = [`SBOM import ${s.import.id} (${s.format}): ${s.components} components; ${s.added.length} added, ${s.changed.length} changed, ${s.removed.length} removed, ${s.unchanged} unchanged`];
          for (const a of s.added) lines.push(`added    ${a.record} ${a.name} ${v(a.version)}`);
          for (const c of s.changed) lines.push(`changed  ${c.record} ${c.name} ${v(c.from)} → ${v(c.version)} (anomaly list to review again)`);
          for (const r of s.removed) lines.push(`removed  ${r.record} ${r.name} ${v(r.version)} (now obsolete)`);
          for (const n of s.noVersion) lines.push(`warning: ${n.record} ${n.name} has no version in the SBOM: find it in the SOUP review`);
          return lines.join('\n');
        });
      }),
    );

  evidence
    .command('vulns')
    .description('record known vulnerabilities of SOUP components from OSV JSON, osv-scanner output or a CycloneDX VEX file (offline), to be triaged')
    .argument('<file>', 'OSV JSON, osv-scanner --format json output, or CycloneDX VEX (UTF-8 or UTF-16)')
    .option('-p, --product <KEY>', 'product (default: the only one)')
    .action(
      kit.action(async (ctx, file: string, o: { product?: string }) => {
        const productKey = await ctx.productKey(o.product);
        const [{ parseVulnerabilityFile }, { readJsonTextFile }, { ingestVulnerabilitiesUseCase }, { hashFiles }] = await Promise.all([
          import('../../ingest/vulnerability-file.js'),
          import('../../ingest/text-file.js'),
          import('../../app/use-cases/ingest-vulnerabilities.js'),
          import('../../ingest/files.js'),
        ]);
        const advisories = parseVulnerabilityFile(readJsonTextFile(file, 'vulnerability file'), file);
        const s = await ctx.run(ingestVulnerabilitiesUseCase, { productKey, source: basename(file), contentHash: await hashFiles([file]), advisories });
        ctx.print(s, () => {
          if (s.duplicate) return `already imported as vulnerabilities import ${s.import.id}; nothing changed`;
          const lines = [`vulnerabilities import ${s.import.id}: ${s.advisories} advisories; ${s.created.length} new vulnerability records, ${s.known} already recorded, ${s.unmatched.length} match no SOUP version in use`];
          for (const c of s.created) {
            lines.push(c.evaluated ? `${c.record} ${c.advisory} affects ${c.soup} (${c.triage === 'untriaged' ? 'to triage' : c.triage})` : `${c.record} ${c.advisory} names ${c.soup}, to triage: ${c.note}`);
          }
          if (s.withdrawn.length > 0) lines.push(`skipped ${s.withdrawn.length} withdrawn: ${s.withdrawn.join(', ')}`);
          return lines.join('\n');
        });
      }),
    );

  evidence
    .command('list')
    .description('the evidence imports of a product, oldest first')
    .option('-p, --product <KEY>', 'product (default: the only one)')
    .option('--kind <kind>', 'test_run, commits, reviews, sbom or vulnerabilities')
    .action(
      kit.action(async (ctx, o: { product?: string; kind?: string }) => {
        const { listEvidenceUseCase } = await import('../../app/use-cases/list-evidence.js');
        const rows = await ctx.run(listEvidenceUseCase, { productKey: await ctx.productKey(o.product), ...(o.kind === undefined ? {} : { kind: o.kind as EvidenceKind }) });
        ctx.print(rows, () =>
          rows.length === 0
            ? 'no evidence imported yet'
            : table(
                ['ID', 'KIND', 'SOURCE', 'ITEMS', 'VERSION', 'IMPORTED (UTC)', 'BY', 'VOID'],
                rows.map((i) => [String(i.id), i.kind, i.source, String(i.itemCount), i.version ?? '', i.importedAt, i.importedBy, i.voidedAt === null ? '' : `void: ${i.voidReason ?? ''}`]),
              ),
        );
      }),
    );
}
