import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { auditEventHash, GENESIS_HASH, sealAuditEvents, type AuditDraft } from './audit.js';
import { canonicalJson } from './hashing.js';
import { IntegrityVerifier } from './integrity.js';

const draft = (n: number): AuditDraft => ({ action: 'RECORD_CREATED', entityType: 'record', entityId: `RPM/UN-${n}`, productKey: 'RPM', newValue: { n } });

describe('audit chain', () => {
  it('chains events from the genesis hash', () => {
    const [a, b] = sealAuditEvents(undefined, [draft(1), draft(2)], '2026-01-01T00:00:00.000Z', 'alice');
    expect(a?.seq).toBe(1);
    expect(a?.prevHash).toBe(GENESIS_HASH);
    expect(b?.prevHash).toBe(a?.hash);
    const [c] = sealAuditEvents({ seq: 2, hash: b?.hash ?? '' }, [draft(3)], '2026-01-01T00:00:01.000Z', 'bob');
    expect(c).toMatchObject({ seq: 3, prevHash: b?.hash, actor: 'bob' });
  });

  it('any change to any stored field changes the hash', () => {
    const [e] = sealAuditEvents(undefined, [{ ...draft(1), oldValue: { a: 1 }, reason: 'why' }], '2026-01-01T00:00:00.000Z', 'alice');
    const { hash, ...rest } = e!;
    expect(auditEventHash(rest)).toBe(hash);
    for (const k of Object.keys(rest) as (keyof typeof rest)[]) {
      const changed = { ...rest, [k]: typeof rest[k] === 'number' ? (rest[k]) + 1 : `${String(rest[k])}x` };
      expect(auditEventHash(changed), k).not.toBe(hash);
    }
  });

  it('P11-01: the verifier accepts every sealed chain and finds any single altered event', () => {
    fc.assert(
      fc.property(fc.array(fc.jsonValue(), { minLength: 1, maxLength: 20 }), fc.nat(), (values, pick) => {
        const events = sealAuditEvents(undefined, values.map((v, i) => ({ ...draft(i), newValue: v })), '2026-01-01T00:00:00.000Z', 'alice');
        const ok = new IntegrityVerifier();
        ok.checkEvents(events);
        expect(ok.report().ok).toBe(true);
        const i = pick % events.length;
        const tampered = events.map((e, j) => (j === i ? { ...e, actor: 'mallory' } : e));
        const v = new IntegrityVerifier();
        v.checkEvents(tampered);
        expect(v.report().firstProblem).toMatchObject({ kind: 'event_altered', seq: i + 1 });
      }),
    );
  });

  it('canonical JSON does not depend on key order', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (obj) => {
        const reversed = Object.fromEntries(Object.entries(obj).reverse());
        expect(canonicalJson(reversed)).toBe(canonicalJson(obj));
      }),
    );
  });
});
