import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Deps, Store, StoreReader } from '../core/ports.js';
import { verifyIntegrity } from '../app/use-cases/verify-integrity.js';
import { built, runNode } from '../test-support/processes.js';
import { DIALECTS, freshStore, testDeps, type TestStore } from '../test-support/stores.js';
import { openStore } from '../storage/open-store.js';
import { seedDemo } from './seed-demo.js';
import { runCheck } from '../app/use-cases/run-check.js';
import { loadBuiltinPacks } from '../ingest/rule-pack-file.js';
import { DEFAULT_CATALOG } from '../core/catalog/catalog.js';
import type { SignatureRow } from '../core/signatures/model.js';

/** A store whose reads and writes throw at the `at`-th call of any reader or writer method (a crash there). */
function crashingStore(store: Store, at: number, calls: { n: number }): Store {
  const wrap = <R extends StoreReader>(r: R): R =>
    new Proxy(r, {
      get(target, prop, receiver): unknown {
        const value: unknown = Reflect.get(target, prop, receiver);
        if (typeof value !== 'function') return value;
        return (...args: unknown[]): unknown => {
          if (++calls.n === at) throw new Error(`crash at store call ${at}`);
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });
  return { read: (f) => store.read((r) => f(wrap(r))), write: (f) => store.write((w) => f(wrap(w))), close: () => store.close() };
}

/** Nothing there: no product, no audit event. */
async function expectEmpty(deps: Deps, why: string): Promise<void> {
  expect(await deps.store.read((r) => r.listProducts()), why).toEqual([]);
  expect((await verifyIntegrity(deps)).eventsChecked, why).toBe(0);
}

/** The whole demo: every record and link, its release, and an intact audit trail. */
async function expectWholeDemo(deps: Deps): Promise<void> {
  const [records, release] = await deps.store.read(async (r) => {
    const p = await r.findProduct('RPM');
    return p === undefined ? [0, undefined] : [(await r.listRecords({ productId: p.id })).length, await r.findRelease(p.id, '1.2.0')];
  });
  expect(records).toBe(201);
  expect(release?.version).toBe('1.2.0');
  const integrity = await verifyIntegrity(deps);
  expect(integrity.ok).toBe(true);
  await expectDemoSignatures(deps);
}

/**
 * P11-06: every approved demo record carries its workflow's signatures, given through the signing use-case by the
 * demo's people (quinn.qa reviews and avery.approver approves; for documents the other way round), never by the author.
 */
async function expectDemoSignatures(deps: Deps): Promise<void> {
  const signatures = await deps.store.read(async (r) => {
    const out: SignatureRow[] = [];
    for (let page = await r.pageSignatures(0, 1000); page.length > 0; page = await r.pageSignatures(page.at(-1)?.id ?? 0, 1000)) out.push(...page);
    return out;
  });
  const on = (entity: string): string[] => signatures.filter((s) => s.entityKey === entity).map((s) => `r${s.revision} ${s.meaning} ${s.username} ${s.printedName}`);
  expect(on('RPM/SRS-1')).toEqual(['r1 reviewed quinn.qa Quinn Quality', 'r1 approved avery.approver Avery Approver']);
  expect(on('RPM/DOC-1')).toEqual(['r1 reviewed avery.approver Avery Approver', 'r1 approved quinn.qa Quinn Quality']);
  // SRS-3 was signed at revision 1, revised, and signed again at revision 2.
  expect(on('RPM/SRS-3')).toEqual([
    'r1 reviewed quinn.qa Quinn Quality',
    'r1 approved avery.approver Avery Approver',
    'r2 reviewed quinn.qa Quinn Quality',
    'r2 approved avery.approver Avery Approver',
  ]);
  const onRecords = signatures.filter((s) => s.entityType === 'record');
  expect(onRecords.every((s) => s.username !== 'dana.engineer' && s.method === 'password')).toBe(true);
  // Everyone else is training: every demo user completed training by signature ("read and understood").
  const training = signatures.filter((s) => s.entityType === 'training');
  expect(training.every((s) => s.meaning === 'read_and_understood' && s.method === 'password')).toBe(true);
  expect([...new Set(training.map((s) => s.username))].sort()).toEqual(['ada.admin', 'avery.approver', 'dana.engineer', 'quinn.qa', 'riley.reviewer', 'vic.viewer']);
  // Every approved record's latest revision carries both signatures: the unsigned-approval rule finds nothing.
  const check = await runCheck(deps, { productKey: 'RPM', builtinPacks: loadBuiltinPacks(DEFAULT_CATALOG) });
  expect(check.findings.filter((f) => f.ruleId === 'P11-APPROVAL-UNSIGNED')).toEqual([]);
  const perRecord = new Map<string, number>();
  for (const s of onRecords) perRecord.set(s.entityKey, (perRecord.get(s.entityKey) ?? 0) + 1);
  // SRS-3 and the cybersecurity SOP (DOC-19, version 1.1) were signed at two revisions each.
  expect([...perRecord].filter(([, n]) => n !== 2).sort()).toEqual([['RPM/DOC-19', 4], ['RPM/SRS-3', 4]]);
  const accepted = await deps.store.read((r) => r.listStatementAcceptances());
  expect(accepted.map((a) => a.username).sort()).toEqual(['ada.admin', 'avery.approver', 'dana.engineer', 'quinn.qa', 'riley.reviewer', 'vic.viewer']);
}

describe.each(DIALECTS)('the demo on %s, interrupted', (dialect) => {
  let t: TestStore;
  let deps: Deps;
  beforeEach(async () => {
    ({ t, deps } = await freshStore(dialect));
  });
  afterEach(async () => t.cleanup());

  it('at any store call leaves the store as before, and a later demo makes all of it [DOSSIER-SRS-4] [DOSSIER-SRS-52]', { timeout: 300_000 }, async () => {
    const counted = { n: 0 };
    await seedDemo({ ...deps, store: crashingStore(t.store, Number.POSITIVE_INFINITY, counted) });
    const total = counted.n;
    expect(total).toBeGreaterThan(500);
    // Start over on a fresh store of the same kind.
    await t.cleanup();
    ({ t, deps } = await freshStore(dialect));
    // A demo run is slow, so a spread of points: the first call, the last, and evenly between.
    const points = [1, ...Array.from({ length: 6 }, (_, i) => Math.round(((i + 1) * total) / 7)), total];
    for (const at of points) {
      await expect(seedDemo({ ...deps, store: crashingStore(t.store, at, { n: 0 }) })).rejects.toThrow(`crash at store call ${at}`);
      await expectEmpty(deps, `after a crash at store call ${at} of ${total}`);
    }
    await seedDemo(deps);
    await expectWholeDemo(deps);
  });
});

describe('the demo on sqlite, its process killed', () => {
  let dir = '';
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'dossier-demo-kill-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('leaves the store as before; `demo` then makes all of it [DOSSIER-SRS-4]', { timeout: 300_000 }, async () => {
    const file = join(dir, 'demo.db');
    // SIGKILL at a store call mid-way through the evidence and release steps: no rollback runs in the process.
    const script = `
      const { openStore } = await import(${JSON.stringify(built('storage/open-store.js'))});
      const { seedDemo } = await import(${JSON.stringify(built('demo/seed-demo.js'))});
      const { DEFAULT_CATALOG } = await import(${JSON.stringify(built('core/catalog/catalog.js'))});
      const store = await openStore({ dialect: 'sqlite', location: process.env.DB });
      const at = Number(process.env.KILL_AT);
      let n = 0;
      const wrap = (r) => new Proxy(r, { get(t, p, rc) { const v = Reflect.get(t, p, rc);
        return typeof v !== 'function' ? v : (...a) => { if (++n === at) process.kill(process.pid, 'SIGKILL'); return v.apply(t, a); }; } });
      const crashing = { read: (f) => store.read((r) => f(wrap(r))), write: (f) => store.write((w) => f(wrap(w))), close: () => store.close() };
      await seedDemo({ store: crashing, clock: { now: () => new Date().toISOString() }, catalog: DEFAULT_CATALOG, actor: { id: 'erin' } });
      console.log('not killed');`;
    for (const at of [50, 1350]) {
      const run = await runNode(['--input-type=module', '-e', script], { env: { DB: file, KILL_AT: String(at) } });
      expect(run.signal, run.out + run.err).toBe('SIGKILL');
      const store = await openStore({ dialect: 'sqlite', location: file });
      try {
        await expectEmpty(testDeps(store), `after a kill at store call ${at}`);
      } finally {
        await store.close();
      }
    }
    const store = await openStore({ dialect: 'sqlite', location: file });
    try {
      const deps = testDeps(store);
      await seedDemo(deps);
      await expectWholeDemo(deps);
    } finally {
      await store.close();
    }
  });
});
