import { describe, expect, it } from 'vitest';
import { addLinks } from '../app/use-cases/add-links.js';
import { addRecords } from '../app/use-cases/add-records.js';
import { listAuditEvents } from '../app/use-cases/list-audit-events.js';
import { aProduct } from '../test-support/factories.js';
import { useCli } from '../test-support/cli.js';
import { DIALECTS, testDeps } from '../test-support/stores.js';

describe.each(DIALECTS)('dossier qms audit, review, suppliers and metrics on %s', (dialect) => {
  const cli = useCli(dialect);
  const dossier = cli.dossier;

  async function seed(): Promise<void> {
    const deps = testDeps(cli.t().store);
    await aProduct(deps);
    await addRecords(deps, {
      productKey: 'RPM',
      records: [
        { type: 'DOC', title: 'CAPA procedure', fields: { docType: 'procedure', owner: 'dana', clauses: ['ISO 13485 8.5.2'] } },
        { type: 'AUD', title: 'Improvement', fields: { cycle: '2026', scope: ['ISO 13485 8.5'], auditor: 'dana', plannedOn: '2026-02-01' } },
        { type: 'AF', title: 'No effectiveness check', fields: { grade: 'major', clause: 'ISO 13485 8.5.2' } },
        { type: 'MREV', title: 'Review Q4', fields: { periodFrom: '2025-10-01', periodTo: '2025-12-31' } },
        { type: 'SUP', title: 'Cloud host', fields: { kind: 'cloud_provider', scope: 'hosting', criticality: 'high', state: 'evaluating', evaluatedOn: '2020-01-01', evaluation: 'first look' } },
        { type: 'SOUP', title: 'zlib', fields: { package: 'zlib' } },
      ],
    });
    await addLinks(deps, { productKey: 'RPM', links: [{ from: 'AF-1', type: 'found_in', to: 'AUD-1' }] });
  }

  it('prints the programme (exit 1: clauses uncovered, auditor not independent) and the checklist [DOSSIER-SRS-42]', async () => {
    await seed();
    const p = await dossier('qms', 'audit', 'programme', '--cycle', '2026');
    expect(p.code).toBe(1);
    expect(p.out).toMatch(/audit programme of RPM, cycle 2026: 3 of \d+ applicable clauses covered/);
    expect(p.out).toMatch(/^AUD-1\s+planned\s+dana\s+2026-02-01\s+-\s+8\.5\s+1\s+0\s+0\s+1\s+1\s+Improvement$/m);
    expect(p.out).toMatch(/AUD-1 AF-1 major ISO 13485 8\.5\.2 open: no CAPA addresses it/);
    expect(p.out).toMatch(/AUD-1: auditor dana owns DOC-1 \(clause 8\.5\): not independent/);
    expect(p.out).toMatch(/not covered \(\d+\): 4\.1, /);
    const json = JSON.parse((await dossier('--json', 'qms', 'audit', 'programme')).out) as { coverage: { covered: number } };
    expect(json.coverage.covered).toBe(3);

    const c = await dossier('qms', 'audit', 'checklist', 'AUD-1');
    expect(c.code).toBe(0);
    expect(c.out).toMatch(/\[ \] 8\.5\.2 Corrective action\n {4}.+\?\n {4}document DOC-1 "CAPA procedure" \(draft, no version in force\)\n {4}records: CAPA 0, AF 1/);

    // The audit cannot start with dana as auditor (exit 2, nothing written).
    const events = (await listAuditEvents(testDeps(cli.t().store), { limit: 10_000 })).length;
    const start = await dossier('record', 'edit', 'AUD-1', '--base', '1', '--set', 'state=in_progress');
    expect(start.code).toBe(2);
    expect(start.err).toMatch(/RPM\/AUD-1: the auditor may not audit their own work: dana owns DOC-1 "CAPA procedure" \(clause 8\.5\)/);
    expect((await listAuditEvents(testDeps(cli.t().store), { limit: 10_000 })).length).toBe(events);
  });

  it('prints the review inputs, compiles a review once, lists suppliers and metrics [DOSSIER-SRS-45]', async () => {
    await seed();
    const i = await dossier('qms', 'review', 'inputs', '--from', '2025-10-01', '--to', '2025-12-31', '--as-of', '2026-01-01');
    expect(i.code).toBe(0);
    expect(i.out).toMatch(/management review inputs of RPM, 2025-10-01 to 2025-12-31 \(as of 2026-01-01; sha256:[0-9a-f]{64}\)/);
    expect(i.out).toMatch(/open findings: AF-1 major \(no CAPA\)/);
    expect(i.out).toMatch(/Training\n {2}no training records/);
    const json = JSON.parse((await dossier('qms', 'review', 'inputs', '--from', '2025-10-01', '--to', '2025-12-31', '--format', 'json')).out) as { digest: string };
    expect(json.digest).toMatch(/^sha256:/);
    const bad = await dossier('qms', 'review', 'inputs', '--from', '2025-13', '--to', '2025-12-31');
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/--from must be a day, YYYY-MM-DD, not '2025-13'/);

    const c = await dossier('qms', 'review', 'compile', 'MREV-1', '--reason', 'Q4 inputs');
    expect(c.code).toBe(0);
    expect(c.out).toMatch(/MREV-1 is now inputs_compiled at revision 2 \(inputs sha256:[0-9a-f]{64}\)/);
    const again = await dossier('qms', 'review', 'compile', 'MREV-1');
    expect(again.code).toBe(2);
    expect(again.err).toMatch(/RPM\/MREV-1 is inputs compiled: only a planned review is compiled/);
    const log = await dossier('audit', 'log', '--entity', 'RPM/MREV-1');
    expect(log.out).toMatch(/erin\s+RECORD_REVISED\s+RPM\/MREV-1\s+Q4 inputs/);

    const s = await dossier('qms', 'suppliers', '--as-of', '2026-01-10');
    expect(s.code).toBe(1);
    expect(s.out).toMatch(/^SUP-1\s+no\s+evaluating\s+no\s+high\s+cloud_provider\s+2020-01-01\s+2021-01-01 OVERDUE\s+-\s+Cloud host$/m);
    expect(s.out).toMatch(/SOUP without a supplier \(1\): SOUP-1 zlib/);
    expect(s.out).toMatch(/approved-supplier list as of 2026-01-10: empty/);

    const m = await dossier('qms', 'metrics', '--from', '2025-11-01', '--to', '2026-01-31', '--format', 'json');
    expect(m.code).toBe(0);
    const metrics = JSON.parse(m.out) as { months: string[]; auditFindings: { raised: number }[] };
    expect(metrics.months).toEqual(['2025-11', '2025-12', '2026-01']);
    expect(metrics.auditFindings.map((f) => f.raised)).toEqual([0, 0, 1]);
    const text = await dossier('qms', 'metrics', '--from', '2026-01-01', '--to', '2026-01-31');
    expect(text.out).toMatch(/^2026-01\s+0\s+none\s+0\s+-\s+0\s+-\s+-\s+1\s+0\s+1$/m);
  });
});
