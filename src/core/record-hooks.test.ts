import { describe, expect, it } from 'vitest';
import type { Product } from './entities.js';
import type { StoreReader } from './ports.js';
import { RecordHooks, WriteSession, type RecordHookModule, type StatusChangeToWrite } from './record-hooks.js';
import { RECORD_HOOKS } from './record-hook-registry.js';
import { RECORD_TYPE } from './catalog/record-type-keys.js';
import { DEFAULT_CATALOG } from './catalog/catalog.js';

const product = { id: 1, key: 'RPM' } as Product;
const session = (): WriteSession => new WriteSession({} as StoreReader, product);
const change = (type: string, item: string): StatusChangeToWrite => ({ type, item, recordId: 1, from: 'in_review', fields: () => Promise.resolve({}) });

describe('record-type hooks', () => {
  it('runs the hooks registered for a record type, in module order, and none for other types', async () => {
    const seen: string[] = [];
    const stamp = (name: string): RecordHookModule => ({
      beforeNewRecords: (_s, batch) => void seen.push(`${name}:batch:${batch.map((b) => b.type).join(',')}`),
      types: {
        RISK: {
          checkFields: (_s, rec) => {
            seen.push(`${name}:${rec.item}`);
            return Promise.resolve({ ...rec.fields, [name]: true });
          },
          checkStatusChange: (_s, rec, to) => void seen.push(`${name}:${rec.item}->${to}`),
        },
      },
    });
    const hooks = new RecordHooks([stamp('a'), stamp('b')]);
    const s = session();
    hooks.beforeNewRecords(s, [{ type: 'RISK', number: 1, fields: {} }]);
    expect(await hooks.checkFields(s, { type: 'RISK', fields: { x: 1 }, item: 'RPM/RISK-1', recordId: null })).toEqual({ x: 1, a: true, b: true });
    expect(await hooks.checkFields(s, { type: 'SRS', fields: { y: 2 }, item: 'RPM/SRS-1', recordId: null })).toEqual({ y: 2 });
    await hooks.checkStatusChange(s, change('RISK', 'RPM/RISK-1'), 'approved');
    await hooks.checkStatusChange(s, change('SRS', 'RPM/SRS-1'), 'approved');
    expect(seen).toEqual(['a:batch:RISK', 'b:batch:RISK', 'a:RPM/RISK-1', 'b:RPM/RISK-1', 'a:RPM/RISK-1->approved', 'b:RPM/RISK-1->approved']);
  });

  it('keeps one value per module and write session', () => {
    const s = session();
    const key = Symbol('k');
    let made = 0;
    expect(s.get(key, () => ++made)).toBe(1);
    expect(s.get(key, () => ++made)).toBe(1);
    expect(session().get(key, () => ++made)).toBe(2);
  });

  it('the risk module refuses making the risk policy obsolete through the generic status change', async () => {
    await expect(RECORD_HOOKS.checkStatusChange(session(), change(RECORD_TYPE.RMP, 'RPM/RMP-1'), 'obsolete')).rejects.toThrow(/risk policy in force/);
    await expect(RECORD_HOOKS.checkStatusChange(session(), change(RECORD_TYPE.SRS, 'RPM/SRS-1'), 'obsolete')).resolves.toBeUndefined();
  });

  it('names only record types the catalog has', () => {
    for (const key of Object.values(RECORD_TYPE)) expect(DEFAULT_CATALOG.recordTypes.has(key), key).toBe(true);
  });
});
