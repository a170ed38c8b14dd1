import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../hashing.js';
import { naturalCompare } from '../natural-order.js';
import { graphOf, type NodeSpec } from '../../test-support/graphs.js';
import { evaluateRules, type Finding } from './evaluate-rules.js';
import { SEVERITY_RANK, type Rule, type RulePack, type Severity } from './rule-pack.js';

const none = { disabled: new Map<string, string>(), severity: new Map<string, Severity>() };

/** A rule that every record of the selected types fails: no record has the field `missing`. */
const failing = (id: string, clause: string, severity: Severity, type: string[] = ['*']): Rule => ({
  id,
  clause,
  title: `${id} title`,
  severity,
  select: { type },
  require: { fields: ['missing'] },
  message: '{key} ({title}) lacks {missing}; approved by {approvedBy}; level {level}',
  why: 'why',
  hint: 'Fix {key} in {title}',
});

const pack = (name: string, rules: Rule[]): RulePack => ({ pack: name, title: name, rules });

/** The order the engine promises, as the comparator it replaced: clause, severity, rule ID, record, in natural order. */
const before = (a: Finding, b: Finding): number =>
  naturalCompare(a.clause, b.clause) ||
  SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] ||
  naturalCompare(a.ruleId, b.ruleId) ||
  naturalCompare(a.record ?? '', b.record ?? '');

describe('the rule engine', () => {
  it('orders findings by clause, severity, rule and record in natural order, ties in pack order', () => {
    // Record types that are prefixes of each other, and types with digits (ordered by their whole key).
    const type = fc.constantFrom('H', 'HS', 'HSX', 'S', 'SR', 'SRS', 'SOUP', 'T2', 'A1B');
    const nodes = fc.uniqueArray(fc.tuple(type, fc.integer({ min: 1, max: 2_000 })), { minLength: 1, maxLength: 40, selector: ([t, n]) => `${t}-${n}` });
    const clause = fc.constantFrom('ISO 13485 7.3.3', 'IEC 62304 5.2', 'IEC 62304 5.10', 'IEC 62304 5.2.1', 'ISO 14971 7');
    const severity = fc.constantFrom<Severity>('error', 'warning', 'info');
    const rule = fc.tuple(fc.constantFrom('R-2', 'R-10', 'R-1', 'Q-3'), clause, severity);
    fc.assert(
      fc.property(nodes, fc.array(rule, { minLength: 1, maxLength: 6 }), fc.boolean(), (keys, rules, plainOnly) => {
        const specs: NodeSpec[] = keys.filter(([t]) => !plainOnly || /^[A-Z]+$/.test(t)).map(([t, n]) => ({ key: `${t}-${n}` }));
        if (specs.length === 0) return;
        // Each rule in its own pack, so one rule ID may come twice (from two packs).
        const packs = rules.map(([id, c, s], k) => pack(`p${k}`, [failing(id, c, s)]));
        const r = evaluateRules(graphOf(specs, []), { key: 'P', safetyClass: 'C' }, packs, none);
        expect(r.findings).toHaveLength(specs.length * rules.length);
        for (let k = 1; k < r.findings.length; k++) {
          const a = r.findings[k - 1] as Finding;
          const b = r.findings[k] as Finding;
          const c = before(a, b);
          expect(c <= 0, `${a.clause} ${a.ruleId} ${a.record ?? ''} before ${b.clause} ${b.ruleId} ${b.record ?? ''}`).toBe(true);
          if (c === 0) expect(Number(a.pack.slice(1))).toBeLessThan(Number(b.pack.slice(1)));
        }
      }),
      { numRuns: 200 },
    );
  });

  it('gives each finding a stable ID and fills its message and hint from the record when read', () => {
    const g = graphOf([{ key: 'SRS-2', title: 'Alarms', fields: { level: 'unit_test' }, revisedBy: 'dana', approvedBy: 'quinn' }], []);
    const [f] = evaluateRules(g, { key: 'RPM', safetyClass: 'C' }, [pack('p', [failing('R-1', 'X 1', 'error', ['SRS'])])], none).findings;
    expect(f?.id).toBe(sha256Hex('R-1|RPM|SRS-2').slice(0, 16));
    // Unknown names stay as written; underscores in values read as spaces.
    expect(f?.message).toBe('SRS-2 (Alarms) lacks {missing}; approved by quinn; level unit test');
    expect(f?.hint).toBe('Fix SRS-2 in Alarms');
    expect(JSON.parse(JSON.stringify(f))).toEqual({
      id: f?.id,
      ruleId: 'R-1',
      pack: 'p',
      clause: 'X 1',
      severity: 'error',
      title: 'R-1 title',
      record: 'SRS-2',
      message: f?.message,
      hint: f?.hint,
    });
    expect(Object.keys(JSON.parse(JSON.stringify(f)) as object)).toEqual(['id', 'ruleId', 'pack', 'clause', 'severity', 'title', 'record', 'message', 'hint']);
  });

  it('names the product in a product-level finding, with an ID of its own', () => {
    const rule: Rule = { ...failing('R-9', 'X 1', 'warning'), select: { product: true }, require: { exists: [{ type: 'DOC', min: 1 }] } };
    const [f] = evaluateRules(graphOf([{ key: 'SRS-1' }], []), { key: 'RPM', safetyClass: 'C' }, [pack('p', [rule])], none).findings;
    expect(f?.record).toBeNull();
    expect(f?.id).toBe(sha256Hex('R-9|RPM|*').slice(0, 16));
    expect(f?.message).toBe('RPM () lacks {missing}; approved by {approvedBy}; level {level}');
  });
});
