import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Deps } from '../../core/ports.js';
import { expectAppError, storeSnapshot } from '../../test-support/assertions.js';
import { aProduct, someRecords } from '../../test-support/factories.js';
import { DIALECTS, freshStore, type TestStore } from '../../test-support/stores.js';
import { addLink } from './add-link.js';
import { addLinks } from './add-links.js';
import { changeRecordStatus } from './change-record-status.js';
import { editRecord } from './edit-record.js';
import { listAuditEvents } from './list-audit-events.js';
import { listLinks } from './list-links.js';
import { removeLink } from './remove-link.js';

describe.each(DIALECTS)('links on %s', (dialect) => {
  let t: TestStore;
  let deps: Deps;
  beforeEach(async () => {
    ({ t, deps } = await freshStore(dialect));
    await aProduct(deps);
    await someRecords(deps, 'RPM', ['UN', 'SYS', 'SRS', 'TC', 'RC', 'HAZ', 'HS', 'HARM']);
  });
  afterEach(async () => t.cleanup());
  const snapshot = (): Promise<string> => storeSnapshot(deps);

  it('records the revision of both ends and audits the link', async () => {
    await editRecord(deps, { productKey: 'RPM', record: 'SRS-1', baseRevision: 1, body: 'Only TLS 1.3 cipher suites.' });
    const l = await addLink(deps, { productKey: 'RPM', link: { from: 'TC-1', type: 'verifies', to: 'SRS-1' }, reason: 'initial trace' });
    expect(l).toMatchObject({ fromKey: 'TC-1', toKey: 'SRS-1', fromRevision: 1, toRevision: 2, createdBy: 'alice', removedAt: null });
    const [e] = await listAuditEvents(deps, { entityId: `RPM/link/${l.id}` });
    expect(e).toMatchObject({ action: 'LINK_CREATED', reason: 'initial trace', productKey: 'RPM' });
    expect(JSON.parse(e?.newValue ?? '{}')).toEqual({ type: 'verifies', from: 'TC-1', fromRevision: 1, to: 'SRS-1', toRevision: 2 });
    expect((await listLinks(deps, { productKey: 'RPM', record: 'SRS-1' })).map((x) => x.id)).toEqual([l.id]);
  });

  it('adds a chain of links in one transaction', async () => {
    const links = await addLinks(deps, {
      productKey: 'RPM',
      links: [
        { from: 'SYS-1', type: 'derives_from', to: 'UN-1' },
        { from: 'SRS-1', type: 'derives_from', to: 'SYS-1' },
        { from: 'SRS-1', type: 'implements', to: 'RC-1' },
        { from: 'RC-1', type: 'mitigates', to: 'HS-1' },
        { from: 'HAZ-1', type: 'leads_to', to: 'HS-1' },
        { from: 'HS-1', type: 'results_in', to: 'HARM-1' },
      ],
    });
    expect(links.map((l) => l.id)).toEqual([1, 2, 3, 4, 5, 6]);
    expect((await listAuditEvents(deps, { productKey: 'RPM' })).filter((e) => e.action === 'LINK_CREATED')).toHaveLength(6);
  });

  it('refuses a link that breaks the catalog, naming both records and the allowed types, and writes nothing [DOSSIER-SRS-11]', async () => {
    const before = await snapshot();
    await expectAppError(
      addLink(deps, { productKey: 'RPM', link: { from: 'SRS-1', type: 'verifies', to: 'TC-1' } }),
      'INVALID_INPUT',
      /'verifies' link cannot go from SRS-1 \(SRS\) to TC-1 \(TC\): it goes from TC to SYS\/SRS\/SWI\/RC/,
    );
    await expectAppError(addLink(deps, { productKey: 'RPM', link: { from: 'TC-1', type: 'checks', to: 'SRS-1' } }), 'INVALID_INPUT', /unknown link type 'checks'; known link types: derives_from/);
    await expectAppError(addLink(deps, { productKey: 'RPM', link: { from: 'TC-1', type: 'verifies', to: 'SRS-99' } }), 'NOT_FOUND', /RPM\/SRS-99 does not exist/);
    await expectAppError(addLink(deps, { productKey: 'RPM', link: { from: 'TC-1', type: 'verifies', to: 'srs 1' } }), 'INVALID_INPUT', /'srs 1' is not a record ID/);
    await expectAppError(addLink(deps, { productKey: 'RPM', link: { from: 'SRS-1', type: 'refines', to: 'SRS-1' } }), 'INVALID_INPUT', /cannot link to itself/);
    // One bad link in a batch: the good ones before it are not kept either.
    await expectAppError(
      addLinks(deps, { productKey: 'RPM', links: [{ from: 'TC-1', type: 'verifies', to: 'SRS-1' }, { from: 'HS-1', type: 'results_in', to: 'HAZ-1' }] }),
      'INVALID_INPUT',
      /results_in' link cannot go from HS-1 \(HS\) to HAZ-1 \(HAZ\).*links\[1\]|results_in' link cannot go from HS-1/,
    );
    expect(await snapshot()).toBe(before);

    await addLink(deps, { productKey: 'RPM', link: { from: 'TC-1', type: 'verifies', to: 'SRS-1' } });
    await expectAppError(addLink(deps, { productKey: 'RPM', link: { from: 'TC-1', type: 'verifies', to: 'SRS-1' } }), 'CONFLICT', /TC-1 verifies SRS-1 already exists/);
    await changeRecordStatus(deps, { productKey: 'RPM', record: 'UN-1', to: 'obsolete', reason: 'withdrawn' });
    await expectAppError(addLink(deps, { productKey: 'RPM', link: { from: 'SYS-1', type: 'derives_from', to: 'UN-1' } }), 'INVALID_STATE', /UN-1 is obsolete/);
  });

  it('removes a link by marking it, with who and why, and keeps it as history [DOSSIER-SRS-3]', async () => {
    const l = await addLink(deps, { productKey: 'RPM', link: { from: 'TC-1', type: 'verifies', to: 'SRS-1' } });
    await expectAppError(removeLink(deps, { productKey: 'RPM', linkId: l.id, reason: '' }), 'INVALID_INPUT', /reason/);
    const removed = await removeLink(deps, { productKey: 'RPM', linkId: l.id, reason: 'test rewritten' });
    expect(removed).toMatchObject({ removedBy: 'alice', removalReason: 'test rewritten' });
    expect(await listLinks(deps, { productKey: 'RPM' })).toEqual([]);
    expect((await listLinks(deps, { productKey: 'RPM', includeRemoved: true })).map((x) => x.id)).toEqual([l.id]);
    const events = await listAuditEvents(deps, { entityId: `RPM/link/${l.id}` });
    expect(events.map((e) => e.action)).toEqual(['LINK_CREATED', 'LINK_REMOVED']);
    expect(events[1]?.reason).toBe('test rewritten');
    await expectAppError(removeLink(deps, { productKey: 'RPM', linkId: l.id, reason: 'again' }), 'INVALID_STATE', /removed already/);
    await expectAppError(removeLink(deps, { productKey: 'RPM', linkId: 999, reason: 'x' }), 'NOT_FOUND', /link 999/);
    // The same link can be made again; it is a new link.
    const again = await addLink(deps, { productKey: 'RPM', link: { from: 'TC-1', type: 'verifies', to: 'SRS-1' } });
    expect(again.id).not.toBe(l.id);
  });
});
