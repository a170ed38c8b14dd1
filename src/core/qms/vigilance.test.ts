import { describe, expect, it } from 'vitest';
import { addWorkDays, daysBetween } from './days.js';
import { EU_DEADLINES, FDA_DEADLINES, nextReportDue, reportDeadlines } from './vigilance.js';

describe('vigilance deadlines', () => {
  it('are the clause deadlines: FDA 30 calendar days, 5 work days for a remedial action; EU 2, 10, 15 days', () => {
    expect(Object.fromEntries(Object.entries(FDA_DEADLINES).map(([k, d]) => [k, [d.days, d.count, d.clause]]))).toEqual({
      not_reportable: [null, 'calendar', ''],
      death: [30, 'calendar', '21 CFR 803.50(a)'],
      serious_injury: [30, 'calendar', '21 CFR 803.50(a)'],
      malfunction: [30, 'calendar', '21 CFR 803.50(a)'],
      remedial_action: [5, 'work', '21 CFR 803.53(a)'],
    });
    expect(Object.fromEntries(Object.entries(EU_DEADLINES).map(([k, d]) => [k, [d.days, d.clause]]))).toEqual({
      not_reportable: [null, ''],
      serious_public_health_threat: [2, 'EU MDR Art. 87(4)'],
      death_or_serious_deterioration: [10, 'EU MDR Art. 87(5)'],
      serious_incident: [15, 'EU MDR Art. 87(3)'],
    });
  });

  it('counts work days over a weekend: aware on a Thursday, five work days later is the next Thursday', () => {
    expect(new Date('2026-03-05T00:00:00Z').getUTCDay()).toBe(4);
    expect(addWorkDays('2026-03-05', 5)).toBe('2026-03-12');
    expect(addWorkDays('2026-03-06', 1)).toBe('2026-03-09'); // Friday → Monday
  });

  it('gives each jurisdiction a due day from awareOn and a status on the day asked [DOSSIER-SRS-40]', () => {
    const f = { awareOn: '2026-03-02', fdaReportability: 'malfunction', euReportability: 'serious_incident', reportabilityRationale: 'r' };
    const [fda, eu] = reportDeadlines(f, '2026-03-10');
    expect(fda).toMatchObject({ jurisdiction: 'FDA', dueOn: '2026-04-01', status: 'due', daysFromDue: 22, text: 'due in 22 days', clause: '21 CFR 803.50(a)' });
    expect(eu).toMatchObject({ jurisdiction: 'EU', dueOn: '2026-03-17', status: 'due', daysFromDue: 7, text: 'due in 7 days' });
    expect(daysBetween('2026-03-02', eu?.dueOn ?? '')).toBe(15);
    expect(reportDeadlines(f, '2026-03-17')[1]?.text).toBe('due today');
    expect(reportDeadlines(f, '2026-03-19')[1]).toMatchObject({ status: 'overdue', daysFromDue: 2, text: 'overdue by 2 days' });
    expect(nextReportDue(reportDeadlines(f, '2026-03-10'))).toBe('2026-03-17');
  });

  it('tells a report made on time from a late one, and leaves undecided and not reportable without a due day', () => {
    const base = { awareOn: '2026-03-02', euReportability: 'serious_public_health_threat', reportabilityRationale: 'r' };
    expect(reportDeadlines({ ...base, euReportedOn: '2026-03-04' }, '2026-05-01')[1]).toMatchObject({ dueOn: '2026-03-04', status: 'reported_on_time' });
    expect(reportDeadlines({ ...base, euReportedOn: '2026-03-05' }, '2026-05-01')[1]).toMatchObject({ status: 'reported_late', daysFromDue: 1, text: 'reported late by 1 day (2026-03-05)' });
    const [fda] = reportDeadlines(base, '2026-05-01');
    expect(fda).toMatchObject({ status: 'undecided', dueOn: null });
    expect(reportDeadlines({ ...base, fdaReportability: 'not_reportable' }, '2026-05-01')[0]).toMatchObject({ status: 'not_reportable', dueOn: null, clause: null });
    expect(reportDeadlines({ fdaReportability: 'death' }, '2026-05-01')[0]?.status).toBe('no_awareness_date');
    expect(nextReportDue(reportDeadlines({ ...base, euReportedOn: '2026-03-04' }, '2026-05-01'))).toBeNull();
  });
});
