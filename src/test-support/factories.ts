import type { Product } from '../core/entities.js';
import type { Deps } from '../core/ports.js';
import { addRecords, type NewRecord } from '../app/use-cases/add-records.js';
import { createProduct } from '../app/use-cases/create-product.js';
import type { RecordSummary } from '../core/entities.js';
import type { ParsedTestCase } from '../core/evidence/test-results.js';

/** A class B product `RPM` unless told otherwise. */
export async function aProduct(deps: Deps, overrides: Partial<{ key: string; safetyClass: 'A' | 'B' | 'C' }> = {}): Promise<Product> {
  return createProduct(deps, {
    key: overrides.key ?? 'RPM',
    name: 'VitalLink Remote Patient Monitoring',
    intendedUse: 'Collects vital signs at home and sends them to the hospital care team.',
    safetyClass: overrides.safetyClass ?? 'B',
  });
}

/** Typical valid content per record type, for tests that need "some record of type X". */
export const SAMPLE_RECORDS: Record<string, NewRecord> = {
  UN: { type: 'UN', title: 'Care team sees new readings within 5 minutes', fields: { userGroup: 'nurses' } },
  SYS: { type: 'SYS', title: 'Readings reach the console within 5 minutes (95th percentile)' },
  SRS: { type: 'SRS', title: 'Upload uses TLS 1.3 only', fields: { riskControl: true, category: 'security' } },
  SWI: { type: 'SWI', title: 'Ingestion API', fields: { level: 'item', safetyClass: 'B' } },
  TC: { type: 'TC', title: 'TLS 1.2 handshake is refused', fields: { level: 'integration' } },
  VAL: { type: 'VAL', title: 'Summative usability test', fields: { method: 'usability_test' } },
  HAZ: { type: 'HAZ', title: 'Vital-sign data altered in transit', fields: { category: 'security' } },
  HS: { type: 'HS', title: 'Clinician acts on an altered reading' },
  HARM: { type: 'HARM', title: 'Delayed treatment of decompensation' },
  RC: { type: 'RC', title: 'TLS 1.3 with certificate pinning', fields: { option: 'inherent_safety_by_design' } },
  SOUP: { type: 'SOUP', title: 'OpenSSL', fields: { package: 'openssl', version: '3.0.13' } },
  VULN: { type: 'VULN', title: 'CVE-2024-37890 in ws 6.2.2', fields: { advisory: 'GHSA-3h5v-q93c-6h6q', severity: 'high' } },
  ANOM: { type: 'ANOM', title: 'Reminder late on one Android vendor', fields: { kind: 'defect', criticality: 'low' } },
  DOC: { type: 'DOC', title: 'Software development plan', fields: { docType: 'plan' } },
};

/** Adds one sample record of each named type, in order. */
export async function someRecords(deps: Deps, productKey: string, types: readonly string[]): Promise<RecordSummary[]> {
  return addRecords(deps, {
    productKey,
    records: types.map((t) => {
      const r = SAMPLE_RECORDS[t];
      if (r === undefined) throw new Error(`no sample for ${t}`);
      return r;
    }),
  });
}

/** A passed JUnit test case as the reader gives it (`unit::name`, from `run.xml`), with whatever differs. */
export function aTestCase(overrides: Partial<ParsedTestCase> = {}): ParsedTestCase {
  return {
    suites: ['s'],
    classname: 'unit',
    name: 'test',
    file: null,
    outcome: 'passed',
    durationMs: 3,
    message: null,
    failureType: null,
    line: null,
    systemOut: null,
    systemErr: null,
    attempts: 1,
    flaky: false,
    report: 'run.xml',
    properties: [],
    at: 'run.xml:2',
    ...overrides,
  };
}
