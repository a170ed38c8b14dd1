import { describe, expect, it } from 'vitest';
import { DEFAULT_CATALOG } from '../catalog/catalog.js';
import { loadBuiltinPacks } from '../../ingest/rule-pack-file.js';
import { graphOf, type NodeSpec } from '../../test-support/graphs.js';
import { withEsigned, type SignedMeaning } from '../signatures/esigned.js';
import { workflowDefinition, type WorkflowRow } from '../signatures/model.js';
import { evaluateRules } from './evaluate-rules.js';

const PACKS = loadBuiltinPacks(DEFAULT_CATALOG);
const RULE = 'P11-APPROVAL-UNSIGNED';
const NONE = { disabled: new Map<string, string>(), severity: new Map() };

// Record IDs follow the order of the nodes (1-based).
const nodes: NodeSpec[] = [
  { key: 'SRS-1', latestRevision: 2 }, // approved revision 2, signed reviewed + approved on 2
  { key: 'SRS-2', latestRevision: 2 }, // signed on revision 1 only: the approved revision 2 is not
  { key: 'SRS-3' }, // approved by a status change: no signature
  { key: 'DOC-1' }, // reviewed only
  { key: 'TC-1', status: 'in_review' }, // not approved: not checked
  { key: 'UN-1', status: 'obsolete' }, // obsolete: not checked
];
const signatures: SignedMeaning[] = [
  { recordId: 1, revision: 2, step: 0 }, // reviewed
  { recordId: 1, revision: 2, step: 1 }, // approved
  { recordId: 2, revision: 1, step: 0 },
  { recordId: 2, revision: 1, step: 1 },
  { recordId: 4, revision: 1, step: 0 },
];

function unsigned(safetyClass: string, workflows: readonly WorkflowRow[] = [], settings = NONE): string[] {
  const graph = graphOf(nodes, []);
  const computed = withEsigned(graph, 1, workflows, signatures, new Map([[0, { zone: 'low' }]]));
  return evaluateRules(graph, { key: 'RPM', safetyClass }, PACKS, settings, computed)
    .findings.filter((f) => f.ruleId === RULE)
    .map((f) => `${f.severity} ${f.record ?? ''}`);
}

describe('approvals without electronic signature (P11-APPROVAL-UNSIGNED)', () => {
  it('P11-06: flags each approved revision lacking a signature its workflow asks for, an error for class B and C [DOSSIER-SRS-32]', () => {
    for (const safetyClass of ['B', 'C']) expect(unsigned(safetyClass)).toEqual(['error DOC-1', 'error SRS-2', 'error SRS-3']);
  });

  it('is a warning for class A', () => {
    expect(unsigned('A')).toEqual(['warning DOC-1', 'warning SRS-2', 'warning SRS-3']);
  });

  it("follows the product's workflow: a one-step workflow for DOC is met by the review alone", () => {
    const row: WorkflowRow = { productId: 1, subject: 'DOC', definition: workflowDefinition({ steps: [{ meaning: 'reviewed', roles: ['quality'], notAuthor: true }], distinctSigners: true }), updatedAt: '', updatedBy: 'q' };
    expect(unsigned('C', [row])).toEqual(['error SRS-2', 'error SRS-3']);
  });

  it('can be disabled with a justification like any rule', () => {
    expect(unsigned('C', [], { ...NONE, disabled: new Map([[RULE, 'paper signatures kept in the QMS binder']]) })).toEqual([]);
  });

  it('says how to fix it: send to review and sign', () => {
    const graph = graphOf(nodes, []);
    const [f] = evaluateRules(graph, { key: 'RPM', safetyClass: 'C' }, PACKS, NONE, withEsigned(graph, 1, [], signatures, new Map())).findings.filter((x) => x.ruleId === RULE);
    expect(f?.clause).toBe('21 CFR 11.50');
    expect(f?.message).toBe('DOC-1 is approved, but its approved revision lacks an electronic signature its workflow asks for');
    expect(f?.hint).toMatch(/dossier record status DOC-1 in_review --base <n>, then the reviewer and the approver sign it/);
  });

  it('keeps the computed values it is given, and finds nothing where the check runs without signatures', () => {
    const graph = graphOf(nodes, []);
    expect(withEsigned(graph, 1, [], signatures, new Map([[0, { zone: 'low' }]])).get(0)).toEqual({ zone: 'low', esigned: true });
    expect(evaluateRules(graph, { key: 'RPM', safetyClass: 'C' }, PACKS, NONE).findings.filter((f) => f.ruleId === RULE)).toEqual([]);
  });
});
