import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_CATALOG } from '../../core/catalog/catalog.js';
import type { Product } from '../../core/entities.js';
import type { Deps, StoreReader } from '../../core/ports.js';
import type { QmsFacts } from '../../core/qms/facts.js';
import { readinessMarkdown, readinessText } from '../../export/readiness-report.js';
import { loadBuiltinPacks } from '../../ingest/rule-pack-file.js';
import { expectAppError } from '../../test-support/assertions.js';
import { aProduct } from '../../test-support/factories.js';
import { DIALECTS, freshStore, type TestStore } from '../../test-support/stores.js';
import { addRecord } from './add-record.js';
import { changeRecordStatus } from './change-record-status.js';
import { getQmsReadiness } from './get-qms-readiness.js';
import { listAuditEvents } from './list-audit-events.js';
import { runCheck } from './run-check.js';

// Document control (another area's work) decides which versions are in force. Until its loader is merged, this
// stand-in says: every approved procedure is in force, effective on 2024-12-01 with the review interval of its
// fields. It reads the store like the real loader, so approval by the local operator is what makes a procedure count.
vi.mock('../services/qms-facts.js', () => ({
  loadQmsFacts: async (r: StoreReader, product: Product): Promise<QmsFacts> => {
    const docs = await r.listRecords({ productId: product.id, type: 'DOC', status: 'approved' });
    const documents = await Promise.all(
      docs.map(async (d) => {
        const rev = await r.findRevision(d.id, d.latestRevision);
        const months = rev?.fields['reviewIntervalMonths'];
        return {
          recordId: d.id,
          key: d.key,
          revision: d.latestRevision,
          version: typeof rev?.fields['version'] === 'string' ? rev.fields['version'] : null,
          effectiveOn: '2024-12-01',
          lastReviewedOn: null,
          reviewIntervalMonths: typeof months === 'number' ? months : null,
        };
      }),
    );
    return { documents, trainings: [], untrainedSignatures: [] };
  },
}));

const packs = loadBuiltinPacks(DEFAULT_CATALOG);

/** A procedure approved by the local operator (a status change, no e-signature). */
async function procedure(deps: Deps, title: string, clauses: string[], extra: Record<string, unknown> = {}): Promise<string> {
  const r = await addRecord(deps, { productKey: 'RPM', record: { type: 'DOC', title, fields: { docType: 'procedure', version: '1.0', clauses, ...extra } } });
  await changeRecordStatus(deps, { productKey: 'RPM', record: r.key, to: 'in_review', baseRevision: 1 });
  await changeRecordStatus(deps, { productKey: 'RPM', record: r.key, to: 'approved', baseRevision: 1 });
  return r.key;
}

describe.each(DIALECTS)('qms readiness and the iso13485 pack on %s', (dialect) => {
  let t: TestStore;
  let deps: Deps;
  beforeEach(async () => {
    ({ t, deps } = await freshStore(dialect));
    await aProduct(deps);
  });
  afterEach(async () => t.cleanup());

  it('a product without procedures in Dossier gets no iso13485 finding, and its readiness is honest (score 0)', async () => {
    await addRecord(deps, { productKey: 'RPM', record: { type: 'SRS', title: 'Upload uses TLS 1.3 only' } });
    const check = await runCheck(deps, { productKey: 'RPM', builtinPacks: packs });
    expect(check.packs).toContain('iso13485');
    expect(check.findings.filter((f) => f.pack === 'iso13485')).toEqual([]);
    const r = await getQmsReadiness(deps, { productKey: 'RPM' }, packs);
    expect(r.score.met).toBe(0);
    expect(r.score.percent).toBe(0);
  });

  it('reports per clause the procedures in force or only draft, the records, an overdue CAPA, and the score [DOSSIER-SRS-45]', async () => {
    const capaSop = await procedure(deps, 'Corrective and preventive action', ['ISO 13485 8.5']);
    const docSop = await procedure(deps, 'Document and record control', ['ISO 13485 4.2.4', 'ISO 13485 4.2.5'], { reviewIntervalMonths: 12 });
    const draft = await addRecord(deps, { productKey: 'RPM', record: { type: 'DOC', title: 'Complaint handling', fields: { docType: 'procedure', clauses: ['ISO 13485 8.2.2'] } } });
    // The test clock reads 2026-01-01: due 2025-12-01 is late.
    const capa = await addRecord(deps, {
      productKey: 'RPM',
      record: { type: 'CAPA', title: 'Readings lost on reconnect', fields: { source: 'complaint', dueOn: '2025-12-01' } },
    });
    await addRecord(deps, { productKey: 'RPM', record: { type: 'CAPA', title: 'Retry policy', fields: { source: 'trend', kind: 'preventive', dueOn: '2026-03-01' } } });
    const before = await listAuditEvents(deps, {});

    const r = await getQmsReadiness(deps, { productKey: 'RPM' }, packs);
    const c = (n: string): (typeof r.clauses)[number] => r.clauses.find((x) => x.number === n) ?? expect.unreachable(n);
    expect(r.today).toBe('2026-01-01');
    expect(c('8.5.2')).toMatchObject({
      status: 'overdue',
      documents: [{ key: capaSop, inForce: true, status: 'approved', version: '1.0' }],
      overdue: [{ record: capa.key, kind: 'capa', what: 'the CAPA is open past its due date', dueOn: '2025-12-01' }],
    });
    expect(c('8.5.2').records).toContainEqual({ type: 'CAPA', count: 2 });
    expect(c('8.5.2').rules).toEqual(expect.arrayContaining(['ISO13485-8.5.2-CAPA-OVERDUE', 'ISO13485-8.5.2-PROCEDURE']));
    expect(c('8.5.3').status).toBe('met');
    // Effective 2024-12-01, reviewed every 12 months: the review was due 2025-12-01.
    expect(c('4.2.4')).toMatchObject({ status: 'overdue', overdue: [{ record: docSop, kind: 'document_review', dueOn: '2025-12-01' }] });
    expect(c('4.2.5').status).toBe('met');
    expect(c('8.2.2')).toMatchObject({ status: 'draft_only', documents: [{ key: draft.key, inForce: false, status: 'draft' }] });
    expect(c('8.3').status).toBe('missing');
    // Met: 8.5.1 (a procedure citing 8.5 covers it), 8.5.3, 4.2.5.
    expect(r.score).toMatchObject({ met: 3, applicable: r.clauses.length - r.counts.notApplicable, percent: Math.floor(300 / r.score.applicable) });
    expect(readinessText(r)).toContain(`how: ${r.score.method}`);
    expect(readinessMarkdown(r)).toContain(`- overdue: ${capa.key}: the CAPA is open past its due date (due 2025-12-01)`);
    // A report writes nothing: no audit event.
    expect(await listAuditEvents(deps, {})).toEqual(before);

    const check = await runCheck(deps, { productKey: 'RPM', builtinPacks: packs });
    const qms = check.findings.filter((f) => f.pack === 'iso13485').map((f) => `${f.clause} ${f.record ?? '-'} ${f.ruleId}`);
    expect(qms).toEqual([
      'ISO 13485 4.2.2 - ISO13485-4.2.2-QUALITY-MANUAL',
      `ISO 13485 4.2.4 ${docSop} ISO13485-4.2.4-DOCUMENT-REVIEW-OVERDUE`,
      'ISO 13485 5.6.1 - ISO13485-5.6.1-PROCEDURE',
      'ISO 13485 6.2 - ISO13485-6.2-PROCEDURE',
      'ISO 13485 7.3.1 - ISO13485-7.3.1-PROCEDURE',
      'ISO 13485 7.4.1 - ISO13485-7.4.1-PROCEDURE',
      'ISO 13485 8.2.2 - ISO13485-8.2.2-PROCEDURE',
      'ISO 13485 8.2.3 - ISO13485-8.2.3-PROCEDURE',
      'ISO 13485 8.2.4 - ISO13485-8.2.4-PROCEDURE',
      'ISO 13485 8.3 - ISO13485-8.3-PROCEDURE',
      `ISO 13485 8.5.2 ${capa.key} ISO13485-8.5.2-CAPA-OVERDUE`,
    ]);
    expect(check.findings.find((f) => f.record === capa.key)?.message).toContain(`${capa.key} is late`);
  });

  it('finds a late complaint report, a supplier overdue for re-evaluation and a critical supplier not approved [DOSSIER-SRS-40]', async () => {
    await addRecord(deps, {
      productKey: 'RPM',
      record: {
        type: 'CMP',
        title: 'Alarm not shown',
        fields: { receivedOn: '2025-12-01', channel: 'email', awareOn: '2025-12-01', euReportability: 'serious_incident', reportabilityRationale: 'a delayed alarm' },
      },
    });
    await addRecord(deps, { productKey: 'RPM', record: { type: 'SUP', title: 'Cloud host', fields: { kind: 'cloud_provider', scope: 'hosting', criticality: 'high' } } });
    await addRecord(deps, {
      productKey: 'RPM',
      record: { type: 'SUP', title: 'Chart library vendor', fields: { state: 'approved', kind: 'soup_vendor', scope: 'charts', criticality: 'low', evaluation: 'maintained, CVE process', evaluatedOn: '2024-06-01' } },
    });
    const check = await runCheck(deps, { productKey: 'RPM', builtinPacks: packs });
    expect(check.findings.filter((f) => f.pack === 'iso13485').map((f) => `${f.severity} ${f.clause} ${f.record ?? '-'} ${f.ruleId}`)).toEqual([
      'warning ISO 13485 7.4.1 SUP-1 ISO13485-7.4.1-CRITICAL-SUPPLIER-APPROVED',
      'warning ISO 13485 7.4.1 SUP-2 ISO13485-7.4.1-SUPPLIER-REEVALUATION',
      'error ISO 13485 8.2.3 CMP-1 ISO13485-8.2.3-REPORT-LATE',
    ]);
    const r = await getQmsReadiness(deps, { productKey: 'RPM' }, packs);
    expect(r.clauses.find((x) => x.number === '7.4.1')?.overdue).toEqual([
      { record: 'SUP-2', kind: 'supplier_reevaluation', what: 'SUP-2 is overdue for re-evaluation', dueOn: '2025-06-01' },
    ]);
    expect(r.clauses.find((x) => x.number === '8.2.3')?.overdue).toEqual([
      { record: 'CMP-1', kind: 'report', what: 'the EU report (serious incident) is not sent', dueOn: '2025-12-16' },
    ]);
  });

  it('refuses an unknown product', async () => {
    await expectAppError(getQmsReadiness(deps, { productKey: 'NOPE' }, packs), 'NOT_FOUND', /NOPE/);
  });
});
