import { describe, expect, it } from 'vitest';
import { DEFAULT_CATALOG } from '../catalog/catalog.js';
import { parseFields, getRecordType } from '../catalog/catalog.js';
import { isAppError } from '../errors.js';
import { loadBuiltinPacks } from '../../ingest/rule-pack-file.js';
import { graphOf, type LinkSpec, type NodeSpec } from '../../test-support/graphs.js';
import { TraceLinkColumnsBuilder } from '../trace/link-columns.js';
import { TraceGraph } from '../trace/trace-graph.js';
import type { TraceRecordRow } from '../ports.js';
import { describeRuleCheck } from './describe-rule.js';
import { evaluateRules } from './evaluate-rules.js';

const PACKS = loadBuiltinPacks(DEFAULT_CATALOG);
const RULE = 'DC-7.3.3-SYSTEM-REQUIREMENT-REFINED';
const none = { disabled: new Map<string, string>(), severity: new Map<string, 'error'>() };

function findings(nodes: readonly NodeSpec[], links: readonly LinkSpec[], safetyClass = 'A'): string[] {
  return evaluateRules(graphOf(nodes, links), { key: 'RPM', safetyClass }, PACKS, none)
    .findings.filter((f) => f.ruleId === RULE)
    .map((f) => `${f.severity} ${f.record ?? ''}: ${f.message}`);
}

describe('every system requirement is refined into software requirements or allocated outside the software', () => {
  it('flags a system requirement nothing in the software refines, for every safety class', () => {
    for (const safetyClass of ['A', 'B', 'C']) {
      expect(findings([{ key: 'SYS-1' }, { key: 'SYS-2' }, { key: 'SRS-1' }], [['SRS-1', 'derives_from', 'SYS-2']], safetyClass)).toEqual([
        'error SYS-1: SYS-1 is not refined into any software requirement, nor allocated to hardware or another system',
      ]);
    }
  });

  it('is met by a software requirement that derives from it or refines it, not by an obsolete one', () => {
    expect(findings([{ key: 'SYS-1' }, { key: 'SRS-1' }], [['SRS-1', 'derives_from', 'SYS-1']])).toEqual([]);
    expect(findings([{ key: 'SYS-1' }, { key: 'SRS-1' }], [['SRS-1', 'refines', 'SYS-1']])).toEqual([]);
    expect(findings([{ key: 'SYS-1' }, { key: 'SRS-1', status: 'obsolete' }], [['SRS-1', 'derives_from', 'SYS-1']])).toHaveLength(1);
    // A system requirement refined only by another system requirement still needs its software requirements.
    expect(findings([{ key: 'SYS-1' }, { key: 'SYS-2' }, { key: 'SRS-1' }], [['SYS-2', 'refines', 'SYS-1'], ['SRS-1', 'derives_from', 'SYS-2']])).toEqual([
      'error SYS-1: SYS-1 is not refined into any software requirement, nor allocated to hardware or another system',
    ]);
  });

  it('is not asked of a requirement allocated to hardware or another system, and is asked when allocated to software', () => {
    const reason = 'Met by the phone and its operating system';
    expect(findings([{ key: 'SYS-1', fields: { allocation: 'other_system', allocationReason: reason } }], [])).toEqual([]);
    expect(findings([{ key: 'SYS-1', fields: { allocation: 'hardware', allocationReason: reason } }], [])).toEqual([]);
    expect(findings([{ key: 'SYS-1', fields: { allocation: 'software' } }], [])).toHaveLength(1);
  });

  it('finds exactly the 50 of 1,000 system requirements that no software requirement derives from', () => {
    // The shape of the shared comparison project: 5,000 SRS derive from the first 950 of 1,000 SYS.
    const rows: TraceRecordRow[] = [];
    const row = (type: string, number: number): TraceRecordRow => ({
      id: rows.length + 1, type, number, status: 'draft', latestRevision: 1, revisedAt: '2026-01-01T00:00:00.000Z', title: `${type} ${number}`, fields: {},
    });
    for (let k = 1; k <= 1000; k++) rows.push(row('SYS', k));
    for (let k = 1; k <= 5000; k++) rows.push(row('SRS', k));
    const links = new TraceLinkColumnsBuilder();
    for (let k = 0; k < 5000; k++) links.add(k + 1, 'derives_from', 1001 + k, 1 + (k % 950), 1, 1, '2026-01-01T00:00:00.000Z');
    const graph = TraceGraph.build(DEFAULT_CATALOG, rows, links.build());
    const found = evaluateRules(graph, { key: 'BIG', safetyClass: 'B' }, PACKS, none).findings.filter((f) => f.ruleId === RULE);
    expect(found.map((f) => f.record)).toEqual(Array.from({ length: 50 }, (_, k) => `SYS-${951 + k}`));
  });

  it('says in plain words which system requirements it leaves out', () => {
    const rule = PACKS.flatMap((p) => p.rules).find((r) => r.id === RULE);
    expect(rule).toBeDefined();
    if (rule === undefined) return;
    expect(describeRuleCheck(rule, DEFAULT_CATALOG)).toEqual([
      "For every System requirement (SYS) that is not obsolete, except one with allocation = hardware or other_system, Dossier checks that it has at least 1 Software requirement (SRS) linked to it by 'derives_from' or 'refines'.",
    ]);
  });
});

describe('a system requirement allocated outside the software', () => {
  const sys = getRecordType(DEFAULT_CATALOG, 'SYS');

  it('is refused without a reason, naming the field', () => {
    for (const allocation of ['hardware', 'other_system']) {
      let error: unknown;
      try {
        parseFields(sys, { allocation }, 'SYS-4');
      } catch (e) {
        error = e;
      }
      expect(isAppError(error)).toBe(true);
      if (!isAppError(error)) return;
      expect(error.code).toBe('INVALID_INPUT');
      expect(error.message).toBe(
        `SYS-4 (System requirement) has invalid fields: fields.allocationReason: required when allocation is ${allocation}: say what meets the requirement instead of the software, and why`,
      );
      expect(error.details).toMatchObject({ item: 'SYS-4', field: 'fields.allocationReason' });
    }
  });

  it('is taken with a reason; software needs none; other values are refused', () => {
    expect(parseFields(sys, { allocation: 'hardware', allocationReason: 'The cuff measures' }, 'SYS-4')).toEqual({ allocation: 'hardware', allocationReason: 'The cuff measures' });
    expect(parseFields(sys, { allocation: 'software' }, 'SYS-4')).toEqual({ allocation: 'software' });
    expect(parseFields(sys, {}, 'SYS-4')).toEqual({});
    expect(() => parseFields(sys, { allocation: 'firmware', allocationReason: 'x' }, 'SYS-4')).toThrow(/fields\.allocation/);
  });
});
