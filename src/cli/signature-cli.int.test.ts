import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { listAuditEvents } from '../app/use-cases/list-audit-events.js';
import { useCli } from '../test-support/cli.js';
import { aSigningTeam, SIGNERS } from '../test-support/signers.js';
import { DIALECTS, testDeps } from '../test-support/stores.js';
import { EXIT } from './exit-codes.js';

/** Runs `fn` with `text` as standard input (what `--password-stdin` reads). */
async function withStdin<T>(text: string, fn: () => Promise<T>): Promise<T> {
  const real = Object.getOwnPropertyDescriptor(process, 'stdin');
  Object.defineProperty(process, 'stdin', { value: Readable.from([`${text}\n`]), configurable: true });
  try {
    return await fn();
  } finally {
    if (real !== undefined) Object.defineProperty(process, 'stdin', real);
  }
}

describe.each(DIALECTS)('dossier record sign, inbox, signature and workflow on %s', (dialect) => {
  const { dossier, t } = useCli(dialect);
  const as = (who: keyof typeof SIGNERS, ...args: string[]) => withStdin(SIGNERS[who].password, () => dossier(...args, '--user', SIGNERS[who].username, '--password-stdin'));

  it('P11-10, P11-13/14, P11-02: accepts the statement, signs from the inbox in one batch, approves, shows and exports the signatures [DOSSIER-SRS-30] [DOSSIER-SRS-32] [DOSSIER-SRS-33]', async () => {
    expect((await dossier('product', 'create', '--key', 'RPM', '--name', 'VitalLink', '--intended-use', 'Monitoring.', '--class', 'B')).code).toBe(0);
    const deps = testDeps(t().store, 'ops');
    await aSigningTeam(deps, 'RPM', false);
    for (const title of ['Pulse alarm', 'Battery warning']) expect((await dossier('--actor', 'dana.engineer', 'record', 'add', '-t', 'SRS', '--title', title)).code).toBe(0);
    expect((await dossier('--actor', 'dana.engineer', 'record', 'status', 'SRS-1@1', 'SRS-2@1', 'in_review')).code).toBe(0);

    const inbox = await dossier('inbox', '--user', 'quinn.qa');
    expect(inbox.out).toMatch(/^RECORD\s+REV\s+SIGN AS\s+STEP\s+AUTHOR.*\nRPM\/SRS-1\s+1\s+reviewed\s+1 of 2\s+dana\.engineer.*Pulse alarm\nRPM\/SRS-2\s+1\s+reviewed/);
    expect(JSON.parse((await dossier('inbox', '--user', 'quinn.qa', '--format', 'json')).out)).toMatchObject({ username: 'quinn.qa', count: 2 });

    // P11-10: no signature before the statement is accepted; the message tells how.
    const early = await as('quinn', 'record', 'sign', '--all-waiting', '--meaning', 'reviewed');
    expect(early.code).toBe(EXIT.usage);
    expect(early.err).toMatch(/quinn\.qa has not yet accepted the electronic signature accountability statement.*dossier signature accept-statement/);
    expect((await dossier('signature', 'statement', '--user', 'quinn.qa')).out).toMatch(/^Accountability statement, version 1:\n\nI, Quinn Quality, accept[\s\S]*has not accepted it yet/);
    for (const who of ['quinn', 'avery'] as const) {
      const accepted = await as(who, 'signature', 'accept-statement');
      expect(accepted.code, accepted.err).toBe(0);
      expect(accepted.err).toMatch(/I, .* accept that every electronic signature/);
      expect(accepted.out).toMatch(/accepted version 1 of the accountability statement/);
    }

    const wrong = await withStdin('not my password', () => dossier('record', 'sign', 'SRS-1@1', '--meaning', 'reviewed', '--user', 'quinn.qa', '--password-stdin'));
    expect(wrong.code).toBe(EXIT.denied);
    expect(wrong.err).toMatch(/wrong username or password/);

    const reviewed = await as('quinn', 'record', 'sign', '--all-waiting', '--meaning', 'reviewed');
    expect(reviewed.code, reviewed.err).toBe(0);
    expect(reviewed.out).toMatch(/^signed RPM\/SRS-1: Reviewed by Quinn Quality \(quinn\.qa\) on \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC, revision 1\nsigned RPM\/SRS-2: Reviewed by/);
    const stale = await as('avery', 'record', 'sign', 'SRS-1@2', '--meaning', 'approved');
    expect(stale.code).toBe(EXIT.conflict);
    expect(stale.err).toMatch(/SRS-1 has no revision 2/);
    const approved = await as('avery', 'record', 'sign', 'SRS-1@1', '--meaning', 'approved');
    expect(approved.code, approved.err).toBe(0);
    expect(approved.out).toMatch(/Approved by Avery Approver \(avery\.approver\) on .* UTC, revision 1\nRPM\/SRS-1 is now approved/);
    const again = await as('avery', 'record', 'sign', 'SRS-1@1', '--meaning', 'approved');
    expect(again.code).toBe(EXIT.usage);

    const shown = await dossier('record', 'show', 'SRS-1');
    expect(shown.out).toMatch(/\nSignatures:\n {2}Reviewed by Quinn Quality \(quinn\.qa\) on .* UTC, revision 1\n {2}Approved by Avery Approver \(avery\.approver\) on .* UTC, revision 1/);

    const csv = (await dossier('record', 'history', 'SRS-1', '--format', 'csv')).out.trim().split('\n');
    expect(csv[0]).toBe('product,record,kind,seq,at,who,revision,what,detail,reason');
    expect(csv.filter((l) => l.includes(',signature,'))).toHaveLength(2);
    const json = JSON.parse((await dossier('record', 'history', 'SRS-1', '--format', 'json')).out) as { revisions: { signatures: unknown[] }[] };
    expect(json.revisions[0]?.signatures).toHaveLength(2);
    expect((await dossier('record', 'history', 'SRS-1')).out).toMatch(/^RPM\/SRS-1 is approved \(revision 1\) with electronic signatures\n\nRevisions and signatures:\n {2}revision 1 .*\n {4}Reviewed by Quinn Quality/);

    // A local operator's approval by status change is shown for what it is.
    await as('avery', 'record', 'sign', 'SRS-2@1', '--meaning', 'approved');
    expect((await dossier('--actor', 'dana.engineer', 'record', 'add', '-t', 'SRS', '--title', 'Unsigned')).code).toBe(0);
    expect((await dossier('record', 'status', 'SRS-3@1', 'in_review')).code).toBe(0);
    expect((await dossier('record', 'status', 'SRS-3@1', 'approved')).code).toBe(0);
    expect((await dossier('record', 'show', 'SRS-3')).out).toMatch(/\nSignatures:\n {2}revision 1 approved without electronic signature \(by erin\)/);

    const actions = (await listAuditEvents(deps, {})).map((e) => e.action).filter((a) => a.startsWith('SIGNATURE'));
    expect(actions).toEqual([
      'SIGNATURE_REFUSED',
      'SIGNATURE_STATEMENT_ACCEPTED',
      'SIGNATURE_STATEMENT_ACCEPTED',
      'SIGNATURE_REFUSED',
      'SIGNATURE_APPLIED',
      'SIGNATURE_APPLIED',
      'SIGNATURE_REFUSED',
      'SIGNATURE_APPLIED',
      'SIGNATURE_REFUSED',
      'SIGNATURE_APPLIED',
    ]);
  });

  it('P11-11: shows and sets workflows, naming the field of a bad one [DOSSIER-SRS-32]', async () => {
    expect((await dossier('product', 'create', '--key', 'RPM', '--name', 'VitalLink', '--intended-use', 'Monitoring.', '--class', 'B')).code).toBe(0);
    expect((await dossier('workflow', 'show')).out).toMatch(/\nSRS\s+reviewed:reviewer,quality → approved:approver\s+yes\s+default\n/);
    const bad = await dossier('workflow', 'set', 'RPM', 'SRS', '--step', 'reviewed:reviewer', '--reason', 'x');
    expect(bad.code).toBe(EXIT.usage);
    expect(bad.err).toMatch(/must mean approved/);
    const set = await dossier('workflow', 'set', 'RPM', 'SRS', '--step', 'reviewed:reviewer,quality', '--step', 'approved:approver', '--allow-author', '--reason', 'small team');
    expect(set).toMatchObject({ code: 0, out: 'the SRS workflow of RPM is now reviewed (by reviewer or quality), then approved (by approver)\n' });
    expect((await dossier('workflow', 'show', 'RPM')).out).toMatch(/\nSRS\s+reviewed:reviewer,quality \(author may sign\) → approved:approver \(author may sign\)\s+yes\s+\S+ by erin\n/);
    expect((await listAuditEvents(testDeps(t().store), {})).at(-1)).toMatchObject({ action: 'WORKFLOW_SET', actor: 'erin', reason: 'small team' });
  });
});
