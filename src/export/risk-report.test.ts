import { describe, expect, it } from 'vitest';
import type { Product } from '../core/entities.js';
import { DEFAULT_RISK_POLICY } from '../core/risk/policy.js';
import { analyseRisks } from '../core/risk/risk-file.js';
import type { RiskFileView } from '../app/services/risk-file.js';
import { graphOf } from '../test-support/graphs.js';
import { renderRiskReport } from './risk-views.js';

const PRODUCT: Product = { id: 1, key: 'RPM', name: 'Monitor', intendedUse: 'x', safetyClass: 'B', createdAt: '', createdBy: '' };

/** A one-risk file without security threats, so the report leaves out its threats section. */
function view(): RiskFileView {
  const g = graphOf(
    [
      { key: 'HAZ-1', title: 'Reading shown for the wrong patient', fields: { category: 'clinical' } },
      { key: 'SEQ-1', title: 'Two patients share one phone', fields: { cause: 'use_error' } },
      { key: 'HS-1', title: 'Clinician reviews another patient\'s reading' },
      { key: 'HARM-1', title: 'Wrong medication dose', fields: { severity: 'S3' } },
      { key: 'RISK-1', title: 'Wrong patient leads to a wrong dose', fields: { severity: 'S3', probability: 'P3' } },
    ],
    [
      ['HAZ-1', 'leads_to', 'SEQ-1'],
      ['SEQ-1', 'leads_to', 'HS-1'],
      ['HS-1', 'results_in', 'HARM-1'],
      ['RISK-1', 'assesses', 'HS-1'],
      ['RISK-1', 'assesses', 'HARM-1'],
    ],
  );
  const { computed: _c, ...file } = analyseRisks(g, { policy: DEFAULT_RISK_POLICY, revision: 0, record: null }, new Map(), '2026-01-02T00:00:00.000Z');
  return { product: PRODUCT, release: null, file, extras: { overall: [], benefitRisk: [], threats: [] }, openItems: [] };
}

describe('risk management report', () => {
  it('numbers its sections without gaps when one is left out', () => {
    const numbers = [...renderRiskReport(view()).matchAll(/^## (\d+)\. /gm)].map((m) => Number(m[1]));
    expect(numbers).toEqual(numbers.map((_, i) => i + 1));
    expect(numbers.length).toBe(7);
  });

  it('shows titles beside IDs in its risk table', () => {
    const report = renderRiskReport(view());
    expect(report).toMatch(
      /^\| RISK-1 Wrong patient leads to a wrong dose \| HAZ-1 Reading shown for the wrong patient \| SEQ-1 \(use error\) Two patients share one phone \| HS-1 Clinician reviews another patient's reading \| HARM-1 Wrong medication dose \| S3 \| P3 \| R \|/m,
    );
  });

  it('the built-in default policy names no product of its own', () => {
    expect(DEFAULT_RISK_POLICY.overallCriteria).not.toMatch(/monitoring/i);
    expect(renderRiskReport(view())).not.toMatch(/remote monitoring/i);
  });
});
