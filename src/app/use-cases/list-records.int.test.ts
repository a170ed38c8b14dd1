import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RecordSummary } from '../../core/entities.js';
import type { Deps } from '../../core/ports.js';
import { expectAppError as rejects } from '../../test-support/assertions.js';
import { aProduct, SAMPLE_RECORDS } from '../../test-support/factories.js';
import { DIALECTS, freshStore, type TestStore } from '../../test-support/stores.js';
import { escapeLike } from '../../storage/repositories/records.js';
import { addRecords } from './add-records.js';
import { changeRecordStatuses } from './change-record-status.js';
import { createProduct } from './create-product.js';
import { editRecord } from './edit-record.js';
import { ListRecordsInputSchema, listRecords, listRecordsPage, type ListRecordsInput, type RecordPage } from './list-records.js';

/** Records of these types with these titles, in this order. */
async function add(deps: Deps, productKey: string, records: readonly (readonly [string, string])[]): Promise<RecordSummary[]> {
  if (records.length === 0) return [];
  return addRecords(deps, {
    productKey,
    records: records.map(([type, title]) => {
      const sample = SAMPLE_RECORDS[type];
      if (sample === undefined) throw new Error(`no sample for ${type}`);
      return { ...sample, title };
    }),
  });
}

/** What a page must be: every record filtered and sliced in memory (ASCII case folding, as both databases do). */
function expectedPage(all: readonly RecordSummary[], query: ListRecordsInput): RecordPage {
  const q = ListRecordsInputSchema.parse(query);
  const needle = q.text?.toLowerCase();
  const matching = all.filter(
    (r) =>
      (q.type === undefined || r.type === q.type.toUpperCase()) &&
      (q.status === undefined || r.status === q.status) &&
      (needle === undefined || r.title.toLowerCase().includes(needle)),
  );
  return { total: matching.length, records: matching.slice(q.offset, q.limit === 'all' ? undefined : q.offset + q.limit) };
}

const page = (deps: Deps, query: ListRecordsInput): Promise<RecordPage> => listRecordsPage(deps, ListRecordsInputSchema.parse(query));
const keys = (p: RecordPage): string[] => p.records.map((r) => r.key);

describe('escapeLike', () => {
  it('escapes the escape character and both wildcards, nothing else', () => {
    expect(escapeLike('50%_a\\b')).toBe('50\\%\\_a\\\\b');
    expect(escapeLike('plain [x] *')).toBe('plain [x] *');
  });
});

describe.each(DIALECTS)('record.list in the database on %s', (dialect) => {
  let t: TestStore;
  let deps: Deps;
  beforeEach(async () => {
    ({ t, deps } = await freshStore(dialect));
  });
  afterEach(async () => t.cleanup());

  it('filters by type, status and latest title, counts every match and pages in catalog order', async () => {
    await aProduct(deps);
    // Added out of catalog order: UN comes before SRS, SRS before TC.
    await add(deps, 'RPM', [
      ['TC', 'Handshake test one'],
      ['SRS', 'Upload uses TLS'],
      ['UN', 'Nurse sees readings'],
      ['SRS', 'Alarm within 5 s'],
      ['TC', 'Handshake test two'],
      ['SRS', 'Battery Alarm shown'],
      ['UN', 'Doctor sees trends'],
    ]);
    await editRecord(deps, { productKey: 'RPM', record: 'SRS-1', baseRevision: 1, title: 'Upload refuses plain HTTP' });
    await changeRecordStatuses(deps, { productKey: 'RPM', records: [{ record: 'SRS-2' }, { record: 'TC-1' }], to: 'obsolete', reason: 'gone' });

    const all = await page(deps, { productKey: 'RPM', limit: 'all' });
    expect(all.total).toBe(7);
    expect(keys(all)).toEqual(['UN-1', 'UN-2', 'SRS-1', 'SRS-2', 'SRS-3', 'TC-1', 'TC-2']);
    expect(all.records[2]).toMatchObject({ title: 'Upload refuses plain HTTP', latestRevision: 2 });

    // Total with and without filters; the default limit.
    expect(await page(deps, { productKey: 'RPM' })).toEqual(all);
    expect(keys(await page(deps, { productKey: 'RPM', type: 'srs' }))).toEqual(['SRS-1', 'SRS-2', 'SRS-3']);
    expect(await page(deps, { productKey: 'RPM', status: 'obsolete' })).toMatchObject({ total: 2, records: [{ key: 'SRS-2' }, { key: 'TC-1' }] });
    expect(keys(await page(deps, { productKey: 'RPM', status: 'draft', type: 'TC' }))).toEqual(['TC-2']);
    // The latest title only: the first one of SRS-1 no longer matches.
    expect(await page(deps, { productKey: 'RPM', text: 'tls' })).toEqual({ total: 0, records: [] });
    expect(keys(await page(deps, { productKey: 'RPM', text: 'ALARM' }))).toEqual(['SRS-2', 'SRS-3']);
    expect(keys(await page(deps, { productKey: 'RPM', text: '  sees ', limit: 1, offset: 1 }))).toEqual(['UN-2']);
    expect(await page(deps, { productKey: 'RPM', text: 'alarm', status: 'draft', type: 'SRS' })).toMatchObject({ total: 1, records: [{ key: 'SRS-3' }] });

    // Paging boundaries: within a type, across types, at a type's end, at and past the end.
    expect(keys(await page(deps, { productKey: 'RPM', limit: 1 }))).toEqual(['UN-1']);
    expect(keys(await page(deps, { productKey: 'RPM', offset: 1, limit: 3 }))).toEqual(['UN-2', 'SRS-1', 'SRS-2']);
    expect(keys(await page(deps, { productKey: 'RPM', offset: 2, limit: 3 }))).toEqual(['SRS-1', 'SRS-2', 'SRS-3']);
    expect(keys(await page(deps, { productKey: 'RPM', offset: 5 }))).toEqual(['TC-1', 'TC-2']);
    expect(keys(await page(deps, { productKey: 'RPM', offset: 4, limit: 'all' }))).toEqual(['SRS-3', 'TC-1', 'TC-2']);
    expect(keys(await page(deps, { productKey: 'RPM', offset: 6, limit: 10 }))).toEqual(['TC-2']);
    expect(await page(deps, { productKey: 'RPM', offset: 7 })).toEqual({ total: 7, records: [] });
    expect(await page(deps, { productKey: 'RPM', offset: 1000, type: 'UN' })).toEqual({ total: 2, records: [] });
    expect(await page(deps, { productKey: 'RPM', type: 'HAZ' })).toEqual({ total: 0, records: [] });

    // Another product's records are never counted.
    await aProduct(deps, { key: 'OTHER' });
    await add(deps, 'OTHER', [['SRS', 'Alarm elsewhere']]);
    expect((await page(deps, { productKey: 'RPM', text: 'alarm' })).total).toBe(2);

    await rejects(page(deps, { productKey: 'RPM', type: 'NOPE' }), 'INVALID_INPUT', /NOPE/);
    await rejects(page(deps, { productKey: 'NOPE' }), 'NOT_FOUND', /NOPE/);
  });

  it('takes %, _ and \\ in the search text literally', async () => {
    await aProduct(deps);
    await add(deps, 'RPM', [
      ['SRS', 'Battery at 50% warns'],
      ['SRS', 'Battery at 500 warns'],
      ['SRS', 'max_rate is set'],
      ['SRS', 'maxXrate is set'],
      ['SRS', 'Path C:\\data is kept'],
      ['SRS', 'Path C:data is kept'],
      ['SRS', 'Größe der Datei'],
    ]);
    const found = async (text: string): Promise<string[]> => keys(await page(deps, { productKey: 'RPM', text }));
    expect(await found('%')).toEqual(['SRS-1']);
    expect(await found('50%')).toEqual(['SRS-1']);
    expect(await found('0% W')).toEqual(['SRS-1']);
    expect(await found('_')).toEqual(['SRS-3']);
    expect(await found('X_R')).toEqual(['SRS-3']);
    expect(await found('\\')).toEqual(['SRS-5']);
    expect(await found(':\\d')).toEqual(['SRS-5']);
    expect(await found('\\%')).toEqual([]);
    expect(await found('%%')).toEqual([]);
    expect(await found('is')).toEqual(['SRS-3', 'SRS-4', 'SRS-5', 'SRS-6']);
    // Non-ASCII letters in the same case match on both databases (their case folding differs: see RecordFilter).
    expect(await found('größe')).toEqual(['SRS-7']);
    expect(await found('ö')).toEqual(['SRS-7']);
    expect((await page(deps, { productKey: 'RPM', text: '%' })).total).toBe(1);
  });

  it('a page equals the in-memory filter and slice of every record (property)', async () => {
    const types = ['UN', 'SRS', 'TC', 'HAZ'] as const;
    const titleText = fc.string({ unit: fc.constantFrom('a', 'A', 'b', 'B', '%', '_', '\\', ' ', '1'), minLength: 1, maxLength: 6 });
    const query = fc.record(
      {
        type: fc.constantFrom(...types, 'srs', 'SYS'),
        status: fc.constantFrom('draft', 'obsolete'),
        text: fc.string({ unit: fc.constantFrom('a', 'B', '%', '_', '\\', ' ', '1'), minLength: 1, maxLength: 3 }).filter((s) => s.trim() !== ''),
        offset: fc.nat(25),
        limit: fc.oneof(fc.integer({ min: 1, max: 25 }), fc.constant('all' as const)),
      },
      { requiredKeys: [] },
    );
    let n = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ type: fc.constantFrom(...types), title: titleText, obsolete: fc.boolean() }), { maxLength: 30 }),
        fc.array(query, { minLength: 1, maxLength: 12 }),
        async (records, queries) => {
          const productKey = `P${++n}`;
          const product = await createProduct(deps, { key: productKey, name: 'Property', intendedUse: 'Tests', safetyClass: 'A' });
          const added = await add(
            deps,
            productKey,
            records.map((r) => [r.type, `<${r.title}>`]),
          );
          const gone = added.filter((_, i) => records[i]?.obsolete === true).map((r) => ({ record: r.key }));
          if (gone.length > 0) await changeRecordStatuses(deps, { productKey, records: gone, to: 'obsolete', reason: 'property' });
          const all = await listRecords(deps, { productKey });
          expect(all).toHaveLength(records.length);
          for (const q of queries) {
            const input = { productKey, ...q };
            expect(await page(deps, input)).toEqual(expectedPage(all, input));
            // The store's own paging across types (its order: type, then number) is the slice of its full list.
            const { offset = 0, limit = 'all', status } = q;
            await deps.store.read(async (r) => {
              const filter = { productId: product.id, ...(status === undefined ? {} : { status }) };
              const full = await r.listRecords(filter);
              const paged = await r.listRecords({ ...filter, offset, ...(limit === 'all' ? {} : { limit }) });
              expect(paged).toEqual(full.slice(offset, limit === 'all' ? undefined : offset + limit));
            });
          }
        },
      ),
      { numRuns: dialect === 'sqlite' ? 40 : 15 },
    );
  }, 120_000);
});
