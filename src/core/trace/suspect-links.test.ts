import { describe, expect, it } from 'vitest';
import { DEFAULT_CATALOG } from '../catalog/catalog.js';
import { graphOf, type NodeSpec } from '../../test-support/graphs.js';
import { changeReach, withRevisionChanges, type RevisionContent } from './revision-changes.js';
import { findSuspectLinks } from './suspect-links.js';

const T1 = '2026-02-01T00:00:00.000Z';

/** RISK-1 controlled by RC-1 (implemented by SRS-1, verified by TC-1) and justified by BRA-1. */
const chain = (risk: NodeSpec): ReturnType<typeof graphOf> =>
  graphOf(
    [{ key: 'HS-1' }, { key: 'HARM-1' }, risk, { key: 'RC-1' }, { key: 'SRS-1' }, { key: 'TC-1' }, { key: 'BRA-1' }, { key: 'RREV-1' }],
    [
      ['RISK-1', 'assesses', 'HS-1'],
      ['RISK-1', 'assesses', 'HARM-1'],
      ['RC-1', 'mitigates', 'RISK-1'],
      ['SRS-1', 'implements', 'RC-1'],
      ['TC-1', 'verifies', 'SRS-1'],
      ['BRA-1', 'justifies', 'RISK-1'],
      ['RREV-1', 'reviews', 'RISK-1'],
    ],
  );
const suspects = (g: ReturnType<typeof graphOf>): string[] => findSuspectLinks(g).map((s) => `${s.from} ${s.type} ${s.to} ${s.reason} ${s.cause}`);

describe('suspect links follow the changes that reach them', () => {
  it('a risk revision that only adds a residual estimate flags the benefit-risk analysis, not the controls, requirements or tests', () => {
    const g = chain({ key: 'RISK-1', latestRevision: 2, revisedAt: T1, changes: [{ revision: 2, at: T1, linkTypes: ['justifies'] }] });
    expect(suspects(g)).toEqual(['BRA-1 justifies RISK-1 upstream_changed RISK-1@2']);
  });

  it('a risk revision that only changes its rationale flags nothing', () => {
    expect(suspects(chain({ key: 'RISK-1', latestRevision: 2, revisedAt: T1, changes: [] }))).toEqual([]);
  });

  it('a change that reaches every link flags the whole chain below, and the links above as downstream changes', () => {
    const g = chain({ key: 'RISK-1', latestRevision: 2, revisedAt: T1, changes: [{ revision: 2, at: T1, linkTypes: null }] });
    expect(suspects(g)).toEqual([
      'RISK-1 assesses HS-1 downstream_changed RISK-1@2',
      'RISK-1 assesses HARM-1 downstream_changed RISK-1@2',
      'RC-1 mitigates RISK-1 upstream_changed RISK-1@2',
      'SRS-1 implements RC-1 upstream_chain_changed RISK-1@2',
      'TC-1 verifies SRS-1 upstream_chain_changed RISK-1@2',
      'BRA-1 justifies RISK-1 upstream_changed RISK-1@2',
      'RREV-1 reviews RISK-1 upstream_changed RISK-1@2',
    ]);
  });

  it('a meaningful change before a later local one still counts, named by its own revision', () => {
    const g = chain({
      key: 'RISK-1',
      latestRevision: 3,
      revisedAt: '2026-03-01T00:00:00.000Z',
      changes: [{ revision: 2, at: T1, linkTypes: null }],
    });
    expect(suspects(g)).toContain('RC-1 mitigates RISK-1 upstream_changed RISK-1@2');
  });

  it('a test rewritten only in its automation ID leaves its link alone; a new step does not', () => {
    const g = (changes: NodeSpec['changes']): ReturnType<typeof graphOf> =>
      graphOf([{ key: 'SRS-1' }, { key: 'TC-1', latestRevision: 2, revisedAt: T1, changes }], [['TC-1', 'verifies', 'SRS-1']]);
    expect(suspects(g([]))).toEqual([]);
    expect(suspects(g([{ revision: 2, at: T1, linkTypes: null }]))).toEqual(['TC-1 verifies SRS-1 downstream_changed TC-1@2']);
  });
});

describe('which changes reach linked records (catalog localFields)', () => {
  const local = (type: string): Readonly<Record<string, readonly string[]>> | undefined => DEFAULT_CATALOG.recordTypes.get(type)?.localFields;
  const rev = (title: string, body: string, fields: Record<string, unknown>): { title: string; body: string; fields: Record<string, unknown> } => ({ title, body, fields });

  it('a requirement\'s title or body reaches every link; its rationale none', () => {
    expect(changeReach(local('SRS'), rev('TLS 1.2+', '', {}), rev('TLS 1.3 only', '', {}))).toBeNull();
    expect(changeReach(local('SRS'), rev('a', 'x', {}), rev('a', 'y', {}))).toBeNull();
    expect(changeReach(local('SRS'), rev('a', '', { riskControl: false }), rev('a', '', { riskControl: true }))).toBeNull();
    expect(changeReach(local('SRS'), rev('a', '', {}), rev('a', '', { rationale: 'pen test' }))).toEqual([]);
  });

  it('a risk\'s residual estimate reaches its benefit-risk analyses; its initial estimate every link', () => {
    const before = { severity: 'S3', probability: 'P4', policyRevision: 1 };
    expect(changeReach(local('RISK'), rev('r', '', before), rev('r', '', { ...before, residualSeverity: 'S3', residualProbability: 'P1' }))).toEqual(['justifies']);
    expect(changeReach(local('RISK'), rev('r', '', before), rev('r', '', { ...before, rationale: 'field data' }))).toEqual([]);
    expect(changeReach(local('RISK'), rev('r', '', before), rev('r', '', { ...before, probability: 'P3' }))).toBeNull();
  });

  it('withRevisionChanges lists only the revisions that reach a link, up to the revision a record is at', () => {
    const c = (revision: number, fields: Record<string, unknown>, title = 'r'): RevisionContent => ({ recordId: 1, revision, title, body: '', fields, createdAt: `2026-01-0${revision}T00:00:00.000Z` });
    const contents = [c(1, { severity: 'S3' }), c(2, { severity: 'S3', rationale: 'x' }), c(3, { severity: 'S3', rationale: 'x', residualSeverity: 'S2' }), c(4, { severity: 'S3', rationale: 'x', residualSeverity: 'S2' }, 'renamed')];
    const row = { id: 1, type: 'RISK', number: 1, status: 'draft' as const, latestRevision: 3, revisedAt: '', title: 'r', fields: {} };
    expect(withRevisionChanges(DEFAULT_CATALOG, [row], contents)[0]?.changes).toEqual([{ revision: 3, at: '2026-01-03T00:00:00.000Z', linkTypes: ['justifies'] }]);
    expect(withRevisionChanges(DEFAULT_CATALOG, [{ ...row, latestRevision: 4 }], contents)[0]?.changes?.map((x) => [x.revision, x.linkTypes])).toEqual([
      [3, ['justifies']],
      [4, null],
    ]);
    expect(withRevisionChanges(DEFAULT_CATALOG, [{ ...row, id: 2 }], contents)[0]?.changes).toEqual([]);
  });
});
