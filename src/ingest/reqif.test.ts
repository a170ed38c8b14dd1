import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CATALOG } from '../core/catalog/catalog.js';
import { AppError } from '../core/errors.js';
import { readReqif, reqifToPlan } from './reqif.js';
import { readReqifMap, withDefaults } from './reqif-map.js';

const FIX = 'test/fixtures/reqif';
const text = (f: string): string => readFileSync(`${FIX}/${f}`, 'utf8');
const planOf = (name: string): ReturnType<typeof reqifToPlan> => {
  const map = withDefaults(readReqifMap(`${FIX}/${name}.map.yaml`, DEFAULT_CATALOG), DEFAULT_CATALOG);
  return reqifToPlan(readReqif(text(`${name}.reqif`), `${FIX}/${name}.reqif`), map, DEFAULT_CATALOG);
};

describe('reading ReqIF in the shapes tools write', () => {
  it('DOORS-like: headings skipped by the map, hierarchy as refines links, enumerations mapped, pictures dropped with a warning', () => {
    const r = planOf('doors-like');
    expect(r.problems).toEqual([]);
    const records = r.plan.records ?? [];
    expect(records.map((x) => [x.ref, x.type, x.fields?.externalId])).toEqual([
      ['_so-sys1', 'SYS', 'PUMP-SYS-1'],
      ['_so-sys2', 'SYS', 'PUMP-SYS-2'],
      ['_so-sys3', 'SYS', 'PUMP-SYS-3'],
      ['_so-sys4', 'SYS', 'PUMP-SYS-4'],
      ['_so-need1', 'UN', '_so-need1'],
    ]);
    const sys1 = records[0];
    expect(sys1?.title).toBe('The pump shall deliver the programmed rate within 5 %.');
    expect(sys1?.body).toBe('The pump **shall** deliver the programmed rate within *5 %*.\n\nApplies to every rate from 0.1 to 999 mL/h.');
    expect(sys1?.fields).toEqual({ externalId: 'PUMP-SYS-1', priority: 'must', rationale: 'Under-infusion delays therapy.' });
    expect(sys1?.where).toMatch(/doors-like\.reqif:\d+$/);
    expect(records[1]?.body).toBe('The pump shall detect an occlusion downstream:\n\n- within 30 s at 25 mL/h,\n- within 2 min at 1 mL/h.');
    expect(records[3]?.body).toContain('| Priority | Pulses |\n| --- | --- |\n| High | 10 |');
    expect(records[4]?.fields).toEqual({ source: 'Ward interviews 2025', externalId: '_so-need1' });
    expect((r.plan.links ?? []).map((l) => `${l.from} ${l.type} ${l.to}`)).toEqual([
      '_so-sys1 derives_from _so-need1',
      '_so-sys2 derives_from _so-need1',
      '_so-sys3 refines _so-sys2',
    ]);
    const mapping = r.mapping.join('\n');
    expect(mapping).toContain("2 objects skipped by the map's 'only' filter");
    expect(mapping).toContain('Absolute Number not mapped (ignored)');
    expect(mapping).toMatch(/warning: .*doors-like\.reqif:\d+:\d+: spec object '_so-sys4', attribute 'ReqIF.Text': <xhtml:object> removed/);
  });

  it('Polarion-like: prefixed ReqIF namespace, html: XHTML, a multi-valued enumeration left unmapped, tool extensions reported', () => {
    const r = planOf('polarion-like');
    expect(r.problems).toEqual([]);
    const records = r.plan.records ?? [];
    expect(records.map((x) => [x.ref, x.type, x.title, x.fields])).toEqual([
      ['PUMP-101', 'SRS', 'Rate limit check', { externalId: 'PUMP-101', priority: 'must' }],
      ['PUMP-102', 'SRS', 'Bolus lockout', { priority: 'should', externalId: 'PUMP-102' }],
      ['PUMP-201', 'TC', 'Rate above hard limit is refused', { level: 'system', externalId: 'PUMP-201' }],
    ]);
    expect(records[0]?.body).toBe("The software shall refuse a rate above the drug library's hard limit.\nSee [the library format](https://example.org/drug-library).");
    expect(records[1]?.body).toBe('1. Start the lockout timer after a bolus.\n2. Refuse another bolus until it ends.');
    expect(r.plan.links).toEqual([{ from: 'PUMP-201', type: 'verifies', to: 'PUMP-101', where: expect.stringMatching(/polarion-like\.reqif:\d+/) as unknown }]);
    const mapping = r.mapping.join('\n');
    expect(mapping).toContain("spec relation type 'relates to' not mapped");
    expect(mapping).toContain('Platforms not mapped (ignored)');
    expect(mapping).toContain('TOOL-EXTENSIONS: 1 elements ignored');
  });

  it('ProR-like: title and body from other attribute names, nesting kept as order when the map has no hierarchy link', () => {
    const r = planOf('pror-like');
    expect(r.problems).toEqual([]);
    expect((r.plan.records ?? []).map((x) => [x.title, x.fields])).toEqual([
      ['Hard limits in the drug library', { externalId: 'RC-1', option: 'inherent_safety_by_design' }],
      ['Occlusion alarm', { externalId: 'RC-2', option: 'protective_measure' }],
    ]);
    expect(r.plan.records?.[0]?.body).toBe('Rates above the library limit are refused, not warned.\n\n```\nlimit(drug) < rate  => refuse\n```');
    expect(r.mapping.join('\n')).toContain('hierarchy: 1 nestings kept as record order only');
  });
});

describe('refusing bad ReqIF with file, line and item', () => {
  const read = (f: string): ReturnType<typeof reqifToPlan> => {
    const map = withDefaults(readReqifMap(`${FIX}/minimal.map.yaml`, DEFAULT_CATALOG), DEFAULT_CATALOG);
    return reqifToPlan(readReqif(text(f), `${FIX}/${f}`), map, DEFAULT_CATALOG);
  };

  it('reads the minimal file cleanly (the base of the bad ones)', () => {
    const r = read('minimal.reqif');
    expect(r.problems).toEqual([]);
    expect(r.plan.records).toHaveLength(2);
    expect(r.plan.links).toHaveLength(1);
  });

  it('invalid XML and a root that is not REQ-IF are errors naming line and column', () => {
    const bad = (f: string): AppError => {
      try {
        read(f);
      } catch (e) {
        if (e instanceof AppError) return e;
        throw e;
      }
      throw new Error('expected an error');
    };
    const x = bad('bad/invalid-xml.reqif');
    expect(x.message).toMatch(/bad\/invalid-xml\.reqif:29:\d+: malformed XML/);
    expect(x.details).toMatchObject({ line: 29 });
    expect(bad('bad/not-reqif.reqif').message).toMatch(/not-reqif\.reqif:2:1: not ReqIF: the root element is <testsuites>/);
  });

  it('dangling references, an enumeration value outside its datatype and XHTML with a script are problems at their lines', () => {
    const d = read('bad/dangling-ref.reqif').problems;
    expect(d.map((p) => p.where.replace(/:\d+$/, ''))).toEqual([`${FIX}/bad/dangling-ref.reqif:35`, `${FIX}/bad/dangling-ref.reqif:43`]);
    expect(d[0]?.message).toMatch(/^spec object 'R2': DEFINITION refers to 'a-title'/);
    expect(d[1]?.message).toBe("spec relation 'L1' TARGET: SPEC-OBJECT-REF 'R9' names no spec object in the file");
    const e = read('bad/enum-value.reqif').problems;
    expect(e).toHaveLength(1);
    expect(e[0]?.where).toMatch(/enum-value\.reqif:29:\d+$/);
    expect(e[0]?.message).toBe("spec object 'R1', attribute 'priority': enumeration value 'e-urgent' is not a value of datatype 'e'");
    const s = read('bad/xhtml-script.reqif').problems;
    expect(s).toHaveLength(1);
    expect(s[0]?.where).toMatch(/xhtml-script\.reqif:28:\d+$/);
    expect(s[0]?.message).toBe("spec object 'R1', attribute 'ReqIF.Text': XHTML <xhtml:script> is active content and is refused");
  });

  it('a DOCTYPE is refused (no entity is ever expanded)', () => {
    expect(() => readReqif('<!DOCTYPE r [<!ENTITY a "x">]><REQ-IF/>', 'd.reqif')).toThrow(/DOCTYPE is not allowed/);
  });

  it('random mutations of a valid file give an AppError or problems, never another exception (fuzz)', () => {
    const seed = text('minimal.reqif');
    const map = withDefaults(readReqifMap(`${FIX}/minimal.map.yaml`, DEFAULT_CATALOG), DEFAULT_CATALOG);
    const mutation = fc.oneof(
      fc.tuple(fc.nat(seed.length), fc.nat(40), fc.string({ maxLength: 12 })).map(([at, del, ins]) => seed.slice(0, at) + ins + seed.slice(at + del)),
      fc.tuple(fc.nat(seed.length), fc.constantFrom('<', '>', '&', '"', '</VALUES>', '<SPEC-OBJECT>', '<xhtml:script/>', ' onclick="x"', 'IDENTIFIER="R1"', '<![CDATA[')).map(
        ([at, ins]) => seed.slice(0, at) + ins + seed.slice(at),
      ),
      fc.tuple(fc.constantFrom('R1', 'R2', 'e-must', 'a-name', 'req', 'rt', 'ATTRIBUTE-VALUE-STRING', 'THE-VALUE', 'REQ-IF'), fc.string({ maxLength: 6 })).map(([from, to]) =>
        seed.split(from).join(to),
      ),
    );
    fc.assert(
      fc.property(mutation, (input) => {
        try {
          const r = reqifToPlan(readReqif(input, 'fuzz.reqif'), map, DEFAULT_CATALOG);
          expect(Array.isArray(r.problems)).toBe(true);
        } catch (e) {
          if (!(e instanceof AppError)) throw e;
          expect(e.message).toMatch(/^fuzz\.reqif:\d+:\d+: /);
        }
      }),
      { numRuns: 500 },
    );
  });
});
