import { XMLBuilder } from 'fast-xml-parser';
import { invalidInput } from '../core/errors.js';
import { SEVERITY_RANK, type Rule, type RulePack, type Severity } from '../core/rules/rule-pack.js';
import { applicableRules, type CheckResult, type Finding } from '../core/rules/evaluate-rules.js';
import { terminalText as one } from './terminal-text.js';
import { xmlText } from './xml-text.js';

/** What a report needs: the result, the packs it ran, and the gate's severity threshold. */
export interface CheckReportInput {
  readonly result: CheckResult;
  readonly packs: readonly RulePack[];
  readonly failOn: Severity;
  readonly version: string;
  /**
   * The web app's address (`https://dossier.example.com`): when given, each finding carries the URL of the page
   * that fixes it (`findingUrl`), so a CI log, a JUnit failure or a SARIF result links straight to the record.
   */
  readonly baseUrl?: string;
}

/**
 * The URL of the page that fixes a finding: `<base>/p/<product>/records/<KEY>#finding-<rule>`, or the product's
 * dashboard for a finding about the product as a whole. Path parts are percent-encoded; a trailing `/` on the base
 * is dropped.
 */
export function findingUrl(baseUrl: string, product: string, f: Pick<Finding, 'record' | 'ruleId'>): string {
  const base = baseUrl.replace(/\/+$/, '');
  const page = f.record === null ? 'dashboard' : `records/${encodeURIComponent(f.record)}`;
  return `${base}/p/${encodeURIComponent(product)}/${page}#finding-${encodeURIComponent(f.ruleId)}`;
}

/**
 * A `--base-url` as given on the command line, checked: an absolute http(s) URL without query or fragment.
 * @throws AppError INVALID_INPUT (field `base-url`) when it is not one
 */
export function parseBaseUrl(value: string): string {
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    throw invalidInput(`--base-url must be an absolute http(s) URL such as https://dossier.example.com, not '${value}'`, { field: 'base-url' });
  }
  if ((u.protocol !== 'http:' && u.protocol !== 'https:') || u.search !== '' || u.hash !== '' || u.username !== '' || u.password !== '') {
    throw invalidInput(`--base-url must be an http(s) URL without credentials, query or fragment, not '${value}'`, { field: 'base-url' });
  }
  return `${u.origin}${u.pathname}`.replace(/\/+$/, '');
}

const atOrAbove = (f: Finding, t: Severity): boolean => SEVERITY_RANK[f.severity] >= SEVERITY_RANK[t];

/** The rules the check ran (applicable to the product's class and not disabled), with their packs. */
function rulesRun({ result, packs }: CheckReportInput): { pack: string; rule: Rule }[] {
  const disabled = new Map(result.disabled.map((d) => [d.ruleId, d.justification]));
  return applicableRules(packs, result.safetyClass, { disabled, severity: new Map() });
}

/**
 * Findings grouped by clause (in the order clauses first appear), with totals: for people at a terminal. Linear in
 * the number of findings: each finding is appended to its clause's list once. Record text in messages is kept to
 * one line with control characters shown as escapes, so a title cannot forge a finding.
 */
export function renderCheckText({ result, failOn, baseUrl }: CheckReportInput): string {
  const lines: string[] = [`dossier check ${result.product} (IEC 62304 class ${result.safetyClass}; packs: ${result.packs.join(', ')})`];
  for (const n of result.notes) lines.push(`note: ${one(n)}`);
  const byClause = new Map<string, Finding[]>();
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  let failing = 0;
  for (const f of result.findings) {
    const group = byClause.get(f.clause);
    if (group === undefined) byClause.set(f.clause, [f]);
    else group.push(f);
    counts[f.severity]++;
    if (atOrAbove(f, failOn)) failing++;
  }
  for (const [clause, fs] of byClause) {
    lines.push('', one(clause));
    for (const f of fs) {
      lines.push(`  ${f.severity.padEnd(7)} ${one(f.record ?? result.product).padEnd(8)} ${one(f.message)}  [${one(f.ruleId)}]`);
      lines.push(`          fix: ${one(f.hint)}`);
      if (baseUrl !== undefined) lines.push(`          see: ${findingUrl(baseUrl, result.product, f)}`);
    }
  }
  lines.push(
    '',
    `${result.findings.length} findings (${counts.error} errors, ${counts.warning} warnings, ${counts.info} info) from ${result.rulesRun} rules over ${result.recordsChecked} records`,
  );
  if (result.disabled.length > 0) lines.push(`disabled for this product: ${one(result.disabled.map((d) => `${d.ruleId} (${d.justification})`).join('; '))}`);
  lines.push(failing > 0 ? `FAILED: ${failing} findings at or above ${failOn}` : `passed: no finding at or above ${failOn}`);
  lines.push('`dossier explain RULE_ID` tells what a rule asks and why.');
  return lines.join('\n');
}

/**
 * JUnit XML: one test suite per clause, one test case per rule and record. A finding at or above the gate is a
 * failed test case; a rule with no finding is one passing test case; findings below the gate pass with a note.
 */
export function renderCheckJUnit(input: CheckReportInput): string {
  const { result, failOn, baseUrl } = input;
  const rules = rulesRun(input);
  const suites = new Map<string, Record<string, unknown>[]>();
  let failures = 0;
  for (const { rule } of rules) {
    const fs = result.findings.filter((f) => f.ruleId === rule.id);
    const cases = suites.get(rule.clause) ?? [];
    if (fs.length === 0) cases.push({ '@_classname': rule.id, '@_name': `${rule.title}: no findings`, '@_time': '0' });
    for (const f of fs) {
      const base = { '@_classname': rule.id, '@_name': `${f.record ?? result.product}: ${f.message}`, '@_time': '0' };
      if (atOrAbove(f, failOn)) {
        failures++;
        const url = baseUrl === undefined ? '' : findingUrl(baseUrl, result.product, f);
        cases.push({
          ...base,
          failure: { '@_type': f.severity, '@_message': url === '' ? f.message : `${f.message} (${url})`, '#text': `${f.hint}\nfinding ${f.id}${url === '' ? '' : `\nfix at ${url}`}` },
        });
      } else {
        cases.push({ ...base, 'system-out': `${f.severity}: ${f.message}\n${f.hint}${baseUrl === undefined ? '' : `\nfix at ${findingUrl(baseUrl, result.product, f)}`}` });
      }
    }
    suites.set(rule.clause, cases);
  }
  const testsuite = [...suites].map(([clause, cases]) => ({
    '@_name': clause,
    '@_tests': String(cases.length),
    '@_failures': String(cases.filter((c) => 'failure' in c).length),
    '@_errors': '0',
    '@_skipped': '0',
    testcase: cases,
  }));
  const builder = new XMLBuilder({
    ignoreAttributes: false,
    format: true,
    suppressEmptyNode: true,
    // Record text reaches names and messages: characters XML 1.0 forbids would make the report unreadable.
    tagValueProcessor: (_name: string, value: unknown) => (typeof value === 'string' ? xmlText(value) : value),
    attributeValueProcessor: (_name: string, value: unknown) => (typeof value === 'string' ? xmlText(value) : value),
  });
  const body = builder.build({
    testsuites: {
      '@_name': `dossier check ${result.product}`,
      '@_tests': String(testsuite.reduce((n, s) => n + Number(s['@_tests']), 0)),
      '@_failures': String(failures),
      '@_errors': '0',
      testsuite,
    },
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n${body}`;
}

const SARIF_LEVEL: Readonly<Record<Severity, 'error' | 'warning' | 'note'>> = { error: 'error', warning: 'warning', info: 'note' };

/** SARIF 2.1.0: one run, the rules as the tool's rules, each finding a result at a logical location (the record). */
export function renderCheckSarif(input: CheckReportInput): string {
  const { result, version, baseUrl } = input;
  const rules = rulesRun(input);
  const index = new Map(rules.map(({ rule }, i) => [rule.id, i]));
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'Dossier',
            version,
            rules: rules.map(({ pack, rule }) => ({
              id: rule.id,
              name: rule.title,
              shortDescription: { text: rule.title },
              fullDescription: { text: rule.why },
              help: { text: rule.hint },
              defaultConfiguration: { level: SARIF_LEVEL[rule.severity] },
              properties: { clause: rule.clause, pack },
            })),
          },
        },
        results: result.findings.map((f) => {
          const url = baseUrl === undefined ? undefined : findingUrl(baseUrl, result.product, f);
          return {
            ruleId: f.ruleId,
            ...(index.has(f.ruleId) ? { ruleIndex: index.get(f.ruleId) } : {}),
            level: SARIF_LEVEL[f.severity],
            message: { text: `${f.message}. Fix: ${f.hint}` },
            partialFingerprints: { dossierFinding: f.id },
            locations: [
              {
                logicalLocations: [
                  { name: f.record ?? result.product, fullyQualifiedName: f.record === null ? result.product : `${result.product}/${f.record}`, kind: 'object' },
                ],
              },
            ],
            // The page that fixes the finding: where a SARIF viewer opens the result, and a plain property for scripts.
            ...(url === undefined ? {} : { hostedViewerUri: url }),
            properties: { clause: f.clause, ...(url === undefined ? {} : { url }) },
          };
        }),
      },
    ],
  };
  return JSON.stringify(sarif, null, 2);
}
