import { describe, expect, it } from 'vitest';
import { READINESS_STATUSES } from '../../../../src/core/qms/readiness.js';
import { TONE } from './processes';
import { readinessColor, readinessLabel } from './readiness';

describe('readiness statuses as shown', () => {
  it("words and colours every status the server has", () => {
    for (const s of READINESS_STATUSES) {
      expect(readinessLabel(s)).not.toContain('_');
      expect(readinessColor(s)).toMatch(/^#[0-9a-f]{6}$/);
    }
    expect(readinessLabel('draft_only')).toBe('draft only');
    expect(readinessColor('met')).toBe(TONE.good);
    expect(readinessColor('missing')).not.toBe(readinessColor('met'));
  });
});
