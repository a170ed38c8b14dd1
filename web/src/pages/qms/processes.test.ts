import { describe, expect, it } from 'vitest';
import { PROCESS_KINDS } from '../../../../src/core/qms/process-list.js';
import { movesFrom, processOf } from '../../../../src/core/qms/processes.js';
import { nextStates, processInfo, PROCESSES, stateColor, stateLabel, tabOf, TABS, TONE } from './processes';

describe('the quality processes as the page shows them', () => {
  it("names the server's process kinds, each with its record type", () => {
    expect(PROCESSES.map((p) => p.kind).sort()).toEqual(Object.keys(PROCESS_KINDS).sort());
    for (const p of PROCESSES) expect(processOf(PROCESS_KINDS[p.kind])?.type).toBe(p.type);
    expect(processInfo('capa')?.noun).toBe('CAPA');
  });

  it('offers the moves the server sent, none from a state the signature gave (closed, cancelled)', () => {
    const def = processOf('CAPA');
    if (def === undefined) throw new Error('no CAPA process');
    const capa = { states: def.states, moves: def.moves };
    for (const s of def.states) expect(nextStates(capa, s).sort()).toEqual([...movesFrom(def, s)].sort());
    expect(nextStates(capa, 'closed')).toEqual([]);
    expect(nextStates(capa, 'cancelled')).toEqual([]);
    expect(nextStates(capa, 'open').sort()).toEqual(['investigation', 'rejected']);
  });

  it('reads the tab from the URL, the first by default', () => {
    expect(tabOf('readiness')).toBe('readiness');
    expect(tabOf('nonsense')).toBe('capa');
    expect(tabOf(null)).toBe('capa');
    expect(TABS.at(-1)?.value).toBe('documents');
  });

  it('colours badges dark enough for white text (4.5:1)', () => {
    const luminance = (hex: string): number => {
      const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255).map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
      return 0.2126 * (r ?? 0) + 0.7152 * (g ?? 0) + 0.0722 * (b ?? 0);
    };
    for (const c of Object.values(TONE)) expect(1.05 / (luminance(c) + 0.05)).toBeGreaterThan(4.5);
  });

  it('words and colours states', () => {
    expect(stateLabel('effectiveness_check')).toBe('effectiveness check');
    expect(stateColor('closed')).toBe(TONE.good);
    expect(stateColor('cancelled')).toBe(TONE.neutral);
    expect(stateColor('investigation')).toBe(TONE.info);
  });
});
