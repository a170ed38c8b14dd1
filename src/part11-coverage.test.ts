import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { coverageProblems, idsIn, parsePart11Table, parseTestNames, type TestName } from './test-support/part11-coverage.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Every `*.test.ts` under `src`, by path from the repository root. */
function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return testFiles(path);
    return e.name.endsWith('.test.ts') ? [relative(ROOT, path).split('\\').join('/')] : [];
  });
}

const SAMPLE_DOC = [
  '| ID | Clause | Status | How | Proved by |',
  '|---|---|---|---|---|',
  '| P11-04 | 11.10(d) | covered | logins only | `src/a.int.test.ts`, `src/b.test.ts` |',
  '| P11-13/14 | 11.50 | signatures | (signatures: filled in by the signatures work) | |',
  '| P11-25 | 11.300(d) | covered | lockout | `src/a.int.test.ts` |',
].join('\n');

const SAMPLE_TESTS = `
describe.each(DIALECTS)('identity on %s', (dialect) => {
  it('P11-04: refuses anonymous callers', async () => {});
  it.each(CALLERS.map((c) => [c.label, c] as const))('P11-04 P11-25: as %s: allowed exactly when granted', async () => {});
  it.\u0073kip("P11-25: skipped proves nothing", () => {});
  test(\`P11-13/14: shows the printed name\`, () => {});
  it('mentions no statement, but the word it\\'s', () => {});
});
`;

describe('the Part 11 table and the tests that cite it', () => {
  it('parses the table: ID, clause, status and the cited test files of each row', () => {
    expect(parsePart11Table(SAMPLE_DOC)).toEqual([
      { id: 'P11-04', clause: '11.10(d)', status: 'covered', files: ['src/a.int.test.ts', 'src/b.test.ts'], line: 3 },
      { id: 'P11-13/14', clause: '11.50', status: 'signatures', files: [], line: 4 },
      { id: 'P11-25', clause: '11.300(d)', status: 'covered', files: ['src/a.int.test.ts'], line: 5 },
    ]);
    expect(() => parsePart11Table('| P11-04 | 11.10(d) | maybe | x | |')).toThrow(/line 1: unknown status 'maybe'/);
    expect(() => parsePart11Table('| P11-04 | 11.10(d) | covered |')).toThrow(/line 1: a row needs 5 cells/);
  });

  it('parses test names of it, test, describe, .each and .skip, in any quotes', () => {
    expect(parseTestNames(SAMPLE_TESTS)).toEqual<TestName[]>([
      { name: 'identity on %s', skipped: false },
      { name: 'P11-04: refuses anonymous callers', skipped: false },
      { name: 'P11-04 P11-25: as %s: allowed exactly when granted', skipped: false },
      { name: 'P11-25: skipped proves nothing', skipped: true },
      { name: 'P11-13/14: shows the printed name', skipped: false },
      { name: "mentions no statement, but the word it's", skipped: false },
    ]);
    expect(idsIn('P11-04 P11-25: x; see P11-13/14')).toEqual(['P11-04', 'P11-25', 'P11-13/14']);
  });

  it('fails for a covered row without a test naming it, a cited file that is missing, and a test naming an unlisted ID', () => {
    const rows = parsePart11Table(SAMPLE_DOC);
    const names = parseTestNames(SAMPLE_TESTS);
    expect(coverageProblems(rows, new Map([['src/a.int.test.ts', names], ['src/b.test.ts', names]]))).toEqual([]);
    // Only a skipped test names P11-25 in b: not covered there.
    const onlySkipped = names.filter((t) => !t.name.includes('allowed exactly'));
    expect(coverageProblems(rows, new Map([['src/a.int.test.ts', onlySkipped], ['src/b.test.ts', names]]))).toEqual([
      'P11-25 (line 5): no test in src/a.int.test.ts names it',
    ]);
    expect(coverageProblems(rows, new Map([['src/a.int.test.ts', names]]))).toEqual([
      'P11-04 (line 3) cites src/b.test.ts, which is not a test file of the tree',
    ]);
    const unlisted = [...names, { name: 'P11-99: made up', skipped: false }];
    expect(coverageProblems(rows, new Map([['src/a.int.test.ts', unlisted], ['src/b.test.ts', names]]))).toEqual([
      "src/a.int.test.ts: test 'P11-99: made up' names P11-99, which docs/part11.md does not list",
    ]);
  });

  it('docs/part11.md and the tests under src agree', () => {
    const rows = parsePart11Table(readFileSync(join(ROOT, 'docs', 'part11.md'), 'utf8'));
    const tests = new Map(testFiles(join(ROOT, 'src')).map((f) => [f, parseTestNames(readFileSync(join(ROOT, f), 'utf8'))]));
    expect(coverageProblems(rows, tests)).toEqual([]);
    // Every statement of the digest has a row, and what this work owns is covered.
    const ids = new Set(rows.map((r) => r.id));
    const digest = ['01', '02', '03', '04', '05', '06', '07', '08', '09', '10', '11', '13/14', '15', '16', '19', '20', '23', '24', '25'];
    for (const id of digest) expect(ids.has(`P11-${id}`), `P11-${id}`).toBe(true);
    const covered = rows.filter((r) => r.status === 'covered').map((r) => r.id.slice(4));
    expect(covered).toEqual(['01', '02', '03', '04', '05', '06', '07', '08', '09', '10', '11', '13/14', '15', '16', '19', '20', '23', '24', '25']);
  });
});
