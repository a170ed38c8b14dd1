import assert from 'node:assert/strict';
import { addLink } from '../../../app/use-cases/add-link.js';
import { addLinks } from '../../../app/use-cases/add-links.js';
import { addRecords } from '../../../app/use-cases/add-records.js';
import { confirmLinks } from '../../../app/use-cases/confirm-links.js';
import { editRecord } from '../../../app/use-cases/edit-record.js';
import { getTraceMatrixUseCase, type TraceMatrixPage } from '../../../app/use-cases/get-trace-matrix.js';
import { listAuditEvents } from '../../../app/use-cases/list-audit-events.js';
import { listSuspectLinks } from '../../../app/use-cases/list-suspect-links.js';
import { removeLink } from '../../../app/use-cases/remove-link.js';
import type { OqCase, OqContext } from '../oq-case.js';
import { refused } from './records.js';
import { aProduct, operator, P, runAs, snapshot } from './support.js';

/** UN-1 ← SYS-1 ← SRS-1 ← TC-1 and SWI-1 → SRS-1; UN-2, SRS-2 and TC-2 with nothing joining them. */
async function tracedProduct({ deps }: OqContext): Promise<void> {
  await aProduct(deps);
  await addRecords(deps, {
    productKey: P,
    records: [
      { type: 'UN', title: 'Care team sees new readings within 5 minutes' },
      { type: 'UN', title: 'Patients can pause monitoring' },
      { type: 'SYS', title: 'Readings reach the console within 5 minutes' },
      { type: 'SRS', title: 'Upload retries every 30 s' },
      { type: 'SRS', title: 'Upload uses TLS 1.3 only' },
      { type: 'TC', title: 'Upload retried after a dropped connection', fields: { level: 'integration' } },
      { type: 'TC', title: 'TLS 1.2 handshake is refused', fields: { level: 'integration' } },
      { type: 'SWI', title: 'Upload client', fields: { level: 'item', safetyClass: 'B' } },
    ],
  });
  await addLinks(deps, {
    productKey: P,
    links: [
      { from: 'SYS-1', type: 'derives_from', to: 'UN-1' },
      { from: 'SRS-1', type: 'derives_from', to: 'SYS-1' },
      { from: 'TC-1', type: 'verifies', to: 'SRS-1' },
      { from: 'SWI-1', type: 'implements', to: 'SRS-1' },
    ],
  });
}

export const TRACE_CASES: readonly OqCase[] = [
  {
    id: 'OQ-8',
    title: 'a link whose type does not allow its two record types, or that would close a cycle its type forbids, is refused naming both records, and nothing is written',
    verifies: ['SRS-11'],
    async run({ deps }) {
      await aProduct(deps);
      await addRecords(deps, {
        productKey: P,
        records: [
          { type: 'SRS', title: 'Upload uses TLS 1.3 only' },
          { type: 'TC', title: 'TLS 1.2 handshake is refused', fields: { level: 'integration' } },
          { type: 'HAZ', title: 'Reading altered in transit', fields: { category: 'security' } },
          { type: 'SEQ', title: 'Payload rewritten', fields: { cause: 'security_threat' } },
          { type: 'SEQ', title: 'Rewritten payload accepted', fields: { cause: 'software_failure' } },
          { type: 'HS', title: 'Clinician acts on an altered reading' },
        ],
      });
      await addLinks(deps, { productKey: P, links: [{ from: 'HAZ-1', type: 'leads_to', to: 'SEQ-1' }, { from: 'SEQ-1', type: 'leads_to', to: 'SEQ-2' }] });
      const before = await snapshot(deps);
      await refused(addLink(deps, { productKey: P, link: { from: 'SRS-1', type: 'verifies', to: 'TC-1' } }), 'INVALID_INPUT', /'verifies' link cannot go from SRS-1 \(SRS\) to TC-1 \(TC\)/);
      await refused(addLink(deps, { productKey: P, link: { from: 'HS-1', type: 'results_in', to: 'HAZ-1' } }), 'INVALID_INPUT', /HS-1.*HAZ-1/);
      await refused(addLink(deps, { productKey: P, link: { from: 'TC-1', type: 'checks', to: 'SRS-1' } }), 'INVALID_INPUT', /unknown link type 'checks'/);
      await refused(addLink(deps, { productKey: P, link: { from: 'SRS-1', type: 'refines', to: 'SRS-1' } }), 'INVALID_INPUT', /cannot link to itself/);
      await refused(addLink(deps, { productKey: P, link: { from: 'SEQ-2', type: 'leads_to', to: 'SEQ-1' } }), 'INVALID_INPUT', /SEQ-2 leads_to SEQ-1 would close a cycle \(SEQ-2 → SEQ-1 → SEQ-2\)/);
      // One forbidden link in a batch: the allowed one before it is not kept either.
      await refused(
        addLinks(deps, { productKey: P, links: [{ from: 'TC-1', type: 'verifies', to: 'SRS-1' }, { from: 'SRS-1', type: 'verifies', to: 'TC-1' }] }),
        'INVALID_INPUT',
        /SRS-1.*TC-1/,
      );
      assert.equal(await snapshot(deps), before, 'a refused link left something in the store');
      // The allowed pair is accepted.
      const l = await addLink(deps, { productKey: P, link: { from: 'TC-1', type: 'verifies', to: 'SRS-1' } });
      assert.equal(`${l.fromKey} ${l.type} ${l.toKey}`, 'TC-1 verifies SRS-1');
    },
  },
  {
    id: 'OQ-9',
    title: 'the trace matrix lists every source record with its targets through the chain and marks one without any as a gap, at once after a link is added or removed',
    verifies: ['SRS-12'],
    async run(ctx) {
      const { deps } = ctx;
      await tracedProduct(ctx);
      const matrix = (from: string, to: string): Promise<TraceMatrixPage> => runAs(ctx, getTraceMatrixUseCase, operator(ctx), { productKey: P, from, to });
      let m = await matrix('UN', 'TC');
      assert.deepEqual(
        m.rows.map((r) => [r.key, r.covered, r.targets.map((t) => t.key)]),
        [
          ['UN-1', true, ['TC-1']],
          ['UN-2', false, []],
        ],
      );
      assert.equal(m.coverage, 0.5);
      assert.deepEqual(m.rows[0]?.targets[0]?.path.map((p) => p.key), ['SYS-1', 'SRS-1', 'TC-1']);
      m = await matrix('SRS', 'TC');
      assert.deepEqual(m.rows.map((r) => [r.key, r.covered]), [['SRS-1', true], ['SRS-2', false]]);
      assert.equal(m.totalRows, 2);
      assert.equal(m.coveredRows, 1);

      // Closing the gap shows at once; removing the only link opens it again.
      const link = await addLink(deps, { productKey: P, link: { from: 'TC-2', type: 'verifies', to: 'SRS-2' } });
      assert.deepEqual((await matrix('SRS', 'TC')).rows.map((r) => [r.key, r.covered]), [['SRS-1', true], ['SRS-2', true]]);
      await removeLink(deps, { productKey: P, linkId: link.id, reason: 'the test checks something else' });
      m = await matrix('SRS', 'TC');
      assert.deepEqual(m.rows.map((r) => [r.key, r.covered, r.targets.length]), [['SRS-1', true, 1], ['SRS-2', false, 0]]);
      await refused(matrix('UN', 'XYZ'), 'INVALID_INPUT', /unknown record type 'XYZ'/);
    },
  },
  {
    id: 'OQ-10',
    title: 'a change that matters downstream makes the links below it suspect until confirmed, with who and why; a change to a local field does not',
    verifies: ['SRS-13'],
    async run(ctx) {
      const { deps } = ctx;
      await tracedProduct(ctx);
      const suspects = async (): Promise<string[]> => (await listSuspectLinks(deps, { productKey: P })).map((s) => `${s.from} ${s.type} ${s.to}: ${s.reason} (${s.cause})`);
      assert.deepEqual(await suspects(), []);
      // A requirement's rationale is local: nothing downstream needs a look.
      await editRecord(deps, { productKey: P, record: 'SRS-1', baseRevision: 1, fields: { rationale: 'field report 12' } });
      assert.deepEqual(await suspects(), []);
      // A user need's text matters to everything below it, down to the test.
      await editRecord(deps, { productKey: P, record: 'UN-1', baseRevision: 1, body: 'Now within 2 minutes.' });
      assert.deepEqual(await suspects(), [
        'SYS-1 derives_from UN-1: upstream_changed (UN-1@2)',
        'SRS-1 derives_from SYS-1: upstream_chain_changed (UN-1@2)',
        'TC-1 verifies SRS-1: upstream_chain_changed (UN-1@2)',
        'SWI-1 implements SRS-1: upstream_chain_changed (UN-1@2)',
      ]);
      const before = await snapshot(deps);
      await refused(confirmLinks(deps, { productKey: P, record: 'UN-2', reason: 'nothing to confirm' }), 'INVALID_INPUT', /UN-2 has no suspect links/);
      await refused(confirmLinks(deps, { productKey: P, all: true, reason: '' }), 'INVALID_INPUT', /reason/);
      assert.equal(await snapshot(deps), before);

      // Confirming one link below leaves the others suspect; confirming the top one clears the chain, audit-trailed.
      await confirmLinks(deps, { productKey: P, linkIds: [3], reason: 'TC-1 still covers it' });
      assert.equal((await suspects()).length, 3);
      assert.ok(!(await suspects()).some((s) => s.startsWith('TC-1')));
      await confirmLinks(deps, { productKey: P, record: 'SYS-1', reason: 'SYS-1 still meets the revised need' });
      assert.deepEqual(await suspects(), []);
      const confirmed = (await listAuditEvents(deps, { entityId: `${P}/link/1` })).filter((e) => e.action === 'LINK_CONFIRMED');
      assert.equal(confirmed.length, 1);
      assert.equal(confirmed[0]?.actor, deps.actor.id);
      assert.equal(confirmed[0]?.reason, 'SYS-1 still meets the revised need');
      // A changed test is suspect against what it verifies.
      await editRecord(deps, { productKey: P, record: 'TC-1', baseRevision: 1, title: 'Upload retried twice after a dropped connection' });
      assert.deepEqual(await suspects(), ['TC-1 verifies SRS-1: downstream_changed (TC-1@2)']);
    },
  },
];
