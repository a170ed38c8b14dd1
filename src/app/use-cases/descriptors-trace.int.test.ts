import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RoleGrant } from '../../core/access/permissions.js';
import type { Principal } from '../../core/access/principal.js';
import type { Deps } from '../../core/ports.js';
import { DEFAULT_RISK_POLICY } from '../../core/risk/policy.js';
import { seedDemo } from '../../demo/seed-demo.js';
import { expectAppError, storeSnapshot } from '../../test-support/assertions.js';
import { DIALECTS, freshStore, type TestStore } from '../../test-support/stores.js';
import { execute } from '../execute.js';
import { processServices } from '../process-services.js';
import { USE_CASES } from '../registry.js';
import type { z } from 'zod';
import type { AnyUseCase, AppServices } from '../use-case.js';
import { addRulePackUseCase } from './add-rule-pack.js';
import { analyzeImpactUseCase } from './analyze-impact.js';
import { configureRuleUseCase } from './configure-rule.js';
import { confirmLinksUseCase } from './confirm-links.js';
import { getRiskFileUseCase } from './get-risk-file.js';
import { getRiskMatrixUseCase } from './get-risk-matrix.js';
import { getRiskTableUseCase } from './get-risk-table.js';
import { getTraceMatrixUseCase } from './get-trace-matrix.js';
import { listAuditEvents } from './list-audit-events.js';
import { listDueRisksUseCase } from './list-due-risks.js';
import { explainRuleUseCase, listProductRulesUseCase } from './list-product-rules.js';
import { listSuspectLinksUseCase } from './list-suspect-links.js';
import { recordRiskReviewUseCase } from './record-risk-review.js';
import { runCheckUseCase } from './run-check.js';
import { setRiskPolicyUseCase } from './set-risk-policy.js';

/*
 * The trace, check, rules and risk use-cases as the adapters call them: through `execute`, with their output
 * checked against the declared schema (and again after a JSON round trip, as the API sends it).
 */

const who = (id: string, role: RoleGrant['role'], productKey = 'RPM'): Principal => ({
  id,
  userId: 7,
  printedName: id,
  kind: 'user',
  grants: [{ productKey, role }],
  sessionId: 's1',
  authenticatedAt: '2026-01-01T00:00:00.000Z',
});
const viewer = who('vera', 'viewer');
const reviewer = who('rita', 'reviewer');
const quality = who('quinn', 'quality');

/** Whether an output, sent as JSON, still fits the use-case's output schema. */
const fitsAsJson = (uc: AnyUseCase, out: unknown): boolean => (uc.output as z.ZodType).safeParse(JSON.parse(JSON.stringify(out))).success;

const READS: readonly [AnyUseCase, unknown][] = [
  [getTraceMatrixUseCase, { productKey: 'RPM', from: 'haz', to: 'tc', via: 'HS,RC,SRS' }],
  [listSuspectLinksUseCase, { productKey: 'RPM' }],
  [analyzeImpactUseCase, { productKey: 'RPM', record: 'rc-1' }],
  [runCheckUseCase, { productKey: 'RPM' }],
  [listProductRulesUseCase, { productKey: 'RPM' }],
  [explainRuleUseCase, { ruleId: 'iec62304-5.3.1-srs-allocated', productKey: 'RPM' }],
  [explainRuleUseCase, { ruleId: 'IEC62304-5.3.1-SRS-ALLOCATED' }],
  [getRiskFileUseCase, { productKey: 'RPM', openItems: true }],
  [getRiskTableUseCase, { productKey: 'RPM' }],
  [getRiskMatrixUseCase, { productKey: 'RPM' }],
  [listDueRisksUseCase, { productKey: 'RPM', within: 30 }],
];

const TEAM_PACK = {
  pack: 'team',
  title: 'Team rules',
  rules: [
    {
      id: 'TEAM-SRS-TITLE',
      clause: 'Team 1',
      title: 'Requirements have a rationale',
      severity: 'info',
      select: { type: 'SRS' },
      require: { fields: ['rationale'] },
      message: '{key} has no rationale',
      why: 'Reviewers need the reason behind a requirement.',
      hint: 'Add a rationale to {key}.',
    },
  ],
};

describe.each(DIALECTS)('trace, check, rules and risk descriptors on %s', (dialect) => {
  let t: TestStore;
  let deps: Deps;
  let services: AppServices;
  beforeAll(async () => {
    ({ t, deps } = await freshStore(dialect));
    services = processServices(deps.catalog);
    await seedDemo(deps);
  });
  afterAll(async () => t.cleanup());
  const run = (uc: AnyUseCase, p: Principal, input: unknown): Promise<unknown> =>
    execute(uc, { deps, principal: p, services }, input, { checkOutput: true });
  const events = async (): Promise<{ action: string; actor: string; entityId: string }[]> => listAuditEvents(deps, { limit: 100_000 });

  it('are all in the registry, once', () => {
    const names = USE_CASES.map((u) => u.name);
    expect(new Set(names).size).toBe(names.length);
    for (const uc of [...READS.map(([u]) => u), confirmLinksUseCase, configureRuleUseCase, addRulePackUseCase, setRiskPolicyUseCase, recordRiskReviewUseCase]) {
      expect(USE_CASES).toContain(uc);
    }
  });

  it.each(READS.map(([uc, input]) => [uc.name, uc, input] as const))('%s runs for a viewer; its output fits its schema, also as JSON', async (_name, uc, input) => {
    const out = await run(uc, viewer, input);
    // What the API sends: the findings' `toJSON` gives the schema's shape.
    expect(fitsAsJson(uc, out)).toBe(true);
  });

  it('gives the data the CLI renders', async () => {
    const m = (await run(getTraceMatrixUseCase, viewer, { productKey: 'RPM', from: 'HAZ', to: 'TC' })) as { rows: { key: string; covered: boolean }[] };
    expect(m.rows.find((r) => r.key === 'HAZ-1')?.covered).toBe(true);
    const check = (await run(runCheckUseCase, viewer, { productKey: 'RPM' })) as { findings: { ruleId: string }[]; allPacks: { pack: string }[] };
    expect(check.findings.length).toBeGreaterThan(0);
    expect(check.allPacks.map((p) => p.pack)).toContain('iso14971');
    const rules = (await run(listProductRulesUseCase, viewer, { productKey: 'RPM' })) as { pack: string; rule: { id: string } }[];
    expect(rules.find((r) => r.rule.id === 'IEC62304-5.3.1-SRS-ALLOCATED')?.pack).toBe('iec62304');
    const file = (await run(getRiskFileUseCase, viewer, { productKey: 'RPM', openItems: 'true' })) as { openItems: { pack: string }[] | null };
    expect(file.openItems?.every((f) => f.pack === 'iso14971')).toBe(true);
    expect(((await run(getRiskFileUseCase, viewer, { productKey: 'RPM' })) as { openItems: unknown }).openItems).toBeNull();
    const due = (await run(listDueRisksUseCase, viewer, { productKey: 'RPM' })) as { risks: { risk: string }[] };
    expect(due.risks.map((r) => r.risk)).toEqual(expect.arrayContaining(['RISK-1', 'RISK-5']));
  });

  it('refuses reads to a role on another product, and explaining with a product the caller may not read [DOSSIER-SRS-29]', async () => {
    const other = who('otto', 'admin', 'OTHER');
    await expectAppError(run(runCheckUseCase, other, { productKey: 'RPM' }), 'FORBIDDEN', /otto may not .*product\.read on RPM/);
    await expectAppError(run(explainRuleUseCase, other, { ruleId: 'IEC62304-5.3.1-SRS-ALLOCATED', productKey: 'RPM' }), 'FORBIDDEN', /product\.read/);
    expect(await run(explainRuleUseCase, other, { ruleId: 'IEC62304-5.3.1-SRS-ALLOCATED' })).toMatchObject({ pack: { pack: 'iec62304' } });
  });

  const WRITES: readonly { uc: AnyUseCase; by: Principal; input: unknown; action: string }[] = [
    { uc: confirmLinksUseCase, by: reviewer, input: { productKey: 'RPM', record: 'SRS-3', reason: 'Reviewed after the TLS 1.3 change' }, action: 'LINK_CONFIRMED' },
    {
      uc: configureRuleUseCase,
      by: quality,
      input: { productKey: 'RPM', ruleId: 'IEC62304-5.3.1-SRS-ALLOCATED', action: 'disable', justification: 'Reminders are scheduled by the phone OS' },
      action: 'RULE_DISABLED',
    },
    { uc: addRulePackUseCase, by: quality, input: { productKey: 'RPM', pack: TEAM_PACK }, action: 'RULE_PACK_ADDED' },
    { uc: setRiskPolicyUseCase, by: quality, input: { productKey: 'RPM', policy: { ...DEFAULT_RISK_POLICY, reviewIntervalDays: 180 }, reason: 'Yearly is too rare' }, action: 'RISK_REEVALUATED' },
    { uc: recordRiskReviewUseCase, by: reviewer, input: { productKey: 'RPM', risks: ['RISK-1'], outcome: 'no_change', note: 'Looked at the new scan' }, action: 'RECORD_CREATED' },
  ];

  it.each(WRITES.map((w) => [w.uc.name, w] as const))('%s is refused to a viewer with FORBIDDEN, changing nothing but the trail, then runs as the principal [DOSSIER-SRS-29]', async (name, w) => {
    const before = JSON.parse(await storeSnapshot(deps)) as Record<string, unknown>;
    const n = (await events()).length;
    await expectAppError(run(w.uc, viewer, w.input), 'FORBIDDEN', new RegExp(`vera may not .*needs the permission ${String(w.uc.permission).replace('.', '\\.')} on RPM`));
    const after = await events();
    expect(after.slice(n).map((e) => [e.action, e.actor, e.entityId])).toEqual([['ACCESS_DENIED', 'vera', name]]);
    // Everything but the trail (which now holds the refusal) is as it was.
    const { audit: _a, ...rest } = JSON.parse(await storeSnapshot(deps)) as Record<string, unknown>;
    const { audit: _b, ...restBefore } = before;
    expect(rest).toEqual(restBefore);
    const out = await run(w.uc, w.by, w.input);
    expect(fitsAsJson(w.uc, out)).toBe(true);
    // The change is the principal's, by name.
    const made = (await events()).slice(n + 1);
    expect(made.length).toBeGreaterThan(0);
    expect(made.every((e) => e.actor === w.by.id)).toBe(true);
    expect(made.map((e) => e.action)).toContain(w.action);
  });

  it('the writes took effect: the disabled rule and the team pack show in the check', async () => {
    const check = (await run(runCheckUseCase, viewer, { productKey: 'RPM' })) as { disabled: { ruleId: string }[]; packs: string[] };
    expect(check.disabled.map((d) => d.ruleId)).toEqual(['IEC62304-5.3.1-SRS-ALLOCATED']);
    expect(check.packs).toContain('team');
    expect(((await run(listSuspectLinksUseCase, viewer, { productKey: 'RPM' })) as { from: string; to: string }[]).some((s) => s.to === 'SRS-3' || s.from === 'SRS-3')).toBe(false);
  });

  it('names the field of a bad input, whoever asks', async () => {
    await expectAppError(run(listDueRisksUseCase, viewer, { productKey: 'RPM', within: -1 }), 'INVALID_INPUT', /invalid risk file: within/);
    await expectAppError(run(getTraceMatrixUseCase, viewer, { productKey: 'RPM', from: 'NOPE', to: 'TC' }), 'INVALID_INPUT', /unknown record type 'NOPE'/);
  });
});
