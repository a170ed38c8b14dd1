import { readFileSync } from 'node:fs';
import AjvModule from 'ajv-draft-04';
import { parse as parseJUnit } from 'junit2json';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { seedDemo } from '../../demo/seed-demo.js';
import { renderCheckJUnit, renderCheckSarif } from '../../export/check-report.js';
import { loadBuiltinPacks, parseRulePack } from '../../ingest/rule-pack-file.js';
import { expectAppError } from '../../test-support/assertions.js';
import { aProduct } from '../../test-support/factories.js';
import { DIALECTS, freshStore, openTestStore, testDeps, type TestStore } from '../../test-support/stores.js';
import { DEFAULT_CATALOG } from '../../core/catalog/catalog.js';
import type { Deps } from '../../core/ports.js';
import { addLink } from './add-link.js';
import { addRecord } from './add-record.js';
import { addRulePack } from './add-rule-pack.js';
import { configureRule } from './configure-rule.js';
import { exportStore } from './export-store.js';
import { importStore } from './import-store.js';
import { listAuditEvents } from './list-audit-events.js';
import { runCheck } from './run-check.js';

const packs = loadBuiltinPacks(DEFAULT_CATALOG);
// ajv-draft-04 is CommonJS with `exports.default`; under NodeNext its default import is the module object.
const Ajv = AjvModule.default;
const summary = (r: Awaited<ReturnType<typeof runCheck>>): string[] =>
  r.findings.filter((f) => f.severity !== 'info').map((f) => `${f.clause} ${f.record ?? '-'} ${f.ruleId}`);

describe.each(DIALECTS)('dossier check on %s', (dialect) => {
  let t: TestStore;
  let deps: Deps;
  beforeEach(async () => {
    ({ t, deps } = await freshStore(dialect));
  });
  afterEach(async () => t.cleanup());

  it('finds the demo product\'s deliberate gaps, with their clauses, the same way every run [DOSSIER-SRS-15]', async () => {
    await seedDemo(deps);
    const r = await runCheck(deps, { productKey: 'RPM', builtinPacks: packs });
    expect(r.packs).toEqual(['design-control', 'iec62304', 'iso13485', 'iso14971', 'part11']);
    expect(summary(r)).toEqual([
      'IEC 62304 5.2.3 RC-12 IEC62304-5.2.3-RC-AS-REQUIREMENT',
      'IEC 62304 5.3.1 SRS-15 IEC62304-5.3.1-SRS-ALLOCATED',
      'IEC 62304 5.3.3 SOUP-6 IEC62304-5.3.3-SOUP-REQUIREMENTS',
      'IEC 62304 5.3.3 SOUP-15 IEC62304-5.3.3-SOUP-REQUIREMENTS',
      'IEC 62304 5.3.3 SOUP-18 IEC62304-5.3.3-SOUP-REQUIREMENTS',
      'IEC 62304 5.3.3 SOUP-19 IEC62304-5.3.3-SOUP-REQUIREMENTS',
      'IEC 62304 5.3.3 SOUP-6 IEC62304-5.3.3-SOUP-IN-ARCHITECTURE',
      'IEC 62304 5.3.3 SOUP-15 IEC62304-5.3.3-SOUP-IN-ARCHITECTURE',
      'IEC 62304 5.3.3 SOUP-18 IEC62304-5.3.3-SOUP-IN-ARCHITECTURE',
      'IEC 62304 5.3.3 SOUP-19 IEC62304-5.3.3-SOUP-IN-ARCHITECTURE',
      'IEC 62304 5.7.1 SRS-20 IEC62304-5.7.1-SRS-VERIFIED',
      'IEC 62304 7.1.2 SOUP-6 IEC62304-7.1.2-SOUP-RISK-ASSESSED',
      'IEC 62304 7.1.2 SOUP-15 IEC62304-7.1.2-SOUP-RISK-ASSESSED',
      'IEC 62304 7.1.2 SOUP-18 IEC62304-7.1.2-SOUP-RISK-ASSESSED',
      'IEC 62304 7.1.2 SOUP-19 IEC62304-7.1.2-SOUP-RISK-ASSESSED',
      'IEC 62304 7.1.3 SOUP-1 IEC62304-7.1.3-SOUP-ANOMALIES-REVIEWED',
      'IEC 62304 7.1.3 SOUP-6 IEC62304-7.1.3-SOUP-ANOMALIES-REVIEWED',
      'IEC 62304 7.1.3 SOUP-15 IEC62304-7.1.3-SOUP-ANOMALIES-REVIEWED',
      'IEC 62304 7.1.3 SOUP-18 IEC62304-7.1.3-SOUP-ANOMALIES-REVIEWED',
      'IEC 62304 7.1.3 SOUP-19 IEC62304-7.1.3-SOUP-ANOMALIES-REVIEWED',
      'IEC 62304 8.1.2 SOUP-6 IEC62304-8.1.2-SOUP-IDENTIFIED',
      'IEC 62304 8.1.2 SOUP-15 IEC62304-8.1.2-SOUP-IDENTIFIED',
      'IEC 62304 8.1.2 SOUP-18 IEC62304-8.1.2-SOUP-IDENTIFIED',
      'IEC 62304 8.1.2 SOUP-19 IEC62304-8.1.2-SOUP-IDENTIFIED',
      'IEC 62304 9.2 VULN-1 IEC62304-9.2-VULNERABILITY-TRIAGED',
      'ISO 13485 6.2 MREV-1 ISO13485-6.2-SIGNED-UNTRAINED',
      'ISO 13485 7.3.6 SRS-20 DC-7.3.6-REQUIREMENT-VERIFIED',
      'ISO 13485 7.3.7 UN-10 DC-7.3.7-NEED-VALIDATED',
      'ISO 13485 7.4.1 SUP-3 ISO13485-7.4.1-SUPPLIER-REEVALUATION',
      'ISO 14971 5.5 RISK-8 ISO14971-5.5-RISK-ESTIMATED',
      'ISO 14971 5.5 HS-7 ISO14971-5.5-SITUATION-HARM',
      'ISO 14971 7.1 RC-12 ISO14971-7.1-CONTROL-IMPLEMENTED',
      'ISO 14971 7.2 RC-9 ISO14971-7.2-CONTROL-VERIFIED',
      'ISO 14971 7.2 RC-12 ISO14971-7.2-CONTROL-VERIFIED',
      'ISO 14971 7.2 RC-3 ISO14971-7.2-CONTROL-EFFECTIVE',
      'ISO 14971 7.2 RC-4 ISO14971-7.2-CONTROL-EFFECTIVE',
      'ISO 14971 7.2 RC-6 ISO14971-7.2-CONTROL-EFFECTIVE',
      'ISO 14971 7.2 RC-7 ISO14971-7.2-CONTROL-EFFECTIVE',
      'ISO 14971 7.2 RC-9 ISO14971-7.2-CONTROL-EFFECTIVE',
      'ISO 14971 7.2 RC-10 ISO14971-7.2-CONTROL-EFFECTIVE',
      'ISO 14971 7.2 RC-12 ISO14971-7.2-CONTROL-EFFECTIVE',
      'ISO 14971 7.3 RISK-8 ISO14971-7.3-RESIDUAL-ESTIMATED',
      'ISO 14971 7.3 RISK-9 ISO14971-7.3-RESIDUAL-ESTIMATED',
      'ISO 14971 10 RISK-1 ISO14971-10-REVIEW-CURRENT',
      'ISO 14971 10 RISK-2 ISO14971-10-REVIEW-CURRENT',
      'ISO 14971 10 RISK-5 ISO14971-10-REVIEW-CURRENT',
      'ISO 14971 10 RISK-8 ISO14971-10-REVIEW-CURRENT',
      'ISO 14971 10 RISK-12 ISO14971-10-REVIEW-CURRENT',
    ]);
    const again = await runCheck(deps, { productKey: 'RPM', builtinPacks: packs });
    expect(again.findings.map((f) => f.id)).toEqual(r.findings.map((f) => f.id));
    expect(new Set(r.findings.map((f) => f.id)).size).toBe(r.findings.length);

    // Fixing a gap (the missing link) makes its finding disappear, and only it.
    await addLink(deps, { productKey: 'RPM', link: { from: 'HS-7', type: 'results_in', to: 'HARM-2' } });
    const fixed = await runCheck(deps, { productKey: 'RPM', builtinPacks: packs });
    expect(summary(fixed)).toEqual(summary(r).filter((s) => !s.includes('HS-7')));
  });

  it('a product may disable a rule with a justification, audit-trailed, and the setting survives export and import [DOSSIER-SRS-17]', async () => {
    await seedDemo(deps);
    await expectAppError(
      configureRule(deps, { productKey: 'RPM', ruleId: 'IEC62304-7.1-HAZARD-CAUSE', action: 'disable', justification: 'short' }, packs),
      'INVALID_INPUT',
      /justification of at least 10 characters/,
    );
    await expectAppError(configureRule(deps, { productKey: 'RPM', ruleId: 'NOPE-1', action: 'disable', justification: 'a long enough reason' }, packs), 'INVALID_INPUT', /unknown rule NOPE-1/);
    expect((await runCheck(deps, { productKey: 'RPM', builtinPacks: packs })).findings.some((f) => f.ruleId === 'IEC62304-5.3.1-SRS-ALLOCATED')).toBe(true);
    await configureRule(
      deps,
      { productKey: 'RPM', ruleId: 'IEC62304-5.3.1-SRS-ALLOCATED', action: 'disable', justification: 'Reminders are scheduled by the phone OS, outside our software items' },
      packs,
    );
    await configureRule(deps, { productKey: 'RPM', ruleId: 'ISO14971-7.2-CONTROL-EFFECTIVE', action: 'severity', severity: 'warning', justification: 'We want effectiveness gaps visible in CI' }, packs);
    const r = await runCheck(deps, { productKey: 'RPM', builtinPacks: packs });
    expect(r.findings.some((f) => f.ruleId === 'IEC62304-5.3.1-SRS-ALLOCATED')).toBe(false);
    expect(r.disabled).toEqual([{ ruleId: 'IEC62304-5.3.1-SRS-ALLOCATED', justification: 'Reminders are scheduled by the phone OS, outside our software items' }]);
    expect(r.findings.filter((f) => f.ruleId === 'ISO14971-7.2-CONTROL-EFFECTIVE').every((f) => f.severity === 'warning')).toBe(true);
    const events = (await listAuditEvents(deps, { productKey: 'RPM', limit: 10_000 })).filter((e) => e.entityType === 'rule');
    expect(events.map((e) => e.action)).toEqual(['RULE_DISABLED', 'RULE_SEVERITY_SET']);
    expect(JSON.parse(events[0]?.oldValue ?? '{}')).toEqual({ enabled: true, severity: 'warning' });
    expect(JSON.parse(events[0]?.newValue ?? '{}')).toEqual({ enabled: false, severity: 'warning' });

    const copy = await openTestStore(dialect);
    try {
      const copyDeps = testDeps(copy.store);
      await importStore(copyDeps, JSON.parse(JSON.stringify(await exportStore(deps))));
      // Every field, the computed ones (ID, message, hint) included: compared as the JSON output prints them.
      expect(JSON.stringify((await runCheck(copyDeps, { productKey: 'RPM', builtinPacks: packs })).findings)).toBe(JSON.stringify(r.findings));
    } finally {
      await copy.cleanup();
    }
  });

  it('runs a team\'s own pack added to the product [DOSSIER-SRS-15]', async () => {
    await aProduct(deps);
    const pack = parseRulePack(
      `pack: team\ntitle: Team\nrules:\n  - id: TEAM-DOC-LOCATION\n    clause: ISO 13485 4.2.4\n    title: Documents say where they live\n    severity: warning\n    select: { type: DOC }\n    require: { fields: [location] }\n    message: "{key} has no location"\n    why: We keep documents in git.\n    hint: Set location.\n`,
      'team.yaml',
      deps.catalog,
    );
    await addRulePack(deps, { productKey: 'RPM', pack, builtinPacks: packs });
    await expectAppError(addRulePack(deps, { productKey: 'RPM', pack, builtinPacks: packs }), 'CONFLICT', /already in force/);
    await addRecord(deps, { productKey: 'RPM', record: { type: 'DOC', title: 'SOP', fields: { docType: 'procedure' } } });
    const r = await runCheck(deps, { productKey: 'RPM', builtinPacks: packs });
    expect(r.findings.filter((f) => f.pack === 'team').map((f) => f.record)).toEqual(['DOC-1']);
  });

  it('checks a product with no records clean, with a note', async () => {
    await aProduct(deps);
    const r = await runCheck(deps, { productKey: 'RPM', builtinPacks: packs });
    expect(r.findings).toEqual([]);
    expect(r.notes).toEqual(['product RPM has no records yet: there is nothing to check']);
  });

  it('writes JUnit XML that a JUnit parser reads, and SARIF that validates against the 2.1.0 schema [DOSSIER-SRS-16]', async () => {
    await seedDemo(deps);
    const { allPacks, ...result } = await runCheck(deps, { productKey: 'RPM', builtinPacks: packs });
    const input = { result, packs: allPacks, failOn: 'error' as const, version: '0.1.0' };
    const junit = (await parseJUnit(renderCheckJUnit(input))) as { failures?: number; tests?: number; testsuite?: { name: string; testcase?: { classname: string; failure?: unknown[] }[] }[] };
    expect(junit.failures).toBe(30);
    expect(junit.testsuite?.find((s) => s.name === 'IEC 62304 5.7.1')?.testcase?.find((c) => c.failure !== undefined)?.classname).toBe('IEC62304-5.7.1-SRS-VERIFIED');

    const schema = JSON.parse(readFileSync(new URL('../../../test/fixtures/sarif-schema-2.1.0.json', import.meta.url), 'utf8')) as object;
    const validate = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false }).compile(schema);
    const sarif = JSON.parse(renderCheckSarif(input)) as { runs: { results: unknown[] }[] };
    expect(validate(sarif), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
    expect(sarif.runs[0]?.results).toHaveLength(result.findings.length);
    // A broken document fails the same validation (the test can fail).
    expect(validate({ version: '2.1.0', runs: [{ tool: {} }] })).toBe(false);
  });
});
