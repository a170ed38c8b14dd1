import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { anchorText, parseAuditAnchor } from './audit-anchor.js';
import { isAppError } from './errors.js';

const HASH = '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08';

describe('audit anchors', () => {
  it('reads SEQ:HASH as audit anchor prints it, and prints it back', () => {
    expect(parseAuditAnchor(` 12:${HASH.toUpperCase()} `)).toEqual({ seq: 12, hash: HASH, label: `anchor 12:${HASH.slice(0, 12)}…` });
    fc.assert(
      fc.property(fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }), fc.stringMatching(/^[0-9a-f]{64}$/), (seq, hash) => {
        expect(parseAuditAnchor(anchorText({ seq, hash }))).toMatchObject({ seq, hash });
      }),
    );
  });

  it('refuses anything else with one line naming the option and the value, never another error', () => {
    for (const bad of ['', '12', `0:${HASH}`, `-1:${HASH}`, `12:${HASH.slice(1)}`, `12:${HASH}0`, `12 ${HASH}`, `1.5:${HASH}`, `9999999999999999:${HASH}`, `12\n:${HASH}`]) {
      expect(() => parseAuditAnchor(bad, '--anchor'), bad).toThrow(/^--anchor ".*": (expected SEQ:HASH|the event number is too large)/);
    }
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => {
        try {
          const a = parseAuditAnchor(text, '--anchor');
          expect(anchorText(a)).toBe(text.trim().toLowerCase());
        } catch (e) {
          expect(isAppError(e, 'INVALID_INPUT')).toBe(true);
          expect((e as Error).message).not.toContain('\n');
        }
      }),
    );
  });
});
