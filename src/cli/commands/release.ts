import type { Command } from 'commander';
import { table } from '../output.js';
import { collect, positiveInt, severityOption, type Kit } from '../command-kit.js';
import { EXIT } from '../exit-codes.js';
import { signingPassword } from '../read-password.js';
import type { ShowRelease } from '../../app/use-cases/show-release.js';

/** A release as `release show` prints it: the baseline, then each signature's manifestation (21 CFR 11.50). */
export function renderReleaseShow(s: ShowRelease): string {
  const r = s.release;
  return [
    `release ${r.version} baseline ${r.baseline} (${r.status}), frozen ${r.createdAt} by ${r.createdBy}`,
    `baseline SHA-256 ${r.baselineHash}`,
    ...(r.releasedAt === null ? [] : [`released ${r.releasedAt} by ${r.releasedBy ?? ''}`]),
    ...(r.voidedAt === null ? [] : [`void since ${r.voidedAt} by ${r.voidedBy ?? ''}: ${r.voidReason ?? ''}`]),
    s.signatures.length === 0 ? 'signatures: none' : 'signatures:',
    ...s.signatures.map((x) => `  ${x.manifestation}`),
    ...(s.waitingFor === '' ? [] : [`waiting for: ${s.waitingFor}`]),
  ].join('\n');
}

/** `dossier release create|check|diff|mark-released`: baselines and the release gate. */
export function registerReleaseCommands(program: Command, kit: Kit): void {
  const release = program.command('release').description('release baselines and the release gate (IEC 62304 5.8)');

  release
    .command('create')
    .description('freeze a baseline: every record revision and link, this version\'s test runs, new commits and reviews, the SBOM')
    .argument('<product>', 'product key, e.g. RPM')
    .argument('<version>', 'e.g. 1.2.0')
    .option('--test-run <id>', 'include this test run (repeatable; default: the runs imported with --version <version>)', collect)
    .option('--reason <text>', 'why, for the audit trail')
    .action(
      kit.action(async (ctx, product: string, version: string, o: { testRun?: string[]; reason?: string }) => {
        const { createReleaseUseCase } = await import('../../app/use-cases/create-release.js');
        const r = await ctx.run(createReleaseUseCase, {
          productKey: product.toUpperCase(),
          version,
          ...(o.testRun === undefined ? {} : { testRuns: o.testRun.map((t) => positiveInt('--test-run', t) ?? 0) }),
          ...(o.reason === undefined ? {} : { reason: o.reason }),
        });
        ctx.print(r, () =>
          [
            `release ${product.toUpperCase()} ${version} frozen as baseline ${r.release.baseline} (draft): ${r.records} records, ${r.links} links, test runs [${r.testRuns.join(', ')}], ${r.commits} commits, ${r.reviews} reviews, SBOM imports [${r.sboms.join(', ')}]`,
            `baseline SHA-256 ${r.release.baselineHash} (anchors the audit trail at event ${r.release.auditSeq})`,
            `next: dossier release check ${version} --product ${product.toUpperCase()}`,
          ].join('\n'),
        );
      }),
    );

  release
    .command('check')
    .description('run the release gate on the newest baseline of a version; exit 1 when it fails')
    .argument('<version>', 'e.g. 1.2.0')
    .option('-p, --product <KEY>', 'product (default: the only one)')
    .option('--fail-on <severity>', 'lowest severity that fails the gate', 'error')
    .option('--unreferenced-commits <severity>', 'how a code commit that names no record counts: error, warning or info', 'warning')
    .option('--base-url <URL>', "the web app's address: each finding in the report links to the page that fixes it")
    .action(
      kit.action(async (ctx, version: string, o: { product?: string; failOn: string; unreferencedCommits: string; baseUrl?: string }) => {
        const [{ checkReleaseUseCase }, { renderCheckText, parseBaseUrl }] = await Promise.all([
          import('../../app/use-cases/check-release.js'),
          import('../../export/check-report.js'),
        ]);
        const baseUrl = o.baseUrl === undefined ? undefined : parseBaseUrl(o.baseUrl);
        const c = await ctx.run(checkReleaseUseCase, {
          productKey: await ctx.productKey(o.product),
          version,
          failOn: severityOption('--fail-on', o.failOn),
          unreferencedCommits: severityOption('--unreferenced-commits', o.unreferencedCommits),
        });
        ctx.print(c, () => {
          const t = c.gate.totals;
          const head = [
            `release ${c.rules.product} ${c.release.version} baseline ${c.release.baseline} (${c.release.status}, SHA-256 ${c.release.baselineHash.slice(0, 16)}…)`,
            `evidence: ${c.evidence.testRuns.length} test runs with ${c.evidence.results} results (${t['passed'] ?? 0} passed, ${t['failed'] ?? 0} failed, ${t['error'] ?? 0} errors, ${t['skipped'] ?? 0} skipped, ${t['flaky'] ?? 0} flaky), ${c.evidence.commits} commits, ${c.evidence.reviews} reviews, SBOM imports [${c.evidence.sboms.join(', ')}]`,
          ];
          const residual = c.gate.residualAnomalies.map((a) => `  ${a.record} (${a.criticality}) ${a.title}`);
          const body = renderCheckText({ result: { ...c.rules, findings: c.findings }, packs: [], failOn: c.failOn, version: '', ...(baseUrl === undefined ? {} : { baseUrl }) });
          return [...head, '', ...body.split('\n').slice(1), '', residual.length === 0 ? 'known residual anomalies: none' : 'known residual anomalies (IEC 62304 5.8.2):', ...residual].join('\n');
        });
        return c.passed ? EXIT.ok : EXIT.findings;
      }),
    );

  release
    .command('diff')
    .description('what changed between two release baselines: records, links, SOUP, test results')
    .argument('<from>', 'older version')
    .argument('<to>', 'newer version')
    .option('-p, --product <KEY>', 'product (default: the only one)')
    .action(
      kit.action(async (ctx, from: string, to: string, o: { product?: string }) => {
        const { diffReleasesUseCase } = await import('../../app/use-cases/diff-releases.js');
        const d = await ctx.run(diffReleasesUseCase, { productKey: await ctx.productKey(o.product), from, to });
        ctx.print(d, () => {
          const lines = [`release diff ${from} → ${to}`];
          const list = (title: string, xs: readonly string[]): void => {
            lines.push(`${title}: ${xs.length}`);
            for (const x of xs) lines.push(`  ${x}`);
          };
          list('records added', d.records.added);
          list('records removed', d.records.removed);
          list('records changed', d.records.changed.map((c) => `${c.record}: ${c.from} → ${c.to}`));
          list('links added', d.links.added);
          list('links removed', d.links.removed);
          list('SOUP changes', d.soup.map((s) => `${s.record} ${s.package}: ${s.from ?? 'new'} → ${s.to ?? 'removed'}`));
          list('test outcomes changed', d.results.map((r) => `${r.test}: ${r.from} → ${r.to}`));
          list('findings', d.findings.map((f) => `${f.severity} ${f.clause} ${f.message} [${f.ruleId}]`));
          return lines.join('\n');
        });
        return d.findings.length === 0 ? EXIT.ok : EXIT.findings;
      }),
    );

  release
    .command('sign')
    .description("sign the newest baseline of a release electronically, as the release workflow asks (default: quality approves)")
    .argument('<product>', 'product key, e.g. RPM')
    .argument('<version>', 'e.g. 1.2.0')
    .requiredOption('--meaning <meaning>', 'what the signature means: approved (the release workflow\'s steps before the last)')
    .requiredOption('--user <username>', 'who signs (the password is asked for, or read with --password-stdin)')
    .option('--baseline <n>', 'the baseline you checked (default: the newest; signing is refused if a newer one exists)')
    .option('--password-stdin', 'read the password from standard input (otherwise it is asked for on a terminal)')
    .option('--reason <text>', 'why, for the audit trail')
    .action(
      kit.action(async (ctx, product: string, version: string, o: { meaning: string; user: string; baseline?: string; passwordStdin?: boolean; reason?: string }) => {
        const [{ signReleaseUseCase }, { showReleaseUseCase }] = await Promise.all([import('../../app/use-cases/sign-release.js'), import('../../app/use-cases/show-release.js')]);
        const productKey = product.toUpperCase();
        const baseline = positiveInt('--baseline', o.baseline) ?? (await ctx.run(showReleaseUseCase, { productKey, version })).release.baseline;
        const password = await signingPassword(ctx, o.user, o.passwordStdin === true);
        const s = await ctx.run(signReleaseUseCase, {
          productKey,
          version,
          baseline,
          meaning: o.meaning as 'approved',
          username: o.user,
          password,
          ...(o.reason === undefined ? {} : { reason: o.reason }),
        });
        ctx.print(s, () => `signed ${s.entity}: ${s.manifestation}`);
      }),
    );

  release
    .command('mark-released')
    .description("mark the newest baseline of a version released: the release workflow's last signature; refused unless its gate passes and the earlier signatures are given")
    .argument('<version>', 'e.g. 1.2.0')
    .requiredOption('--user <username>', 'who releases and signs (the password is asked for, or read with --password-stdin)')
    .option('-p, --product <KEY>', 'product (default: the only one)')
    .option('--baseline <n>', 'the baseline you checked (default: the newest)')
    .option('--password-stdin', 'read the password from standard input (otherwise it is asked for on a terminal)')
    .option('--reason <text>', 'why, for the audit trail')
    .action(
      kit.action(async (ctx, version: string, o: { user: string; product?: string; baseline?: string; passwordStdin?: boolean; reason?: string }) => {
        const { markReleasedUseCase } = await import('../../app/use-cases/mark-released.js');
        const productKey = await ctx.productKey(o.product);
        const baseline = positiveInt('--baseline', o.baseline);
        const password = await signingPassword(ctx, o.user, o.passwordStdin === true);
        const r = await ctx.run(markReleasedUseCase, {
          productKey,
          version,
          username: o.user,
          password,
          ...(baseline === undefined ? {} : { baseline }),
          ...(o.reason === undefined ? {} : { reason: o.reason }),
        });
        ctx.print(r, () => `release ${version} baseline ${r.baseline} marked released at ${r.releasedAt ?? ''} by ${r.releasedBy ?? ''}, signed`);
      }),
    );

  release
    .command('show')
    .description('a release\'s newest baseline with its electronic signatures (printed name, time, meaning, baseline)')
    .argument('<version>', 'e.g. 1.2.0')
    .option('-p, --product <KEY>', 'product (default: the only one)')
    .action(
      kit.action(async (ctx, version: string, o: { product?: string }) => {
        const { showReleaseUseCase } = await import('../../app/use-cases/show-release.js');
        const s = await ctx.run(showReleaseUseCase, { productKey: await ctx.productKey(o.product), version });
        ctx.print(s, () => renderReleaseShow(s));
      }),
    );

  release
    .command('void')
    .description('void the newest baseline of a version frozen or released by mistake (kept and marked, never deleted)')
    .argument('<version>', 'e.g. 1.2.0')
    .option('-p, --product <KEY>', 'product (default: the only one)')
    .requiredOption('--reason <text>', 'why the release is void, for the audit trail')
    .action(
      kit.action(async (ctx, version: string, o: { product?: string; reason: string }) => {
        const { voidReleaseUseCase } = await import('../../app/use-cases/void-release.js');
        const r = await ctx.run(voidReleaseUseCase, { productKey: await ctx.productKey(o.product), version, reason: o.reason });
        ctx.print(r, () => `release ${version} baseline ${r.baseline} is void; freeze the version again with dossier release create`);
      }),
    );

  release
    .command('list')
    .description('the release baselines of a product, oldest first')
    .option('-p, --product <KEY>', 'product (default: the only one)')
    .action(
      kit.action(async (ctx, o: { product?: string }) => {
        const { listReleasesUseCase } = await import('../../app/use-cases/list-releases.js');
        const rows = await ctx.run(listReleasesUseCase, { productKey: await ctx.productKey(o.product) });
        ctx.print(rows, () =>
          rows.length === 0
            ? 'no release yet'
            : table(
                ['VERSION', 'BASELINE', 'STATUS', 'FROZEN (UTC)', 'BY', 'RELEASED (UTC)', 'SHA-256', 'VOID BECAUSE'],
                rows.map((r) => [r.version, String(r.baseline), r.status, r.createdAt, r.createdBy, r.releasedAt ?? '', `${r.baselineHash.slice(0, 16)}…`, r.voidReason ?? '']),
              ),
        );
      }),
    );
}
