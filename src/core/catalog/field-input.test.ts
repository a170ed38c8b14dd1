import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isAppError } from '../errors.js';
import { DEFAULT_CATALOG, getRecordType } from './catalog.js';
import { closestName, describeFields, fieldsFromText } from './field-input.js';

const type = (key: string) => getRecordType(DEFAULT_CATALOG, key);

/** The message of the AppError `fn` throws (fails the test when it does not throw one). */
function refusal(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (isAppError(e, 'INVALID_INPUT')) return e.userMessage;
    throw e;
  }
  throw new Error('expected a refusal');
}

describe('fields from --set text use the catalog types', () => {
  it('describes each field with its kind, whether required, allowed values and an example', () => {
    const tc = describeFields(type('TC'));
    expect(tc.find((f) => f.name === 'level')).toMatchObject({ kind: 'choice', required: true, values: ['unit', 'integration', 'system'] });
    expect(tc.find((f) => f.name === 'automated')).toMatchObject({ kind: 'boolean', required: false, default: false });
    expect(tc.find((f) => f.name === 'steps')).toMatchObject({ kind: 'list', itemKind: 'object' });
    expect(describeFields(type('RMP')).find((f) => f.name === 'reviewIntervalDays')).toMatchObject({ kind: 'integer', required: true });
    expect(describeFields(type('ORR')).find((f) => f.name === 'disclosures')).toMatchObject({ kind: 'list', itemKind: 'text' });
  });

  it('parses numbers, booleans and choices as their type, and keeps text as written', () => {
    expect(fieldsFromText(type('RMP'), ['reviewIntervalDays=30'])).toEqual({ reviewIntervalDays: 30 });
    expect(fieldsFromText(type('TC'), ['level=unit', 'automated=true'])).toEqual({ level: 'unit', automated: true });
    // A text field keeps `[TBD] …`, `true` and numbers as text.
    expect(fieldsFromText(type('SRS'), ['rationale=[TBD] ask the cardiologist'])).toEqual({ rationale: '[TBD] ask the cardiologist' });
    expect(fieldsFromText(type('SRS'), ['rationale=true'])).toEqual({ rationale: 'true' });
    expect(fieldsFromText(type('UN'), ['source=42'])).toEqual({ source: '42' });
  });

  it('builds a list from repeated --set or a JSON array', () => {
    expect(fieldsFromText(type('ORR'), ['disclosures=[TBD] a', 'disclosures=b'])).toEqual({ disclosures: ['[TBD] a', 'b'] });
    expect(fieldsFromText(type('ORR'), ['disclosures=["a","b"]'])).toEqual({ disclosures: ['a', 'b'] });
    expect(fieldsFromText(type('TC'), ['steps={"action":"open","expected":"shown"}', 'steps={"action":"close","expected":"gone"}'])).toEqual({
      steps: [
        { action: 'open', expected: 'shown' },
        { action: 'close', expected: 'gone' },
      ],
    });
  });

  it('names an unknown field with a likely intended one and the valid ones', () => {
    expect(refusal(() => fieldsFromText(type('SRS'), ['prority=must']))).toBe(
      "--set prority: SRS records have no field 'prority' (did you mean priority?); its fields are priority, category, rationale, riskControl, externalId",
    );
    expect(refusal(() => fieldsFromText(type('SRS'), [], ['colour']))).toMatch(/^--unset colour: SRS records have no field 'colour'; its fields are/);
  });

  it('refuses a value of the wrong type, naming the field and what it takes', () => {
    expect(refusal(() => fieldsFromText(type('RMP'), ['reviewIntervalDays=thirty']))).toBe('--set reviewIntervalDays=thirty: reviewIntervalDays is a whole number');
    expect(refusal(() => fieldsFromText(type('RMP'), ['reviewIntervalDays=1.5']))).toMatch(/whole number/);
    expect(refusal(() => fieldsFromText(type('TC'), ['automated=yes']))).toBe('--set automated=yes: automated is true or false');
    expect(refusal(() => fieldsFromText(type('TC'), ['level=unt']))).toBe('--set level=unt: level is one of unit, integration, system (did you mean unit?)');
    expect(refusal(() => fieldsFromText(type('TC'), ['level=unit', 'level=system']))).toMatch(/given twice/);
    expect(refusal(() => fieldsFromText(type('TC'), ['level']))).toMatch(/expects key=value/);
  });

  it('never throws anything but a clear refusal for any pair text', () => {
    const names = describeFields(type('TC')).map((f) => f.name);
    fc.assert(
      fc.property(fc.constantFrom(...names, 'nope'), fc.string(), (name, value) => {
        try {
          fieldsFromText(type('TC'), [`${name}=${value}`]);
        } catch (e) {
          expect(isAppError(e, 'INVALID_INPUT')).toBe(true);
        }
      }),
    );
  });

  it('suggests only close names', () => {
    expect(closestName('prority', ['priority', 'category'])).toBe('priority');
    expect(closestName('zzzzzz', ['priority', 'category'])).toBeUndefined();
  });
});
