import { describe, expect, it } from 'vitest';
import { sealAuditEvents, type AuditDraft, type AuditEvent } from '../audit.js';
import type { Link, Product, RecordHead, RuleSetting } from '../entities.js';
import type { Release } from '../evidence/model.js';
import { StateVerifier } from './state-verifier.js';
import { canonicalJson } from '../hashing.js';
import type { UserRow } from '../identity/model.js';
import { signatureEventValue, type SignatureRow, type WorkflowRow } from '../signatures/model.js';

const T1 = '2026-01-01T00:00:00.000Z';
const T2 = '2026-01-02T00:00:00.000Z';

/** Seals drafts as a trail, each batch at its own time and actor. */
function trail(...batches: [string, string, AuditDraft[]][]): AuditEvent[] {
  const out: AuditEvent[] = [];
  for (const [at, actor, drafts] of batches) {
    const last = out[out.length - 1];
    out.push(...sealAuditEvents(last === undefined ? undefined : { seq: last.seq, hash: last.hash }, drafts, at, actor));
  }
  return out;
}

const product: Product = { id: 1, key: 'RPM', name: 'P', intendedUse: 'U', safetyClass: 'B', createdAt: T1, createdBy: 'alice' };
const created: AuditDraft = { action: 'PRODUCT_CREATED', entityType: 'product', entityId: 'RPM', productKey: 'RPM', newValue: { key: 'RPM', name: 'P', intendedUse: 'U', safetyClass: 'B' } };
const record = (id: number, type: string, status: string, latestRevision: number, at = T1): RecordHead =>
  ({ id, productId: 1, type, number: 1, status, latestRevision, approvedRevision: null, approvedBy: null, createdAt: T1, createdBy: 'alice', updatedAt: at, updatedBy: 'alice' }) as RecordHead;
const bob: UserRow = {
  id: 2, username: 'bob', printedName: 'Bob Builder', passwordHash: null, passwordSetAt: null, mustChangePassword: false,
  createdAt: T1, createdBy: 'alice', deactivatedAt: null, deactivatedBy: null, failedAttempts: 0, lockedUntil: null, ssoIssuer: null, ssoSubject: null,
};
const newRecord = (key: string): AuditDraft => ({ action: 'RECORD_CREATED', entityType: 'record', entityId: `RPM/${key}`, productKey: 'RPM', newValue: { status: 'draft', revision: 1, hash: 'h' } });

function verify(events: AuditEvent[], rows: { products?: Product[]; records?: RecordHead[]; links?: Link[]; settings?: RuleSetting[]; releases?: Release[] }): string[] {
  const v = new StateVerifier();
  v.applyEvents(events);
  v.checkProducts(rows.products ?? [product]);
  v.checkRecords(rows.records ?? []);
  v.checkLinks(rows.links ?? []);
  v.checkRuleSettings(rows.settings ?? []);
  v.checkRulePacks([]);
  v.checkReleases(rows.releases ?? []);
  return v.finish().problems.map((p) => p.message);
}

describe('StateVerifier', () => {
  it('follows a link through confirmation: re-pinned revisions and who confirmed when', () => {
    const events = trail(
      [T1, 'alice', [created, newRecord('SRS-1'), newRecord('TC-1'), { action: 'LINK_CREATED', entityType: 'link', entityId: 'RPM/link/1', productKey: 'RPM', newValue: { type: 'verifies', from: 'TC-1', fromRevision: 1, to: 'SRS-1', toRevision: 1 } }]],
      [T2, 'bob', [{ action: 'LINK_CONFIRMED', entityType: 'link', entityId: 'RPM/link/1', productKey: 'RPM', newValue: { fromRevision: 1, toRevision: 2, suspect: false } }]],
    );
    const link: Link = { id: 1, productId: 1, type: 'verifies', fromId: 2, toId: 1, fromRevision: 1, toRevision: 2, createdAt: T1, createdBy: 'alice', confirmedAt: T2, confirmedBy: 'bob', removedAt: null, removedBy: null, removalReason: null };
    const records = [record(1, 'SRS', 'draft', 1), { ...record(2, 'TC', 'draft', 1) }];
    expect(verify(events, { records, links: [link] })).toEqual([]);
    expect(verify(events, { records, links: [{ ...link, toRevision: 1, confirmedBy: 'mallory' }] })).toEqual([
      "link RPM/link/1: to revision is 1 in the store but 2 by the audit trail",
      "link RPM/link/1: confirmed by is 'mallory' in the store but 'bob' by the audit trail",
    ]);
  });

  it('keeps a product\'s own severity while a rule is disabled and drops it when enabled again', () => {
    const rule = (action: 'RULE_SEVERITY_SET' | 'RULE_DISABLED' | 'RULE_ENABLED', severity: string, reason: string): AuditDraft =>
      ({ action, entityType: 'rule', entityId: 'RPM/rule/R-1', productKey: 'RPM', newValue: { enabled: action !== 'RULE_DISABLED', severity }, reason });
    const setting = (enabled: boolean, severity: RuleSetting['severity'], justification: string): RuleSetting =>
      ({ productId: 1, ruleId: 'R-1', enabled, severity, justification, updatedAt: T2, updatedBy: 'bob' });
    const base: [string, string, AuditDraft[]] = [T1, 'alice', [created, rule('RULE_SEVERITY_SET', 'warning', 'quieter for now')]];
    const disabled = trail(base, [T2, 'bob', [rule('RULE_DISABLED', 'warning', 'not for this product')]]);
    expect(verify(disabled, { settings: [setting(false, 'warning', 'not for this product')] })).toEqual([]);
    expect(verify(disabled, { settings: [setting(false, null, 'not for this product')] })).toEqual(["rule setting RPM/rule/R-1: severity is none in the store but 'warning' by the audit trail"]);
    // The enabled event names the pack's severity ('error'); the product keeps none of its own.
    const enabled = trail(base, [T2, 'bob', [rule('RULE_ENABLED', 'error', 'back on')]]);
    expect(verify(enabled, { settings: [setting(true, null, 'back on')] })).toEqual([]);
  });

  it('marks the baseline its RELEASE_RELEASED event names released, and no other', () => {
    const release = (baseline: number, status: 'draft' | 'released', at: string | null): Release =>
      ({ id: baseline, productId: 1, version: '1.0.0', baseline, status, baselineHash: `${baseline}`.repeat(64), auditSeq: baseline, auditHash: 'a'.repeat(64), createdAt: T1, createdBy: 'alice', releasedAt: at, releasedBy: at === null ? null : 'bob', voidedAt: null, voidedBy: null, voidReason: null });
    const frozen = (baseline: number): AuditDraft =>
      ({ action: 'RELEASE_CREATED', entityType: 'release', entityId: 'RPM/release/1.0.0', productKey: 'RPM', newValue: { version: '1.0.0', baseline, baselineHash: `${baseline}`.repeat(64), auditSeq: baseline, auditHash: 'a'.repeat(64) } });
    const events = trail(
      [T1, 'alice', [created, frozen(1), frozen(2)]],
      [T2, 'bob', [{ action: 'RELEASE_RELEASED', entityType: 'release', entityId: 'RPM/release/1.0.0', productKey: 'RPM', newValue: { status: 'released', baseline: 2 } }]],
    );
    expect(verify(events, { releases: [release(1, 'draft', null), release(2, 'released', T2)] })).toEqual([]);
    expect(verify(events, { releases: [release(1, 'released', T2), release(2, 'released', T2)] })).toEqual([
      "release RPM/release/1.0.0#1: status is 'released' in the store but 'draft' by the audit trail",
      `release RPM/release/1.0.0#1: released at is '${T2}' in the store but none by the audit trail`,
      "release RPM/release/1.0.0#1: released by is 'bob' in the store but none by the audit trail",
    ]);
  });

  it('names an event that lacks what it must carry or changes what was never created; skips actions it does not know', () => {
    const events = trail([T1, 'alice', [
      created,
      { action: 'RECORD_REVISED', entityType: 'record', entityId: 'RPM/SRS-9', productKey: 'RPM', newValue: { revision: 2, status: 'draft' } },
      { action: 'LINK_CREATED', entityType: 'link', entityId: 'RPM/link/1', productKey: 'RPM', newValue: { type: 'verifies', from: 'TC-1', to: 'SRS-1' } },
      { action: 'SOMETHING_NEWER' as AuditDraft['action'], entityType: 'record', entityId: 'RPM/SRS-1', productKey: 'RPM', newValue: {} },
    ]]);
    expect(verify(events, {})).toEqual([
      'audit event 2 (RECORD_REVISED RPM/SRS-9) changes something no earlier event created: the state it sets cannot be checked',
      "audit event 3 (LINK_CREATED RPM/link/1) does not carry 'fromRevision': the state it sets cannot be checked",
    ]);
  });

  it('reports at most 100 problems however many rows differ', () => {
    const events = trail([T1, 'alice', [created]]);
    const records = Array.from({ length: 500 }, (_, k) => ({ ...record(k + 1, 'SRS', 'draft', 1), number: k + 1 }));
    const problems = verify(events, { records });
    expect(problems).toHaveLength(100);
    expect(problems[0]).toBe('record RPM/SRS-1 has no audit event: it was written outside the application');
  });
  it('proves a record signature from its SIGNATURE_APPLIED event and checks it against the revision it names', () => {
    const sig: SignatureRow = {
      id: 7, productId: 1, entityType: 'record', entityId: 1, entityKey: 'RPM/SRS-1', revision: 1, contentHash: 'a'.repeat(64), manifest: null,
      meaning: 'reviewed', step: 0, userId: 2, username: 'bob', printedName: 'Bob Builder', signedAt: T2, method: 'password',
    };
    const events = trail(
      [T1, 'alice', [created, newRecord('SRS-1')]],
      [T2, 'bob', [{ action: 'SIGNATURE_APPLIED', entityType: 'signature', entityId: 'RPM/SRS-1/signature/7', productKey: 'RPM', newValue: signatureEventValue(sig) }]],
    );
    const check = (row: SignatureRow, revisionHash: string | null): string[] => {
      const v = new StateVerifier();
      v.applyEvents(events);
      v.checkProducts([product]);
      v.checkRecords([record(1, 'SRS', 'draft', 1)]);
      v.checkIdentity([{ ...bob, id: 2 }], [], []);
      v.checkSignatures([{ ...row, revisionHash }]);
      return v.finish().problems.filter((p) => !p.item?.startsWith('user/')).map((p) => p.message);
    };
    expect(check(sig, 'a'.repeat(64))).toEqual([]);
    expect(check(sig, 'b'.repeat(64))).toEqual(["signature 7 on RPM/SRS-1 revision 1 does not match that revision's content"]);
    expect(check(sig, null)).toEqual(['signature 7 on RPM/SRS-1 revision 1 names a revision the store does not have']);
    // Found by its ID when its entity key was changed in the store, so the message names the column.
    expect(check({ ...sig, entityKey: 'RPM/SRS-2' }, 'a'.repeat(64))).toEqual(["signature RPM/SRS-1/signature/7: entity key is 'RPM/SRS-2' in the store but 'RPM/SRS-1' by the audit trail"]);
  });

  it('takes a workflow definition recorded as canonical JSON text or as the object itself', () => {
    const definition = { distinctSigners: true, steps: [{ meaning: 'approved', notAuthor: true, roles: ['quality'] }] };
    const row: WorkflowRow = { productId: 1, subject: 'DOC', definition: canonicalJson(definition), updatedAt: T2, updatedBy: 'bob' };
    for (const recorded of [canonicalJson(definition), definition]) {
      const events = trail([T1, 'alice', [created]], [T2, 'bob', [{ action: 'WORKFLOW_SET', entityType: 'workflow', entityId: 'RPM/workflow/DOC', productKey: 'RPM', newValue: { subject: 'DOC', definition: recorded } }]]);
      const v = new StateVerifier();
      v.applyEvents(events);
      v.checkProducts([product]);
      v.checkWorkflows([row]);
      expect(v.finish().problems).toEqual([]);
      const w = new StateVerifier();
      w.applyEvents(events);
      w.checkProducts([product]);
      w.checkWorkflows([{ ...row, updatedBy: 'mallory' }]);
      expect(w.finish().problems.map((p) => p.message)).toEqual(["workflow RPM/workflow/DOC: updated by is 'mallory' in the store but 'bob' by the audit trail"]);
    }
  });
});
