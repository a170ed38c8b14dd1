import { describe, expect, it } from 'vitest';
import { STARTER_DOCUMENTS, STARTER_ROLES } from '../core/qms/starter/index.js';
import { DIALECTS } from '../test-support/stores.js';
import { useCli } from '../test-support/cli.js';

describe.each(DIALECTS)('dossier qms init on %s', (dialect) => {
  const { dossier } = useCli(dialect);

  it('writes the starter quality system, prints what it made and what to do next, and refuses a second run with exit 2', async () => {
    expect((await dossier('product', 'create', '--key', 'ECG', '--name', 'ECG viewer', '--intended-use', 'Shows ECGs', '--class', 'B')).code).toBe(0);
    const run = await dossier('qms', 'init', '--owner', 'quinn', '--reason', 'start the quality system');
    expect(run.err).toBe('');
    expect(run.code).toBe(0);
    expect(run.out).toMatch(new RegExp(`^wrote the starter quality system into ECG: ${STARTER_DOCUMENTS.length} documents, ${STARTER_ROLES.length} job roles and \\d+ training-matrix links, all drafts`));
    expect(run.out).toMatch(/^DOC-6\s+SOP-005\s+Corrective and preventive action \(CAPA\)$/m);
    expect(run.out).toMatch(/^JOB-2\s+Quality manager\s+19 documents$/m);
    expect(run.out).toContain('dossier qms doc effective DOC-1 --on YYYY-MM-DD');

    const list = await dossier('record', 'list', '--type', 'DOC', '--status', 'draft');
    expect(list.out).toMatch(new RegExp(`${STARTER_DOCUMENTS.length} records`));

    const again = await dossier('qms', 'init');
    expect(again.code).toBe(2);
    expect(again.err).toMatch(/^dossier: the starter QMS is already in ECG: QM-001 is DOC-1 /);
    const json = await dossier('--json', 'qms', 'init');
    expect(JSON.parse(json.out)).toMatchObject({ error: { code: 'INVALID_STATE', details: { item: 'DOC-1', field: 'number' } } });
  });

  it('prints the created records as JSON with --json', async () => {
    expect((await dossier('product', 'create', '--key', 'ECG', '--name', 'ECG viewer', '--intended-use', 'Shows ECGs', '--class', 'A')).code).toBe(0);
    const run = await dossier('--json', 'qms', 'init', '-p', 'ECG');
    expect(run.code).toBe(0);
    const out = JSON.parse(run.out) as { productKey: string; documents: { number: string }[]; roles: unknown[]; links: number };
    expect(out.productKey).toBe('ECG');
    expect(out.documents.map((d) => d.number)).toEqual(STARTER_DOCUMENTS.map((d) => d.number));
    expect(out.roles).toHaveLength(STARTER_ROLES.length);
  });
});
