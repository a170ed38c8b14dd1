import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditHashInput, sealAuditEvents, type AuditDraft } from '../core/audit.js';
import { DIALECTS, openTestStore, type TestStore } from '../test-support/stores.js';
import { AUDIT_HASH_INPUT_SQL } from './audit-chain.js';

// Text either database stores faithfully (the use-cases refuse NUL and unpaired surrogates).
const storable = fc.string({ unit: 'grapheme', maxLength: 40 }).filter((s) => !s.includes('\u0000'));

describe.each(DIALECTS)('audit digests built in SQL on %s', (dialect) => {
  let t: TestStore;
  beforeAll(async () => {
    t = await openTestStore(dialect);
  });
  afterAll(async () => t.cleanup());

  it('are byte for byte the hash input core builds, for any stored text', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            entityId: storable,
            reason: fc.option(storable, { nil: null }),
            productKey: fc.option(storable, { nil: null }),
            oldValue: fc.option(fc.dictionary(storable, storable), { nil: undefined }),
            newValue: fc.option(fc.record({ revision: fc.nat(), hash: storable, note: storable }), { nil: undefined }),
            actor: storable.filter((s) => s.length > 0),
          }),
          { minLength: 1, maxLength: 5 },
        ),
        async (items) => {
          const events = await t.store.write(async (w) => {
            let head = await w.auditHead();
            const out = [];
            for (const it of items) {
              const draft: AuditDraft = {
                action: 'RECORD_CREATED',
                entityType: 'record',
                entityId: it.entityId,
                productKey: it.productKey,
                oldValue: it.oldValue,
                newValue: it.newValue,
                reason: it.reason,
              };
              const [e] = sealAuditEvents(head, [draft], '2026-01-01T00:00:00.000Z', it.actor);
              if (e === undefined) throw new Error('no event');
              await w.appendAuditEvents([e]);
              head = { seq: e.seq, hash: e.hash };
              out.push(e);
            }
            return out;
          });
          const first = events[0]?.seq ?? 1;
          // The text verification hashes, built by the SQL the chain check runs (`CHAIN_PAGE_SQL`).
          const rows = await sql<{ seq: number; input: string }>`select seq, ${sql.raw(AUDIT_HASH_INPUT_SQL)} as input
            from audit_events where seq > ${first - 1} order by seq limit ${events.length}`.execute(t.store.db);
          expect(rows.rows.map((r) => Number(r.seq))).toEqual(events.map((e) => e.seq));
          rows.rows.forEach((row, i) => expect(row.input).toBe(auditHashInput(events[i]!)));
          // And the chain check itself (the live path) finds every event's hash matches that text.
          const last = events[events.length - 1]!.seq;
          const ranges = await t.store.read((r) => r.checkAuditChain(last, []));
          expect(ranges.flatMap((r) => r.problems)).toEqual([]);
          expect(ranges.reduce((n, r) => n + r.events, 0)).toBe(last);
        },
      ),
      { numRuns: 40 },
    );
  });
});
