import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { auditEventHash, type AuditEvent } from '../core/audit.js';
import type { IntegrityReport } from '../core/integrity.js';
import type { Deps } from '../core/ports.js';
import { addLink } from '../app/use-cases/add-link.js';
import { editRecord } from '../app/use-cases/edit-record.js';
import { verifyIntegrity, type VerifyOptions } from '../app/use-cases/verify-integrity.js';
import { aProduct, someRecords } from '../test-support/factories.js';
import { built, runNode } from '../test-support/processes.js';
import { DIALECTS, freshStore, testDeps, type TestStore } from '../test-support/stores.js';
import { chainRanges } from './audit-chain.js';
import type { KyselyStore } from './kysely-store.js';
import { openStore, parseStoreTarget } from './open-store.js';

const RANGES = 4;
const CHAIN_KINDS = new Set(['sequence_gap', 'chain_broken', 'event_altered', 'anchor_mismatch', 'anchor_missing']);

/** The chain's problems of a report (the state check adds its own after them), as kind and event. */
function chainProblems(report: IntegrityReport): [string, number | undefined][] {
  return report.problems.filter((p) => CHAIN_KINDS.has(p.kind)).map((p) => [p.kind, p.seq]);
}

/**
 * The audit chain checked in ranges (in this thread here: the sources run untranspiled; on worker threads in the
 * built package, run as a child process) must give exactly the report of one walk, whatever range a tampered event
 * falls in: first or last event of a range, a range's boundary cut, anchors in any range.
 */
describe.each(DIALECTS)('audit chain checked in ranges on %s', (dialect) => {
  let t: TestStore;
  let deps: Deps;
  let ranged: KyselyStore | undefined;
  beforeEach(async () => {
    ({ t, deps } = await freshStore(dialect));
    await aProduct(deps);
    for (let i = 0; i < 4; i++) await someRecords(deps, 'RPM', ['SRS', 'TC', 'UN']);
    await editRecord(deps, { productKey: 'RPM', record: 'SRS-1', baseRevision: 1, body: 'TLS 1.3 only.' });
    for (const to of ['SRS-1', 'SRS-2', 'SRS-3']) await addLink(deps, { productKey: 'RPM', link: { from: 'TC-1', type: 'verifies', to } });
    ranged = await openStore(parseStoreTarget(t.dbArg), { verifyWorkers: RANGES, minEventsPerRange: 1 });
  });
  afterEach(async () => {
    await ranged?.close();
    await t.cleanup();
  });

  async function events(): Promise<AuditEvent[]> {
    return t.store.read((r) => r.listAudit({ limit: 1000 }));
  }

  /** Runs SQL with the append-only triggers switched off: what an attacker with database access could do. */
  async function behindTheAppsBack(statement: string): Promise<void> {
    const db = t.store.db;
    if (dialect === 'postgres') {
      await sql.raw('alter table audit_events disable trigger user').execute(db);
      await sql.raw(statement).execute(db);
      await sql.raw('alter table audit_events enable trigger user').execute(db);
    } else {
      await sql.raw('drop trigger if exists audit_events_no_update').execute(db);
      await sql.raw('drop trigger if exists audit_events_no_delete').execute(db);
      await sql.raw(statement).execute(db);
    }
  }

  /** The report of the built package, with the chain's ranges on worker threads. */
  async function onWorkers(options: VerifyOptions): Promise<IntegrityReport> {
    const script = `
      const { openStore, parseStoreTarget } = await import(${JSON.stringify(built('storage/open-store.js'))});
      const { verifyIntegrity } = await import(${JSON.stringify(built('app/use-cases/verify-integrity.js'))});
      const store = await openStore(parseStoreTarget(process.env.VERIFY_DB), { verifyWorkers: ${RANGES}, minEventsPerRange: 1 });
      const report = await verifyIntegrity({ store }, undefined, JSON.parse(process.env.VERIFY_OPTIONS));
      await store.close();
      process.stdout.write(JSON.stringify(report));`;
    const run = await runNode(['--input-type=module', '-e', script], { env: { VERIFY_DB: t.dbArg, VERIFY_OPTIONS: JSON.stringify(options) } });
    expect(run.err).toBe('');
    return JSON.parse(run.out) as IntegrityReport;
  }

  /** Verifies in one walk, in ranges in this thread and on worker threads; all three must agree exactly. */
  async function verifyAllWays(options: VerifyOptions = {}): Promise<IntegrityReport> {
    const whole = await verifyIntegrity(testDeps(t.store), undefined, options);
    if (ranged === undefined) throw new Error('no store');
    expect(await verifyIntegrity(testDeps(ranged), undefined, options)).toEqual(whole);
    expect(await onWorkers(options)).toEqual(JSON.parse(JSON.stringify(whole)));
    return whole;
  }

  it('finds and names the same problems in every range as one walk does', async () => {
    const all = await events();
    const total = all.length;
    const ranges = chainRanges(total, RANGES);
    expect(ranges.every((r) => r.through - r.after >= 3)).toBe(true);
    expect((await verifyAllWays()).ok).toBe(true);
    const [r1, r2, r3] = ranges.slice(1);
    if (r1 === undefined || r2 === undefined || r3 === undefined) throw new Error('too few ranges');

    // Anchors in two ranges, one of them with a hash the event does not have.
    const anchorAt = (seq: number, hash: string): VerifyOptions['anchors'] => [{ seq, hash, label: `anchor ${seq}` }];
    const okAnchor = anchorAt(r1.after + 2, all[r1.after + 1]?.hash ?? '') ?? [];
    const badAnchor = anchorAt(r3.after + 1, '0'.repeat(64)) ?? [];
    let report = await verifyAllWays({ anchors: [...okAnchor, ...badAnchor] });
    expect(report.problems.map((p) => [p.kind, p.seq])).toEqual([['anchor_mismatch', r3.after + 1]]);
    expect(report.anchorsChecked).toBe(2);

    // The first event of the second range and the last event of the third, changed.
    await behindTheAppsBack(`update audit_events set actor = 'mallory' where seq in (${r1.after + 1}, ${r2.through})`);
    report = await verifyAllWays();
    expect(chainProblems(report)).toEqual([
      ['event_altered', r1.after + 1],
      ['event_altered', r2.through],
    ]);
    expect(report.firstProblem?.message).toMatch(new RegExp(`^audit event ${r1.after + 1} \\(\\w+ RPM`));

    // The last event of the first range removed: a gap and a broken link where the second range begins.
    await behindTheAppsBack(`delete from audit_events where seq = ${r1.after}`);
    report = await verifyAllWays();
    expect(chainProblems(report)).toEqual([
      ['sequence_gap', r1.after + 1],
      ['chain_broken', r1.after + 1],
      ['event_altered', r1.after + 1],
      ['event_altered', r2.through],
    ]);

    // The last event of the third range re-hashed after its change: now the next range's first event breaks the chain.
    const e = all[r2.through - 1];
    if (e === undefined) throw new Error('no such event');
    const hash = auditEventHash({ ...e, actor: 'mallory' });
    await behindTheAppsBack(`update audit_events set hash = '${hash}' where seq = ${r2.through}`);
    report = await verifyAllWays({ anchors: [...okAnchor, ...badAnchor] });
    expect(chainProblems(report)).toEqual([
      ['sequence_gap', r1.after + 1],
      ['chain_broken', r1.after + 1],
      ['event_altered', r1.after + 1],
      ['chain_broken', r2.through + 1],
      ['anchor_mismatch', r3.after + 1],
    ]);
  });
});
