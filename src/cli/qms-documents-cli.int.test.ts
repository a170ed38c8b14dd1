import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { addLink } from '../app/use-cases/add-link.js';
import { addRecord } from '../app/use-cases/add-record.js';
import { changeRecordStatus } from '../app/use-cases/change-record-status.js';
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

describe.each(DIALECTS)('dossier qms doc and qms training on %s', (dialect) => {
  const { dossier, t } = useCli(dialect);

  it('P11-09: makes a document effective, lists the register, completes training with a signature and shows the matrix [DOSSIER-SRS-43] [DOSSIER-SRS-44]', async () => {
    expect((await dossier('product', 'create', '--key', 'RPM', '--name', 'VitalLink', '--intended-use', 'Monitoring.', '--class', 'B')).code).toBe(0);
    const deps = testDeps(t().store, 'ops');
    await aSigningTeam(deps, 'RPM');
    await addRecord(deps, { productKey: 'RPM', record: { type: 'DOC', title: 'CAPA procedure', fields: { docType: 'procedure', number: 'SOP-004', version: '1.0', reviewIntervalMonths: 12 } } });
    await addRecord(deps, { productKey: 'RPM', record: { type: 'JOB', title: 'Quality engineer', fields: { members: ['quinn.qa'] } } });
    await addLink(deps, { productKey: 'RPM', link: { type: 'requires_training', from: 'JOB-1', to: 'DOC-1' } });
    const before = await dossier('qms', 'doc', 'effective', 'DOC-1', '--on', '2026-12-15');
    expect(before.code).toBe(EXIT.usage);
    expect(before.err).toMatch(/RPM\/DOC-1 has no approved revision/);
    await changeRecordStatus(deps, { productKey: 'RPM', record: 'DOC-1', to: 'in_review', baseRevision: 1 });
    await changeRecordStatus(deps, { productKey: 'RPM', record: 'DOC-1', to: 'approved', baseRevision: 1 });
    const made = await dossier('qms', 'doc', 'effective', 'DOC-1', '--on', '2026-12-15');
    expect(made.out).toMatch(/^DOC-1 version 1\.0 \(revision 1\) is effective on 2026-12-15 \(approved without electronic signature: UNSIGNED\)\ntraining assigned to 1, due 2027-01-14:\n {2}quinn\.qa \(JOB-1\)\n$/);
    expect((await dossier('qms', 'doc', 'list')).out).toMatch(/DOC-1\s+SOP-004\s+CAPA procedure\s+1\.0\s+2026-12-15\s+2027-12-15/);
    const done = await withStdin(SIGNERS.quinn.password, () => dossier('qms', 'training', 'complete', 'DOC-1', '--user', 'quinn.qa', '--password-stdin'));
    expect(done.code).toBe(0);
    expect(done.out).toMatch(/^training on DOC-1 version 1\.0 completed: Read and understood by Quinn Quality \(quinn\.qa\) on /);
    const matrix = JSON.parse((await dossier('qms', 'training', 'matrix', '--format', 'json')).out) as { roles: { documents: { people: { status: string }[] }[] }[] };
    expect(matrix.roles[0]?.documents[0]?.people[0]?.status).toBe('completed');
    expect((await dossier('qms', 'training', 'person', 'quinn.qa')).out).toMatch(/DOC-1 1\.0: Read and understood by Quinn Quality/);
  });
});
