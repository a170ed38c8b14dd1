import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ReadinessReportSchema } from '../core/qms/readiness.js';
import { runDossier } from '../test-support/processes.js';
import { DIALECTS, openTestStore, type TestStore } from '../test-support/stores.js';

// Needs `npm run build` first (the built CLI and dist/builtin-packs.json).
describe.each(DIALECTS)('the built dossier qms readiness on %s', (dialect) => {
  let t: TestStore;
  beforeEach(async () => {
    t = await openTestStore(dialect);
  });
  afterEach(async () => t.cleanup());

  it('prints the report as text, JSON and Markdown, refuses another format with exit 2, and check shows the gaps with clauses [DOSSIER-SRS-45]', { timeout: 60_000 }, async () => {
    const db = ['--db', t.dbArg];
    const ok = async (args: string[]): Promise<string> => {
      const r = await runDossier([...db, ...args]);
      expect(r.err).toBe('');
      expect(r.code).toBe(0);
      return r.out;
    };
    await ok(['product', 'create', '--key', 'RPM', '--name', 'VitalLink', '--intended-use', 'Collects vital signs at home.', '--class', 'B']);
    await ok(['record', 'add', '-t', 'DOC', '--title', 'CAPA procedure', '--set', 'docType=procedure', '--set', 'clauses=["ISO 13485 8.5.2"]']);
    await ok(['record', 'add', '-t', 'CAPA', '--title', 'Readings lost', '--set', 'source=complaint', '--set', 'dueOn=2000-01-01']);

    const text = await ok(['qms', 'readiness']);
    expect(text).toMatch(/^ISO 13485 readiness of RPM on \d{4}-\d{2}-\d{2}\nscore 0%: 0 of \d+ applicable clauses met/);
    expect(text).toContain('8.5.2   DRAFT ONLY Corrective action\n        documents: DOC-1 (draft)\n');
    const report = ReadinessReportSchema.parse(JSON.parse(await ok(['qms', 'readiness', '--format', 'json'])));
    expect(report.clauses.find((c) => c.number === '8.5.2')?.status).toBe('draft_only');
    expect(await ok(['qms', 'readiness', '--format', 'markdown'])).toContain('| 8.5.2 | Corrective action | DRAFT ONLY | DOC-1 (draft) |');
    expect(await runDossier([...db, 'qms', 'readiness', '--format', 'xml'])).toMatchObject({ code: 2, out: '', err: "dossier: --format must be one of text, json, markdown, not 'xml'\n" });

    const check = await runDossier([...db, 'check', '--format', 'json']);
    const findings = (JSON.parse(check.out) as { findings: { clause: string; record: string | null; ruleId: string }[] }).findings;
    expect(findings.filter((f) => f.ruleId.startsWith('ISO13485-8.5.2')).map((f) => `${f.clause} ${f.record ?? '-'} ${f.ruleId}`)).toEqual([
      'ISO 13485 8.5.2 CAPA-1 ISO13485-8.5.2-CAPA-OVERDUE',
      'ISO 13485 8.5.2 - ISO13485-8.5.2-PROCEDURE',
    ]);
  });
});
