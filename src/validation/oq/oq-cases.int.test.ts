import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DIALECTS, openTestStore, type TestStore } from '../../test-support/stores.js';
import { OQ_CASES } from './cases/index.js';
import { oqTestTitle } from './oq-case.js';
import { oqContext } from './run-oq.js';

// The shipped OQ cases are part of Dossier's own suite on both engines: what `dossier validate` runs on a
// customer's machine is what CI runs on every change.
describe.each(DIALECTS)('operational qualification on %s', (dialect) => {
  let t: TestStore;
  beforeEach(async () => {
    t = await openTestStore(dialect);
  });
  afterEach(async () => t.cleanup());

  for (const c of OQ_CASES) {
    it(oqTestTitle(c), async () => {
      await c.run(oqContext(t.store, dialect));
    });
  }
});

describe('the OQ case list', () => {
  it('has unique IDs in order, each naming at least one requirement', () => {
    expect(OQ_CASES.map((c) => c.id)).toEqual(OQ_CASES.map((_, i) => `OQ-${i + 1}`));
    for (const c of OQ_CASES) expect(c.verifies.length, c.id).toBeGreaterThan(0);
  });
});
