import { describe, expect, it } from 'vitest';
import { DEFAULT_CATALOG } from '../catalog/catalog.js';
import { loadBuiltinPacks } from '../../ingest/rule-pack-file.js';
import { graphOf, type NodeSpec } from '../../test-support/graphs.js';
import { withQmsComputed } from '../qms/computed.js';
import { NO_QMS_FACTS, type QmsFacts } from '../qms/facts.js';
import { describeRuleCheck } from './describe-rule.js';
import { evaluateRules } from './evaluate-rules.js';
import { RulePackSchema, type RulePack } from './rule-pack.js';

const PACKS = loadBuiltinPacks(DEFAULT_CATALOG).filter((p) => p.pack === 'iso13485');
const NONE = { disabled: new Map<string, string>(), severity: new Map() };

function findings(nodes: NodeSpec[], facts: QmsFacts = NO_QMS_FACTS, packs: readonly RulePack[] = PACKS): string[] {
  const graph = graphOf(nodes, []);
  return evaluateRules(graph, { key: 'RPM', safetyClass: 'B' }, packs, NONE, withQmsComputed(graph, facts, '2026-06-15')).findings.map(
    (f) => `${f.record ?? '-'} ${f.ruleId}`,
  );
}

describe('the iso13485 pack', () => {
  it('says nothing about a product that keeps no quality records in Dossier', () => {
    expect(findings([{ key: 'SRS-1' }, { key: 'DOC-1', fields: { docType: 'plan', clauses: [] } }])).toEqual([]);
  });

  it('checks the key procedures once the product has a procedure; one in force covering a clause (via a parent clause) meets it', () => {
    const nodes: NodeSpec[] = [{ key: 'DOC-1', fields: { docType: 'procedure', clauses: ['ISO 13485 8.5'] } }];
    const product = (f: string[]): string[] => f.filter((x) => x.startsWith('- '));
    const without = product(findings(nodes));
    expect(without).toContain('- ISO13485-8.5.2-PROCEDURE');
    expect(without).toHaveLength(12);
    const facts: QmsFacts = {
      ...NO_QMS_FACTS,
      documents: [{ recordId: 1, key: 'DOC-1', revision: 1, version: '1.0', effectiveOn: '2026-01-01', lastReviewedOn: null, reviewIntervalMonths: null }],
    };
    const withCapa = findings(nodes, facts);
    expect(withCapa).not.toContain('- ISO13485-8.5.2-PROCEDURE');
    expect(product(withCapa)).toHaveLength(11);
    // The approved procedure not in force is flagged; once in force it is not.
    expect(findings(nodes)).toContain('DOC-1 ISO13485-4.2.4-DOCUMENT-NOT-EFFECTIVE');
    expect(withCapa).not.toContain('DOC-1 ISO13485-4.2.4-DOCUMENT-NOT-EFFECTIVE');
  });

  it('flags records signed by someone untrained [DOSSIER-SRS-44]', () => {
    const facts: QmsFacts = { ...NO_QMS_FACTS, untrainedSignatures: [{ recordId: 2, recordKey: 'SRS-2', username: 'bob', signedAt: '2026-05-01T00:00:00Z', document: 'DOC-7 v2.0' }] };
    const graph = graphOf([{ key: 'SRS-1' }, { key: 'SRS-2' }], []);
    const r = evaluateRules(graph, { key: 'RPM', safetyClass: 'B' }, PACKS, NONE, withQmsComputed(graph, facts, '2026-06-15'));
    expect(r.findings.map((f) => `${f.record ?? '-'} ${f.ruleId} ${f.message}`)).toEqual([
      'SRS-2 ISO13485-6.2-SIGNED-UNTRAINED SRS-2 was signed by someone not trained on the procedure in force: bob (DOC-7 v2.0)',
    ]);
  });

  it('explains a conditional product-level rule in words', () => {
    const rule = PACKS[0]?.rules.find((x) => x.id === 'ISO13485-8.5.2-PROCEDURE');
    expect(rule && describeRuleCheck(rule, DEFAULT_CATALOG)).toEqual([
      'Checked only for a product that has at least 1 Document (DOC) with docType = procedure or work_instruction.',
      'The product must have at least 1 Document (DOC) with docType = procedure or work_instruction and effective = true and clausesCovered = 8.5.2.',
    ]);
  });
});

describe('rule conditions on list values', () => {
  it('a list field meets a condition when it holds the value, or one of the values', () => {
    const pack = RulePackSchema.parse({
      pack: 'lists',
      title: 'lists',
      rules: [
        {
          id: 'LIST-1',
          clause: 'X 1',
          title: 't',
          severity: 'error',
          select: { type: 'DOC', where: { clauses: 'ISO 13485 6.2' } },
          require: { where: { clauses: ['ISO 13485 4.2.4', 'ISO 13485 4.2.5'] } },
          message: '{key}',
          why: 'w',
          hint: 'h',
        },
      ],
    });
    const nodes: NodeSpec[] = [
      { key: 'DOC-1', fields: { docType: 'procedure', clauses: ['ISO 13485 6.2'] } },
      { key: 'DOC-2', fields: { docType: 'procedure', clauses: ['ISO 13485 6.2', 'ISO 13485 4.2.5'] } },
      { key: 'DOC-3', fields: { docType: 'procedure', clauses: ['ISO 13485 4.2.4'] } },
    ];
    expect(findings(nodes, NO_QMS_FACTS, [pack])).toEqual(['DOC-1 LIST-1']);
  });
});
