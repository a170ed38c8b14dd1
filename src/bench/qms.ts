/**
 * `node dist/bench/qms.js`: the quality system at company scale, through `execute` on a file store (no HTTP).
 * A company of 500 people in 15 job roles, 300 procedures in force (each required by 5 roles, so about 50,000
 * training assignments), 2,000 CAPAs and 10,000 complaints over the last year. Measured, median of several runs:
 * - making a new version of a procedure effective (about 170 training assignments written in the same transaction);
 * - the ISO 13485 readiness report;
 * - the training matrix for all people;
 * - the management review inputs for a year.
 * Options: --people N (500) --documents N (300) --capas N (2000) --complaints N (10000) --runs N (5)
 *   --only sqlite|postgres  --pg URL
 */
import { parseArgs } from 'node:util';
import type { z } from 'zod';
import { execute } from '../app/execute.js';
import { processServices } from '../app/process-services.js';
import type { UseCase } from '../app/use-case.js';
import { addLinks } from '../app/use-cases/add-links.js';
import { addRecords } from '../app/use-cases/add-records.js';
import { changeRecordStatuses } from '../app/use-cases/change-record-status.js';
import { createProduct } from '../app/use-cases/create-product.js';
import { editRecord } from '../app/use-cases/edit-record.js';
import { getQmsReadinessUseCase } from '../app/use-cases/get-qms-readiness.js';
import { getReviewInputsUseCase } from '../app/use-cases/get-review-inputs.js';
import { getTrainingMatrixUseCase } from '../app/use-cases/get-training-matrix.js';
import { makeDocumentEffectiveUseCase } from '../app/use-cases/make-document-effective.js';
import { localPrincipal } from '../core/access/principal.js';
import { DEFAULT_CATALOG } from '../core/catalog/catalog.js';
import { SYSTEM_CLOCK, type Deps } from '../core/ports.js';
import { addDays } from '../core/qms/days.js';
import { benchStore, median } from './bench-store.js';
import type { Dialect } from '../storage/schema.js';

const { values } = parseArgs({
  options: {
    people: { type: 'string', default: '500' },
    documents: { type: 'string', default: '300' },
    capas: { type: 'string', default: '2000' },
    complaints: { type: 'string', default: '10000' },
    runs: { type: 'string', default: '5' },
    only: { type: 'string' },
    pg: { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/test' },
  },
});
const PEOPLE = Number(values.people);
const DOCUMENTS = Number(values.documents);
const CAPAS = Number(values.capas);
const COMPLAINTS = Number(values.complaints);
const RUNS = Number(values.runs);
const ROLES = 15;
const ROLES_PER_DOCUMENT = 5;
const P = 'BENCH';


async function timed<T>(n: number, f: (i: number) => Promise<T>): Promise<{ ms: number; last: T }> {
  const ms: number[] = [];
  let last: T | undefined;
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    last = await f(i);
    ms.push(performance.now() - t0);
  }
  if (last === undefined) throw new Error('no run');
  return { ms: median(ms), last };
}

/** Adds records in batches of 2,000 (one transaction each); returns their keys. */
async function addMany(deps: Deps, n: number, make: (i: number) => { type: string; title: string; fields: Record<string, unknown> }): Promise<string[]> {
  const keys: string[] = [];
  for (let i = 0; i < n; i += 2000) {
    const added = await addRecords(deps, { productKey: P, records: Array.from({ length: Math.min(2000, n - i) }, (_, k) => make(i + k)) });
    keys.push(...added.map((r) => r.key));
  }
  return keys;
}

async function run(dialect: Dialect): Promise<string[]> {
  const { store, cleanup } = await benchStore(dialect, 'qms', values.pg);
  const services = processServices(DEFAULT_CATALOG);
  const deps: Deps = { store, clock: SYSTEM_CLOCK, catalog: DEFAULT_CATALOG, actor: { id: 'bench.quality' } };
  const ops = localPrincipal('bench.quality');
  const exec = <I extends z.ZodType, O extends z.ZodType>(uc: UseCase<I, O>, input: z.input<I>): Promise<z.output<O>> =>
    execute(uc, { deps, principal: ops, services }, input);
  const today = SYSTEM_CLOCK.now().slice(0, 10);
  const t0 = performance.now();

  await createProduct(deps, { key: P, name: 'Synthetic company', intendedUse: 'Benchmark', safetyClass: 'B' });
  // 15 job roles of about 33 people each.
  const roles = await addMany(deps, ROLES, (r) => ({
    type: 'JOB',
    title: `Job role ${r + 1}`,
    fields: { members: Array.from({ length: PEOPLE }, (_, p) => p).filter((p) => p % ROLES === r).map((p) => `person.${p + 1}`) },
  }));
  // 300 procedures, approved (by the local operator), each required by 5 roles.
  const documents = await addMany(deps, DOCUMENTS, (d) => ({
    type: 'DOC',
    title: `Procedure ${d + 1}`,
    fields: { docType: 'procedure', number: `SOP-${String(d + 1).padStart(4, '0')}`, version: '1.0', reviewIntervalMonths: 12, trainingDays: 30, clauses: ['ISO 13485 4.2.4'], governs: [] },
  }));
  await addLinks(deps, {
    productKey: P,
    links: documents.flatMap((doc, d) => Array.from({ length: ROLES_PER_DOCUMENT }, (_, k) => ({ from: roles[(d + k * 3) % ROLES] ?? '', type: 'requires_training', to: doc }))),
  });
  const approve = async (keys: readonly string[], revision: number): Promise<void> => {
    for (const to of ['in_review', 'approved'] as const) {
      await changeRecordStatuses(deps, { productKey: P, records: keys.map((record) => ({ record, baseRevision: revision })), to });
    }
  };
  await approve(documents, 1);
  let assignments = 0;
  for (const doc of documents) {
    assignments += (await exec(makeDocumentEffectiveUseCase, { productKey: P, record: doc, on: addDays(today, -200) })).assignments.length;
  }
  // 2,000 CAPAs and 10,000 complaints over the last year, in various states.
  await addMany(deps, CAPAS, (i) => ({
    type: 'CAPA',
    title: `CAPA ${i + 1}`,
    fields: {
      state: i % 3 === 0 ? 'open' : 'investigation',
      source: i % 2 === 0 ? 'complaint' : 'audit_finding',
      openedOn: addDays(today, -(i % 365)),
      dueOn: addDays(today, 90 - (i % 365)),
      problem: 'A synthetic problem statement',
      owner: `person.${(i % PEOPLE) + 1}`,
    },
  }));
  await addMany(deps, COMPLAINTS, (i) => ({
    type: 'CMP',
    title: `Complaint ${i + 1}`,
    fields: { state: 'triage', receivedOn: addDays(today, -(i % 365)), channel: 'email', category: i % 2 === 0 ? 'usability' : 'performance', productVersion: `1.${i % 4}.0` },
  }));
  const seeded = ((performance.now() - t0) / 1000).toFixed(0);

  // A new version of a procedure becomes effective: edit, approve, then time the effectivity with its assignments.
  const next = documents.slice(0, RUNS);
  for (const doc of next) await editRecord(deps, { productKey: P, record: doc, baseRevision: 1, fields: { version: '1.1' }, reason: 'benchmark' });
  await approve(next, 2);
  const effective = await timed(RUNS, (i) => exec(makeDocumentEffectiveUseCase, { productKey: P, record: next[i] ?? '', on: today }));
  const readiness = await timed(RUNS, () => exec(getQmsReadinessUseCase, { productKey: P }));
  const matrix = await timed(RUNS, () => exec(getTrainingMatrixUseCase, { productKey: P }));
  const review = await timed(RUNS, () => exec(getReviewInputsUseCase, { productKey: P, periodFrom: addDays(today, -365), periodTo: today }));
  await store.close();
  await cleanup();
  const runs = `${RUNS} runs`;
  return [
    `| ${dialect} | make a new SOP version effective (${effective.last.assignments.length} training assignments written) | ${effective.ms.toFixed(0)} ms | ${runs} |`,
    `| ${dialect} | ISO 13485 readiness report | ${readiness.ms.toFixed(0)} ms | ${runs} |`,
    `| ${dialect} | training matrix for all ${PEOPLE} people (${matrix.last.roles.length} roles) | ${matrix.ms.toFixed(0)} ms | ${runs} |`,
    `| ${dialect} | management review inputs for a year | ${review.ms.toFixed(0)} ms | ${runs} |`,
    `| ${dialect} | (set-up: ${DOCUMENTS} procedures, ${assignments.toLocaleString('en')} training assignments, ${CAPAS.toLocaleString('en')} CAPAs, ${COMPLAINTS.toLocaleString('en')} complaints, in ${seeded} s) | | |`,
  ];
}

const dialects: Dialect[] = values.only === undefined ? ['sqlite', 'postgres'] : [values.only as Dialect];
const out = ['| Database | Scenario | Median | Runs |', '|---|---|---:|---:|'];
for (const d of dialects) out.push(...(await run(d)));
process.stdout.write(`${out.join('\n')}\n`);
