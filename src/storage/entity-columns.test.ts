import { describe, expect, it } from 'vitest';
import { RecordHeadSchema, type RecordHead, type Revision } from '../core/entities.js';
import { entityColumns } from './entity-columns.js';
import { RECORD_HEAD_COLUMNS, REVISION_COLUMNS } from './repositories/records.js';
import type { RecordRow } from './schema.js';

const HEAD: RecordHead = {
  id: 7,
  productId: 1,
  type: 'SRS',
  number: 12,
  status: 'approved',
  latestRevision: 2,
  approvedRevision: 2,
  approvedBy: 'bob',
  createdAt: '2026-01-01T00:00:00.000Z',
  createdBy: 'alice',
  updatedAt: '2026-01-02T00:00:00.000Z',
  updatedBy: 'bob',
};

describe('entity columns', () => {
  it('map every field of the entity schema to a column, in the schema order', () => {
    expect(Object.keys(RecordHeadSchema.shape)).toHaveLength(RECORD_HEAD_COLUMNS.columns.length);
    expect(RECORD_HEAD_COLUMNS.columns).toEqual([
      'id', 'product_id', 'type', 'number', 'status', 'latest_revision',
      'approved_revision', 'approved_by', 'created_at', 'created_by', 'updated_at', 'updated_by',
    ]);
  });

  it('write a row and read the same entity back, from the row object and from its values in column order', () => {
    const row = RECORD_HEAD_COLUMNS.toRow(HEAD);
    expect(row).toMatchObject({ product_id: 1, latest_revision: 2, approved_by: 'bob' });
    expect(RECORD_HEAD_COLUMNS.fromRow(row as unknown as RecordRow)).toEqual(HEAD);
    expect(RECORD_HEAD_COLUMNS.fromArray(RECORD_HEAD_COLUMNS.columns.map((c) => row[c]))).toEqual(HEAD);
  });

  it('convert where the column differs from the field (fields as canonical JSON text) and check what they read', () => {
    const rev: Revision = {
      recordId: 7, revision: 1, title: 'T', body: '', fields: { b: 1, a: [2] }, hash: 'h', createdAt: 'c', createdBy: 'alice',
    };
    const row = REVISION_COLUMNS.toRow(rev);
    expect(row['fields']).toBe('{"a":[2],"b":1}');
    expect(REVISION_COLUMNS.fromArray(REVISION_COLUMNS.columns.map((c) => row[c]))).toEqual(rev);
    expect(() => RECORD_HEAD_COLUMNS.fromRow({ ...(RECORD_HEAD_COLUMNS.toRow(HEAD) as unknown as RecordRow), status: 'lost' })).toThrow();
  });

  it('refuse, at compile time, a missing field, an unknown column and a column of another type', () => {
    type E = { readonly id: number; readonly name: string };
    type R = { id: number; name: string; size: number };
    // @ts-expect-error -- `name` has no column
    entityColumns<E, R>({ id: 'id' });
    // @ts-expect-error -- no column `title`
    entityColumns<E, R>({ id: 'id', name: 'title' });
    // @ts-expect-error -- `size` is a number, `name` a string
    entityColumns<E, R>({ id: 'id', name: 'size' });
    expect(entityColumns<E, R>({ id: 'id', name: 'name' }).columns).toEqual(['id', 'name']);
  });
});
