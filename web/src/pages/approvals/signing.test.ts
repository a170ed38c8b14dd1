import { describe, expect, it } from 'vitest';
import { DEFAULT_RECORD_WORKFLOW, DEFAULT_RELEASE_WORKFLOW, WORKFLOW_MEANINGS as SERVER_MEANINGS } from '../../../../src/core/signatures/model.js';
import { asksForUsername, bareKey, commonMeanings, meaningChoices, meaningLabel, normalizeMeaning, recordTypeOf, refusalPlace, SignedSessions, WORKFLOW_MEANINGS } from './signing';

describe('the signing dialog logic', () => {
  it('knows the same meanings as the server', () => {
    expect([...WORKFLOW_MEANINGS]).toEqual([...SERVER_MEANINGS]);
    expect(meaningLabel('read_and_understood')).toBe('Read and understood');
    expect(meaningLabel('approved')).toBe('Approved');
  });

  it("takes a caller's meaning in the server's words or as a noun", () => {
    expect(normalizeMeaning('reviewed')).toBe('reviewed');
    expect(normalizeMeaning('review')).toBe('reviewed');
    expect(normalizeMeaning('Approval')).toBe('approved');
    expect(normalizeMeaning('read_and_understood')).toBeUndefined();
    expect(normalizeMeaning('nonsense')).toBeUndefined();
  });

  it('reads the record type and the bare key of a record key', () => {
    expect(recordTypeOf('SRS-12')).toBe('SRS');
    expect(recordTypeOf('RPM/SOUP-3')).toBe('SOUP');
    expect(recordTypeOf('release 1.2.0')).toBeUndefined();
    expect(bareKey('RPM/SRS-12')).toBe('SRS-12');
    expect(bareKey('SRS-12')).toBe('SRS-12');
  });

  it('offers the meanings of the steps the user holds a role for, in order', () => {
    const steps = DEFAULT_RECORD_WORKFLOW.steps;
    expect(meaningChoices(steps, ['reviewer'])).toEqual([{ meaning: 'reviewed', step: 0, steps: 2, by: 'reviewer or quality' }]);
    expect(meaningChoices(steps, ['approver', 'quality']).map((c) => c.meaning)).toEqual(['reviewed', 'approved']);
    expect(meaningChoices(steps, ['viewer', 'author'])).toEqual([]);
  });

  it("leaves a release's last step out: it is given by marking the release released", () => {
    const steps = DEFAULT_RELEASE_WORKFLOW.steps;
    expect(meaningChoices(steps, ['quality', 'approver'], { release: true }).map((c) => c.meaning)).toEqual(['approved']);
    expect(meaningChoices(steps, ['approver'], { release: true })).toEqual([]);
  });

  it('offers for a batch only the meanings every type allows', () => {
    const a = meaningChoices(DEFAULT_RECORD_WORKFLOW.steps, ['approver', 'quality']);
    const b = meaningChoices([{ meaning: 'approved', roles: ['approver'] }], ['approver']);
    expect(commonMeanings([a, b])).toEqual(['approved']);
    expect(commonMeanings([])).toEqual([]);
  });

  it('places refusals next to the field they name', () => {
    expect(refusalPlace('password')).toBe('password');
    expect(refusalPlace('username')).toBe('username');
    expect(refusalPlace('statement')).toBe('statement');
    expect(refusalPlace('records[0].revision')).toBe('dialog');
    expect(refusalPlace(undefined)).toBe('dialog');
    expect(asksForUsername('INVALID_INPUT', 'username')).toBe(true);
    expect(asksForUsername('UNAUTHENTICATED', 'username')).toBe(false);
  });

  it('remembers the sessions that have signed, per login', () => {
    const s = new SignedSessions();
    const k = SignedSessions.keyOf('riley', '2026-12-01T10:00:00Z');
    expect(s.has(k)).toBe(false);
    s.add(k);
    expect(s.has(k)).toBe(true);
    expect(s.has(SignedSessions.keyOf('riley', '2026-12-01T11:00:00Z'))).toBe(false);
  });
});
