import { z } from 'zod';
import { EvidenceImportWriter } from '../../core/evidence/import-writer.js';
import { ContentHashSchema, EvidenceImportSchema } from '../../core/evidence/model.js';
import { bracketedIds, RecordIndex, UnresolvedRefSchema, type UnresolvedRef } from '../../core/evidence/record-index.js';
import { TEST_OUTCOMES, TestOutcomeSchema, testKey, testMatchKeys, utcTime, type ParsedRunFacts, type ParsedTestCase, type TestOutcome } from '../../core/evidence/test-results.js';
import { conflict, invalidInput } from '../../core/errors.js';
import { ProductKeySchema } from '../../core/entities.js';
import { defineUseCase } from '../use-case.js';
import { relabelRun } from '../../core/evidence/test-run-labels.js';
import { testResultData, testResultDataJson } from '../../core/evidence/test-result-data.js';
import { getProduct } from '../../core/lookups.js';
import type { Deps } from '../../core/ports.js';
import { describeZodError, isStorableText, NOT_STORABLE, parseInput, storableText } from '../../core/validation.js';

const Text = (max: number): z.ZodString => storableText().trim().min(1).max(max);
/** A date and time, stored as ISO-8601 UTC; one without a zone is taken as UTC (see `utcTime`). */
const IsoTime = z
  .string()
  .refine((s) => utcTime(s) !== null, 'expected a date and time like 2026-11-20T09:14:03Z')
  .transform((s) => utcTime(s) ?? s);

/** What the person or CI job states about the run; times and host default to what the files say. */
export const TestRunMetaSchema = z.strictObject({
  /** The product version or build under test, e.g. `1.2.0`; a release picks up the runs of its version. */
  version: Text(100).optional(),
  build: Text(200).optional(),
  commit: z.string().regex(/^[0-9a-f]{7,64}$/i, 'expected a git commit SHA (7 to 64 hex digits)').optional(),
  environment: Text(300).optional(),
  startedAt: IsoTime.optional(),
  finishedAt: IsoTime.optional(),
  /** Who or what ran it: a CI job URL, a tester's name. */
  runner: Text(300).optional(),
});
export type TestRunMeta = z.infer<typeof TestRunMetaSchema>;

/** Property names that name the records a test result verifies (pytest `record_property`, Playwright annotations …). */
const REF_PROPERTIES = new Set(['verifies', 'requirement', 'requirements', 'test_case', 'testcase', 'test_id', 'tc', 'dossier']);

export interface IngestTestRunInput {
  readonly productKey: string;
  /** The file name(s), as given. */
  readonly source: string;
  /**
   * SHA-256 of the files' bytes, in any order: the same files again are recognised and not imported twice (with a
   * version the run had none of, they attach the run to it; with another version they are refused).
   */
  readonly contentHash: string;
  readonly meta: z.input<typeof TestRunMetaSchema>;
  readonly cases: AsyncIterable<ParsedTestCase> | Iterable<ParsedTestCase>;
  /** Facts the files state (read after the cases are consumed). */
  readonly facts?: () => ParsedRunFacts;
  /** A mapping file's entries: a test's name, class, file or `class::name` → record IDs. */
  readonly mapping?: Readonly<Record<string, readonly string[]>>;
}

/** What a test run import did. */
export const TestRunSummarySchema = z.object({
  run: EvidenceImportSchema,
  /** True when these exact files were imported before; no result was written. */
  duplicate: z.boolean(),
  /** True when they were imported before without a version and now got one (EVIDENCE_RELABELLED). */
  relabelled: z.boolean(),
  totals: z.record(TestOutcomeSchema, z.number().int()),
  mapped: z.number().int(),
  unmapped: z.number().int(),
  /** The first unmapped tests by name (all of them are stored, with no record reference). */
  unmappedSample: z.array(z.string()),
  unresolved: z.array(UnresolvedRefSchema),
});
export type TestRunSummary = z.infer<typeof TestRunSummarySchema>;

/**
 * Records a test run (IEC 62304 5.5.5, 5.6.7, 5.7.5: result, tester, date, configuration) from parsed JUnit
 * results, streamed into one transaction. Each result is matched to the records it concerns: IDs in brackets in
 * the test name, `verifies`-style properties, the mapping file, and test cases' `automationId`. Unmapped results
 * are kept and listed, never dropped.
 * @throws AppError INVALID_INPUT for bad run facts or a malformed file (nothing is written); NOT_FOUND for the product;
 *   CONFLICT for files imported before as a run of another version, or a void run
 */
export async function ingestTestRun(deps: Deps, input: IngestTestRunInput): Promise<TestRunSummary> {
  const meta = parseInput(TestRunMetaSchema, input.meta, 'test run');
  return deps.store.write(async (w) => {
    const product = await getProduct(w, input.productKey);
    const totals: Record<TestOutcome, number> = Object.fromEntries(TEST_OUTCOMES.map((o) => [o, 0])) as Record<TestOutcome, number>;
    const known = await w.findEvidenceImport(product.id, 'test_run', input.contentHash);
    if (known !== undefined) {
      const knownTotals = (known.meta['totals'] as Record<TestOutcome, number> | undefined) ?? totals;
      const same = { duplicate: true, totals: knownTotals, mapped: 0, unmapped: 0, unmappedSample: [], unresolved: [] };
      if (meta.version === undefined || meta.version === known.version) return { run: known, relabelled: false, ...same };
      if (known.voidedAt !== null) {
        throw conflict(`these files are test run ${known.id} of ${product.key}, voided on ${known.voidedAt}: ${known.voidReason ?? ''}`, { item: String(known.id) });
      }
      if (known.version !== null) {
        throw conflict(
          `these files are test run ${known.id} of ${product.key}, labelled ${known.version}; to move it to ${meta.version}: dossier evidence relabel ${known.id} --version ${meta.version} --reason "…"`,
          { item: String(known.id) },
        );
      }
      // Imported before without a version: the same files with one attach the run to it (audit-trailed).
      const run = await relabelRun(w, deps, product, known, meta.version, `imported again with version ${meta.version}`);
      return { run, relabelled: true, ...same };
    }
    const index = await RecordIndex.load(w, product, deps.catalog);
    const writer = await EvidenceImportWriter.open(w, product);
    const unresolved: UnresolvedRef[] = [];
    const unmappedSample: string[] = [];
    let mapped = 0;
    const mapping = input.mapping;
    for await (const c of input.cases) {
      const key = testKey(c);
      // The names to match by are needed only when there is a mapping file or a test case with an automation ID.
      const matchKeys = mapping !== undefined || index.hasAutomation ? testMatchKeys(c) : [];
      const ids = c.name.includes('[') ? bracketedIds(c.name) : [];
      for (const [n, v] of c.properties) {
        if (REF_PROPERTIES.has(n.toLowerCase())) for (const x of v.split(/[\s,;]+/)) if (x !== '') ids.push(x);
      }
      // Own entries only: a test named `constructor` must not pick up what every object inherits.
      if (mapping !== undefined) for (const k of matchKeys) if (Object.hasOwn(mapping, k)) for (const x of mapping[k] ?? []) ids.push(x);
      const refs = ids.length === 0 ? [] : index.testRefs(ids, `test ${key} (${c.at})`, unresolved);
      for (const r of index.automated(matchKeys)) {
        if (!refs.some((o) => o.recordId === r.id && o.role === 'result_of')) refs.push({ recordId: r.id, role: 'result_of' });
      }
      totals[c.outcome]++;
      if (refs.length > 0) mapped++;
      else if (unmappedSample.length < 20) unmappedSample.push(key);
      const data = testResultData(c);
      await writer.add({ kind: 'test_result', key, outcome: c.outcome, data, dataJson: testResultDataJson(data), refs });
    }
    const facts = input.facts?.();
    const run = await writer.finish(
      deps,
      deps.clock.now(),
      {
        kind: 'test_run',
        source: input.source,
        contentHash: input.contentHash,
        meta: {
          ...meta,
          ...(meta.startedAt === undefined && facts?.startedAt != null ? { startedAt: facts.startedAt } : {}),
          ...(facts?.hostname != null ? { host: facts.hostname } : {}),
          ...(facts !== undefined && Object.keys(facts.properties).length > 0 ? { properties: facts.properties } : {}),
          runner: meta.runner ?? deps.actor.id,
          totals,
          mapped,
          unmapped: writer.count - mapped,
          unresolved: unresolved.length,
        },
      },
      null,
    );
    return { run, duplicate: false, relabelled: false, totals, mapped, unmapped: run.itemCount - mapped, unmappedSample, unresolved };
  });
}

const Str = storableText();

/** The text fields of a test case, checked for storability in one pass (see `ParsedTestCaseSchema`). */
const CASE_TEXT = ['classname', 'name', 'file', 'message', 'failureType', 'systemOut', 'systemErr', 'report', 'at'] as const;

/**
 * One parsed test case, as the JUnit reader gives it (see `ParsedTestCase`). Its text is checked for storability by
 * one refinement per case rather than one per field; `isParsedTestCase` is the same check for the import's loop.
 */
export const ParsedTestCaseSchema = z
  .object({
    suites: z.array(z.string()),
    classname: z.string().nullable(),
    name: z.string(),
    file: z.string().nullable(),
    outcome: TestOutcomeSchema,
    durationMs: z.number().nullable(),
    message: z.string().nullable(),
    failureType: z.string().nullable(),
    line: z.number().int().nullable(),
    systemOut: z.string().nullable(),
    systemErr: z.string().nullable(),
    attempts: z.number().int().positive(),
    flaky: z.boolean(),
    report: z.string(),
    properties: z.array(z.tuple([z.string(), z.string()])),
    at: z.string(),
  })
  .superRefine((c, ctx) => {
    const bad = (path: (string | number)[]): void => ctx.addIssue({ code: 'custom', path, message: NOT_STORABLE });
    for (const k of CASE_TEXT) {
      const v = c[k];
      if (v !== null && !isStorableText(v)) bad([k]);
    }
    c.suites.forEach((s, i) => isStorableText(s) || bad(['suites', i]));
    c.properties.forEach(([n, v], i) => (isStorableText(n) && isStorableText(v)) || bad(['properties', i]));
  });

/** Facts the files state about the whole run (see `ParsedRunFacts`). */
export const ParsedRunFactsSchema = z.object({
  startedAt: z.string().nullable(),
  hostname: Str.nullable(),
  properties: z.record(z.string(), Str),
});

const isCases = (v: unknown): boolean =>
  Array.isArray(v) || (typeof v === 'object' && v !== null && typeof (v as Partial<AsyncIterable<unknown>>)[Symbol.asyncIterator] === 'function');

const text = (v: unknown): v is string => typeof v === 'string' && isStorableText(v);
const textOrNull = (v: unknown): boolean => v === null || text(v);
const intOrNull = (v: unknown): boolean => v === null || Number.isSafeInteger(v);
const OUTCOMES: ReadonlySet<unknown> = new Set(TEST_OUTCOMES);

/**
 * Exactly what `ParsedTestCaseSchema` accepts, written out for the import's hot loop: a run of a million cases
 * spends a third of its CPU time in a general-purpose object parse, and this check costs a small part of that.
 * A property test holds the two to the same answer; the schema still words the error.
 */
export function isParsedTestCase(c: unknown): c is ParsedTestCase {
  if (typeof c !== 'object' || c === null) return false;
  const o = c as Record<string, unknown>;
  const { suites, properties, durationMs, attempts } = o;
  return (
    Array.isArray(suites) &&
    suites.every(text) &&
    textOrNull(o['classname']) &&
    text(o['name']) &&
    textOrNull(o['file']) &&
    OUTCOMES.has(o['outcome']) &&
    (durationMs === null || (typeof durationMs === 'number' && Number.isFinite(durationMs))) &&
    textOrNull(o['message']) &&
    textOrNull(o['failureType']) &&
    intOrNull(o['line']) &&
    textOrNull(o['systemOut']) &&
    textOrNull(o['systemErr']) &&
    Number.isSafeInteger(attempts) &&
    (attempts as number) > 0 &&
    typeof o['flaky'] === 'boolean' &&
    text(o['report']) &&
    Array.isArray(properties) &&
    properties.every((p) => Array.isArray(p) && p.length === 2 && text(p[0]) && text(p[1])) &&
    text(o['at'])
  );
}

/**
 * Each case checked against `ParsedTestCaseSchema` as the import reads it: a run of 100,000 cases is streamed, never
 * held whole, so the check happens item by item (linear, one check per case) inside the import's transaction; a bad
 * case fails the import naming the case and its field, and nothing is written.
 */
async function* checkedCases(cases: AsyncIterable<unknown> | Iterable<unknown>): AsyncGenerator<ParsedTestCase> {
  let n = 0;
  for await (const c of cases) {
    n++;
    if (isParsedTestCase(c)) {
      yield c;
      continue;
    }
    const r = ParsedTestCaseSchema.safeParse(c);
    if (r.success) {
      yield r.data;
      continue;
    }
    const at = typeof (c as { at?: unknown } | null)?.at === 'string' ? ` (${(c as { at: string }).at})` : '';
    const d = describeZodError(r.error, `cases[${n - 1}]`);
    throw invalidInput(`invalid test run: case ${n}${at}: ${d.message}`, { field: d.field });
  }
}

/** The import's input: the files' parsed content (the CLI and the API's upload both parse with `src/ingest/junit`). */
export const IngestTestRunInputSchema = z.strictObject({
  productKey: ProductKeySchema,
  /** The file name(s), as given. */
  source: Str.min(1),
  /** SHA-256 (hex) of the files' bytes. */
  contentHash: ContentHashSchema,
  meta: TestRunMetaSchema,
  /** The parsed test cases: an array, or a stream (async iterable) read once; each is checked as it is read. */
  cases: z
    .custom<readonly ParsedTestCase[] | AsyncIterable<ParsedTestCase>>(isCases, 'expected the test cases: an array, or a stream of parsed cases')
    .transform(checkedCases),
  /** The run's facts, asked for once the cases are read (a stream states them as it goes). */
  facts: z
    .custom<() => ParsedRunFacts>((v) => typeof v === 'function', 'expected a function giving the run facts')
    .transform((f) => (): ParsedRunFacts => parseInput(ParsedRunFactsSchema, f(), 'test run facts'))
    .optional(),
  /** A mapping file's entries: a test's name, class, file or `class::name` → record IDs. */
  mapping: z.record(z.string(), z.array(z.string()).readonly()).optional(),
});

export const ingestTestRunUseCase = defineUseCase({
  name: 'evidence.tests',
  summary: 'Record a test run from parsed JUnit results.',
  kind: 'write',
  what: 'test run',
  input: IngestTestRunInputSchema,
  output: TestRunSummarySchema,
  permission: 'evidence.import',
  // The API receives the files as a multipart upload, streamed through the JUnit reader into this input.
  http: { method: 'POST', path: '/api/v1/products/:productKey/evidence/test-runs', status: 201 },
  run: ({ deps }, input) => ingestTestRun(deps, input),
});
