import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Deps } from '../../core/ports.js';
import { expectAppError, storeSnapshot } from '../../test-support/assertions.js';
import { aProduct, someRecords } from '../../test-support/factories.js';
import { DIALECTS, freshStore, type TestStore } from '../../test-support/stores.js';
import { findSuspectLinks } from '../../core/trace/suspect-links.js';
import { buildTraceMatrix } from '../../core/trace/trace-matrix.js';
import { addLinks } from './add-links.js';
import { analyzeImpact } from './analyze-impact.js';
import { confirmLinks } from './confirm-links.js';
import { editRecord } from './edit-record.js';
import { listAuditEvents } from './list-audit-events.js';
import { loadTraceGraph, TraceGraphCache } from '../services/trace-graph.js';
import { execute } from '../execute.js';
import { processServices } from '../process-services.js';
import { getTraceMatrixUseCase } from './get-trace-matrix.js';
import { localPrincipal } from '../../core/access/principal.js';

describe.each(DIALECTS)('traceability on %s', (dialect) => {
  let t: TestStore;
  let deps: Deps;
  beforeEach(async () => {
    ({ t, deps } = await freshStore(dialect));
    await aProduct(deps);
    // UN-1 ← SYS-1 ← SRS-1 ← TC-1, SRS-1 ← SWI-1; UN-2 with nothing below it; SRS-2 ← TC-2
    await someRecords(deps, 'RPM', ['UN', 'UN', 'SYS', 'SRS', 'SRS', 'TC', 'TC', 'SWI']);
    await addLinks(deps, {
      productKey: 'RPM',
      links: [
        { from: 'SYS-1', type: 'derives_from', to: 'UN-1' },
        { from: 'SRS-1', type: 'derives_from', to: 'SYS-1' },
        { from: 'TC-1', type: 'verifies', to: 'SRS-1' },
        { from: 'SWI-1', type: 'implements', to: 'SRS-1' },
        { from: 'TC-2', type: 'verifies', to: 'SRS-2' },
      ],
    });
  });
  afterEach(async () => t.cleanup());
  const suspects = async (): Promise<string[]> =>
    findSuspectLinks((await loadTraceGraph(deps, 'RPM')).graph).map((s) => `${s.from} ${s.type} ${s.to}: ${s.reason} (${s.cause})`);

  it('builds a trace matrix with coverage and the path behind each cell [DOSSIER-SRS-12]', async () => {
    const { graph } = await loadTraceGraph(deps, 'RPM');
    const m = buildTraceMatrix(graph, deps.catalog, 'UN', 'TC');
    expect(m.direction).toBe('downstream');
    expect(m.rows.map((r) => [r.key, r.covered, r.targets.map((x) => x.key)])).toEqual([
      ['UN-1', true, ['TC-1']],
      ['UN-2', false, []],
    ]);
    expect(m.coverage).toBe(0.5);
    expect(m.rows[0]?.targets[0]?.path).toEqual([
      { key: 'SYS-1', linkType: 'derives_from' },
      { key: 'SRS-1', linkType: 'derives_from' },
      { key: 'TC-1', linkType: 'verifies' },
    ]);
    const back = buildTraceMatrix(graph, deps.catalog, 'TC', 'UN');
    expect(back.direction).toBe('upstream');
    expect(back.rows.map((r) => [r.key, r.targets.map((x) => x.key)])).toEqual([['TC-1', ['UN-1']], ['TC-2', []]]);
    expect(() => buildTraceMatrix(graph, deps.catalog, 'UN', 'XYZ')).toThrow(/unknown record type 'XYZ'/);
  });

  it('a revision that changes only local fields (a requirement\'s rationale) makes no link suspect; its title does [DOSSIER-SRS-13]', async () => {
    await editRecord(deps, { productKey: 'RPM', record: 'SRS-1', baseRevision: 1, fields: { rationale: 'penetration test finding' } });
    expect(await suspects()).toEqual([]);
    await editRecord(deps, { productKey: 'RPM', record: 'SRS-1', baseRevision: 2, title: 'Upload uses TLS 1.3 only, with pinning' });
    expect(await suspects()).toEqual([
      'SRS-1 derives_from SYS-1: downstream_changed (SRS-1@3)',
      'TC-1 verifies SRS-1: upstream_changed (SRS-1@3)',
      'SWI-1 implements SRS-1: upstream_changed (SRS-1@3)',
    ]);
  });

  it('a changed user need makes the links below it suspect, down to the tests [DOSSIER-SRS-13]', async () => {
    expect(await suspects()).toEqual([]);
    await editRecord(deps, { productKey: 'RPM', record: 'UN-1', baseRevision: 1, body: 'now within 2 minutes' });
    expect(await suspects()).toEqual([
      'SYS-1 derives_from UN-1: upstream_changed (UN-1@2)',
      'SRS-1 derives_from SYS-1: upstream_chain_changed (UN-1@2)',
      'TC-1 verifies SRS-1: upstream_chain_changed (UN-1@2)',
      'SWI-1 implements SRS-1: upstream_chain_changed (UN-1@2)',
    ]);
  });

  it('confirming the link at the top clears the chain below it, audit-trailed with who and why [DOSSIER-SRS-13]', async () => {
    await editRecord(deps, { productKey: 'RPM', record: 'UN-1', baseRevision: 1, body: 'now within 2 minutes' });
    const done = await confirmLinks(deps, { productKey: 'RPM', record: 'SYS-1', reason: 'SYS-1 still meets the revised need' });
    expect(done.map((d) => d.linkId)).toEqual([1, 2]);
    expect(await suspects()).toEqual([]);
    const [e] = await listAuditEvents(deps, { entityId: 'RPM/link/1' }).then((es) => es.filter((x) => x.action === 'LINK_CONFIRMED'));
    expect(e).toMatchObject({ actor: 'alice', reason: 'SYS-1 still meets the revised need' });
    expect(JSON.parse(e?.oldValue ?? '{}')).toMatchObject({ toRevision: 1, suspect: 'upstream_changed', cause: 'UN-1@2' });
    expect(JSON.parse(e?.newValue ?? '{}')).toMatchObject({ toRevision: 2, suspect: false });
  });

  it('confirming one link below leaves the others suspect; a changed test is suspect without propagating', async () => {
    await editRecord(deps, { productKey: 'RPM', record: 'UN-1', baseRevision: 1, body: 'now within 2 minutes' });
    await confirmLinks(deps, { productKey: 'RPM', linkIds: [3], reason: 'TC-1 still covers it' });
    expect(await suspects()).toEqual([
      'SYS-1 derives_from UN-1: upstream_changed (UN-1@2)',
      'SRS-1 derives_from SYS-1: upstream_chain_changed (UN-1@2)',
      'SWI-1 implements SRS-1: upstream_chain_changed (UN-1@2)',
    ]);
    await confirmLinks(deps, { productKey: 'RPM', all: true, reason: 'reviewed all' });
    await editRecord(deps, { productKey: 'RPM', record: 'TC-2', baseRevision: 1, title: 'Rewritten test' });
    expect(await suspects()).toEqual(['TC-2 verifies SRS-2: downstream_changed (TC-2@2)']);
  });

  it('refuses to confirm what is not suspect, and changes nothing', async () => {
    const before = await storeSnapshot(deps);
    await expectAppError(confirmLinks(deps, { productKey: 'RPM', linkIds: [1], reason: 'x' }), 'INVALID_INPUT', /link 1 is not suspect/);
    await expectAppError(confirmLinks(deps, { productKey: 'RPM', linkIds: [99], reason: 'x' }), 'NOT_FOUND', /link 99 does not exist/);
    await expectAppError(confirmLinks(deps, { productKey: 'RPM', record: 'UN-2', reason: 'x' }), 'INVALID_INPUT', /UN-2 has no suspect links/);
    await expectAppError(confirmLinks(deps, { productKey: 'RPM', reason: 'x' }), 'INVALID_INPUT', /name the links/);
    await expectAppError(confirmLinks(deps, { productKey: 'RPM', all: true, reason: '' }), 'INVALID_INPUT', /reason/);
    expect(await storeSnapshot(deps)).toBe(before);
  });

  it('shows the impact of a record upstream and downstream [DOSSIER-SRS-14]', async () => {
    const impact = await analyzeImpact(deps, { productKey: 'RPM', record: 'SRS-1' });
    expect(impact.upstream.map((n) => [n.key, n.linkType, n.children.map((c) => c.key)])).toEqual([['SYS-1', 'derives_from', ['UN-1']]]);
    expect(impact.downstream.map((n) => n.key).sort()).toEqual(['SWI-1', 'TC-1']);
    expect(impact.edges).toContainEqual(['TC-1', 'verifies', 'SRS-1']);
    await expectAppError(analyzeImpact(deps, { productKey: 'RPM', record: 'SRS-9' }), 'NOT_FOUND', /SRS-9 does not exist/);
  });

  it('reads every record the same through the column-wise load as through the row objects, with fields parsed on read', async () => {
    await editRecord(deps, { productKey: 'RPM', record: 'SRS-2', baseRevision: 1, title: 'second', fields: { rationale: 'why' } });
    const { graph } = await loadTraceGraph(deps, 'RPM');
    const rows = await deps.store.read(async (r) => r.loadTraceRecords(1));
    expect(graph.size).toBe(rows.length);
    for (const row of rows) {
      const i = graph.indexOf(`${row.type}-${row.number}`) ?? -1;
      const { changes: _changes, ...record } = graph.record(i);
      expect(record).toEqual(row);
      expect(graph.indexOfRecord(row.id)).toBe(i);
    }
    expect(graph.fields(graph.indexOf('SRS-2') ?? -1)['rationale']).toBe('why');
    expect(graph.indexOf('SRS-02')).toBeUndefined();
    expect(graph.indexOf('SRS-9')).toBeUndefined();
    const srs = await deps.store.read(async (r) => r.loadTraceRecordColumns(1, ['SRS', 'TC']));
    expect(Array.from(srs.numbers).sort()).toEqual([1, 1, 2, 2]);
    expect([...srs.types].sort()).toEqual(['SRS', 'TC']);
  });

  it('reuses a cached graph until something changes', async () => {
    const cache = new TraceGraphCache();
    const a = (await loadTraceGraph(deps, 'RPM', cache)).graph;
    expect((await loadTraceGraph(deps, 'RPM', cache)).graph).toBe(a);
    await editRecord(deps, { productKey: 'RPM', record: 'UN-2', baseRevision: 1, title: 'changed' });
    const b = (await loadTraceGraph(deps, 'RPM', cache)).graph;
    expect(b).not.toBe(a);
    expect(b.title(b.indexOf('UN-2') ?? -1)).toBe('changed');
  });

  it('serves the matrix a page at a time from the process cache, and a change shows at once', async () => {
    const services = processServices(deps.catalog);
    const run = (input: Record<string, unknown>) => execute(getTraceMatrixUseCase, { deps, principal: localPrincipal('ops'), services }, { productKey: 'RPM', from: 'UN', to: 'TC', ...input });
    const page = await run({ limit: 1 });
    expect(page.rows.map((r) => r.key)).toEqual(['UN-1']);
    expect([page.totalRows, page.coveredRows]).toEqual([2, 1]);
    expect((await run({ offset: 1 })).rows.map((r) => [r.key, r.covered])).toEqual([['UN-2', false]]);
    await addLinks(deps, { productKey: 'RPM', links: [{ from: 'SYS-1', type: 'derives_from', to: 'UN-2' }] });
    const after = await run({});
    expect(after.rows.map((r) => [r.key, r.covered])).toEqual([['UN-1', true], ['UN-2', true]]);
    expect(services.traceGraphs?.()).toBeDefined();
  });
});
