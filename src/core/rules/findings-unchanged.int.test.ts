import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syntheticProduct } from '../../bench/synthetic-product.js';
import { seedDemo } from '../../demo/seed-demo.js';
import { loadBuiltinPacks } from '../../ingest/rule-pack-file.js';
import { DIALECTS, freshStore, type TestStore } from '../../test-support/stores.js';
import { DEFAULT_CATALOG } from '../catalog/catalog.js';
import { sha256Hex } from '../hashing.js';
import type { Deps, TraceRecordRow } from '../ports.js';
import { policyFromGraph } from '../risk/current-policy.js';
import { analyseRisks } from '../risk/risk-file.js';
import { TraceLinkColumnsBuilder } from '../trace/link-columns.js';
import { TraceGraph } from '../trace/trace-graph.js';
import { runCheck } from '../../app/use-cases/run-check.js';
import { evaluateRules, type Finding, type RuleSettings } from './evaluate-rules.js';

/*
 * The rule engine's results, pinned: every field of every finding and their order, on the demo product (in full)
 * and on synthetic products of a few thousand records (a digest per rule and of the whole ordered list). Changes
 * to the engine's speed must leave these files alone; a change to the packs updates them on purpose
 * (`npx vitest run -u` on this file) and the diff shows which findings moved.
 */

const packs = loadBuiltinPacks(DEFAULT_CATALOG);
const FIXTURES = '../../../test/fixtures/findings';

/** Every field of a finding, in the order JSON output prints them. */
const plain = (f: Finding): Finding => ({
  id: f.id,
  ruleId: f.ruleId,
  pack: f.pack,
  clause: f.clause,
  severity: f.severity,
  title: f.title,
  record: f.record,
  message: f.message,
  hint: f.hint,
});

/** A short, reviewable fingerprint of many findings: count and digest per rule, digest of the whole list, its ends. */
function digest(findings: readonly Finding[]): unknown {
  const lines = findings.map((f) => JSON.stringify(plain(f)));
  const perRule = new Map<string, string[]>();
  findings.forEach((f, k) => {
    const list = perRule.get(f.ruleId) ?? [];
    list.push(lines[k] ?? '');
    perRule.set(f.ruleId, list);
  });
  return {
    count: findings.length,
    ordered: sha256Hex(lines.join('\n')),
    rules: Object.fromEntries([...perRule].sort(([a], [b]) => (a < b ? -1 : 1)).map(([id, l]) => [id, { count: l.length, digest: sha256Hex(l.join('\n')) }])),
    first: findings.slice(0, 3).map(plain),
    last: findings.slice(-3).map(plain),
  };
}

/**
 * A synthetic product as a graph, without a database: the benchmark's generator, with a spread of statuses (some
 * approved by their author, a few obsolete) and a few percent of links left out, as the benchmark does.
 */
function syntheticGraph(records: number): TraceGraph {
  const shape = syntheticProduct(records, records * 3);
  const numbers = new Map<string, number>();
  const ids = new Map<string, number>();
  const rows: TraceRecordRow[] = shape.records.map((r, i) => {
    const number = (numbers.get(r.type) ?? 0) + 1;
    numbers.set(r.type, number);
    ids.set(`${r.type}-${number}`, i + 1);
    const status = i % 97 === 5 ? 'obsolete' : i % 5 === 0 ? 'approved' : i % 7 === 0 ? 'in_review' : 'draft';
    return {
      id: i + 1,
      type: r.type,
      number,
      status,
      latestRevision: 1 + (i % 3),
      revisedAt: '2026-01-01T00:00:00.000Z',
      title: r.title,
      fields: r.fields ?? {},
      revisedBy: i % 2 === 0 ? 'dana' : 'quinn',
      ...(status === 'approved' ? { approvedBy: i % 10 === 0 ? 'dana' : 'quinn' } : {}),
    };
  });
  const links = new TraceLinkColumnsBuilder();
  shape.links.forEach((l, k) => {
    if (k % 25 === 7) return;
    links.add(k + 1, l.type, ids.get(l.from) ?? 0, ids.get(l.to) ?? 0, 1, 1, '2026-01-01T00:00:00.000Z');
  });
  return TraceGraph.build(DEFAULT_CATALOG, rows, links.build());
}

describe('rule findings on a synthetic product', () => {
  const graph = syntheticGraph(4000);
  const computed = analyseRisks(graph, policyFromGraph(graph), new Map(), '2026-06-01T00:00:00.000Z').computed;
  const none: RuleSettings = { disabled: new Map(), severity: new Map() };

  it('are the same for a class C product', async () => {
    const r = evaluateRules(graph, { key: 'SYN', safetyClass: 'C' }, packs, none, computed);
    expect(r.findings.length).toBeGreaterThan(1000);
    await expect(`${JSON.stringify(digest(r.findings), null, 2)}\n`).toMatchFileSnapshot(`${FIXTURES}/synthetic-class-c.json`);
  });

  it('are the same for a class A product with a rule disabled and two severities changed', async () => {
    const settings: RuleSettings = {
      disabled: new Map([['IEC62304-8.1.2-SOUP-IDENTIFIED', 'Suppliers are named in the SBOM']]),
      severity: new Map([
        ['DC-7.3.6-REQUIREMENT-VERIFIED', 'info'],
        ['ISO14971-5.5-SITUATION-HARM', 'warning'],
      ]),
    };
    const r = evaluateRules(graph, { key: 'SYA', safetyClass: 'A' }, packs, settings, computed);
    expect(r.findings.some((f) => f.ruleId === 'IEC62304-8.1.2-SOUP-IDENTIFIED')).toBe(false);
    await expect(`${JSON.stringify(digest(r.findings), null, 2)}\n`).toMatchFileSnapshot(`${FIXTURES}/synthetic-class-a.json`);
  });
});

describe.each(DIALECTS)('rule findings on the demo product on %s', (dialect) => {
  let t: TestStore;
  let deps: Deps;
  beforeAll(async () => {
    ({ t, deps } = await freshStore(dialect));
    await seedDemo(deps);
  }, 300_000);
  afterAll(async () => t.cleanup());

  it('are the same, every field and in order [DOSSIER-SRS-7]', async () => {
    const r = await runCheck(deps, { productKey: 'RPM', builtinPacks: packs });
    expect(r.findings.length).toBeGreaterThan(30);
    await expect(`${JSON.stringify(r.findings.map(plain), null, 2)}\n`).toMatchFileSnapshot(`${FIXTURES}/demo.json`);
  });
});
