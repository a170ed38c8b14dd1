/**
 * Reads the Part 11 table of `docs/part11.md` and the test names of the source tree, and says where they disagree:
 * a statement marked covered that no cited test names, a cited file that does not exist, a test naming an ID the
 * table does not list.
 */

/** A statement ID: `P11-05`, or a pair such as `P11-13/14`. */
const ID = /P11-\d\d(?:\/\d\d)?/g;

/** One row of the table. */
export interface Part11Row {
  readonly id: string;
  readonly clause: string;
  /** `covered`, `signatures`, `later`, `n/a`. */
  readonly status: string;
  /** Test files the row cites (backticked paths ending in `.test.ts`). */
  readonly files: readonly string[];
  /** 1-based line in the document. */
  readonly line: number;
}

/** One test (or suite) name in a source file. */
export interface TestName {
  readonly name: string;
  /** `skip` or `todo` tests prove nothing. */
  readonly skipped: boolean;
}

const STATUSES = new Set(['covered', 'signatures', 'later', 'n/a']);

/**
 * The rows of the table: every line that starts with `| P11-`. The cells are ID, clause, status, how, proved by.
 * @throws Error naming the line of a row whose status is unknown or whose first cell holds no ID
 */
export function parsePart11Table(markdown: string): Part11Row[] {
  const rows: Part11Row[] = [];
  markdown.split('\n').forEach((text, i) => {
    if (!text.startsWith('| P11-')) return;
    const cells = text.split('|').slice(1, -1).map((c) => c.trim());
    const id = cells[0]?.match(ID)?.[0];
    const status = cells[2] ?? '';
    if (id === undefined || cells.length !== 5) throw new Error(`docs/part11.md line ${i + 1}: a row needs 5 cells and an ID first`);
    if (!STATUSES.has(status)) throw new Error(`docs/part11.md line ${i + 1}: unknown status '${status}'`);
    const files = [...(cells[4] ?? '').matchAll(/`([^`]+\.test\.ts)`/g)].map((m) => m[1] ?? '');
    rows.push({ id, clause: cells[1] ?? '', status, files, line: i + 1 });
  });
  return rows;
}

/**
 * The names given to `it`, `test` and `describe` in a test file's source (`.each(…)`, `.skip` and the like
 * included), as written: the first argument when it is a string literal.
 */
export function parseTestNames(source: string): TestName[] {
  // it | test | describe, then modifiers (`.skip`, `.each(…)`), then `(` and a quoted first argument.
  const modifiers = String.raw`((?:\.(?:only|skip|todo|concurrent|sequential|fails)|\.each\([^]*?\))*)`;
  const call = new RegExp(String.raw`\b(?:it|test|describe)` + modifiers + String.raw`\(\s*(['"\x60])((?:\\.|(?!\2)[^\\])*)\2`, 'g');
  return [...source.matchAll(call)].map((m) => ({
    name: (m[3] ?? '').replace(/\\(.)/g, '$1'),
    skipped: /\.(?:skip|todo)\b/.test(m[1] ?? ''),
  }));
}

/** The statement IDs a test name cites. */
export function idsIn(name: string): string[] {
  return name.match(ID) ?? [];
}

/**
 * What disagrees between the table and the tests, one sentence per problem (empty when they agree).
 * @param tests - test names per file path (relative to the repository, as the table cites them)
 */
export function coverageProblems(rows: readonly Part11Row[], tests: ReadonlyMap<string, readonly TestName[]>): string[] {
  const problems: string[] = [];
  const listed = new Set(rows.map((r) => r.id));
  for (const row of rows) {
    if (row.status !== 'covered') continue;
    if (row.files.length === 0) problems.push(`${row.id} (line ${row.line}) is marked covered but cites no test file`);
    for (const file of row.files) {
      const names = tests.get(file);
      if (names === undefined) problems.push(`${row.id} (line ${row.line}) cites ${file}, which is not a test file of the tree`);
      else if (!names.some((t) => !t.skipped && idsIn(t.name).includes(row.id))) {
        problems.push(`${row.id} (line ${row.line}): no test in ${file} names it`);
      }
    }
  }
  for (const [file, names] of tests) {
    for (const t of names) {
      for (const id of idsIn(t.name)) {
        if (!listed.has(id)) problems.push(`${file}: test '${t.name}' names ${id}, which docs/part11.md does not list`);
      }
    }
  }
  return problems;
}
