import { createReadStream } from 'node:fs';
import { SaxesParser, type SaxesTagPlain } from 'saxes';
import { invalidInput } from '../core/errors.js';
import type { ParsedRunFacts, ParsedTestCase, TestOutcome } from '../core/evidence/test-results.js';

/** Longest failure message kept per test case (a stack trace is evidence enough in its first lines). */
const MAX_MESSAGE = 2000;

/** Elements inside `<testcase>` that decide its outcome, in the spellings of Surefire, pytest, GoogleTest, Jest … */
const FAILURE = new Set(['failure']);
const ERROR = new Set(['error']);
const SKIPPED = new Set(['skipped', 'skip']);
/** Surefire's rerun elements: flaky* means it passed on a rerun; rerun* accompany a final failure. */
const FLAKY = new Set(['flakyFailure', 'flakyError']);
const RERUN = new Set(['rerunFailure', 'rerunError']);

interface OpenCase {
  suites: string[];
  classname: string | null;
  name: string;
  file: string | null;
  time: string | undefined;
  failed: boolean;
  errored: boolean;
  skipped: boolean;
  flaky: boolean;
  message: string | null;
  collecting: boolean;
  properties: [string, string][];
  at: string;
}

/**
 * Streams the test cases of JUnit XML files in the dialects real tools write (Maven Surefire and Gradle, pytest,
 * Jest and Vitest reporters, GoogleTest, Playwright): `<testsuites>` or a single `<testsuite>` at the root,
 * suites nested in suites, `<properties>`, `<skipped>`, `<failure>`, `<error>`, Surefire's flaky and rerun
 * elements, GoogleTest's `status="notrun"`. The document is read in chunks (SAX) and never held whole.
 *
 * A DOCTYPE is refused outright: test results never need one, and refusing it means entity tricks (billion laughs,
 * external entities) are never expanded or fetched.
 * @throws AppError INVALID_INPUT naming `file:line:column` for malformed or non-JUnit XML
 */
export class JUnitReader {
  readonly facts: ParsedRunFacts = { startedAt: null, hostname: null, properties: {} };

  constructor(private readonly file: string) {}

  /** Test cases of the file, in document order. */
  async *cases(chunks: AsyncIterable<string | Buffer> = createReadStream(this.file, { encoding: 'utf8', highWaterMark: 256 * 1024 })): AsyncGenerator<ParsedTestCase> {
    const parser = new SaxesParser<{ position: true; xmlns: false }>({ position: true, xmlns: false });
    const out: ParsedTestCase[] = [];
    const stack: string[] = [];
    const suites: string[] = [];
    let current: OpenCase | null = null;
    let sawRoot = false;
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
    let failure: Error | null = null;
    parser.on('error', (e) => {
      failure ??= e;
    });
    parser.on('doctype', () => fail('a DOCTYPE is not allowed in test results (entities are never expanded)'));
    parser.on('opentag', (tag: SaxesTagPlain) => {
      const name = tag.name;
      const a = tag.attributes;
      if (stack.length === 0) {
        if (name !== 'testsuites' && name !== 'testsuite') fail(`not JUnit XML: the root element is <${name}>, expected <testsuites> or <testsuite>`);
        sawRoot = true;
      }
      stack.push(name);
      if (name === 'testsuite') {
        suites.push(a['name'] ?? '');
        const ts = a['timestamp'];
        if (ts !== undefined && (this.facts.startedAt === null || ts < this.facts.startedAt)) this.facts.startedAt = ts;
        if (a['hostname'] !== undefined) this.facts.hostname ??= a['hostname'];
      } else if (name === 'testcase') {
        if (current !== null) fail('a <testcase> inside another <testcase>');
        const caseName = a['name'];
        if (caseName === undefined || caseName === '') fail('a <testcase> without a name attribute');
        const status = a['status'];
        const result = a['result'];
        current = {
          suites: [...suites],
          classname: a['classname'] ?? a['class'] ?? null,
          name: caseName as string,
          file: a['file'] ?? null,
          time: a['time'],
          failed: false,
          errored: false,
          skipped: status === 'notrun' || status === 'skipped' || result === 'skipped' || result === 'suppressed',
          flaky: false,
          message: null,
          collecting: false,
          properties: [],
          at: where(),
        };
      } else if (current !== null) {
        const c: OpenCase = current;
        if (FAILURE.has(name) || ERROR.has(name) || SKIPPED.has(name) || FLAKY.has(name) || RERUN.has(name)) {
          if (FAILURE.has(name)) c.failed = true;
          if (ERROR.has(name)) c.errored = true;
          if (SKIPPED.has(name)) c.skipped = true;
          if (FLAKY.has(name)) c.flaky = true;
          // The final verdict's message wins over rerun messages.
          if (!FLAKY.has(name) && !RERUN.has(name)) {
            c.message = (a['message'] ?? '').slice(0, MAX_MESSAGE);
            c.collecting = true;
          } else if (c.message === null) {
            c.message = (a['message'] ?? '').slice(0, MAX_MESSAGE);
          }
        } else if (name === 'property') {
          const pn = a['name'];
          if (pn !== undefined) c.properties.push([pn, a['value'] ?? '']);
        }
      } else if (name === 'property' && stack.at(-3) === 'testsuite') {
        const pn = a['name'];
        if (pn !== undefined && Object.keys(this.facts.properties).length < 100) this.facts.properties[pn] = (a['value'] ?? '').slice(0, 1000);
      }
    });
    const onText = (t: string): void => {
      const c = current;
      if (c === null || !c.collecting || c.message === null || c.message.length >= MAX_MESSAGE) return;
      const body = t.trim();
      if (body === '') return;
      c.message = (c.message === '' ? body : `${c.message}\n${body}`).slice(0, MAX_MESSAGE);
    };
    parser.on('text', onText);
    parser.on('cdata', onText);
    parser.on('closetag', (tag) => {
      const name = tag.name;
      stack.pop();
      if (name === 'testsuite') suites.pop();
      else if (current !== null && name === 'testcase') {
        out.push(finish(current));
        current = null;
      } else if (current !== null && (FAILURE.has(name) || ERROR.has(name) || SKIPPED.has(name))) {
        current.collecting = false;
      }
    });

    const drain = function* (): Generator<ParsedTestCase> {
      while (out.length > 0) yield out.shift() as ParsedTestCase;
    };
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
    yield* drain();
  }
}

function finish(c: OpenCase): ParsedTestCase {
  const outcome: TestOutcome = c.failed ? 'failed' : c.errored ? 'error' : c.skipped ? 'skipped' : c.flaky ? 'flaky' : 'passed';
  const seconds = c.time === undefined ? NaN : Number(c.time.replace(/,/g, ''));
  return {
    suites: c.suites,
    classname: c.classname,
    name: c.name,
    file: c.file,
    outcome,
    durationMs: Number.isFinite(seconds) && seconds >= 0 ? Math.round(seconds * 1000) : null,
    message: outcome === 'passed' ? null : c.message === '' ? null : c.message,
    properties: c.properties,
    at: c.at,
  };
}
