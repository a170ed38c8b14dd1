import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runDossier, type Exit } from '../test-support/processes.js';
import { DIALECTS, openTestStore, type TestStore } from '../test-support/stores.js';

/**
 * The built `dossier qms` process commands run as real processes (build first: npm run build): exit codes, a refusal
 * as one line on stderr without a stack trace, JSON that parses.
 */
describe.each(DIALECTS)('the built dossier qms process commands on %s', (dialect) => {
  let t: TestStore;
  beforeEach(async () => {
    t = await openTestStore(dialect);
  });
  afterEach(async () => t.cleanup());

  const env = { DOSSIER_DEBUG: '', DOSSIER_DB: '', DOSSIER_ACTOR: '', FORCE_COLOR: '0' };
  const dossier = (...args: string[]): Promise<Exit> => runDossier(['--db', t.dbArg, '--actor', 'ci-bot', ...args], { env });
  const refusal = (r: Exit): void => {
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toMatch(/^dossier: [^\n]+\n$/);
    expect(r.err).not.toMatch(/^\s+at .+:\d+:\d+\)?$|TypeError|internal error/m);
  };

  it('advances, refuses, lists and shows deadlines and impact [DOSSIER-SRS-39]', async () => {
    expect((await dossier('product', 'create', '--key', 'RPM', '--name', 'VitalLink', '--intended-use', 'Vital signs at home', '--class', 'b')).code).toBe(0);
    expect((await dossier('record', 'add', '--type', 'CAPA', '--title', 'Readings dropped', '--set', 'source=complaint', '--set', 'dueOn=2026-02-01')).code).toBe(0);
    expect((await dossier('record', 'add', '--type', 'CMP', '--title', 'Alarm late', '--set', 'receivedOn=2026-03-02', '--set', 'channel=phone')).code).toBe(0);
    expect((await dossier('record', 'add', '--type', 'CR', '--title', 'Fix the queue', '--set', 'origin=capa')).code).toBe(0);

    const missing = await dossier('qms', 'advance', 'CAPA-1@1', 'investigation');
    refusal(missing);
    expect(missing.err).toMatch(/needs problem \(the problem statement\)/);
    refusal(await dossier('qms', 'advance', 'CR-1@1', 'implemented'));
    const ok = await dossier('qms', 'advance', 'CAPA-1@1', 'investigation', '--set', 'problem=Dropped for 2 hours');
    expect(ok.code).toBe(0);
    expect(ok.out).toMatch(/moved open → investigation/);

    const list = await dossier('qms', 'list', 'capa', '--at', '2026-03-01', '--format', 'json');
    expect(list.code).toBe(0);
    expect((JSON.parse(list.out) as { records: { key: string; state: string; overdue: boolean }[] }).records).toEqual([
      expect.objectContaining({ key: 'CAPA-1', state: 'investigation', overdue: true }),
    ]);
    const deadlines = await dossier('qms', 'complaint', 'deadlines', 'CMP-1');
    expect(deadlines.code).toBe(0);
    expect(deadlines.out).toMatch(/^FDA\s+-\s+-\s+-\s+-\s+reportability not decided$/m);
    const impact = await dossier('--json', 'qms', 'change', 'impact', 'CR-1');
    expect(impact.code).toBe(0);
    expect(JSON.parse(impact.out)).toMatchObject({ record: 'CR-1', state: 'submitted', approved: false });
  });
});
