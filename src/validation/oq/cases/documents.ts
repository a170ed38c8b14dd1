import assert from 'node:assert/strict';
import type { DocumentSources } from '../../../app/services/baseline-documents.js';
import { addLinks } from '../../../app/use-cases/add-links.js';
import { addRecords } from '../../../app/use-cases/add-records.js';
import { buildDocuments } from '../../../app/use-cases/build-documents.js';
import { createRelease } from '../../../app/use-cases/create-release.js';
import { editRecord } from '../../../app/use-cases/edit-record.js';
import { renderGeneratedDocument } from '../../../app/use-cases/render-generated-document.js';
import type { GeneratedDocument, TechnicalFile } from '../../../core/documents/model.js';
import { renderHtmlSite } from '../../../export/documents/html-site.js';
import { shippedTemplates } from '../../../ingest/document-templates.js';
import type { OqCase } from '../oq-case.js';
import { refused } from './records.js';
import { aProduct, junitRun, P, testcase } from './support.js';

const doc = (f: TechnicalFile, id: string): GeneratedDocument => f.documents.find((d) => d.id === id) ?? assert.fail(`no document ${id}`);

export const DOCUMENT_CASES: readonly OqCase[] = [
  {
    id: 'OQ-24',
    title: 'the 62304, 14971 and design-control documents are generated from a release with cover, history and gaps in place, and the same content hash for the same baseline',
    verifies: ['SRS-46'],
    async run({ deps, services }) {
      const sources: DocumentSources = { builtinPacks: services.builtinPacks(), shippedTemplates: shippedTemplates() };
      await aProduct(deps);
      await addRecords(deps, {
        productKey: P,
        records: [
          { type: 'DOC', title: 'Software development plan', fields: { docType: 'plan' } },
          { type: 'UN', title: 'Care team sees new readings within 5 minutes' },
          { type: 'SYS', title: 'Readings reach the console within 5 minutes' },
          { type: 'SRS', title: 'Upload retries every 30 s' },
          { type: 'SRS', title: 'Upload uses TLS 1.3 only' },
          { type: 'TC', title: 'Upload retried after a dropped connection', fields: { level: 'integration' } },
        ],
      });
      await addLinks(deps, {
        productKey: P,
        links: [
          { from: 'SYS-1', type: 'derives_from', to: 'UN-1' },
          { from: 'SRS-1', type: 'derives_from', to: 'SYS-1' },
          { from: 'SRS-2', type: 'derives_from', to: 'SYS-1' },
          { from: 'TC-1', type: 'verifies', to: 'SRS-1' },
        ],
      });
      await junitRun(deps, testcase('[TC-1] retries after a drop'), { hash: 'a', version: '1.0.0' });
      await createRelease(deps, { productKey: P, version: '1.0.0' });
      const first = await buildDocuments(deps, sources, { productKey: P, release: '1.0.0', generatedAt: '2026-12-01T10:00:00.000Z' });
      const ids = first.documents.map((d) => d.id);
      for (const id of ['software-development-plan', 'software-requirements', 'verification-report', 'risk-management-file', 'risk-table', 'design-history-file', 'trace-matrix']) {
        assert.ok(ids.includes(id), `no ${id} among ${ids.join(', ')}`);
      }
      assert.equal(first.baseline.kind, 'release');
      assert.equal(first.baseline.label, '1.0.0');
      assert.match(first.baseline.hash, /^[0-9a-f]{64}$/);
      for (const d of first.documents) {
        assert.equal(d.product.key, P, d.id);
        assert.deepEqual(d.baseline, first.baseline, d.id);
        assert.ok(d.clauses.length > 0, `${d.id} names no clause`);
        assert.ok(d.history.length > 0, `${d.id} has no revision history`);
        assert.match(d.contentHash, /^[0-9a-f]{64}$/);
        // Every gap is shown in place, not only listed.
        const inPlace = JSON.stringify(d.blocks);
        for (const g of d.gaps) assert.ok(inPlace.includes(JSON.stringify(g).slice(1, -1)), `${d.id}: gap not in place: ${g}`);
      }
      assert.ok(doc(first, 'software-requirements').records.includes('SRS-2'));
      const tm = doc(first, 'trace-matrix');
      assert.ok(tm.gaps.some((g) => g.includes('SRS-2')), `the trace matrix does not show SRS-2 untested: ${tm.gaps.join('; ')}`);
      assert.ok(!tm.gaps.some((g) => /\bSRS-1\b/.test(g)), tm.gaps.join('; '));

      // The same baseline gives the same content hashes, whenever it is generated and whatever changed since.
      await editRecord(deps, { productKey: P, record: 'SRS-2', baseRevision: 1, title: 'Upload uses TLS 1.3 only, with pinning' });
      const again = await buildDocuments(deps, sources, { productKey: P, release: '1.0.0', generatedAt: '2027-01-01T00:00:00.000Z' });
      assert.deepEqual(again.documents.map((d) => [d.id, d.contentHash]), first.documents.map((d) => [d.id, d.contentHash]));
      const now = await buildDocuments(deps, sources, { productKey: P, only: ['software-requirements'] });
      assert.equal(now.baseline.label, 'current state');
      assert.notEqual(now.documents[0]?.contentHash, doc(first, 'software-requirements').contentHash, 'the current state shows the old requirement');

      // The formats carry the same document: a DOCX of the release, and the HTML site with the gap in place.
      const docx = await renderGeneratedDocument(deps, sources, { productKey: P, release: '1.0.0', document: 'trace-matrix', format: 'docx' });
      assert.equal(docx.contentHash, tm.contentHash);
      assert.equal(Buffer.from(docx.base64, 'base64').subarray(0, 2).toString('latin1'), 'PK');
      const pages = new Map<string, string>();
      renderHtmlSite(first, (path, content) => pages.set(path, content));
      const page = [...pages].find(([path]) => path.includes('trace-matrix') && path.endsWith('.html'))?.[1] ?? assert.fail(`no trace matrix page among ${[...pages.keys()].join(', ')}`);
      assert.match(page, /SRS-2/);
      await refused(buildDocuments(deps, sources, { productKey: P, release: '9.9.9' }), 'NOT_FOUND', /release OQ 9\.9\.9 does not exist/);
    },
  },
];
