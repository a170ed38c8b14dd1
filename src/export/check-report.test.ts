import { SaxesParser } from 'saxes';
import { describe, expect, it } from 'vitest';
import type { Finding } from '../core/rules/evaluate-rules.js';
import type { RulePack } from '../core/rules/rule-pack.js';
import { findingUrl, parseBaseUrl, renderCheckJUnit, renderCheckSarif, renderCheckText, type CheckReportInput } from './check-report.js';

const PACK: RulePack = {
  pack: 'team',
  title: 'Team rules',
  rules: [
    { id: 'TEAM-1', clause: 'X 1', title: 'Titles are named', severity: 'error', select: { type: ['SRS'] }, require: { fields: ['x'] }, message: '{title} is bad', why: 'w', hint: 'h' },
    { id: 'TEAM-2', clause: 'X 2', title: 'Other', severity: 'warning', select: { type: ['SRS'] }, require: { fields: ['y'] }, message: '{key}', why: 'w', hint: 'h' },
  ],
};

function finding(i: number, message: string, clause = i % 2 === 0 ? 'X 1' : 'X 2'): Finding {
  return { id: `f${i}`, ruleId: clause === 'X 1' ? 'TEAM-1' : 'TEAM-2', pack: 'team', clause, severity: clause === 'X 1' ? 'error' : 'warning', title: 't', record: `SRS-${i}`, message, hint: 'fix it' };
}

function input(findings: readonly Finding[]): CheckReportInput {
  return {
    result: { product: 'RPM', safetyClass: 'B', packs: ['team'], rulesRun: 2, recordsChecked: findings.length, findings, disabled: [], notes: [] },
    packs: [PACK],
    failOn: 'error',
    version: '0.0.0',
  };
}

describe('check report text', () => {
  it('groups findings by clause in first-seen order, with totals', () => {
    const text = renderCheckText(input([finding(1, 'one'), finding(2, 'two'), finding(3, 'three')]));
    expect(text).toMatch(/^X 2\n {2}warning SRS-1 {4}one {2}\[TEAM-2\]\n.*\n {2}warning SRS-3 {4}three {2}\[TEAM-2\]\n.*\n\nX 1\n {2}error {3}SRS-2 {4}two/m);
    expect(text).toContain('3 findings (1 errors, 2 warnings, 0 info) from 2 rules over 3 records');
    expect(text).toContain('FAILED: 1 findings at or above error');
  });

  it('keeps a finding to its own line: a title with a line break or an escape sequence cannot forge one', () => {
    const text = renderCheckText(input([finding(2, 'Pump\n  error   SRS-99   forged  [TEAM-1]\u001b[2J is bad')]));
    expect(text).toContain('  error   SRS-2    Pump\\n  error   SRS-99   forged  [TEAM-1]\\x1b[2J is bad  [TEAM-1]');
    expect(text.split('\n').filter((l) => l.includes('SRS-99'))).toHaveLength(1);
    expect(text).not.toContain('\u001b');
  });

  it('does linear work in the number of findings (regrouping once copied each clause list per finding)', () => {
    // Counts elements read through array iterators (spread, for…of) while rendering. Copying a clause's list for
    // every finding reads n²/2 elements: 2 million for these 2,000 findings of one clause.
    const n = 2000;
    const findings = Array.from({ length: n }, (_, i) => finding(2 * i, `m${i}`));
    const proto = Array.prototype as unknown as { [Symbol.iterator]: () => Iterator<unknown> };
    const original = proto[Symbol.iterator];
    let reads = 0;
    proto[Symbol.iterator] = function (this: unknown[]): Iterator<unknown> {
      const it = original.call(this);
      return {
        next(): IteratorResult<unknown> {
          reads++;
          return it.next();
        },
      };
    };
    let text: string;
    try {
      text = renderCheckText(input(findings));
    } finally {
      proto[Symbol.iterator] = original;
    }
    expect(text.split('\n').filter((l) => l.startsWith('  error '))).toHaveLength(n);
    expect(reads).toBeLessThan(20 * n);
  });
});

describe('check report JUnit', () => {
  it('is well-formed XML 1.0 when record text holds characters XML forbids', () => {
    const xml = renderCheckJUnit(input([finding(2, 'Pump \u0001 \u001b[31m \uffff <b>&"\'')]));
    const names: string[] = [];
    const parser = new SaxesParser();
    parser.on('error', (e) => {
      throw e;
    });
    parser.on('opentag', (t) => {
      if (t.name === 'testcase') names.push(String(t.attributes['name']));
    });
    parser.write(xml).close();
    expect(names).toContain('SRS-2: Pump \\x01 \\x1b[31m \\uffff <b>&"\'');
  });
});

describe('check report links to the page that fixes each finding (--base-url)', () => {
  const withBase = (findings: readonly Finding[]): CheckReportInput => ({ ...input(findings), baseUrl: 'https://dossier.example.com/qms' });

  it('builds the record page URL with the rule as fragment, encoded, and the dashboard for a product finding', () => {
    expect(findingUrl('https://d.example/', 'RPM', { record: 'SRS-12', ruleId: 'IEC62304-5.2.1' })).toBe('https://d.example/p/RPM/records/SRS-12#finding-IEC62304-5.2.1');
    expect(findingUrl('https://d.example', 'RPM', { record: null, ruleId: 'R 1' })).toBe('https://d.example/p/RPM/dashboard#finding-R%201');
    expect(findingUrl('https://d.example', 'RPM', { record: 'A/B#1', ruleId: 'R' })).toBe('https://d.example/p/RPM/records/A%2FB%231#finding-R');
  });

  it('accepts only an absolute http(s) URL without query, fragment or credentials', () => {
    expect(parseBaseUrl('https://dossier.example.com/qms/')).toBe('https://dossier.example.com/qms');
    expect(parseBaseUrl('http://127.0.0.1:3000')).toBe('http://127.0.0.1:3000');
    for (const bad of ['dossier.example.com', 'javascript:alert(1)', 'file:///etc/passwd', 'https://d.example/?a=1', 'https://d.example/#x', 'https://u:p@d.example']) {
      expect(() => parseBaseUrl(bad), bad).toThrow(/--base-url/);
    }
  });

  it('puts the URL under each finding in the text report, and nothing without a base URL', () => {
    const text = renderCheckText(withBase([finding(2, 'two'), finding(3, 'three')]));
    expect(text).toContain('  error   SRS-2    two  [TEAM-1]\n          fix: fix it\n          see: https://dossier.example.com/qms/p/RPM/records/SRS-2#finding-TEAM-1');
    expect(text).toContain('see: https://dossier.example.com/qms/p/RPM/records/SRS-3#finding-TEAM-2');
    expect(renderCheckText(input([finding(2, 'two')]))).not.toContain('see:');
  });

  it('puts the URL in the JUnit failure message (and in the note of a finding below the gate)', () => {
    const xml = renderCheckJUnit(withBase([finding(2, 'two'), finding(3, 'three')]));
    const failures: string[] = [];
    const parser = new SaxesParser();
    parser.on('opentag', (t) => {
      if (t.name === 'failure') failures.push(String(t.attributes['message']));
    });
    parser.write(xml).close();
    expect(failures).toEqual(['two (https://dossier.example.com/qms/p/RPM/records/SRS-2#finding-TEAM-1)']);
    expect(xml).toContain('fix at https://dossier.example.com/qms/p/RPM/records/SRS-3#finding-TEAM-2');
    expect(renderCheckJUnit(input([finding(2, 'two')]))).not.toContain('https://');
  });

  it("gives each SARIF result the URL as its hosted viewer URI and in its properties", () => {
    const sarif = JSON.parse(renderCheckSarif(withBase([finding(2, 'two')]))) as { runs: { results: { hostedViewerUri?: string; properties: { url?: string } }[] }[] };
    const r = sarif.runs[0]?.results[0];
    expect(r?.hostedViewerUri).toBe('https://dossier.example.com/qms/p/RPM/records/SRS-2#finding-TEAM-1');
    expect(r?.properties.url).toBe(r?.hostedViewerUri);
    const plain = JSON.parse(renderCheckSarif(input([finding(2, 'two')]))) as { runs: { results: { hostedViewerUri?: string; properties: { url?: string } }[] }[] };
    expect(plain.runs[0]?.results[0]?.hostedViewerUri).toBeUndefined();
    expect(plain.runs[0]?.results[0]?.properties.url).toBeUndefined();
  });
});
