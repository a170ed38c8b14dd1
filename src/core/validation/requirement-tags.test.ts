import { describe, expect, it } from 'vitest';
import type { DesignFile } from './design.js';
import { requirementTags, resultProblems, tagProblems, tallyResults } from './requirement-tags.js';

const rec = (key: string, type = key.slice(0, key.indexOf('-'))) => ({ key, type, title: `${key} title`, body: '', fields: {}, where: `${type}/${key}.md` });
const DESIGN: DesignFile = { records: [rec('SRS-1'), rec('SRS-2'), rec('RC-1'), rec('UN-1')], links: [] };

describe('requirement tags in test titles [DOSSIER-SRS-57]', () => {
  it('reads [DOSSIER-KEY] tags, once each, and nothing else', () => {
    expect(requirementTags('refuses a stale edit [DOSSIER-SRS-8] [DOSSIER-SRS-2] [DOSSIER-SRS-8]')).toEqual(['SRS-8', 'SRS-2']);
    expect(requirementTags('maps [TC-5] and [SRS-3] and DOSSIER-SRS-4 and [DOSSIER-SRS-0]')).toEqual([]);
  });

  it('fails for a requirement no running test names, and for tags naming unknown or unverifiable records', () => {
    const ok = [{ where: 'a.test.ts', title: 'x [DOSSIER-SRS-1] [DOSSIER-SRS-2] [DOSSIER-RC-1]', skipped: false }];
    expect(tagProblems(DESIGN, ok)).toEqual([]);
    expect(tagProblems(DESIGN, [{ where: 'a.test.ts', title: 'x [DOSSIER-SRS-1]', skipped: false }, { where: 'b.test.ts', title: 'y [DOSSIER-SRS-2]', skipped: true }])).toEqual([
      "SRS-2 (SRS/SRS-2.md) 'SRS-2 title': no test names it",
    ]);
    expect(tagProblems(DESIGN, [...ok, { where: 'c.test.ts', title: 'z [DOSSIER-SRS-99] [DOSSIER-UN-1]', skipped: false }])).toEqual([
      "c.test.ts: test 'z [DOSSIER-SRS-99] [DOSSIER-UN-1]' names DOSSIER-SRS-99, which the design file does not hold",
      "c.test.ts: test 'z [DOSSIER-SRS-99] [DOSSIER-UN-1]' names DOSSIER-UN-1, a UN record, which a test cannot verify",
    ]);
  });

  it('tallies results per requirement: no passing test, or a failing one, is a problem; skipped counts for neither', () => {
    const tallies = tallyResults(DESIGN, [
      { title: 'a [DOSSIER-SRS-1]', outcome: 'passed' },
      { title: 'b [DOSSIER-SRS-1] [DOSSIER-SRS-2]', outcome: 'skipped' },
      { title: 'c [DOSSIER-SRS-2]', outcome: 'failed' },
    ]);
    expect(tallies).toEqual([
      { key: 'SRS-1', tests: 2, passed: 1, failed: 0 },
      { key: 'SRS-2', tests: 2, passed: 0, failed: 1 },
    ]);
    expect(resultProblems(tallies)).toEqual(['SRS-2: no passing test (2 named it)']);
    expect(resultProblems(tallyResults(DESIGN, [{ title: 'a [DOSSIER-SRS-1] [DOSSIER-SRS-2]', outcome: 'passed' }, { title: 'b [DOSSIER-SRS-1]', outcome: 'error' }]))).toEqual([
      'SRS-1: 1 of 2 tests failed',
    ]);
  });
});
