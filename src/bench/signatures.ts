/**
 * `node dist/bench/signatures.js`: electronic signatures at scale, through `execute` on a file store (no HTTP).
 * - signing 1,000 records in one batch (one re-authentication with the shipped argon2 cost, one signature each,
 *   one transaction), median of several batches;
 * - the approvals inbox of a reviewer with 10,000 records waiting for them, median of repeated reads.
 * Options: --batch N (default 1000)  --batches N (default 5)  --pending N (default 10000)  --reads N (default 20)
 *   --only sqlite|postgres  --pg URL
 */
import { parseArgs } from 'node:util';
import type { z } from 'zod';
import { execute } from '../app/execute.js';
import { processServices } from '../app/process-services.js';
import type { UseCase } from '../app/use-case.js';
import { acceptSignatureStatementUseCase } from '../app/use-cases/accept-signature-statement.js';
import { addRecords } from '../app/use-cases/add-records.js';
import { changeRecordStatuses } from '../app/use-cases/change-record-status.js';
import { createProduct } from '../app/use-cases/create-product.js';
import { createUserUseCase } from '../app/use-cases/create-user.js';
import { grantRoleUseCase } from '../app/use-cases/grant-role.js';
import { listSignatureInboxUseCase } from '../app/use-cases/list-signature-inbox.js';
import { signRecordsUseCase } from '../app/use-cases/sign-records.js';
import { localPrincipal, type Principal } from '../core/access/principal.js';
import type { Role } from '../core/access/permissions.js';
import { DEFAULT_CATALOG } from '../core/catalog/catalog.js';
import { SYSTEM_CLOCK, type Deps } from '../core/ports.js';
import { benchStore, median } from './bench-store.js';
import type { Dialect } from '../storage/schema.js';

const { values } = parseArgs({
  options: {
    batch: { type: 'string', default: '1000' },
    batches: { type: 'string', default: '5' },
    pending: { type: 'string', default: '10000' },
    reads: { type: 'string', default: '20' },
    only: { type: 'string' },
    pg: { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/test' },
  },
});
const BATCH = Number(values.batch);
const BATCHES = Number(values.batches);
const PENDING = Number(values.pending);
const READS = Number(values.reads);

const TEAM: readonly { username: string; role: Role; password: string }[] = [
  { username: 'bench.author', role: 'author', password: 'bench-author-password' },
  { username: 'bench.reviewer', role: 'quality', password: 'bench-reviewer-password' },
];


async function run(dialect: Dialect): Promise<string[]> {
  const { store, cleanup } = await benchStore(dialect, 'sign', values.pg);
  const services = processServices(DEFAULT_CATALOG);
  const author: Deps = { store, clock: SYSTEM_CLOCK, catalog: DEFAULT_CATALOG, actor: { id: 'bench.author' } };
  const ops = localPrincipal('ops');
  const run = <I extends z.ZodType, O extends z.ZodType>(uc: UseCase<I, O>, p: Principal, input: z.input<I>): Promise<z.output<O>> =>
    execute(uc, { deps: author, principal: p, services }, input);
  await createProduct(author, { key: 'BENCH', name: 'Synthetic product', intendedUse: 'Benchmark', safetyClass: 'B' });
  for (const u of TEAM) {
    await run(createUserUseCase, ops, { username: u.username, printedName: u.username, password: u.password });
    await run(grantRoleUseCase, ops, { username: u.username, productKey: 'BENCH', role: u.role });
    await run(acceptSignatureStatementUseCase, ops, { username: u.username, password: u.password });
  }
  const reviewer = TEAM[1] ?? TEAM[0];
  if (reviewer === undefined) throw new Error('no reviewer');
  /** Adds `n` SRS records and sends them to review; returns their IDs. */
  const inReview = async (n: number): Promise<string[]> => {
    const refs: string[] = [];
    for (let i = 0; i < n; i += 2000) {
      const added = await addRecords(author, {
        productKey: 'BENCH',
        records: Array.from({ length: Math.min(2000, n - i) }, (_, k) => ({ type: 'SRS', title: `Benchmark requirement ${i + k}` })),
      });
      await changeRecordStatuses(author, { productKey: 'BENCH', records: added.map((r) => ({ record: r.key, baseRevision: 1 })), to: 'in_review' });
      refs.push(...added.map((r) => r.key));
    }
    return refs;
  };
  const signMs: number[] = [];
  for (let b = 0; b < BATCHES; b++) {
    const refs = await inReview(BATCH);
    const t0 = performance.now();
    const out = await run(signRecordsUseCase, ops, {
      productKey: 'BENCH',
      records: refs.map((record) => ({ record, revision: 1 })),
      meaning: 'reviewed',
      username: reviewer.username,
      password: reviewer.password,
    });
    signMs.push(performance.now() - t0);
    if (out.signatures.length !== BATCH) throw new Error(`signed ${out.signatures.length} of ${BATCH}`);
  }
  const rows = [`| ${dialect} | sign ${BATCH} records in one batch (one re-authentication) | ${median(signMs).toFixed(0)} ms | ${BATCHES} batches |`];
  // The reviewer's inbox: the batches above were reviewed (they wait for an approver), these wait for the reviewer.
  await inReview(PENDING);
  const inboxMs: number[] = [];
  const cpuMs: number[] = [];
  let count = 0;
  for (let i = 0; i < READS; i++) {
    const c = process.cpuUsage();
    const t0 = performance.now();
    count = (await run(listSignatureInboxUseCase, ops, { username: reviewer.username })).count;
    inboxMs.push(performance.now() - t0);
    const used = process.cpuUsage(c);
    cpuMs.push((used.user + used.system) / 1000);
  }
  rows.push(`| ${dialect} | inbox of a reviewer with ${count.toLocaleString('en')} records waiting (CPU ${median(cpuMs).toFixed(0)} ms) | ${median(inboxMs).toFixed(1)} ms | ${READS} reads |`);
  await store.close();
  await cleanup();
  return rows;
}

const dialects: Dialect[] = values.only === undefined ? ['sqlite', 'postgres'] : [values.only as Dialect];
const out = ['| Database | Scenario | Median | Runs |', '|---|---|---:|---:|'];
for (const d of dialects) out.push(...(await run(d)));
process.stdout.write(`${out.join('\n')}\n`);
