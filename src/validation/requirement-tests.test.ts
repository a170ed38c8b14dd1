import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tagProblems, type TaggedTest } from '../core/validation/requirement-tags.js';
import { parseTestNames } from '../test-support/part11-coverage.js';
import { PACKAGE_ROOT, readDesignFolder } from './design-folder.js';
import { OQ_CASES } from './oq/cases/index.js';
import { oqTestTitle } from './oq/oq-case.js';

/** Every `*.test.ts` below a folder, by path from the repository root. */
function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' ? [] : testFiles(path);
    return e.name.endsWith('.test.ts') ? [relative(PACKAGE_ROOT, path).split('\\').join('/')] : [];
  });
}

// The static half of the requirement-to-test check (the JUnit half runs after the suite, see
// `src/validation/suite-evidence.ts`): the titles in the sources, and the shipped OQ cases, against the design file.
describe('Dossier design file and the tests that name its requirements [DOSSIER-SRS-57]', () => {
  it('every requirement is named by a test that runs, and every tag names a requirement or control of the design file', () => {
    const design = readDesignFolder();
    const tests: TaggedTest[] = [
      ...[...testFiles(join(PACKAGE_ROOT, 'src')), ...testFiles(join(PACKAGE_ROOT, 'web'))].flatMap((file) =>
        parseTestNames(readFileSync(join(PACKAGE_ROOT, file), 'utf8')).map((t) => ({ where: file, title: t.name, skipped: t.skipped })),
      ),
      ...OQ_CASES.map((c) => ({ where: `src/validation/oq (${c.id})`, title: oqTestTitle(c), skipped: false })),
    ];
    expect(tagProblems(design, tests)).toEqual([]);
  });
});
