import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { revisionContent } from './entities.js';
import { canonicalJson } from './hashing.js';
import { revisionHashInput } from './revision-hash.js';

describe('revisionHashInput', () => {
  it('is exactly the RFC 8785 canonical JSON of the revision content', () => {
    fc.assert(
      fc.property(
        fc.string(),
        fc.string(),
        fc.dictionary(fc.string(), fc.jsonValue()),
        fc.integer({ min: 1, max: 1e6 }),
        fc.integer({ min: 1, max: 1e6 }),
        (title, body, fields, number, revision) => {
          const rev = { revision, title, body, fields };
          expect(revisionHashInput('RPM', 'SRS', number, rev, canonicalJson(fields))).toBe(
            canonicalJson(revisionContent('RPM', 'SRS', number, rev)),
          );
        },
      ),
      { numRuns: 300 },
    );
  });
});
