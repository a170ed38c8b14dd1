import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CATALOG } from '../../core/catalog/catalog.js';
import type { Block, Cell, GeneratedDocument, Inline, TechnicalFile } from '../../core/documents/model.js';
import { TechnicalFileSchema } from '../../core/documents/schema.js';
import type { Deps } from '../../core/ports.js';
import { seedDemo } from '../../demo/seed-demo.js';
import { shippedTemplates } from '../../ingest/document-templates.js';
import { loadBuiltinPacks } from '../../ingest/rule-pack-file.js';
import { expectAppError, storeSnapshot } from '../../test-support/assertions.js';
import { DIALECTS, freshStore, type TestStore } from '../../test-support/stores.js';
import type { DocumentSources } from '../services/baseline-documents.js';
import { buildDocuments } from './build-documents.js';
import { editRecord } from './edit-record.js';
import { listGeneratedDocuments } from './list-generated-documents.js';

const sources: DocumentSources = { builtinPacks: loadBuiltinPacks(DEFAULT_CATALOG), shippedTemplates: shippedTemplates() };
const AT = '2026-12-01T10:00:00.000Z';

const inlineText = (runs: readonly Inline[]): string => runs.map((r) => r.text).join('');
const cellText = (c: Cell | undefined): string => (c === undefined ? '' : inlineText(c.inlines));
const headings = (d: GeneratedDocument): string[] => d.blocks.flatMap((b) => (b.kind === 'heading' ? [b.text] : []));
const sheet = (d: GeneratedDocument, name: string): Extract<Block, { kind: 'table' }> => {
  const t = d.blocks.find((b): b is Extract<Block, { kind: 'table' }> => b.kind === 'table' && b.sheet === name);
  if (t === undefined) throw new Error(`${d.id} has no sheet ${name}`);
  return t;
};
const row = (t: Extract<Block, { kind: 'table' }>, first: string): readonly Cell[] => {
  const r = t.rows.find((x) => cellText(x[0]) === first);
  if (r === undefined) throw new Error(`no row ${first}`);
  return r;
};
const doc = (f: TechnicalFile, id: string): GeneratedDocument => {
  const d = f.documents.find((x) => x.id === id);
  if (d === undefined) throw new Error(`no document ${id}`);
  return d;
};
const documentTargets = (d: GeneratedDocument): Set<string> => {
  const out = new Set<string>();
  for (const b of d.blocks) if (b.kind === 'table') for (const r of b.rows) for (const c of r) for (const i of c.inlines) if (i.kind === 'link' && 'document' in i.target) out.add(i.target.document);
  return out;
};

describe.each(DIALECTS)('generated documents of the demo on %s', (dialect) => {
  let t: TestStore;
  let deps: Deps;
  let file: TechnicalFile;
  beforeAll(async () => {
    ({ t, deps } = await freshStore(dialect));
    await seedDemo(deps);
    file = TechnicalFileSchema.parse(await buildDocuments(deps, sources, { productKey: 'RPM', release: '1.2.0', generatedAt: AT }));
  }, 120_000);
  afterAll(async () => t.cleanup());

  it('builds every document of release 1.2.0 with its cover data, sections and clauses [DOSSIER-SRS-46]', () => {
    expect(file.baseline.kind).toBe('release');
    expect(file.baseline.label).toBe('1.2.0');
    expect(file.baseline.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(file.documents.map((d) => d.id)).toEqual([
      'software-development-plan',
      'software-requirements',
      'software-architecture',
      'soup-list',
      'verification-report',
      'software-release',
      'problem-resolution',
      'maintenance-plan',
      'risk-management-plan',
      'risk-management-file',
      'risk-table',
      'risk-management-report',
      'design-history-file',
      'trace-matrix',
      'fda-software-documentation',
      'mdr-technical-documentation',
    ]);
    const expected: Record<string, string[]> = {
      'software-development-plan': ['Purpose and scope', 'Life cycle and deliverables', 'Traceability', 'Configuration management', 'Verification', 'Problem resolution', 'Controlled documents'],
      'software-requirements': ['Introduction', 'User needs', 'System requirements', 'Software requirements'],
      'software-architecture': ['Software items', 'Interfaces', 'SOUP used by the items', 'Item descriptions'],
      'soup-list': ['SOUP components', 'Vulnerabilities'],
      'verification-report': ['Test runs', 'Results per requirement', 'Test cases'],
      'software-release': ['Release', 'Release gate', 'Known residual anomalies', 'Release signatures'],
      'problem-resolution': ['Anomalies', 'Residual anomalies', 'Change requests'],
      'maintenance-plan': ['Feedback and problem reports', 'Post-production information', 'Vulnerability monitoring', 'Re-release'],
      'risk-management-plan': ['Scope', 'Risk acceptability', 'Activities'],
      'risk-management-file': ['Where each part of the risk management file is'],
      'risk-table': ['Risk table', 'Risk controls'],
      'risk-management-report': ['Intended use', 'Summary of risks', 'Overall residual risk and benefit-risk', 'Reviews'],
      'design-history-file': ['Design and development file of VitalLink Remote Patient Monitoring'],
      'trace-matrix': ['User needs to validation', 'Requirements to verification', 'Risk controls to requirements and verification'],
      'fda-software-documentation': ['Documentation level', 'Documentation elements'],
      'mdr-technical-documentation': ['Technical documentation of VitalLink Remote Patient Monitoring'],
    };
    for (const d of file.documents) {
      expect(headings(d), d.id).toEqual(expected[d.id]);
      expect(d.product.key).toBe('RPM');
      expect(d.baseline).toEqual(file.baseline);
      expect(d.generatedAt).toBe(AT);
      expect(d.clauses.length).toBeGreaterThan(0);
      expect(d.contentHash).toMatch(/^[0-9a-f]{64}$/);
      expect(d.history.length).toBeGreaterThan(0);
      // Every gap is also in place as a gap block.
      const inPlace = JSON.stringify(d.blocks);
      for (const g of d.gaps) expect(inPlace).toContain(JSON.stringify(g).slice(1, -1));
    }
    expect(doc(file, 'software-requirements').records).toEqual(expect.arrayContaining(['SRS-1', 'SRS-20', 'SYS-1', 'UN-1']));
    expect(doc(file, 'software-requirements').blocks.some((b) => b.kind === 'record' && b.key === 'SRS-3' && b.body.length > 0)).toBe(true);
  });

  it('takes history and approval signatures from the controlling DOC record, else from the baseline [DOSSIER-SRS-46]', () => {
    const sdp = doc(file, 'software-development-plan');
    expect(sdp.records).toContain('DOC-1');
    expect(sdp.history[0]).toMatchObject({ revision: '1', description: 'Software development plan' });
    expect(sdp.signatures.map((s) => s.meaning).sort()).toEqual(['Approved', 'Reviewed']);
    for (const s of sdp.signatures) {
      expect(s.printedName).not.toBe('');
      expect(s.at).toMatch(/Z$/);
      expect(s.signed).toBe('RPM/DOC-1@1');
    }
    const srs = doc(file, 'software-requirements');
    expect(srs.history).toHaveLength(1);
    expect(srs.history[0]).toMatchObject({ revision: '1.2.0 (baseline 1)', author: 'dana.engineer', description: 'Generated from the frozen baseline of release 1.2.0' });
    expect(srs.history[0]?.date).toMatch(/^\d{4}-\d\d-\d\d$/);
    expect(srs.gaps).toEqual([]);
  });

  it('marks the trace matrix gaps the demo has: UN-10 not validated, unverified requirements, the suspect SRS-3 link [DOSSIER-SRS-12]', () => {
    const tm = doc(file, 'trace-matrix');
    expect(tm.gaps).toEqual([
      'user needs without validation: UN-10',
      'requirements without a passing verification: SYS-2, SYS-13, SRS-11, SRS-20',
      'requirements with suspect links to review: SRS-3',
      'risk controls without a requirement or effectiveness evidence: RC-3, RC-4, RC-6, RC-7, RC-9, RC-10, RC-12',
    ]);
    const un = sheet(tm, 'User needs');
    expect(row(un, 'UN-10')[3]?.tone).toBe('gap');
    expect(row(un, 'UN-1')[3]?.tone).toBe('ok');
    const req = sheet(tm, 'Requirements');
    expect(row(req, 'SRS-20')[5]).toMatchObject({ tone: 'gap' });
    expect(cellText(row(req, 'SRS-1')[5])).toBe('passed');
    expect(req.rows.flatMap((r) => r.flatMap((c) => c.inlines)).some((i) => i.kind === 'text' && i.text === ' (suspect)')).toBe(true);
  });

  it('shows the risk table with zones before and after controls, unacceptable risks as warnings', () => {
    const rt = doc(file, 'risk-table');
    const table = sheet(rt, 'Risk table');
    expect(table.rows).toHaveLength(12);
    expect(cellText(row(table, 'RISK-1')[6])).toBe('S3 / P4: unacceptable');
    expect(row(table, 'RISK-1')[6]?.tone).toBe('warning');
    expect(cellText(row(table, 'RISK-1')[8])).toBe('S3 / P1: acceptable');
    expect(row(table, 'RISK-8')[8]).toMatchObject({ tone: 'gap' });
    expect(rt.gaps).toContain('risks without a residual estimate (ISO 14971 7.3): RISK-8, RISK-9');
    expect(sheet(rt, 'Risk controls').rows.length).toBe(12);
  });

  it('lists SOUP with versions and licences, and the untriaged ws vulnerability as a warning', () => {
    const soup = doc(file, 'soup-list');
    const table = sheet(soup, 'SOUP');
    const ws = table.rows.find((r) => cellText(r[1]) === 'ws');
    expect(cellText(ws?.[2])).toBe('6.2.2');
    expect(cellText(ws?.[8])).toContain('GHSA-3h5v-q93c-6h6q');
    expect(cellText(ws?.[8])).toContain('not triaged');
    expect(ws?.[8]?.tone).toBe('warning');
    expect(cellText(row(table, 'SOUP-3')[1])).toBe('openssl');
    expect(soup.gaps.some((g) => g.startsWith('vulnerabilities not shown to leave the product unaffected: VULN-1'))).toBe(true);
    expect(soup.gaps.some((g) => g.startsWith('SOUP without functional or performance requirements (IEC 62304 5.3.3): SOUP-6'))).toBe(true);
    expect(sheet(soup, 'Vulnerabilities').rows).toHaveLength(1);
  });

  it('records that the release gate fails for 1.2.0, with its residual anomaly and no release signature yet', () => {
    const rel = doc(file, 'software-release');
    const text = JSON.stringify(rel.blocks);
    expect(text).toContain('The release gate on baseline 1.2.0 fails');
    expect(rel.gaps.some((g) => /^the release gate on baseline 1\.2\.0 fails with \d+ error findings$/.test(g))).toBe(true);
    expect(rel.gaps).toContain('release 1.2.0 (baseline 1) is not signed');
    expect(sheet(rel, 'Gate findings').rows.some((r) => cellText(r[2]) === 'SRS-20')).toBe(true);
    expect(text).toContain('ANOM-1');
  });

  it('shows test runs and results per requirement in the verification report', () => {
    const vr = doc(file, 'verification-report');
    const results = sheet(vr, 'Test results');
    expect(cellText(row(results, 'SRS-1')[2])).toBe('passed');
    expect(row(results, 'SRS-20')[2]?.tone).toBe('gap');
    expect(vr.gaps).toEqual(["requirements without a passing result in release 1.2.0's runs: SYS-2, SYS-13, SRS-11, SRS-20"]);
    expect(JSON.stringify(vr.blocks)).toContain('junit-1.2.0.xml');
  });

  it('points the FDA, MDR, design history and risk file indexes at the generated documents, with their gaps', () => {
    const fda = doc(file, 'fda-software-documentation');
    expect(JSON.stringify(fda.blocks)).toContain('Documentation level: ');
    expect(JSON.stringify(fda.blocks)).toContain('"Basic"');
    expect([...documentTargets(fda)]).toEqual(expect.arrayContaining(['software-requirements', 'soup-list', 'verification-report', 'risk-table', 'software-architecture']));
    const mdr = doc(file, 'mdr-technical-documentation');
    expect([...documentTargets(mdr)]).toEqual(expect.arrayContaining(['risk-management-file', 'trace-matrix', 'software-release']));
    // A document with gaps is marked so where the index points at it.
    const soupRow = sheet(fda, 'FDA software documentation').rows.find((r) => cellText(r[0]) === 'Off-the-shelf software');
    expect(cellText(soupRow?.[2])).toMatch(/SOUP list \(\d+ gaps\)/);
    expect(soupRow?.[2]?.tone).toBe('warning');
    expect([...documentTargets(doc(file, 'design-history-file'))]).toContain('trace-matrix');
    expect([...documentTargets(doc(file, 'risk-management-file'))]).toContain('risk-management-plan');
  });

  it('gives one page per record with links both ways, suspect marks, signatures and the documents naming it', () => {
    const srs3 = file.records.find((r) => r.key === 'SRS-3');
    expect(srs3?.typeName).toBe('Software requirement');
    expect(srs3?.upstream.some((l) => l.linkType === 'derives_from' || l.linkType === 'implements')).toBe(true);
    expect([...(srs3?.upstream ?? []), ...(srs3?.downstream ?? [])].some((l) => l.suspect)).toBe(true);
    expect(srs3?.documents?.map((d) => d.id)).toEqual(expect.arrayContaining(['software-requirements', 'trace-matrix']));
    const approved = file.records.find((r) => r.key === 'SRS-1');
    expect(approved?.signatures.length).toBeGreaterThan(0);
    expect(file.records.length).toBeGreaterThan(100);
  });

  it('gives the same content hash on every run and a different generation time [DOSSIER-SRS-46]', async () => {
    const again = await buildDocuments(deps, sources, { productKey: 'RPM', release: '1.2.0', generatedAt: '2027-01-01T00:00:00.000Z', only: ['trace-matrix', 'soup-list'] });
    expect(again.documents.map((d) => d.contentHash)).toEqual([doc(file, 'soup-list').contentHash, doc(file, 'trace-matrix').contentHash]);
  });

  it('lets a team override a template by file name, and refuses one that calls an unknown part, naming the file', async () => {
    const override = `---\ntitle: Our SRS\nclauses: [IEC 62304 5.2]\n---\n# Scope of {{product.key}}\n\nOur words.\n\n{{{part "record-table" "SRS"}}}\n`;
    const f = await buildDocuments(deps, sources, { productKey: 'RPM', release: '1.2.0', generatedAt: AT, only: ['software-requirements'], templates: { 'software-requirements': override }, templatesFrom: 'ours' });
    const d = doc(f, 'software-requirements');
    expect(d.title).toBe('Our SRS');
    expect(headings(d)).toEqual(['Scope of RPM']);
    expect(d.blocks.some((b) => b.kind === 'table' && b.rows.length === 20)).toBe(true);
    expect(d.contentHash).not.toBe(doc(file, 'software-requirements').contentHash);
    await expectAppError(
      buildDocuments(deps, sources, { productKey: 'RPM', templates: { 'software-requirements': override.replace('record-table', 'nonsense') }, templatesFrom: 'ours' }),
      'INVALID_INPUT',
      /ours\/software-requirements\.md: unknown part "nonsense"/,
    );
    await expectAppError(buildDocuments(deps, sources, { productKey: 'RPM', templates: { srs: 'no front matter' }, templatesFrom: 'ours' }), 'INVALID_INPUT', /ours\/srs\.md:1: a template starts with front matter/);
    await expectAppError(buildDocuments(deps, sources, { productKey: 'RPM', only: ['nope'] }), 'INVALID_INPUT', /unknown document nope/);
  });

  it('refuses an unknown release, naming it, and changes nothing', async () => {
    const before = await storeSnapshot(deps);
    await expectAppError(buildDocuments(deps, sources, { productKey: 'RPM', release: '9.9.9' }), 'NOT_FOUND', /release RPM 9\.9\.9 does not exist/);
    await expectAppError(listGeneratedDocuments(deps, sources, { productKey: 'RPM', release: '9.9.9' }), 'NOT_FOUND', /9\.9\.9/);
    expect(await storeSnapshot(deps)).toBe(before);
  });

  it('lists the documents of a baseline with their clauses and gaps', async () => {
    const l = await listGeneratedDocuments(deps, sources, { productKey: 'RPM', release: '1.2.0', generatedAt: AT });
    expect(l.baseline).toEqual(file.baseline);
    expect(l.documents).toHaveLength(16);
    const byId = new Map(l.documents.map((d) => [d.id, d]));
    expect(byId.get('software-requirements')).toMatchObject({ title: 'Software requirements specification', clauses: ['IEC 62304 5.2', 'ISO 13485 7.3.3'], complete: true, gaps: [] });
    expect(byId.get('trace-matrix')).toMatchObject({ complete: false });
    expect(byId.get('trace-matrix')?.gaps).toHaveLength(4);
  });

  it('documents the current state too; its hash follows the records, and an edit changes the document that shows it', async () => {
    const now1 = await buildDocuments(deps, sources, { productKey: 'RPM', generatedAt: AT, only: ['software-requirements', 'soup-list'] });
    expect(now1.baseline.kind).toBe('now');
    expect(now1.baseline.label).toBe('current state');
    const now2 = await buildDocuments(deps, sources, { productKey: 'RPM', generatedAt: '2027-02-02T00:00:00.000Z', only: ['software-requirements', 'soup-list'] });
    expect(now2.documents.map((d) => d.contentHash)).toEqual(now1.documents.map((d) => d.contentHash));
    await editRecord({ ...deps, actor: { id: 'dana.engineer' } }, { productKey: 'RPM', record: 'SRS-1', baseRevision: 1, body: 'Pairing asks the patient to confirm their name first.', reason: 'clearer wording' });
    const now3 = await buildDocuments(deps, sources, { productKey: 'RPM', generatedAt: AT, only: ['software-requirements', 'soup-list'] });
    expect(now3.baseline.hash).not.toBe(now1.baseline.hash);
    expect(now3.documents[0]?.contentHash).not.toBe(now1.documents[0]?.contentHash);
    expect(JSON.stringify(now3.documents[0]?.blocks)).toContain('Pairing asks the patient to confirm their name first.');
    // The release's documents do not move: its baseline is frozen.
    const rel = await buildDocuments(deps, sources, { productKey: 'RPM', release: '1.2.0', generatedAt: AT, only: ['software-requirements'] });
    expect(rel.documents[0]?.contentHash).toBe(doc(file, 'software-requirements').contentHash);
  });
});
