import { describe, expect, it } from 'vitest';
import { COMPLAINT_PROCESS, missingAlways, NONCONFORMANCE_PROCESS } from './processes.js';

describe('what every revision of a process needs', () => {
  it('a reportability decision either way needs its rationale', () => {
    expect(missingAlways(COMPLAINT_PROCESS, { fdaReportability: 'not_reportable' })).toEqual([
      'reportabilityRationale (why the event is or is not reportable) with its reportability decision',
    ]);
    expect(missingAlways(COMPLAINT_PROCESS, { euReportability: 'serious_incident', reportabilityRationale: 'a delayed alarm' })).toEqual([]);
    expect(missingAlways(COMPLAINT_PROCESS, { state: 'triage' })).toEqual([]);
  });

  it('a disposition needs its justification and no CAPA needs its reason [DOSSIER-SRS-41]', () => {
    expect(missingAlways(NONCONFORMANCE_PROCESS, { disposition: 'use_as_is', capaNeeded: false })).toEqual([
      'dispositionJustification (why that disposition) with its disposition',
      'noCapaReason (why no CAPA is needed) when capaNeeded is false',
    ]);
    expect(missingAlways(NONCONFORMANCE_PROCESS, { disposition: 'rework', dispositionJustification: 'j', capaNeeded: true })).toEqual([]);
  });
});
