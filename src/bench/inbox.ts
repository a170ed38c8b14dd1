/**
 * Times the signature inbox (`signatureInbox`) on SQLite with N records in review, half of them already reviewed:
 * the inbox reads three queries per product (pending records, their signatures, the workflows) and none per record.
 * Usage: node dist/bench/inbox.js [--records N] [--runs N]   (defaults 10000, 10)
 * Prints wall time (median, max) per run for a reviewer (N/2 items) and an approver (N/2 items).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { execute } from '../app/execute.js';
import { processServices } from '../app/process-services.js';
import { addRecords } from '../app/use-cases/add-records.js';
import { changeRecordStatuses } from '../app/use-cases/change-record-status.js';
import { createProduct } from '../app/use-cases/create-product.js';
import { createUserUseCase } from '../app/use-cases/create-user.js';
import { grantRoleUseCase } from '../app/use-cases/grant-role.js';
import { acceptSignatureStatementUseCase } from '../app/use-cases/accept-signature-statement.js';
import { signatureInbox } from '../app/use-cases/list-signature-inbox.js';
import { signRecordsUseCase } from '../app/use-cases/sign-records.js';
import { localPrincipal } from '../core/access/principal.js';
import { DEFAULT_CATALOG } from '../core/catalog/catalog.js';
import { SYSTEM_CLOCK, type Deps } from '../core/ports.js';
import { openStore } from '../storage/open-store.js';

const { values } = parseArgs({ options: { records: { type: 'string', default: '10000' }, runs: { type: 'string', default: '10' } } });
const N = Number(values.records);
const RUNS = Number(values.runs);

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'dossier-inbox-'));
  try {
    const store = await openStore({ dialect: 'sqlite', location: join(dir, 'inbox.db') }, { create: true });
    const deps: Deps = { store, clock: SYSTEM_CLOCK, catalog: DEFAULT_CATALOG, actor: { id: 'dana' } };
    const ctx = { deps, principal: localPrincipal('ops'), services: processServices(DEFAULT_CATALOG) };
    await createProduct(deps, { key: 'BENCH', name: 'Inbox bench', intendedUse: 'Benchmark', safetyClass: 'C' });
    for (const [username, role] of [['quinn', 'quality'], ['avery', 'approver']] as const) {
      await execute(createUserUseCase, ctx, { username, printedName: username, password: `correct horse battery ${role}` });
      await execute(grantRoleUseCase, ctx, { username, productKey: 'BENCH', role });
      await execute(acceptSignatureStatementUseCase, ctx, { username, password: `correct horse battery ${role}` });
    }
    const t0 = Date.now();
    for (let i = 0; i < N; i += 2000) {
      const n = Math.min(2000, N - i);
      const added = await addRecords(deps, { productKey: 'BENCH', records: Array.from({ length: n }, (_, k) => ({ type: 'SRS', title: `Requirement ${i + k + 1}` })) });
      await changeRecordStatuses(deps, { productKey: 'BENCH', records: added.map((r) => ({ record: r.key, baseRevision: 1 })), to: 'in_review' });
      // Half are reviewed: they wait for the approver, the rest for the reviewer.
      const half = added.slice(0, Math.floor(n / 2)).map((r) => ({ record: r.key, revision: 1 }));
      await execute(signRecordsUseCase, ctx, { productKey: 'BENCH', records: half, meaning: 'reviewed', username: 'quinn', password: 'correct horse battery quality' });
    }
    console.error(`sqlite: ${N} records in review seeded in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    for (const who of ['quinn', 'avery']) {
      const first = await store.read((r) => signatureInbox(r, who));
      const walls: number[] = [];
      const cpus: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        const s = process.hrtime.bigint();
        const c = process.cpuUsage();
        await store.read((r) => signatureInbox(r, who));
        const used = process.cpuUsage(c);
        cpus.push((used.user + used.system) / 1000);
        walls.push(Number(process.hrtime.bigint() - s) / 1e6);
      }
      walls.sort((a, b) => a - b);
      cpus.sort((a, b) => a - b);
      const mid = Math.floor(RUNS / 2);
      console.log(`inbox of ${who}: ${first.count} items; wall median ${walls[mid]?.toFixed(1)} ms (max ${walls.at(-1)?.toFixed(1)}), CPU median ${cpus[mid]?.toFixed(1)} ms`);
    }
    await store.close();
  } finally {
    if (process.env['KEEP'] === undefined) rmSync(dir, { recursive: true, force: true });
    else console.error(dir);
  }
}

await main();
