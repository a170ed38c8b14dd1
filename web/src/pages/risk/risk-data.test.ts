import { describe, expect, it } from 'vitest';
import { cellParam, csvField, filterByZone, isControlled, parseCell, riskCsv, risksInCell, verificationOf, type RiskRowLike } from './risk-data';

const row = (key: string, over: Partial<RiskRowLike> = {}): RiskRowLike => ({
  key,
  title: `Risk ${key}`,
  status: 'approved',
  hazards: ['HAZ-1'],
  sequences: ['SEQ-1'],
  situations: ['HS-1'],
  harms: ['HARM-1'],
  initial: { severity: 'S3', probability: 'P4', zone: 'unacceptable' },
  residual: { severity: 'S3', probability: 'P1', zone: 'acceptable' },
  controls: [{ key: 'RC-1', title: 'TLS', verification: 'passed', implementedBy: ['SRS-3'] }],
  ...over,
});

describe('risk helpers', () => {
  it('reads and writes a matrix cell in the URL, refusing malformed ones', () => {
    const c = { stage: 'residual', severity: 'S3', probability: 'P1' } as const;
    expect(parseCell(cellParam(c))).toEqual(c);
    expect(parseCell(null)).toBeUndefined();
    expect(parseCell('later:S3:P1')).toBeUndefined();
    expect(parseCell('initial:S3')).toBeUndefined();
    expect(parseCell('initial:S3:P1:x')).toBeUndefined();
  });

  it('lists the risks of a cell at the stage asked for', () => {
    const rows = [row('RISK-1'), row('RISK-2', { initial: { severity: 'S2', probability: 'P4', zone: 'reduce' }, residual: null })];
    expect(risksInCell(rows, { stage: 'initial', severity: 'S3', probability: 'P4' }).map((r) => r.key)).toEqual(['RISK-1']);
    expect(risksInCell(rows, { stage: 'residual', severity: 'S3', probability: 'P1' }).map((r) => r.key)).toEqual(['RISK-1']);
    expect(risksInCell(rows, { stage: 'residual', severity: 'S2', probability: 'P4' })).toEqual([]);
    expect(filterByZone(rows, 'reduce', 'initial').map((r) => r.key)).toEqual(['RISK-2']);
    expect(filterByZone(rows, undefined, 'initial')).toHaveLength(2);
  });

  it('counts a risk controlled only when every control is verified', () => {
    expect(isControlled(row('RISK-1'))).toBe(true);
    const two = row('RISK-1', { controls: [...row('x').controls, { key: 'RC-2', title: 'Sig', verification: 'untested', implementedBy: [] }] });
    expect(isControlled(two)).toBe(false);
    expect(verificationOf(two)).toBe('incomplete');
    expect(isControlled(row('RISK-1', { controls: [] }))).toBe(false);
    expect(verificationOf(row('RISK-1', { controls: [] }))).toBe('no controls');
    expect(isControlled(row('RISK-1', { controls: [], initial: { severity: 'S1', probability: 'P1', zone: 'acceptable' } }))).toBe(true);
  });

  it('writes CSV with quoting and neutralised formulas', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a, "b"')).toBe('"a, ""b"""');
    expect(csvField('=HYPERLINK(1)')).toBe("'=HYPERLINK(1)");
    const csv = riskCsv([row('RISK-1', { title: 'Altered, reading' })], { 'HAZ-1': 'Tampered data' });
    const lines = csv.split('\r\n');
    expect(lines[0]).toMatch(/^Risk,Title,Status,Hazard,/);
    expect(lines[1]).toBe('RISK-1,"Altered, reading",approved,HAZ-1 Tampered data,SEQ-1,HS-1,HARM-1,S3,P4,unacceptable,RC-1 TLS,RC-1: passed,S3,P1,acceptable');
    expect(lines).toHaveLength(3);
  });
});
