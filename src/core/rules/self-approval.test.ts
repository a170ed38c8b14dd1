import { describe, expect, it } from 'vitest';
import { DEFAULT_CATALOG } from '../catalog/catalog.js';
import { loadBuiltinPacks } from '../../ingest/rule-pack-file.js';
import { graphOf, type NodeSpec } from '../../test-support/graphs.js';
import { evaluateRules } from './evaluate-rules.js';

const PACKS = loadBuiltinPacks(DEFAULT_CATALOG);
const RULE = 'DC-4.2.4-SELF-APPROVAL';

function selfApproval(nodes: readonly NodeSpec[], safetyClass: string): string[] {
  return evaluateRules(graphOf(nodes, []), { key: 'RPM', safetyClass }, PACKS, { disabled: new Map(), severity: new Map() })
    .findings.filter((f) => f.ruleId === RULE)
    .map((f) => `${f.severity} ${f.record ?? ''}: ${f.message}`);
}

describe('an author approving their own revision', () => {
  const nodes: NodeSpec[] = [
    { key: 'SRS-1', revisedBy: 'dana', approvedBy: 'dana' },
    { key: 'RISK-1', revisedBy: 'dana', approvedBy: 'quinn' },
    { key: 'UN-1', revisedBy: 'dana', approvedBy: null },
    { key: 'TC-1', status: 'draft', revisedBy: 'dana', approvedBy: 'dana' },
  ];

  it('is an error for class B and C, on records of any type, and not flagged for another approver or an unknown one [DOSSIER-SRS-15]', () => {
    for (const safetyClass of ['B', 'C']) expect(selfApproval(nodes, safetyClass)).toEqual(['error SRS-1: SRS-1 was approved by dana, who also wrote the approved revision']);
  });

  it('is a warning for class A', () => {
    expect(selfApproval(nodes, 'A')).toEqual(['warning SRS-1: SRS-1 was approved by dana, who also wrote the approved revision']);
  });
});
