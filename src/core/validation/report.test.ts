import { describe, expect, it } from 'vitest';
import { DEFAULT_RISK_POLICY } from '../risk/policy.js';
import type { DesignFile } from './design.js';
import { validationFailures, validationReport, type ValidationRun } from './report.js';

const rec = (key: string, title: string, fields: Record<string, unknown> = {}) => ({ key, type: key.slice(0, key.indexOf('-')), title, body: '', fields, where: `${key}.md` });
const DESIGN: DesignFile = {
  records: [
    rec('DOC-1', 'Intended use of Dossier'),
    rec('UN-1', 'Keep records'),
    rec('SRS-1', 'Stale edits refused'),
    rec('SRS-2', 'Trace matrix'),
    rec('RMP-1', 'Policy', { ...DEFAULT_RISK_POLICY }),
    rec('HAZ-1', 'Lost record', { category: 'data_integrity' }),
    rec('HS-1', 'History differs'),
    rec('HARM-1', 'Wrong evidence', { severity: 'S3' }),
    rec('RISK-1', 'Risk: lost record', { severity: 'S3', probability: 'P3', residualSeverity: 'S3', residualProbability: 'P1' }),
    rec('RC-1', 'Immutable revisions', { option: 'inherent_safety_by_design' }),
  ],
  links: [
    { from: 'SRS-1', type: 'derives_from', to: 'UN-1' },
    { from: 'SRS-1', type: 'implements', to: 'RC-1' },
    { from: 'HAZ-1', type: 'leads_to', to: 'HS-1' },
    { from: 'HS-1', type: 'results_in', to: 'HARM-1' },
    { from: 'RISK-1', type: 'assesses', to: 'HS-1' },
    { from: 'RC-1', type: 'mitigates', to: 'RISK-1' },
  ],
};

const RUN: ValidationRun = {
  version: '1.0.0',
  generatedAt: '2026-12-02T09:00:00.000Z',
  installationHash: 'a'.repeat(64),
  environment: [{ label: 'Node.js', value: 'v20.19.0' }],
  design: DESIGN,
  iq: [{ id: 'IQ-1', title: 'Node.js version is supported', outcome: 'passed', detail: 'v20.19.0' }],
  oqCases: [{ id: 'OQ-1', title: 'stale edit refused', verifies: ['SRS-1'] }],
  oq: [
    { caseId: 'OQ-1', dialect: 'sqlite', outcome: 'passed', durationMs: 12, message: null },
    { caseId: 'OQ-1', dialect: 'postgres', outcome: 'passed', durationMs: 30, message: null },
  ],
  engines: ['sqlite', 'postgres'],
  release: null,
  comparison: null,
  pq: { file: 'pq-template.md', markdown: '| # | Scenario |\n|---|---|\n| PQ-1 | |' },
};

const textOf = (run: ValidationRun): string => JSON.stringify(validationReport(run).blocks);

describe('the validation report [DOSSIER-SRS-55]', () => {
  it('passes only when every check and case passed, and says so first', () => {
    expect(validationFailures(RUN)).toEqual([]);
    const doc = validationReport(RUN);
    expect(doc.gaps).toEqual([]);
    expect(doc.blocks[1]).toMatchObject({ kind: 'paragraph', inlines: [{ text: 'Verdict: PASS', bold: true }, {}] });
    // The trace shows the requirement, its need, its OQ case and its result here; SRS-2 has only the release suite.
    expect(textOf(RUN)).toContain('passed (2 runs)');
    expect(textOf(RUN)).toContain('no OQ case: release suite only');
    // The tool's risk with its zones from the policy and its control verified here.
    expect(textOf(RUN)).toMatch(/S3 × P3: reduce as far as possible.*passed here \(OQ-1\).*S3 × P1: acceptable/);
    expect(doc.contentHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('never reads as a pass when an IQ check or an OQ case failed, or nothing ran', () => {
    const failing: ValidationRun = {
      ...RUN,
      iq: [...RUN.iq, { id: 'IQ-3', title: 'Installed packages match the lockfile', outcome: 'failed', detail: 'node_modules/kysely: version 0.27.9 installed' }],
      oq: [RUN.oq[0]!, { ...RUN.oq[1]!, outcome: 'failed', message: 'expected CONFLICT' }],
    };
    expect(validationFailures(failing)).toEqual([
      'IQ-3 Installed packages match the lockfile: node_modules/kysely: version 0.27.9 installed',
      'OQ-1 on PostgreSQL failed: expected CONFLICT',
    ]);
    const doc = validationReport(failing);
    expect(doc.gaps).toHaveLength(2);
    expect(doc.blocks[1]).toMatchObject({ inlines: [{ text: 'Verdict: FAIL', bold: true }, {}] });
    expect(doc.blocks.filter((b) => b.kind === 'gap').length).toBeGreaterThanOrEqual(2);
    expect(textOf(failing)).toContain('FAILED (OQ-1)');
    expect(validationFailures({ ...RUN, oq: [] })).toEqual(['no operational-qualification case ran']);
  });

  it('fails on release evidence with problems or of another version', () => {
    const release = { format: 1 as const, version: '0.9.0', generatedAt: RUN.generatedAt, runs: [], requirements: [], problems: ['Node v20: SRS-2: no passing test (0 named it)'] };
    expect(validationFailures({ ...RUN, release })).toEqual([
      'release evidence of 0.9.0: Node v20: SRS-2: no passing test (0 named it)',
      'the release evidence is of version 0.9.0, this installation is 1.0.0',
    ]);
  });
});
