import { describe, expect, it } from 'vitest';
import { diffRange, keepListed, parseCause, readSelection, reasonTag, reasonText, suspectsOf, valueText, writeSelection, type Suspect } from './suspects';

const suspect = (over: Partial<Suspect>): Suspect => ({ linkId: 17, from: 'TC-4', type: 'verifies', to: 'SRS-3', reason: 'upstream_changed', cause: 'SRS-3@2', changedAt: '2026-01-01T00:00:00Z', ...over });

describe('suspect links: what changed', () => {
  it('reads the cause', () => {
    expect(parseCause('SRS-3@2')).toEqual({ record: 'SRS-3', revision: 2 });
    expect(parseCause('RPM/X-1@12')).toEqual({ record: 'RPM/X-1', revision: 12 });
    expect(parseCause('nothing')).toBeUndefined();
  });

  it('compares the changed end from the revision the link was confirmed at', () => {
    expect(diffRange(suspect({}), { id: 17, fromRevision: 1, toRevision: 1 })).toEqual({ record: 'SRS-3', from: 1 });
    expect(diffRange(suspect({ reason: 'downstream_changed', cause: 'TC-4@5' }), { id: 17, fromRevision: 3, toRevision: 1 })).toEqual({ record: 'TC-4', from: 3 });
  });

  it('compares a record further up the chain from the revision before its change', () => {
    expect(diffRange(suspect({ reason: 'upstream_chain_changed', cause: 'CMP-1@4' }), { id: 17, fromRevision: 1, toRevision: 1 })).toEqual({ record: 'CMP-1', from: 3 });
  });

  it('leaves the start to the server when the link was never reviewed against that end', () => {
    expect(diffRange(suspect({}), { id: 17, fromRevision: 0, toRevision: 0 })).toEqual({ record: 'SRS-3' });
    expect(diffRange(suspect({}), undefined)).toEqual({ record: 'SRS-3' });
    expect(diffRange(suspect({ cause: '?' }), undefined)).toBeUndefined();
  });

  it('says why in words', () => {
    expect(reasonText('upstream_chain_changed')).toMatch(/further up the chain/);
  });

  it('shows field values as text', () => {
    expect(valueText(undefined)).toBe('(not set)');
    expect(valueText('high')).toBe('high');
    expect(valueText(['a', 1])).toBe('["a",1]');
  });
});

describe('suspect links: the selection in the URL', () => {
  it('reads positive integer IDs once each, ignoring junk', () => {
    expect(readSelection('17,46, 17,x,-3,0,58')).toEqual([17, 46, 58]);
    expect(readSelection(null)).toEqual([]);
  });

  it('writes them sorted, or nothing', () => {
    expect(writeSelection([46, 17])).toBe('17,46');
    expect(writeSelection([])).toBeNull();
  });

  it('drops links no longer listed', () => {
    expect(keepListed([17, 46, 99], [{ linkId: 46 }, { linkId: 17 }])).toEqual([17, 46]);
  });
});

describe('suspect links: the record filter', () => {
  const list = [suspect({ linkId: 1 }), suspect({ linkId: 2, from: 'SWI-3' }), suspect({ linkId: 3, from: 'TC-9', to: 'SRS-30' })];
  it('keeps the links with the record at either end, exactly, ignoring case and a product prefix', () => {
    expect(suspectsOf(list, 'srs-3').map((s) => s.linkId)).toEqual([1, 2]);
    expect(suspectsOf(list, 'RPM/TC-9').map((s) => s.linkId)).toEqual([3]);
    expect(suspectsOf(list, ' ')).toBe(list);
    expect(suspectsOf(list, 'SRS')).toEqual([]);
  });
  it('tags the reason', () => {
    expect(reasonTag('upstream_chain_changed')).toBe('chain above changed');
  });
});
