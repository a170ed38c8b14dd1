import type { HistoryRow, SignatureManifestation } from '../../core/documents/model.js';
import type { BaselineSnapshot, SnapshotFinding, SnapshotGate, SnapshotLink, SnapshotRecord } from '../../core/documents/snapshot.js';
import { recordKey, type Product } from '../../core/entities.js';
import { sha256Hex } from '../../core/hashing.js';
import { loadReleaseEvidence } from '../../core/evidence/release-evidence.js';
import { testVerdicts, type Verdict } from '../../core/evidence/verdicts.js';
import type { EvidenceImport, EvidenceItem, Release } from '../../core/evidence/model.js';
import type { Deps, StoreReader } from '../../core/ports.js';
import { failsGate } from '../../core/rules/evaluate-rules.js';
import type { RulePack } from '../../core/rules/rule-pack.js';
import { policyFromGraph } from '../../core/risk/current-policy.js';
import { analyseRisks } from '../../core/risk/risk-file.js';
import { meaningText, type SignatureRow } from '../../core/signatures/model.js';
import { findSuspectLinks } from '../../core/trace/suspect-links.js';
import type { TraceGraph } from '../../core/trace/trace-graph.js';
import { checkGraph } from './check-graph.js';
import { productVerdicts } from './product-verdicts.js';
import { baselineGraph } from './release-baseline.js';
import { evaluateRelease, plainFinding } from './release-gate.js';
import { buildGraph } from './trace-graph.js';

/** A signature as documents show it (21 CFR 11.50: printed name, time with its zone, meaning). */
export function manifestationOf(s: SignatureRow): SignatureManifestation {
  const what = s.entityType === 'release' ? s.entityKey.replace(/\/release\//, ' release ') : `${s.entityKey}@${s.revision}`;
  return { printedName: s.printedName, username: s.username, at: s.signedAt, meaning: meaningText(s.meaning), signed: what };
}

/**
 * Gathers everything generated documents read about one baseline, inside the caller's read transaction: a
 * release's frozen records (at their frozen revisions), its frozen links and test runs, or (without a release) the
 * product's current records, active links and every test run. One read of each kind, never one per record: records
 * with content, links, evidence imports and results, signatures (in chunks of IDs), the trace graph (for suspect
 * links and the risk file), the release gate (a release) or the rule check (now). Only the revisions of DOC records
 * are read per record (a product has few), for the revision history of the documents they control.
 * @param builtinPacks - the shipped rule packs, for the gate
 * @param now - when "now" is (the risk file's review state of the current state is judged then)
 */
export async function loadBaselineSnapshot(
  deps: Pick<Deps, 'catalog' | 'clock'>,
  r: StoreReader,
  product: Product,
  release: Release | undefined,
  builtinPacks: readonly RulePack[],
  now: string,
): Promise<BaselineSnapshot> {
  const rows = await r.listRecordContents(product.id, release?.id);
  const keyOf = new Map<number, string>();
  const records: SnapshotRecord[] = rows.map((x) => {
    const key = recordKey(x.type, x.number);
    keyOf.set(x.id, key);
    return { key, type: x.type, number: x.number, status: x.status, revision: x.revision, title: x.title, body: x.body, fields: x.fields, hash: x.hash, revisedAt: x.revisedAt, revisedBy: x.revisedBy };
  });
  const revisionOf = new Map(rows.map((x) => [x.id, x.revision]));

  // A release freezes its links (release_links); now, the active links. Either way both ends are in the baseline.
  let graph: TraceGraph;
  let links: { id: number; type: string; fromId: number; toId: number }[];
  let testRuns: EvidenceImport[];
  let results: readonly EvidenceItem[];
  let verdictsById: ReadonlyMap<number, Verdict>;
  const asOf = release?.createdAt ?? now;
  if (release !== undefined) {
    graph = await baselineGraph(deps, r, release);
    links = (await r.listReleaseLinks(release.id)).map((l) => ({ id: l.linkId, type: l.type, fromId: l.fromId, toId: l.toId }));
    const evidence = await loadReleaseEvidence(r, product, release);
    testRuns = [...evidence.testRuns];
    results = evidence.results;
    verdictsById = testVerdicts(evidence.results).byRecord;
  } else {
    graph = await buildGraph(deps, r, product);
    links = (await r.listLinks({ productId: product.id })).filter((l) => l.removedAt === null).map((l) => ({ id: l.id, type: l.type, fromId: l.fromId, toId: l.toId }));
    testRuns = (await r.listEvidenceImports(product.id, 'test_run')).filter((i) => i.voidedAt === null);
    results = testRuns.length === 0 ? [] : await r.listEvidenceItems({ productId: product.id, importIds: testRuns.map((t) => t.id), kind: 'test_result' });
    verdictsById = await productVerdicts(r, product);
  }
  const suspect = new Set(findSuspectLinks(graph).map((s) => s.linkId));
  const snapshotLinks: SnapshotLink[] = [];
  for (const l of links) {
    const from = keyOf.get(l.fromId);
    const to = keyOf.get(l.toId);
    if (from !== undefined && to !== undefined) snapshotLinks.push({ id: l.id, type: l.type, from, to, suspect: suspect.has(l.id) });
  }
  snapshotLinks.sort((a, b) => a.id - b.id);

  const verdicts: Record<string, Verdict> = {};
  for (const [id, v] of verdictsById) {
    const key = keyOf.get(id);
    if (key !== undefined) verdicts[key] = v;
  }
  // As the release gate judges a requirement: its own results, then the test cases verifying it (a failure wins).
  const own = { ...verdicts };
  for (const l of snapshotLinks) {
    if (l.type !== 'verifies') continue;
    const v = own[l.from] ?? 'not_run';
    const now = verdicts[l.to];
    if (v === 'failed' || now === 'failed') verdicts[l.to] = 'failed';
    else if (v === 'passed') verdicts[l.to] = 'passed';
    else verdicts[l.to] ??= 'not_run';
  }

  // The risk file judged at the baseline's date, with the same verdicts the gate uses.
  const risk = analyseRisks(graph, policyFromGraph(graph), verdictsById, asOf);

  let gate: SnapshotGate;
  if (release !== undefined) {
    const c = await evaluateRelease(deps, r, product, release, builtinPacks, { unreferencedCommits: 'warning', failOn: 'error' });
    gate = { kind: 'release gate', passed: c.passed, failOn: c.failOn, findings: c.findings.map((f) => finding(plainFinding(f))), residualAnomalies: c.gate.residualAnomalies };
  } else {
    const c = await checkGraph({ ...deps, clock: { now: () => now } }, r, product, graph, builtinPacks, verdictsById);
    const findings = c.findings.map((f) => finding(plainFinding(f)));
    gate = { kind: 'rule check', passed: !failsGate(c.findings, 'error'), failOn: 'error', findings, residualAnomalies: [] };
  }

  const signatures = await r.listSignatures('record', rows.map((x) => x.id));
  const recordSignatures: Record<string, SignatureManifestation[]> = {};
  for (const s of signatures) {
    const key = keyOf.get(s.entityId);
    if (key === undefined || revisionOf.get(s.entityId) !== s.revision) continue;
    (recordSignatures[key] ??= []).push(manifestationOf(s));
  }
  const releaseSignatures = release === undefined ? [] : (await r.listSignatures('release', [release.id])).filter((s) => s.revision === release.baseline).map(manifestationOf);

  const documentHistory: Record<string, HistoryRow[]> = {};
  const docs = rows.filter((x) => x.type === 'DOC');
  const revisions = await Promise.all(docs.map((d) => r.listRevisions(d.id)));
  docs.forEach((d, n) => {
    documentHistory[recordKey(d.type, d.number)] = (revisions[n] ?? [])
      .filter((v) => v.revision <= d.revision)
      .sort((a, b) => a.revision - b.revision)
      .map((v) => ({ revision: String(v.revision), date: v.createdAt.slice(0, 10), author: v.createdBy, description: v.title }));
  });

  const typeNames: Record<string, string> = {};
  for (const [key, t] of deps.catalog.recordTypes) typeNames[key] = t.name;
  const newest = records.reduce((m, x) => (x.revisedAt > m ? x.revisedAt : m), '');
  return {
    product: { key: product.key, name: product.name, safetyClass: product.safetyClass, intendedUse: product.intendedUse },
    baseline:
      release === undefined
        ? { kind: 'now', label: 'current state', hash: sha256Hex(records.map((x) => `${x.key}@${x.revision}:${x.hash}`).join('\n')) }
        : { kind: 'release', label: release.version, hash: release.baselineHash },
    release:
      release === undefined
        ? null
        : { version: release.version, baseline: release.baseline, status: release.status, createdAt: release.createdAt, createdBy: release.createdBy, releasedAt: release.releasedAt, releasedBy: release.releasedBy },
    asOf: release?.createdAt ?? (newest === '' ? now : newest),
    typeNames,
    records,
    links: snapshotLinks,
    testRuns: testRuns.map((t) => ({ id: t.id, source: t.source, version: t.version, importedAt: t.importedAt, importedBy: t.importedBy, meta: t.meta })),
    results: results.map((x) => ({ runId: x.importId, test: x.key, outcome: x.outcome ?? '', records: x.refs.flatMap((ref) => keyOf.get(ref.recordId) ?? []) })),
    verdicts,
    risk: { asOf: risk.asOf, policyRecord: risk.policy.record, policyRevision: risk.policy.revision, rows: risk.rows, zoneTotals: risk.zoneTotals },
    gate,
    recordSignatures,
    releaseSignatures,
    documentHistory,
  };
}

function finding(f: { ruleId: string; clause: string; severity: string; record?: string | null | undefined; message: string }): SnapshotFinding {
  return { ruleId: f.ruleId, clause: f.clause, severity: f.severity, record: f.record ?? null, message: f.message };
}
