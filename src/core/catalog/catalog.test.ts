import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isAppError } from '../errors.js';
import { parseRecordRef } from '../entities.js';
import { assertLinkAllowed, createCatalog, DEFAULT_CATALOG, linkTypesOf, parseFields } from './catalog.js';
import { assertTransition, CONTROLLED_LIFECYCLE, statusAfterEdit } from './lifecycle.js';
import { RECORD_TYPES, type RecordTypeDef } from './record-types.js';

describe('catalog', () => {
  it('covers the design-control, risk and quality-system record types', () => {
    expect([...DEFAULT_CATALOG.recordTypes.keys()]).toEqual([
      ...['UN', 'SYS', 'SRS', 'SWI', 'TC', 'VAL', 'HAZ', 'HS', 'HARM', 'RC', 'RMP', 'THREAT', 'SEQ', 'RISK', 'BRA', 'ORR', 'PPI', 'RREV', 'SOUP', 'VULN', 'ANOM', 'DOC'],
      ...['JOB', 'QUAL', 'CAPA', 'CMP', 'NC', 'AUD', 'AF', 'MREV', 'SUP', 'CR'],
    ]);
  });

  it('adds a record type as data, with no migration', () => {
    const fmea = { ...RECORD_TYPES[0]!, key: 'FMEA', name: 'Design FMEA line' };
    const c = createCatalog([...RECORD_TYPES, fmea]);
    expect(c.recordTypes.get('FMEA')?.name).toBe('Design FMEA line');
  });

  it('refuses an inconsistent catalog', () => {
    expect(() => createCatalog(RECORD_TYPES, [{ key: 'x', label: 'x', inverse: 'y', from: ['NOPE'], to: ['UN'], upstream: 'to', description: '' }])).toThrow(/unknown record type NOPE/);
  });

  it('local fields (changes that flag no link, or only some) are fields of their type and name known link types', () => {
    for (const t of DEFAULT_CATALOG.recordTypes.values()) {
      for (const [f, reach] of Object.entries(t.localFields ?? {})) {
        expect(t.fields.shape, `${t.key}.${f}`).toHaveProperty(f);
        for (const k of reach) expect(DEFAULT_CATALOG.linkTypes.has(k), `${t.key}.${f} → ${k}`).toBe(true);
      }
    }
    const [srs] = RECORD_TYPES.filter((t) => t.key === 'SRS');
    expect(() => createCatalog([{ ...(srs as RecordTypeDef), localFields: { nope: [] } }], [])).toThrow(/SRS declares unknown local field nope/);
  });

  it('derives which link types a record type takes part in', () => {
    expect(linkTypesOf(DEFAULT_CATALOG, 'TC')).toEqual([
      { linkType: 'verifies', end: 'from' },
      { linkType: 'affects', end: 'to' },
      { linkType: 'references', end: 'to' },
      { linkType: 'changes', end: 'to' },
    ]);
  });

  it('checks link ends against the catalog', () => {
    expect(() => assertLinkAllowed(DEFAULT_CATALOG, 'verifies', { key: 'TC-1', type: 'TC' }, { key: 'SRS-1', type: 'SRS' })).not.toThrow();
    expect(() => assertLinkAllowed(DEFAULT_CATALOG, 'mitigates', { key: 'SRS-1', type: 'SRS' }, { key: 'HAZ-1', type: 'HAZ' })).toThrow(
      /'mitigates' link cannot go from SRS-1 \(SRS\) to HAZ-1 \(HAZ\): it goes from RC to HAZ\/HS\/HARM/,
    );
  });

  it('narrows link ends to allowed pairs: a risk control is implemented by a requirement, not a software item [DOSSIER-SRS-11]', () => {
    expect(() => assertLinkAllowed(DEFAULT_CATALOG, 'implements', { key: 'SRS-1', type: 'SRS' }, { key: 'RC-1', type: 'RC' })).not.toThrow();
    expect(() => assertLinkAllowed(DEFAULT_CATALOG, 'implements', { key: 'SWI-1', type: 'SWI' }, { key: 'RC-1', type: 'RC' })).toThrow(
      /'implements' link cannot go from SWI-1 \(SWI\) to RC-1 \(RC\): from SWI it goes only to SRS/,
    );
    expect(() => assertLinkAllowed(DEFAULT_CATALOG, 'leads_to', { key: 'HAZ-1', type: 'HAZ' }, { key: 'HAZ-2', type: 'HAZ' })).toThrow(/cannot go/);
    expect(() => createCatalog(RECORD_TYPES, [{ key: 'x', label: 'x', inverse: 'y', from: ['UN'], to: ['SYS'], upstream: 'to', description: '', pairs: { UN: ['TC'] } }])).toThrow(/pair outside its ends/);
  });

  it('validates fields strictly and applies defaults [DOSSIER-SRS-1]', () => {
    const srs = DEFAULT_CATALOG.recordTypes.get('SRS')!;
    expect(parseFields(srs, {}, 'SRS-1')).toEqual({ riskControl: false });
    expect(() => parseFields(srs, { riskControl: 'yes' }, 'RPM/SRS-1')).toThrow(/RPM\/SRS-1 \(Software requirement\) has invalid fields: fields\.riskControl/);
    expect(() => parseFields(srs, { colour: 'red' }, 'SRS-1')).toThrow(/colour/);
  });
});

describe('lifecycle', () => {
  it('allows draft → in_review → approved → obsolete and review back to draft', () => {
    expect(() => assertTransition(CONTROLLED_LIFECYCLE, 'X', 'draft', 'in_review')).not.toThrow();
    expect(() => assertTransition(CONTROLLED_LIFECYCLE, 'X', 'in_review', 'approved')).not.toThrow();
    expect(() => assertTransition(CONTROLLED_LIFECYCLE, 'X', 'in_review', 'draft')).not.toThrow();
    expect(() => assertTransition(CONTROLLED_LIFECYCLE, 'X', 'approved', 'obsolete')).not.toThrow();
  });

  it('refuses approval without review and any way out of obsolete', () => {
    expect(() => assertTransition(CONTROLLED_LIFECYCLE, 'SRS-1', 'draft', 'approved')).toThrow(/SRS-1 is draft; it cannot move to approved/);
    expect(() => assertTransition(CONTROLLED_LIFECYCLE, 'SRS-1', 'obsolete', 'draft')).toThrow(/obsolete is final/);
    expect(() => statusAfterEdit(CONTROLLED_LIFECYCLE, 'SRS-1', 'obsolete')).toThrow(/can no longer be edited/);
    expect(statusAfterEdit(CONTROLLED_LIFECYCLE, 'SRS-1', 'approved')).toBe('draft');
  });
});

describe('parseRecordRef', () => {
  it('reads plain and product-qualified IDs', () => {
    expect(parseRecordRef('SRS-12')).toEqual({ type: 'SRS', number: 12 });
    expect(parseRecordRef('RPM/HARM-3')).toEqual({ productKey: 'RPM', type: 'HARM', number: 3 });
  });

  it('never crashes: any string is an ID or a clear INVALID_INPUT', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 30 }), (s) => {
        try {
          const r = parseRecordRef(s);
          expect(`${r.type}-${r.number}`).toMatch(/^[A-Z][A-Z0-9]*-[1-9]\d*$/);
        } catch (e) {
          expect(isAppError(e, 'INVALID_INPUT')).toBe(true);
        }
      }),
    );
  });
});
