import type { Command } from 'commander';
import { invalidInput } from '../../core/errors.js';
import { severityOption, type Kit } from '../command-kit.js';
import { EXIT } from '../exit-codes.js';
import { table } from '../output.js';
import { packageVersion } from '../../shared/package-version.js';

/** `dossier check`, `dossier explain` and `dossier rules …`. */
export function registerCheckCommands(program: Command, kit: Kit): void {
  program
    .command('check')
    .description('run the rule packs for the product (IEC 62304 by safety class, ISO 14971, design control); exit 1 on findings')
    .option('-p, --product <KEY>', 'product (default: the only one)')
    .option('--format <format>', 'text, json, junit or sarif', 'text')
    .option('--fail-on <severity>', 'lowest severity that fails the gate: error, warning or info', 'error')
    .option('-o, --out <file>', 'write the report to a file (the exit code still tells the gate)')
    .option('--base-url <URL>', "the web app's address: each finding in the report links to the page that fixes it")
    .action(
      kit.action(async (ctx, o: { product?: string; format: string; failOn: string; out?: string; baseUrl?: string }) => {
        const failOn = severityOption('--fail-on', o.failOn);
        const format = ctx.json ? 'json' : o.format;
        if (!['text', 'json', 'junit', 'sarif'].includes(format)) {
          throw invalidInput(`--format must be text, json, junit or sarif, not '${format}'`, { field: 'format' });
        }
        const { renderCheckJUnit, renderCheckSarif, renderCheckText, findingUrl, parseBaseUrl } = await import('../../export/check-report.js');
        const baseUrl = o.baseUrl === undefined ? undefined : parseBaseUrl(o.baseUrl);
        const [{ runCheckUseCase }, { failsGate }] = await Promise.all([import('../../app/use-cases/run-check.js'), import('../../core/rules/evaluate-rules.js')]);
        const { allPacks, ...result } = await ctx.run(runCheckUseCase, { productKey: await ctx.productKey(o.product) });
        const input = { result, packs: allPacks, failOn, version: packageVersion(), ...(baseUrl === undefined ? {} : { baseUrl }) };
        const report =
          format === 'json'
            ? JSON.stringify(
                {
                  ...result,
                  ...(baseUrl === undefined ? {} : { findings: result.findings.map((f) => ({ ...f, url: findingUrl(baseUrl, result.product, f) })) }),
                  failOn,
                  passed: !failsGate(result.findings, failOn),
                },
                null,
                2,
              )
            : format === 'junit'
              ? renderCheckJUnit(input)
              : format === 'sarif'
                ? renderCheckSarif(input)
                : renderCheckText(input);
        if (o.out === undefined) {
          if (format === 'text') ctx.text(report);
          else ctx.io.out(`${report}\n`);
        } else {
          const { writeFileAtomic } = await import('../atomic-file.js');
          writeFileAtomic(o.out, `${report}\n`);
          ctx.io.err(`${result.findings.length} findings written to ${o.out}\n`);
        }
        return failsGate(result.findings, failOn) ? EXIT.findings : EXIT.ok;
      }),
    );

  program
    .command('explain')
    .description('what a rule asks, why (the clause), and how to fix a finding, in plain words')
    .argument('<RULE_ID>', 'e.g. IEC62304-5.7.1-SRS-VERIFIED')
    .option('-p, --product <KEY>', 'also look in this product\'s own rule packs')
    .action(
      kit.action(async (ctx, id: string, o: { product?: string }) => {
        const { explainRuleUseCase } = await import('../../app/use-cases/list-product-rules.js');
        const { pack, rule, classes, checks } = await ctx.run(explainRuleUseCase, {
          ruleId: id,
          ...(o.product === undefined ? {} : { productKey: o.product.toUpperCase() }),
        });
        ctx.print(rule, () =>
          [
            `${rule.id}: ${rule.title}`,
            `clause:   ${rule.clause}`,
            `severity: ${rule.severity}`,
            `applies:  ${classes === null ? 'every product' : `software safety class ${classes.join(', ')}`}${rule.classA === 'disputed' ? ' (whether it binds class A is disputed; kept by default, a class A product may disable it with a justification)' : ''}`,
            `pack:     ${pack.pack} (${pack.title})`,
            '',
            'What it checks',
            ...checks,
            '',
            'Why',
            rule.why,
            '',
            'How to fix a finding',
            rule.hint,
          ].join('\n'),
        );
      }),
    );

  const rules = program.command('rules').description("a product's rules: list, disable or re-grade with a justification, add a pack");

  rules
    .command('list')
    .description('the rules in force for the product, with their state')
    .option('-p, --product <KEY>', 'product (default: the only one)')
    .action(
      kit.action(async (ctx, o: { product?: string }) => {
        const { listProductRulesUseCase } = await import('../../app/use-cases/list-product-rules.js');
        const rules = await ctx.run(listProductRulesUseCase, { productKey: await ctx.productKey(o.product) });
        const rows = rules
          .filter((r) => r.applies)
          .map((r) => ({ id: r.rule.id, clause: r.rule.clause, severity: r.severity, pack: r.pack, state: r.disabled === null ? 'on' : `disabled: ${r.disabled}`, title: r.rule.title }));
        ctx.print(rows, () => table(['RULE', 'CLAUSE', 'SEVERITY', 'STATE', 'TITLE'], rows.map((r) => [r.id, r.clause, r.severity, r.state, r.title])));
      }),
    );

  const setting = (action: 'disable' | 'enable' | 'severity', description: string): void => {
    const c = rules
      .command(action)
      .description(description)
      .argument('<RULE_ID>', 'rule ID')
      .option('--justification <text>', 'why (required; kept in the audit trail)')
      .option('-p, --product <KEY>', 'product (default: the only one)');
    if (action === 'severity') c.argument('<severity>', 'error, warning or info');
    c.action(
      kit.action(async (ctx, id: string, ...rest: unknown[]) => {
        const o = rest[rest.length - 1] as { justification?: string; product?: string };
        const level = action === 'severity' && rest[0] !== undefined ? severityOption('severity', rest[0] as string) : undefined;
        const { configureRuleUseCase } = await import('../../app/use-cases/configure-rule.js');
        const s = await ctx.run(configureRuleUseCase, {
          productKey: await ctx.productKey(o.product),
          ruleId: id.toUpperCase(),
          action,
          ...(level === undefined ? {} : { severity: level }),
          justification: o.justification,
        });
        ctx.print(s, () => `${s.ruleId}: ${s.enabled ? `on${s.severity === null ? '' : `, severity ${s.severity}`}` : 'disabled'} (${s.justification})`);
      }),
    );
  };
  setting('disable', 'take a rule out of the product\'s checks, with a justification');
  setting('enable', 'put a disabled rule back');
  setting('severity', 'give a rule another severity for the product');

  rules
    .command('add-pack')
    .description("add a team's own rule pack (YAML) to the product")
    .argument('<file>', 'rule pack file')
    .option('-p, --product <KEY>', 'product (default: the only one)')
    .action(
      kit.action(async (ctx, file: string, o: { product?: string }) => {
        const [{ addRulePackUseCase }, { readRulePackFile }] = await Promise.all([import('../../app/use-cases/add-rule-pack.js'), import('../../ingest/rule-pack-file.js')]);
        const pack = readRulePackFile(file, (await ctx.deps()).catalog);
        const row = await ctx.run(addRulePackUseCase, { productKey: await ctx.productKey(o.product), pack });
        ctx.print(row, () => `added rule pack ${row.pack} (${pack.rules.length} rules, sha256 ${row.hash.slice(0, 12)}…)`);
      }),
    );
}
