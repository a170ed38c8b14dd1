import { createReadStream } from 'node:fs';
import { SaxesParser, type SaxesTagPlain } from 'saxes';
import { invalidInput } from '../core/errors.js';
import { testKey, utcTime, type ParsedRunFacts, type ParsedTestCase, type TestOutcome } from '../core/evidence/test-results.js';

import { DEFAULT_MAX_TEXT } from './junit-limits.js';

/** Default cap on each text kept per test case (message, system-out, system-err, a property value): 64 KiB. */
export { DEFAULT_MAX_TEXT };
/** Longest name, class name or file name kept (a name is a key, not a log). */
const MAX_NAME = 2000;
/** Cases held back at most while waiting for retries of the same test in the same suite. */
const MAX_PENDING = 10_000;

/** Elements inside `<testcase>` that decide its outcome, in the spellings of Surefire, pytest, GoogleTest, Jest … */
const FAILURE = new Set(['failure']);
const ERROR = new Set(['error']);
const SKIPPED = new Set(['skipped', 'skip', 'ignored', 'disabled']);
/** Surefire's rerun elements: flaky* means it passed on a rerun; rerun* accompany a final failure. */
const FLAKY = new Set(['flakyFailure', 'flakyError']);
const RERUN = new Set(['rerunFailure', 'rerunError']);
/**
 * `status` / `result` attribute values that say the test did not run: GoogleTest (`notrun`, `suppressed`,
 * `skipped`), xUnit/NUnit-style converters (`skipped`, `ignored`, `disabled`, `inconclusive`), others (`pending`).
 */
const SKIP_MARKS = new Set(['notrun', 'not_run', 'not run', 'skipped', 'skip', 'suppressed', 'disabled', 'ignored', 'pending', 'inconclusive', 'notexecuted']);
const OUTPUT = new Set(['system-out', 'system-err']);

export interface JUnitReaderOptions {
  /** Cap on each text kept per test case, in bytes (UTF-8); longer texts keep their head and tail. */
  readonly maxText?: number;
}

/**
 * Text kept up to a cap: the head and the tail, with a `[… N bytes cut …]` marker between, so a 50 MB stack trace
 * or log costs at most the cap in the store and still shows where it started and how it ended.
 */
class CappedText {
  private head = '';
  private tail = '';
  private cutBytes = 0;
  private readonly half: number;

  constructor(max: number) {
    this.half = Math.max(1, Math.floor(max / 2));
  }

  add(s: string): void {
    if (this.head.length < this.half) {
      const room = this.half - this.head.length;
      this.head += s.slice(0, room);
      s = s.slice(room);
      if (s === '') return;
    }
    const joined = this.tail + s;
    if (joined.length <= this.half) {
      this.tail = joined;
      return;
    }
    const dropped = joined.slice(0, joined.length - this.half);
    this.cutBytes += Buffer.byteLength(dropped, 'utf8');
    this.tail = joined.slice(-this.half);
  }

  get empty(): boolean {
    return this.head === '' && this.tail === '';
  }

  text(): string {
    return this.cutBytes === 0 ? this.head + this.tail : `${this.head}\n[… ${this.cutBytes} bytes cut …]\n${this.tail}`;
  }
}

/** A value cut to `max` characters with a marker, for names and attributes kept whole otherwise. */
function capped(s: string, max: number): string {
  if (s.length <= max) return s;
  const t = new CappedText(max);
  t.add(s);
  return t.text();
}

interface OpenCase {
  suites: readonly string[];
  suiteFile: string | null;
  classname: string | null;
  name: string | null;
  file: string | null;
  line: number | null;
  time: string | undefined;
  failed: boolean;
  errored: boolean;
  skipped: boolean;
  flaky: boolean;
  message: CappedText | null;
  failureType: string | null;
  /** Which capped text the next text event goes to. */
  collecting: CappedText | null;
  systemOut: CappedText | null;
  systemErr: CappedText | null;
  properties: [string, string][];
  at: string;
}

/**
 * Streams the test cases of JUnit XML files in the dialects real tools write (Maven Surefire and Gradle, pytest,
 * Jest and Vitest reporters, mocha, go-junit-report and gotestsum, GoogleTest, Playwright, xUnit/NUnit converters):
 * `<testsuites>` or a single `<testsuite>` at the root, suites nested in suites, `<properties>`, `<skipped>`,
 * `<failure>`, `<error>`, Surefire's flaky and rerun elements, skip markers in `status`/`result`, `<system-out>`
 * and `<system-err>`. Retries written as repeated `<testcase>` elements of the same suite fold into one result. A
 * case without a name is named from its class name or file and kept. The document is read in chunks (SAX).
 *
 * Texts are capped per test case (`maxText`, head and tail kept). saxes hands over each attribute value and each
 * text node whole, so one huge value (a 50 MB attribute) is held in memory once while it is read, then cut: the
 * store stays small, memory peaks at a few times the largest single value.
 *
 * A DOCTYPE is refused outright: test results never need one, and refusing it means entity tricks (billion laughs,
 * external entities) are never expanded or fetched.
 * @throws AppError INVALID_INPUT naming `file:line:column` for malformed or non-JUnit XML
 */
export class JUnitReader {
  readonly facts: ParsedRunFacts = { startedAt: null, hostname: null, properties: {} };
  private readonly maxText: number;

  constructor(
    private readonly file: string,
    options: JUnitReaderOptions = {},
  ) {
    this.maxText = options.maxText ?? DEFAULT_MAX_TEXT;
  }

  /** Test cases of the file, in document order (a retried test where its first attempt was). */
  async *cases(chunks: AsyncIterable<string | Buffer> = createReadStream(this.file, { encoding: 'utf8', highWaterMark: 256 * 1024 })): AsyncGenerator<ParsedTestCase> {
    const parser = new SaxesParser<{ position: true; xmlns: false }>({ position: true, xmlns: false });
    const out: ParsedTestCase[] = [];
    /** Cases of the suite being read, by key, until the suite closes (a retry folds into its first attempt). */
    const pending = new Map<string, ParsedTestCase>();
    const flush = (): void => {
      out.push(...pending.values());
      pending.clear();
    };
    const stack: string[] = [];
    const suites: string[] = [];
    /** A copy of `suites` shared by the cases of a suite (they never change it): one array per suite, not per case. */
    let suitesNow: readonly string[] = [];
    const suiteFiles: (string | null)[] = [];
    const unnamed = new Map<string, number>();
    let current: OpenCase | null = null;
    let sawRoot = false;
    const maxText = this.maxText;
    const where = (): string => `${this.file}:${parser.line}:${parser.column + 1}`;
    const failAt = (line: number, column: number, message: string): never => {
      throw invalidInput(`${this.file}:${line}:${column}: ${message}`, { file: this.file, line, column });
    };
    const fail = (message: string): never => failAt(parser.line, parser.column + 1, message);
    /** saxes reports `line:column: message`; keep its position, which is where the problem is. */
    const failSax = (e: Error): never => {
      const m = /^(?:.*?:)?(\d+):(\d+): ([\s\S]*)$/.exec(e.message);
      return m === null ? fail(e.message) : failAt(Number(m[1]), Number(m[2]) + 1, m[3] ?? e.message);
    };
    const name = (v: string | undefined): string | null => (v === undefined || v.trim() === '' ? null : capped(v, MAX_NAME));
    let failure: Error | null = null;
    parser.on('error', (e) => {
      failure ??= e;
    });
    parser.on('doctype', () => fail('a DOCTYPE is not allowed in test results (entities are never expanded)'));
    parser.on('opentag', (tag: SaxesTagPlain) => {
      const tagName = tag.name;
      const a = tag.attributes;
      if (stack.length === 0) {
        if (tagName !== 'testsuites' && tagName !== 'testsuite') fail(`not JUnit XML: the root element is <${tagName}>, expected <testsuites> or <testsuite>`);
        sawRoot = true;
      }
      stack.push(tagName);
      if (tagName === 'testsuite') {
        suites.push(capped(a['name'] ?? '', MAX_NAME));
        suitesNow = [...suites];
        suiteFiles.push(name(a['file']) ?? suiteFiles.at(-1) ?? null);
        const ts = a['timestamp'] === undefined ? null : utcTime(a['timestamp']);
        if (ts !== null && (this.facts.startedAt === null || ts < this.facts.startedAt)) this.facts.startedAt = ts;
        if (a['hostname'] !== undefined && a['hostname'] !== '') this.facts.hostname ??= capped(a['hostname'], MAX_NAME);
      } else if (tagName === 'testcase') {
        if (current !== null) fail('a <testcase> inside another <testcase>');
        const mark = (v: string | undefined): boolean => v !== undefined && SKIP_MARKS.has(v.trim().toLowerCase());
        const line = Number(a['line'] ?? a['lineno']);
        current = {
          suites: suitesNow,
          suiteFile: suiteFiles.at(-1) ?? null,
          classname: name(a['classname'] ?? a['class']),
          name: name(a['name']),
          file: name(a['file']),
          line: Number.isInteger(line) && line > 0 ? line : null,
          time: a['time'],
          failed: false,
          errored: false,
          skipped: mark(a['status']) || mark(a['result']) || mark(a['outcome']) || (a['executed'] ?? '').toLowerCase() === 'false',
          flaky: false,
          message: null,
          failureType: null,
          collecting: null,
          systemOut: null,
          systemErr: null,
          properties: [],
          at: where(),
        };
      } else if (current !== null) {
        const c: OpenCase = current;
        if (FAILURE.has(tagName) || ERROR.has(tagName) || SKIPPED.has(tagName) || FLAKY.has(tagName) || RERUN.has(tagName)) {
          if (FAILURE.has(tagName)) c.failed = true;
          if (ERROR.has(tagName)) c.errored = true;
          if (SKIPPED.has(tagName)) c.skipped = true;
          if (FLAKY.has(tagName)) c.flaky = true;
          const fresh = (): CappedText => {
            const t = new CappedText(maxText);
            if ((a['message'] ?? '') !== '') t.add(a['message'] ?? '');
            return t;
          };
          // The final verdict's message wins over rerun messages.
          if (!FLAKY.has(tagName) && !RERUN.has(tagName)) {
            // With both a failure and an error, the error's message and type are kept (the case is an error).
            if (c.message === null || ERROR.has(tagName) || c.message.empty) {
              c.message = fresh();
              if (a['type'] !== undefined && a['type'] !== '') c.failureType = capped(a['type'], MAX_NAME);
            }
            c.collecting = c.message;
          } else if (c.message === null) {
            c.message = fresh();
            if (a['type'] !== undefined && a['type'] !== '') c.failureType = capped(a['type'], MAX_NAME);
          }
        } else if (OUTPUT.has(tagName)) {
          const t = new CappedText(maxText);
          if (tagName === 'system-out') c.systemOut = t;
          else c.systemErr = t;
          c.collecting = t;
        } else if (tagName === 'property') {
          const pn = a['name'];
          if (pn !== undefined && c.properties.length < 100) c.properties.push([capped(pn, MAX_NAME), capped(a['value'] ?? '', maxText)]);
        }
      } else if (tagName === 'property' && stack.at(-3) === 'testsuite') {
        const pn = a['name'];
        if (pn !== undefined && !(pn in this.facts.properties) && Object.keys(this.facts.properties).length < 100) this.facts.properties[capped(pn, MAX_NAME)] = capped(a['value'] ?? '', 1000);
      }
    });
    const onText = (t: string, trim: boolean): void => {
      const target = current?.collecting;
      if (target === undefined || target === null) return;
      const body = trim ? t.trim() : t;
      if (body === '') return;
      if (!target.empty && trim) target.add('\n');
      target.add(body);
    };
    parser.on('text', (t) => onText(t, current?.collecting !== current?.systemOut && current?.collecting !== current?.systemErr));
    parser.on('cdata', (t) => onText(t, current?.collecting !== current?.systemOut && current?.collecting !== current?.systemErr));
    parser.on('closetag', (tag) => {
      const tagName = tag.name;
      stack.pop();
      if (tagName === 'testsuite') {
        suites.pop();
        suitesNow = [...suites];
        suiteFiles.pop();
        flush();
      } else if (current !== null && tagName === 'testcase') {
        const c = finish(current, this.file, unnamed);
        const key = testKey(c);
        const first = pending.get(key);
        if (first === undefined) {
          if (pending.size >= MAX_PENDING) flush();
          pending.set(key, c);
        } else pending.set(key, fold(first, c));
        current = null;
      } else if (current !== null && (FAILURE.has(tagName) || ERROR.has(tagName) || SKIPPED.has(tagName) || OUTPUT.has(tagName))) {
        current.collecting = null;
      }
    });

    try {
      for await (const chunk of chunks) {
        parser.write(typeof chunk === 'string' ? chunk : chunk.toString('utf8'));
        if (failure !== null) failSax(failure);
        // Hand over what this chunk completed; splice keeps memory flat.
        yield* out.splice(0, out.length);
      }
      parser.close();
      if (failure !== null) failSax(failure);
    } catch (e) {
      if (e instanceof Error && 'code' in e && e.code === 'ENOENT') throw invalidInput(`${this.file}: no such file`, { file: this.file });
      if (e instanceof Error && !('code' in e) && e.name !== 'AppError') failSax(e);
      throw e;
    }
    if (!sawRoot) fail('not JUnit XML: the file has no root element');
    flush();
    yield* out.splice(0, out.length);
  }
}

function finish(c: OpenCase, report: string, unnamed: Map<string, number>): ParsedTestCase {
  // An error beside a failure is an error: the test could not finish, whatever it asserted before.
  const outcome: TestOutcome = c.errored ? 'error' : c.failed ? 'failed' : c.skipped ? 'skipped' : c.flaky ? 'flaky' : 'passed';
  const seconds = c.time === undefined ? NaN : Number(c.time.replace(/,/g, ''));
  let name = c.name;
  if (name === null) {
    // Some producers write an empty name (a setup failure, a whole file that failed to load): name it from where it is.
    const base = c.classname ?? c.file ?? c.suiteFile ?? (c.suites.at(-1) || '(unnamed test)');
    const n = (unnamed.get(base) ?? 0) + 1;
    unnamed.set(base, n);
    name = n === 1 ? base : `${base} (${n})`;
  }
  const message = c.message === null || c.message.empty ? null : c.message.text();
  return {
    suites: c.suites,
    classname: c.classname,
    name,
    file: c.file ?? c.suiteFile,
    outcome,
    durationMs: Number.isFinite(seconds) && seconds >= 0 ? Math.round(seconds * 1000) : null,
    message: outcome === 'passed' ? null : message,
    failureType: outcome === 'failed' || outcome === 'error' || outcome === 'flaky' ? c.failureType : null,
    line: c.line,
    systemOut: c.systemOut === null || c.systemOut.empty ? null : c.systemOut.text(),
    systemErr: c.systemErr === null || c.systemErr.empty ? null : c.systemErr.text(),
    properties: c.properties,
    at: c.at,
    attempts: 1,
    flaky: c.flaky,
    report,
  };
}

const FAILING: ReadonlySet<TestOutcome> = new Set(['failed', 'error']);

/**
 * Two attempts of the same test in one suite (a retry): the last attempt that ran decides; a pass after a failure
 * is flaky; the failure's message and output stay when the retry passed, so the flake can be looked into.
 */
function fold(first: ParsedTestCase, next: ParsedTestCase): ParsedTestCase {
  const ran = next.outcome !== 'skipped' ? next : first;
  const other = ran === next ? first : next;
  const mixed = (FAILING.has(first.outcome) || first.flaky) !== FAILING.has(next.outcome) && first.outcome !== 'skipped' && next.outcome !== 'skipped';
  const flaky = first.flaky || next.flaky || mixed;
  const outcome: TestOutcome = ran.outcome === 'passed' && flaky ? 'flaky' : ran.outcome;
  const failing = FAILING.has(ran.outcome) ? ran : FAILING.has(other.outcome) || other.flaky ? other : ran;
  return {
    ...first,
    outcome,
    durationMs: ran.durationMs,
    message: outcome === 'passed' ? null : failing.message,
    failureType: outcome === 'passed' ? null : failing.failureType,
    systemOut: ran.systemOut ?? other.systemOut,
    systemErr: ran.systemErr ?? other.systemErr,
    properties: first.properties.length > 0 ? first.properties : next.properties,
    attempts: first.attempts + next.attempts,
    flaky,
  };
}

/** Test cases of several JUnit files, one after the other; the readers keep each file's facts. */
export function readJUnitFiles(files: readonly string[], maxText: number): { cases: AsyncIterable<ParsedTestCase>; readers: JUnitReader[] } {
  const readers = files.map((f) => new JUnitReader(f, { maxText }));
  async function* cases(): AsyncGenerator<ParsedTestCase> {
    for (const r of readers) yield* r.cases();
  }
  return { cases: cases(), readers };
}

/** The facts of a run read from several files: the earliest start, the first host named, the suites' properties. */
export function runFacts(readers: readonly JUnitReader[]): ParsedRunFacts {
  return {
    startedAt: readers.map((r) => r.facts.startedAt).filter((t): t is string => t !== null).sort()[0] ?? null,
    hostname: readers.find((r) => r.facts.hostname !== null)?.facts.hostname ?? null,
    // Suite properties of all files; the first file to name one wins.
    properties: Object.assign({}, ...readers.map((r) => r.facts.properties).reverse()) as Record<string, string>,
  };
}
