import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CATALOG, parseFields } from '../catalog/catalog.js';
import { isAppError } from '../errors.js';
import { compareDocumentVersions } from './fields.js';

const docType = DEFAULT_CATALOG.recordTypes.get('DOC');
if (docType === undefined) throw new Error('no DOC type');

/** Field values near the real ones and anything else JSON can carry. */
const value = fc.oneof(
  fc.constantFrom('procedure', 'form', 'SOP-004', '1.0', '2.10', '1.', 'x.y', 'ISO 13485 4.2.4', '', ' ', '\u0000'),
  fc.string(),
  fc.integer({ min: -5, max: 400 }),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.oneof(fc.string(), fc.integer())),
  fc.dictionary(fc.string(), fc.oneof(fc.string(), fc.integer(), fc.array(fc.string()))),
);
const key = fc.constantFrom('docType', 'number', 'version', 'owner', 'reviewIntervalMonths', 'trainingDays', 'clauses', 'governs', 'quiz', 'location', 'other');

describe('controlled document fields (the document reader)', () => {
  it('fuzz: any field object is either a valid document or a clear INVALID_INPUT naming a field, never a crash', () => {
    fc.assert(
      fc.property(fc.dictionary(key, value), (fields) => {
        try {
          const parsed = parseFields(docType, fields, 'RPM/DOC-1');
          expect(typeof parsed['docType']).toBe('string');
        } catch (e) {
          expect(isAppError(e, 'INVALID_INPUT')).toBe(true);
          if (isAppError(e)) expect(e.message).toMatch(/^RPM\/DOC-1 \(Document\) has invalid fields: /);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('refuses a quiz whose answer is not one of its options, and a malformed version, by field', () => {
    const quiz = { questions: [{ question: 'Who closes a CAPA?', options: ['quality', 'anyone'], answer: 2 }] };
    expect(() => parseFields(docType, { docType: 'procedure', quiz }, 'RPM/DOC-1')).toThrow(/answer/);
    expect(() => parseFields(docType, { docType: 'procedure', version: '1.0.3' }, 'RPM/DOC-1')).toThrow(/major\.minor/);
  });

  it('orders major.minor versions numerically (1.10 after 1.9), as a total order', () => {
    expect(compareDocumentVersions('1.10', '1.9')).toBeGreaterThan(0);
    expect(compareDocumentVersions('2.0', '1.99')).toBeGreaterThan(0);
    const v = fc.tuple(fc.nat(50), fc.nat(50)).map(([a, b]) => `${a}.${b}`);
    fc.assert(
      fc.property(v, v, v, (a, b, c) => {
        // `+ 0` turns -0 into 0: equal versions compare 0 both ways, and toBe tells -0 from 0.
        expect(Math.sign(compareDocumentVersions(a, b)) + 0).toBe(-Math.sign(compareDocumentVersions(b, a)) + 0);
        if (compareDocumentVersions(a, b) <= 0 && compareDocumentVersions(b, c) <= 0) expect(compareDocumentVersions(a, c)).toBeLessThanOrEqual(0);
      }),
    );
  });
});
