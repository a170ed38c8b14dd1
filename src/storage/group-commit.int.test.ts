import { sql, type Kysely } from 'kysely';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { verifyIntegrity } from '../app/use-cases/verify-integrity.js';
import { listAuditEvents } from '../app/use-cases/list-audit-events.js';
import { AppError } from '../core/errors.js';
import { getProduct } from '../core/lookups.js';
import type { Deps, StoreWriter } from '../core/ports.js';
import { prepareRecords, writeNewRecords } from '../core/record-writes.js';
import { aProduct } from '../test-support/factories.js';
import { built, runNode } from '../test-support/processes.js';
import { DIALECTS, freshStore, type TestStore } from '../test-support/stores.js';
import type { DialectAdapter } from './dialect.js';
import { openStore, parseStoreTarget } from './open-store.js';
import type { KyselyStore } from './kysely-store.js';
import type { Database } from './schema.js';

/** Adds one SRS record titled `title` inside the caller's write transaction. */
async function addIn(w: StoreWriter, deps: Deps, title: string): Promise<string> {
  const product = await getProduct(w, 'RPM');
  const prepared = prepareRecords(deps.catalog, [{ type: 'SRS', title, body: '', fields: {} }], () => 'record');
  const [created] = await writeNewRecords(w, deps, product, prepared, deps.clock.now(), null);
  return created?.title ?? '';
}

/** The connection a session writes through (a test reaching under the port on purpose). */
const connectionOf = (w: StoreWriter): Kysely<Database> => (w as unknown as { db: Kysely<Database> }).db;

describe.each(DIALECTS)('group commit on %s', (dialect) => {
  let t: TestStore;
  let deps: Deps;
  beforeEach(async () => {
    ({ t, deps } = await freshStore(dialect));
    await aProduct(deps);
  });
  afterEach(async () => t.cleanup());

  // Bounds wide enough that every write queued behind a held transaction joins it, however slow the machine.
  const wideStore = (): Promise<KyselyStore> => openStore(parseStoreTarget(t.dbArg), { groupCommit: { maxWrites: 1000, maxMs: 600_000 } });
  const titles = async (): Promise<string[]> =>
    deps.store.read(async (r) => (await r.listRecords({ productId: (await getProduct(r, 'RPM')).id })).map((s) => s.title).sort());

  it('runs writes that arrive during a transaction in the next one; a write that fails is rolled back alone and rejected with its own error', async () => {
    await deps.store.write((w) => addIn(w, deps, 'first'));
    const first = await deps.store.read(async (r) => r.findRecord((await getProduct(r, 'RPM')).id, 'SRS', 1));
    const store = await wideStore();
    const on = { ...deps, store };
    const spy = vi.spyOn((store as unknown as { adapter: DialectAdapter }).adapter, 'write');
    let open: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const blocker = store.write(async (w) => {
      await gate;
      return addIn(w, on, 'blocker');
    });
    const N = 60;
    const writes = Array.from({ length: N }, (_, i) =>
      store.write(async (w) => {
        const title = await addIn(w, on, `write ${i}`);
        // A refusal of ours after the write's rows are in, and a refusal of the database (a taken key), which
        // on PostgreSQL aborts the transaction: both must leave the other writes of the group alone.
        if (i % 4 === 1) throw new AppError('CONFLICT', `planned refusal of write ${i}`);
        if (i % 7 === 3 && first !== undefined) await w.insertRecords([first]);
        return title;
      }),
    );
    const settled = Promise.allSettled(writes);
    open();
    expect(await blocker).toBe('blocker');
    const outcomes = await settled;
    await store.close();
    expect(spy.mock.calls).toHaveLength(1);
    const failed = (i: number): boolean => i % 4 === 1 || i % 7 === 3;
    outcomes.forEach((o, i) => {
      if (!failed(i)) expect(o).toEqual({ status: 'fulfilled', value: `write ${i}` });
      else if (i % 4 === 1) expect(o).toMatchObject({ status: 'rejected', reason: { code: 'CONFLICT', message: `planned refusal of write ${i}` } });
      else expect(o).toMatchObject({ status: 'rejected', reason: { code: 'CONFLICT', message: expect.stringMatching(/records already holds a row/) as unknown } });
    });
    const kept = Array.from({ length: N }, (_, i) => i).filter((i) => !failed(i));
    expect(await titles()).toEqual(['first', 'blocker', ...kept.map((i) => `write ${i}`)].sort());
    // Numbers are handed out in commit order without gaps: a rolled-back write's number goes to the next one.
    const numbers = await deps.store.read(async (r) => (await r.listRecords({ productId: (await getProduct(r, 'RPM')).id })).map((s) => s.number));
    expect(numbers.sort((a, b) => a - b)).toEqual(Array.from({ length: kept.length + 2 }, (_, i) => i + 1));
    const created = (await listAuditEvents(deps, {})).filter((e) => e.action === 'RECORD_CREATED');
    expect(created).toHaveLength(kept.length + 2);
    const report = await verifyIntegrity(deps);
    expect(report.ok, JSON.stringify(report)).toBe(true);
  });

  it('fails every write of a group whose transaction the engine ended, keeps nothing of them, and runs the writes after it', async () => {
    const store = await wideStore();
    const on = { ...deps, store };
    let open: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const blocker = store.write(async (w) => {
      await gate;
      return addIn(w, on, 'blocker');
    });
    // These arrive while the blocker's transaction runs, so they join it.
    const before = store.write((w) => addIn(w, on, 'before'));
    const breaking = store.write(async (w) => {
      await addIn(w, on, 'breaking');
      // What a full disk or an I/O error does on SQLite: the engine rolls the whole transaction back.
      await sql`rollback`.execute(connectionOf(w));
      throw new AppError('INTERNAL', 'the transaction is gone');
    });
    const after = store.write((w) => addIn(w, on, 'after'));
    open();
    const outcomes = await Promise.allSettled([blocker, before, breaking, after]);
    await store.close();
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected', 'rejected', 'fulfilled']);
    for (const o of outcomes.slice(0, 3)) expect(o).toMatchObject({ reason: { message: 'the transaction is gone' } });
    expect(await titles()).toEqual(['after']);
    const created = (await listAuditEvents(deps, {})).filter((e) => e.action === 'RECORD_CREATED');
    expect(created.map((e) => e.entityId)).toEqual(['RPM/SRS-1']);
    const report = await verifyIntegrity(deps);
    expect(report.ok, JSON.stringify(report)).toBe(true);
  });

  it('keeps every acknowledged write when the process is killed in the middle of a group, and the chain verifies [DOSSIER-SRS-4]', { timeout: 120_000 }, async () => {
    const js = (m: string): string => JSON.stringify(built(m));
    // 16 writes in flight; once 100 are acknowledged, a write kills the process after its rows are in, before the
    // COMMIT of its group. Each acknowledgement is printed when the caller gets it (stdout on a pipe is synchronous).
    const script = `
      const { openStore, parseStoreTarget } = await import(${js('storage/open-store.js')});
      const { getProduct } = await import(${js('core/lookups.js')});
      const { prepareRecords, writeNewRecords } = await import(${js('core/record-writes.js')});
      const { DEFAULT_CATALOG } = await import(${js('core/catalog/catalog.js')});
      const { SYSTEM_CLOCK } = await import(${js('core/ports.js')});
      const store = await openStore(parseStoreTarget(process.env.DB));
      const deps = { store, clock: SYSTEM_CLOCK, catalog: DEFAULT_CATALOG, actor: { id: 'killed' } };
      let acks = 0;
      let next = 0;
      await Promise.all(Array.from({ length: 16 }, async () => {
        for (;;) {
          const title = 'write ' + next++;
          await store.write(async (w) => {
            const product = await getProduct(w, 'RPM');
            const prepared = prepareRecords(DEFAULT_CATALOG, [{ type: 'SRS', title, body: '', fields: {} }], () => 'record');
            await writeNewRecords(w, deps, product, prepared, SYSTEM_CLOCK.now(), null);
            if (acks >= 100) process.kill(process.pid, 'SIGKILL');
          });
          acks++;
          process.stdout.write(title + '\\n');
        }
      }));`;
    const run = await runNode(['--input-type=module', '-e', script], { env: { DB: t.dbArg } });
    expect(run.signal, run.err).toBe('SIGKILL');
    const acknowledged = run.out.split('\n').filter((l) => l !== '');
    expect(acknowledged.length).toBeGreaterThanOrEqual(100);
    const stored = await titles();
    // Nothing acknowledged is lost; what the killed group held is not there (writes committed but not yet
    // printed when the process died may be).
    expect(stored.filter((s) => acknowledged.includes(s))).toHaveLength(acknowledged.length);
    expect(stored.length).toBeLessThan(acknowledged.length + 16);
    const numbers = await deps.store.read(async (r) => (await r.listRecords({ productId: (await getProduct(r, 'RPM')).id })).map((s) => s.number));
    expect(numbers.sort((a, b) => a - b)).toEqual(Array.from({ length: stored.length }, (_, i) => i + 1));
    const created = (await listAuditEvents(deps, {})).filter((e) => e.action === 'RECORD_CREATED');
    expect(created).toHaveLength(stored.length);
    const report = await verifyIntegrity(deps);
    expect(report.ok, JSON.stringify(report)).toBe(true);
  });
});
