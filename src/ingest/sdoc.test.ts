import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CATALOG } from '../core/catalog/catalog.js';
import { parseSdoc, readSdocFiles, SdocSyntaxError, type SdocElement } from './sdoc.js';
import { EMPTY_TOOL_MAP, ToolImportMapSchema } from './tool-import-map.js';

const SYS = `[DOCUMENT]
TITLE: System requirements

[[SECTION]]
TITLE: Safety

[REQUIREMENT]
UID: SYS-1
TITLE: Stop at occlusion
STATEMENT: The pump shall stop when the line is occluded.
RATIONALE: >>>
Occlusion starves the patient of drug.
<<<

[[/SECTION]]
`;

const SRS = `[DOCUMENT]
TITLE: Software requirements

[GRAMMAR]
ELEMENTS:
- TAG: REQUIREMENT
  FIELDS:
  - TITLE: UID
    TYPE: String
    REQUIRED: True
  - TITLE: TITLE
    TYPE: String
    REQUIRED: False
  - TITLE: STATEMENT
    TYPE: String
    REQUIRED: True
  - TITLE: PRIORITY
    TYPE: String
    REQUIRED: False
  - TITLE: ASIL
    TYPE: String
    REQUIRED: False
  RELATIONS:
  - TYPE: Parent
  - TYPE: File
- TAG: TEST_CASE
  FIELDS:
  - TITLE: UID
    TYPE: String
    REQUIRED: True
  - TITLE: STATEMENT
    TYPE: String
    REQUIRED: True
  RELATIONS:
  - TYPE: Parent

[SECTION]
TITLE: Pressure

[[SECTION]]
TITLE: Sensing

[REQUIREMENT]
UID: SRS-1
PRIORITY: must
ASIL: B
STATEMENT: >>>
Read the pressure sensor every 10 ms.

Stop the motor above the limit.
<<<
RELATIONS:
- TYPE: Parent
  VALUE: SYS-1
- TYPE: File
  VALUE: src/pressure.c

[[/SECTION]]

[/SECTION]

[TEST_CASE]
UID: TC-1
STATEMENT: Occlude the line; the pump stops.
REFS:
- TYPE: Parent
  VALUE: SRS-1
`;

describe('parseSdoc', () => {
  it('reads the document, grammar, nested sections, multi-line values and relations with their lines', () => {
    const doc = parseSdoc(SRS, 'srs.sdoc');
    expect(doc.title).toBe('Software requirements');
    expect(doc.grammar?.map((g) => [g.tag, g.fields])).toEqual([
      ['REQUIREMENT', ['UID', 'TITLE', 'STATEMENT', 'PRIORITY', 'ASIL']],
      ['TEST_CASE', ['UID', 'STATEMENT']],
    ]);
    const outer = doc.nodes[0];
    expect(outer?.kind === 'section' && outer.title).toBe('Pressure');
    const inner = outer?.kind === 'section' ? outer.children[0] : undefined;
    const req = inner?.kind === 'section' ? (inner.children[0] as SdocElement) : undefined;
    expect(req?.fields.find((f) => f.name === 'STATEMENT')).toEqual({
      name: 'STATEMENT',
      value: 'Read the pressure sensor every 10 ms.\n\nStop the motor above the limit.',
      line: 48,
      column: 1,
    });
    expect(req?.relations).toEqual([
      { type: 'Parent', value: 'SYS-1', role: undefined, line: 53 },
      { type: 'File', value: 'src/pressure.c', role: undefined, line: 55 },
    ]);
    const tc = doc.nodes[1] as SdocElement;
    expect(tc.tag).toBe('TEST_CASE');
    expect(tc.relations).toEqual([{ type: 'Parent', value: 'SRS-1', role: undefined, line: 66 }]);
  });

  const errorAt = (text: string): [number, number, string] => {
    try {
      parseSdoc(text, 'bad.sdoc');
    } catch (e) {
      if (e instanceof SdocSyntaxError) return [e.line, e.column, e.message];
      throw e;
    }
    throw new Error('no error');
  };

  it('names the file, line and column of each kind of error', () => {
    expect(errorAt('TITLE: x\n')).toEqual([1, 1, "bad.sdoc:1:1: an .sdoc file starts with '[DOCUMENT]'"]);
    expect(errorAt('[DOCUMENT]\nTITLE: D\n\n[REQUIREMENT]\nUID: A-1\nSTATEMENT: >>>\nnever closed\n')).toEqual([
      6,
      12,
      "bad.sdoc:6:12: the multi-line value of STATEMENT opened here is never closed with a line '<<<'",
    ]);
    expect(errorAt('[DOCUMENT]\nTITLE: D\n\n[REQUIREMENT]\nUID: A-1\nstatement here\n')[0]).toBe(6);
    expect(errorAt('[DOCUMENT]\nTITLE: D\n\n[REQUIREMENT]\nUID:\n')).toEqual([5, 5, "bad.sdoc:5:5: UID has no value (write it after 'UID: ', or between '>>>' and '<<<' lines)"]);
    expect(errorAt('[DOCUMENT]\nTITLE: D\n\n[[SECTION]]\nTITLE: S\n\n[REQUIREMENT]\nUID: A-1\n')).toEqual([4, 1, "bad.sdoc:4:1: the section 'S' opened here is never closed"]);
    expect(errorAt('[DOCUMENT]\nTITLE: D\n\n[REQUIREMENT]\nUID: A-1\nRELATIONS:\n- TYPE: Sibling\n  VALUE: B-1\n')[2]).toMatch(/7:9: unknown relation type 'Sibling'/);
    expect(errorAt(SRS.replace('ASIL: B', 'COLOR: red'))[2]).toMatch(/:46:1: REQUIREMENT has no field COLOR in the document's \[GRAMMAR\]/);
  });

  it('never fails other than with a syntax error at a line and column inside the file', () => {
    fc.assert(
      fc.property(fc.nat(SRS.length), fc.nat(40), fc.string({ maxLength: 12 }), (at, cut, junk) => {
        const text = SRS.slice(0, at) + junk + SRS.slice(at + cut);
        const lines = text.split('\n').length;
        try {
          parseSdoc(text, 'f.sdoc');
          return true;
        } catch (e) {
          if (!(e instanceof SdocSyntaxError)) throw e;
          return e.line >= 1 && e.line <= lines && e.column >= 1 && e.message.startsWith(`f.sdoc:${e.line}:${e.column}: `);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('reads back what it is given: generated requirements round-trip', () => {
    const text = fc.stringMatching(/^[A-Za-z0-9 .,]{1,40}$/).filter((s) => s.trim() === s && s !== '' && s !== '>>>');
    const req = fc.record({ uid: fc.stringMatching(/^[A-Z]{2,4}-[1-9]\d{0,3}$/), title: text, statement: fc.array(text, { minLength: 1, maxLength: 3 }) });
    fc.assert(
      fc.property(fc.uniqueArray(req, { selector: (r) => r.uid, maxLength: 8 }), (reqs) => {
        const body = reqs.map((r) => `[REQUIREMENT]\nUID: ${r.uid}\nTITLE: ${r.title}\nSTATEMENT: >>>\n${r.statement.join('\n')}\n<<<\n`).join('\n');
        const doc = parseSdoc(`[DOCUMENT]\nTITLE: Gen\n\n${body}`, 'gen.sdoc');
        const got = doc.nodes.map((n) => {
          const e = n as SdocElement;
          const f = (name: string): string | undefined => e.fields.find((x) => x.name === name)?.value;
          return { uid: f('UID'), title: f('TITLE'), statement: f('STATEMENT')?.split('\n') };
        });
        expect(got).toEqual(reqs);
      }),
      { numRuns: 200 },
    );
  });
});

describe('readSdocFiles', () => {
  it('maps elements by UID prefix, tag or map, relations to links, and custom fields to fields or the body', () => {
    const map = ToolImportMapSchema.parse({ types: { TEST_CASE: 'TC' } });
    const r = readSdocFiles(
      [
        { path: 'sys.sdoc', text: SYS },
        { path: 'srs.sdoc', text: SRS },
      ],
      { catalog: DEFAULT_CATALOG, map },
    );
    expect(r.problems).toEqual([]);
    expect(r.plan.records?.map((x) => [x.ref, x.type, x.title])).toEqual([
      ['SYS-1', 'SYS', 'Stop at occlusion'],
      ['SRS-1', 'SRS', 'Read the pressure sensor every 10 ms.'],
      ['TC-1', 'TC', 'Occlude the line; the pump stops.'],
    ]);
    const sys = r.plan.records?.[0];
    expect(sys?.fields).toEqual({ rationale: 'Occlusion starves the patient of drug.', externalId: 'SYS-1' });
    expect(sys?.body).toBe('The pump shall stop when the line is occluded.\n\n*Section: Safety*');
    const srs = r.plan.records?.[1];
    expect(srs?.fields).toEqual({ priority: 'must', externalId: 'SRS-1' });
    expect(srs?.body).toBe('Read the pressure sensor every 10 ms.\n\nStop the motor above the limit.\n\n**Asil:** B\n\nFiles: `src/pressure.c`\n\n*Section: Pressure › Sensing*');
    expect(r.plan.links?.map((l) => `${l.from} ${l.type} ${l.to} ${l.where ?? ''}`)).toEqual(['SRS-1 derives_from SYS-1 srs.sdoc:53', 'TC-1 verifies SRS-1 srs.sdoc:66']);
    expect(r.mapping.join('\n')).toMatch(/REQUIREMENT field ASIL → body \(SRS has no field 'asil'\): 1/);
  });

  it('reports a syntax error at file:line:column, a relation to an unknown UID, and an unmapped element', () => {
    const r = readSdocFiles(
      [
        { path: 'bad.sdoc', text: '[DOCUMENT]\nTITLE: D\n\n[REQUIREMENT]\nUID: A-1\nSTATEMENT: >>>\nx\n' },
        { path: 'srs.sdoc', text: SRS },
        { path: 'misc.sdoc', text: '[DOCUMENT]\nTITLE: Misc\n\n[REQUIREMENT]\nUID: ZZ-1\nSTATEMENT: x\n' },
      ],
      { catalog: DEFAULT_CATALOG, map: EMPTY_TOOL_MAP },
    );
    // TEST_CASE elements map by their UID prefix (TC) without the map.
    expect(r.problems.map((p) => p.where)).toEqual(['bad.sdoc:6:12', 'misc.sdoc:4', 'srs.sdoc:53']);
    expect(r.problems[1]?.message).toMatch(/ZZ-1 \(document 'Misc'\) maps to no record type/);
    expect(r.problems[2]?.message).toBe('relation to SYS-1, which is no element\'s UID in these files');
  });
  it('turns a Child relation into a link from the child, and types a relation by its ROLE through the map', () => {
    const text = `[DOCUMENT]
TITLE: Requirements

[REQUIREMENT]
UID: SRS-1
STATEMENT: Parent requirement.
RELATIONS:
- TYPE: Child
  VALUE: SRS-2
  ROLE: Refines

[REQUIREMENT]
UID: SRS-2
STATEMENT: Child requirement.

[REQUIREMENT]
UID: SRS-3
STATEMENT: Another.
RELATIONS:
- TYPE: Parent
  VALUE: SRS-1
`;
    const map = ToolImportMapSchema.parse({ roles: { Refines: 'refines' } });
    const r = readSdocFiles([{ path: 'r.sdoc', text }], { catalog: DEFAULT_CATALOG, map });
    // SRS-3 → SRS-1 has no role, and SRS may refine or implement SRS: the map must say which.
    expect(r.problems).toEqual([{ where: 'r.sdoc:20', message: expect.stringMatching(/refines, implements can all go from SRS to SRS/) as unknown }]);
    expect(r.plan.links).toEqual([{ from: 'SRS-2', type: 'refines', to: 'SRS-1', where: 'r.sdoc:8' }]);
  });
});
