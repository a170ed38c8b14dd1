import { describe, expect, it } from 'vitest';
import { DEFAULT_CATALOG } from '../catalog/catalog.js';
import { loadBuiltinPacks } from '../../ingest/rule-pack-file.js';
import { graphOf, type LinkSpec, type NodeSpec } from '../../test-support/graphs.js';
import { DEFAULT_RISK_POLICY } from '../risk/policy.js';
import { analyseRisks } from '../risk/risk-file.js';
import { evaluateRules } from './evaluate-rules.js';

const PACKS = loadBuiltinPacks(DEFAULT_CATALOG);
const NO_SETTINGS = { disabled: new Map<string, string>(), severity: new Map() };

/** The findings of one rule on a hand-made graph, as `record: message`. */
function findings(ruleId: string, nodes: readonly NodeSpec[], links: readonly LinkSpec[], safetyClass = 'B'): string[] {
  const g = graphOf(nodes, links);
  const risks = analyseRisks(g, { policy: DEFAULT_RISK_POLICY, revision: 0, record: null }, new Map(), '2026-01-02T00:00:00.000Z');
  return evaluateRules(g, { key: 'RPM', safetyClass }, PACKS, NO_SETTINGS, risks.computed)
    .findings.filter((f) => f.ruleId === ruleId)
    .map((f) => `${f.record ?? '*'}: ${f.message}`);
}

describe('IEC62304-7.1-HAZARD-CAUSE reads the chain the risk file uses', () => {
  const RULE = 'IEC62304-7.1-HAZARD-CAUSE';
  const haz = { key: 'HAZ-1', fields: { category: 'security' } };

  it('accepts a software item that causes a sequence of events the hazard leads to', () => {
    const nodes = [haz, { key: 'SEQ-1', fields: { cause: 'software_failure' } }, { key: 'HS-1' }, { key: 'SWI-1', fields: { level: 'item', safetyClass: 'B' } }];
    expect(findings(RULE, nodes, [['HAZ-1', 'leads_to', 'SEQ-1'], ['SEQ-1', 'leads_to', 'HS-1'], ['SWI-1', 'causes', 'SEQ-1']])).toEqual([]);
  });

  it('accepts a cause further down a chain of sequences, or of the situation', () => {
    const nodes = [haz, { key: 'SEQ-1', fields: { cause: 'other' } }, { key: 'SEQ-2', fields: { cause: 'soup_failure' } }, { key: 'HS-1' }, { key: 'SOUP-1', fields: { package: 'ws', version: '6' } }];
    const chain: LinkSpec[] = [['HAZ-1', 'leads_to', 'SEQ-1'], ['SEQ-1', 'leads_to', 'SEQ-2'], ['SEQ-2', 'leads_to', 'HS-1']];
    expect(findings(RULE, nodes, [...chain, ['SOUP-1', 'causes', 'SEQ-2']])).toEqual([]);
    expect(findings(RULE, nodes, [...chain, ['SOUP-1', 'causes', 'HS-1']])).toEqual([]);
  });

  it('does not ask a software cause of a hazard reached only through a use error', () => {
    const nodes = [haz, { key: 'SEQ-1', fields: { cause: 'use_error' } }, { key: 'HS-1' }];
    expect(findings(RULE, nodes, [['HAZ-1', 'leads_to', 'SEQ-1'], ['SEQ-1', 'leads_to', 'HS-1']])).toEqual([]);
  });

  it('still asks when a sequence is driven by software but nothing is linked as its cause, or the hazard has no chain', () => {
    const nodes = [haz, { key: 'SEQ-1', fields: { cause: 'use_error' } }, { key: 'SEQ-2', fields: { cause: 'software_failure' } }, { key: 'HS-1' }];
    const message = 'HAZ-1: HAZ-1 has no software item, SOUP component, anomaly or vulnerability identified as a cause';
    expect(findings(RULE, nodes, [['HAZ-1', 'leads_to', 'SEQ-1'], ['HAZ-1', 'leads_to', 'SEQ-2'], ['SEQ-1', 'leads_to', 'HS-1'], ['SEQ-2', 'leads_to', 'HS-1']])).toEqual([message]);
    expect(findings(RULE, [haz], [])).toEqual([message]);
  });

  it('a security threat alone is not a software cause: the item it gets through is asked for [DOSSIER-SRS-26]', () => {
    const nodes = [haz, { key: 'SEQ-1', fields: { cause: 'security_threat' } }, { key: 'HS-1' }, { key: 'THREAT-1', fields: { asset: 'a', threat: 't', vulnerability: 'v', attackVector: 'network' } }];
    expect(findings(RULE, nodes, [['HAZ-1', 'leads_to', 'SEQ-1'], ['SEQ-1', 'leads_to', 'HS-1'], ['THREAT-1', 'causes', 'SEQ-1']])).toHaveLength(1);
  });
});

describe('a harm\'s severity is a policy level, and a risk is not graded below it', () => {
  const chain = (harmSeverity: string, riskSeverity: string): [NodeSpec[], LinkSpec[]] => [
    [
      { key: 'HS-1' },
      { key: 'HARM-1', fields: { severity: harmSeverity } },
      { key: 'RISK-1', fields: { severity: riskSeverity, probability: 'P1' } },
    ],
    [
      ['HS-1', 'results_in', 'HARM-1'],
      ['RISK-1', 'assesses', 'HS-1'],
      ['RISK-1', 'assesses', 'HARM-1'],
    ],
  ];

  it('a catastrophic harm estimated S1 is an error; the same or a higher severity is not', () => {
    expect(findings('ISO14971-5.5-RISK-SEVERITY-HARM', ...chain('S5', 'S1'))).toEqual(['RISK-1: RISK-1 is estimated at severity S1, below the severity S5 of the harm it assesses']);
    expect(findings('ISO14971-5.5-RISK-SEVERITY-HARM', ...chain('S5', 'S5'))).toEqual([]);
    expect(findings('ISO14971-5.5-RISK-SEVERITY-HARM', ...chain('S2', 'S3'))).toEqual([]);
  });

  it('a severity in words of its own (written before severities were levels) is reported, not compared', () => {
    expect(findings('ISO14971-5.5-HARM-SEVERITY-LEVEL', ...chain('catastrophic', 'S1'))).toEqual(['HARM-1: HARM-1 has severity "catastrophic", which is not a level of the risk policy']);
    expect(findings('ISO14971-5.5-RISK-SEVERITY-HARM', ...chain('catastrophic', 'S1'))).toEqual([]);
    expect(findings('ISO14971-5.5-HARM-SEVERITY-LEVEL', ...chain('S4', 'S4'))).toEqual([]);
  });
});
