/**
 * `npm run bench:report`: rendering `dossier check` reports for many findings (default 150,000), without a
 * database: the findings are synthetic, spread over the built-in rules (and so their clauses) the way a large
 * product's are. Measures text (grouped by clause), JSON, JUnit XML and SARIF, each warm (second run).
 * Options: --findings 150000
 */
import { cpus, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import { DEFAULT_CATALOG } from '../core/catalog/catalog.js';
import { applicableRules, type CheckResult, type Finding } from '../core/rules/evaluate-rules.js';
import { renderCheckJUnit, renderCheckSarif, renderCheckText, type CheckReportInput } from '../export/check-report.js';
import { loadBuiltinPacks } from '../ingest/rule-pack-file.js';

const { values } = parseArgs({ options: { findings: { type: 'string', default: '150000' } } });
const n = Number(values.findings);
const packs = loadBuiltinPacks(DEFAULT_CATALOG);
const rules = applicableRules(packs, 'C', { disabled: new Map(), severity: new Map() });

/** Findings round-robin over the rules, so every clause gets many and their order interleaves. */
const findings: Finding[] = Array.from({ length: n }, (_, i) => {
  const { pack, rule } = rules[i % rules.length] ?? { pack: '', rule: { id: '', clause: '', severity: 'error' as const, title: '', hint: '' } };
  const record = `SRS-${i + 1}`;
  return { id: i.toString(16).padStart(16, '0'), ruleId: rule.id, pack, clause: rule.clause, severity: rule.severity, title: rule.title, record, message: `${record} is not verified by any test case`, hint: rule.hint };
});
const result: CheckResult = { product: 'BENCH', safetyClass: 'C', packs: packs.map((p) => p.pack), rulesRun: rules.length, recordsChecked: n, findings, disabled: [], notes: [] };
const input: CheckReportInput = { result, packs, failOn: 'error', version: 'bench' };

const formats: [string, () => string][] = [
  ['text', () => renderCheckText(input)],
  ['json', () => JSON.stringify({ ...result, failOn: 'error' }, null, 2)],
  ['junit', () => renderCheckJUnit(input)],
  ['sarif', () => renderCheckSarif(input)],
];
const rows: { format: string; ms: number; mib: number }[] = [];
for (const [format, render] of formats) {
  render(); // warm-up
  const t0 = process.hrtime.bigint();
  const out = render();
  rows.push({ format, ms: Number(process.hrtime.bigint() - t0) / 1e6, mib: Buffer.byteLength(out) / 2 ** 20 });
  process.stderr.write(`${format}: ${rows.at(-1)?.ms.toFixed(0) ?? ''} ms\n`);
}
console.log(`\nMachine: ${cpus().length} × ${cpus()[0]?.model ?? '?'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}; ${new Date().toISOString().slice(0, 10)}\n`);
console.log(`| format | findings | rules | render (ms) | output (MiB) |`);
console.log('|---|---:|---:|---:|---:|');
for (const r of rows) console.log(`| ${r.format} | ${n.toLocaleString('en')} | ${rules.length} | ${Math.round(r.ms).toLocaleString('en')} | ${r.mib.toFixed(1)} |`);
