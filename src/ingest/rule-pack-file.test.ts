import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CATALOG } from '../core/catalog/catalog.js';
import { isAppError } from '../core/errors.js';
import { loadBuiltinPacks, parseRulePack } from './rule-pack-file.js';

const GOOD = `pack: custom
title: Team rules
rules:
  - id: TEAM-1
    clause: ISO 13485 7.3.6
    title: Tests are automated
    severity: warning
    select: { type: TC }
    require:
      fields: [automationId]
    message: "{key} is not automated"
    why: We run every test in CI.
    hint: Set automationId.
`;

function errorOf(text: string): string {
  try {
    parseRulePack(text, 'team.yaml', DEFAULT_CATALOG);
  } catch (e) {
    if (isAppError(e, 'INVALID_INPUT')) return e.message;
    throw e;
  }
  return 'no error';
}

describe('rule pack files', () => {
  it('load the built-in packs cleanly', () => {
    const packs = loadBuiltinPacks(DEFAULT_CATALOG);
    expect(packs.map((p) => p.pack)).toEqual(['design-control', 'iec62304', 'iso13485', 'iso14971', 'part11']);
    expect(packs.flatMap((p) => p.rules).length).toBeGreaterThan(15);
  });

  it('parse a sound pack', () => {
    expect(parseRulePack(GOOD, 'team.yaml', DEFAULT_CATALOG).rules[0]?.id).toBe('TEAM-1');
  });

  it('name file, line and reason for malformed YAML', () => {
    expect(errorOf('pack: x\nrules: [\n')).toMatch(/^team\.yaml:\d+:\d+: malformed YAML/);
  });

  it('name the line of an unknown record type, field or link type [DOSSIER-SRS-15]', () => {
    expect(errorOf(GOOD.replace('{ type: TC }', '{ type: TEST }'))).toBe("team.yaml:8:21: rules.0.select.type: unknown record type 'TEST' (known: UN, SYS, SRS, SWI, TC, VAL, HAZ, HS, HARM, RC, RMP, THREAT, SEQ, RISK, BRA, ORR, PPI, RREV, SOUP, VULN, ANOM, DOC, JOB, QUAL, CAPA, CMP, NC, AUD, AF, MREV, SUP, CR)");
    expect(errorOf(GOOD.replace('[automationId]', '[automationID]'))).toMatch(/^team\.yaml:10:16: rules\.0\.require\.fields\.0: unknown field 'automationID' for TC/);
    expect(errorOf(GOOD.replace('fields: [automationId]', 'links: [{ type: checks, direction: in }]'))).toMatch(/^team\.yaml:10:\d+: rules\.0\.require\.links\.0\.type: unknown link type 'checks'/);
    expect(errorOf(GOOD.replace('fields: [automationId]', 'links: [{ type: verifies, direction: in }]'))).toMatch(/a 'verifies' link never ends at TC/);
    expect(errorOf(GOOD.replace('severity: warning', 'severity: fatal'))).toMatch(/^team\.yaml:7:15: rules\.0\.severity: Invalid option/);
  });

  it('refuse alias expansion bombs and unknown anchors with a line', () => {
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x]', 'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]', 'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]', 'pack: [*c, *c, *c, *c, *c, *c, *c, *c, *c]'].join('\n');
    expect(errorOf(bomb)).toMatch(/^team\.yaml:\d+:\d+: malformed YAML: .*alias/i);
    expect(errorOf('pack: *nowhere\n')).toMatch(/^team\.yaml:1:7: malformed YAML: Unresolved alias/);
  });

  it('never crash on mutated packs: a pack or a clear error with a line', () => {
    fc.assert(
      fc.property(fc.nat(), fc.string({ maxLength: 4 }), (at, junk) => {
        const pos = at % (GOOD.length + 1);
        const text = GOOD.slice(0, pos) + junk + GOOD.slice(pos);
        const m = errorOf(text);
        expect(m === 'no error' || /^team\.yaml:\d+:\d+: /.test(m)).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });
});
