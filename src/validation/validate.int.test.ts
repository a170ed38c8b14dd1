import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { installManifest } from '../build/write-install-manifest.js';
import { useCli } from '../test-support/cli.js';
import { DIALECTS, TEST_PG_URL } from '../test-support/stores.js';
import { runIq } from './iq.js';
import { runOq } from './oq/run-oq.js';
import type { OqCase } from './oq/oq-case.js';

interface Saved {
  verdict: 'pass' | 'fail';
  failures: string[];
  iq: { id: string; outcome: string; detail: string }[];
  oq: { caseId: string; dialect: string; outcome: string }[];
  design: { key: string; type: string; title: string; hash: string }[];
}
const saved = (dir: string): Saved => JSON.parse(readFileSync(join(dir, 'validation.json'), 'utf8')) as Saved;
const reportHtml = (dir: string): string => readFileSync(join(dir, 'html', 'documents', 'validation-report.html'), 'utf8');

describe.each(DIALECTS)('dossier validate on %s', (dialect) => {
  const { dossier, dir, t } = useCli(dialect);
  const pgArgs = dialect === 'postgres' ? [] : ['--pg', TEST_PG_URL];

  it('qualifies a sound store: IQ passes, OQ runs on both engines, and the report is written [DOSSIER-SRS-53] [DOSSIER-SRS-54] [DOSSIER-SRS-55]', async () => {
    expect((await dossier('product', 'create', '--key', 'RPM', '--name', 'Remote monitoring', '--intended-use', 'Monitoring', '--class', 'B')).code).toBe(0);
    const out = join(dir(), 'report');
    const r = await dossier('validate', '--out', out, ...pgArgs);
    expect(r.err).not.toMatch(/FAILED/);
    expect(r.code, r.out).toBe(0);
    expect(r.out).toMatch(/^PASS: installation qualification \d+ passed, 0 failed/);
    const s = saved(out);
    expect(s.verdict).toBe('pass');
    expect(s.iq.map((c) => [c.id, c.outcome])).toEqual([
      ['IQ-1', 'passed'],
      ['IQ-2', 'passed'],
      ['IQ-3', 'passed'],
      ['IQ-4', 'passed'],
      ['IQ-5', 'passed'],
      ['IQ-6', 'passed'],
      ['IQ-7', 'passed'],
      ['IQ-8', 'passed'],
      ['IQ-9', dialect === 'sqlite' ? 'passed' : 'not_applicable'],
    ]);
    expect(new Set(s.oq.map((x) => x.dialect))).toEqual(new Set(['sqlite', 'postgres']));
    expect(s.oq.every((x) => x.outcome === 'passed')).toBe(true);
    expect(reportHtml(out)).toContain('Verdict: PASS');
    expect(readFileSync(join(out, 'pdf', 'validation-report.pdf')).subarray(0, 5).toString()).toBe('%PDF-');
    expect(readFileSync(join(out, 'oq-results.xml'), 'utf8')).toMatch(/<testcase classname="oq\.sqlite" name="OQ-1 [^"]*\[DOSSIER-SRS-8\]/);
    expect(readFileSync(join(out, 'pq-template.md'), 'utf8')).toContain('PQ-1');
    // Every design record has its page, linked from the report.
    expect(readdirSync(join(out, 'html', 'records', 'SRS')).length).toBeGreaterThanOrEqual(57);
  });

  it('says FAIL and exits 1 when the store was altered behind its back, and changes nothing [DOSSIER-SRS-53] [DOSSIER-SRS-55]', async () => {
    expect((await dossier('product', 'create', '--key', 'RPM', '--name', 'Remote monitoring', '--intended-use', 'Monitoring', '--class', 'B')).code).toBe(0);
    const db = t().store.db;
    if (dialect === 'postgres') {
      await sql`alter table products disable trigger user`.execute(db).catch(() => undefined);
      await sql`update products set name = 'Tampered'`.execute(db);
    } else {
      await sql`update products set name = 'Tampered'`.execute(db);
    }
    const out = join(dir(), 'report');
    const r = await dossier('validate', '--out', out, '--oq-engines', 'sqlite');
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/^FAIL: /);
    expect(r.out).toMatch(/FAILED IQ-8 Store passes the database's integrity check and the audit-trail verification: state_altered/);
    expect(saved(out).verdict).toBe('fail');
    expect(reportHtml(out)).toContain('Verdict: FAIL');
    const name = await sql<{ name: string }>`select name from products`.execute(db);
    expect(name.rows[0]?.name).toBe('Tampered');
  });

  it('files the report in a product as a DOC record with the PDF and results attached, ready to sign [DOSSIER-SRS-55]', async () => {
    expect((await dossier('product', 'create', '--key', 'RPM', '--name', 'Remote monitoring', '--intended-use', 'Monitoring', '--class', 'B')).code).toBe(0);
    const r = await dossier('validate', '--out', join(dir(), 'report'), '--record', 'rpm', '--oq-engines', 'sqlite');
    expect(r.code, r.out).toBe(0);
    expect(r.out).toMatch(/filed as RPM\/DOC-1 with the PDF and results attached/);
    const shown = await dossier('--json', 'record', 'show', 'DOC-1', '--product', 'RPM');
    const view = JSON.parse(shown.out) as { revision: { title: string; body: string; fields: Record<string, unknown> }; attachments: { name: string; size: number }[] };
    expect(view.revision.title).toMatch(/^Validation report: Dossier [\d.]+ \(PASS, \d{4}-\d\d-\d\d\)$/);
    expect(view.revision.fields).toMatchObject({ docType: 'report', clauses: ['ISO 13485 4.1.6', 'ISO 13485 7.5.6'] });
    expect(view.revision.body).toMatch(/\*\*Verdict: PASS\.\*\*/);
    expect(view.attachments.map((a) => a.name).sort()).toEqual(['oq-results.xml', 'validation-report.pdf', 'validation.json']);
    const bad = await dossier('validate', '--out', join(dir(), 'x'), '--server', 'http://127.0.0.1:9');
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/with --server, validate qualifies this machine and files the report on the server: name the product with --record/);
  });

  it('lists what changed in requirements and risks since a previous validation [DOSSIER-SRS-56]', async () => {
    const first = join(dir(), 'first');
    expect((await dossier('validate', '--out', first, '--oq-engines', 'sqlite')).code).toBe(0);
    // The previous validation knew SRS-1 under another text, lacked SRS-2, and had a requirement since removed.
    const previous = saved(first);
    const design = previous.design
      .filter((f) => f.key !== 'SRS-2')
      .map((f) => (f.key === 'SRS-1' ? { ...f, title: 'Records are typed', hash: '0'.repeat(64) } : f));
    writeFileSync(join(first, 'validation.json'), JSON.stringify({ ...previous, design: [...design, { key: 'SRS-999', type: 'SRS', title: 'A retired requirement', hash: '1'.repeat(64) }] }));
    const second = join(dir(), 'second');
    const r = await dossier('validate', '--out', second, '--compare', first, '--oq-engines', 'sqlite');
    expect(r.code).toBe(0);
    const html = reportHtml(second);
    expect(html).toContain('Changes since the previous validation');
    expect(html).toMatch(/added[^]*SRS-2[^]*changed[^]*SRS-1[^]*Records are typed → Records are typed and their fields checked[^]*removed[^]*SRS-999/);
    const bad = await dossier('validate', '--out', join(dir(), 'third'), '--compare', join(dir(), 'nowhere'));
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/--compare .*nowhere: no such file or folder/);
    const engines = await dossier('validate', '--out', join(dir(), 'fourth'), '--oq-engines', 'postgres,oracle');
    expect(engines.code).toBe(2);
    expect(engines.err).toMatch(/--oq-engines takes sqlite and postgres, not 'oracle'/);
    const notPg = await dossier('validate', '--out', join(dir(), 'fifth'), '--pg', join(dir(), 'other.db'));
    expect(notPg.code).toBe(2);
    expect(notPg.err).toMatch(/--pg takes a postgres:\/\/ URL, not '.*other\.db'/);
    const noEvidence = await dossier('validate', '--out', join(dir(), 'sixth'), '--release-evidence', join(dir(), 'none.json'));
    expect(noEvidence.code).toBe(2);
    expect(noEvidence.err).toMatch(/--release-evidence .*none\.json: no such file/);
    // A refused run writes no report.
    for (const d of ['third', 'fourth', 'fifth', 'sixth']) expect(existsSync(join(dir(), d))).toBe(false);
  });
});

describe('OQ runner [DOSSIER-SRS-54]', () => {
  it('runs each case on a throwaway store per engine, records a failure with its message, and leaves nothing behind', async () => {
    const seen: string[] = [];
    const cases: OqCase[] = [
      {
        id: 'OQ-A',
        title: 'writes into its store',
        verifies: ['SRS-1'],
        async run({ deps, dialect }) {
          const products = await deps.store.read((r) => r.listProducts());
          assert.equal(products.length, 0, 'each case starts from an empty store');
          seen.push(dialect);
        },
      },
      { id: 'OQ-B', title: 'fails', verifies: ['SRS-2'], run: () => Promise.reject(new assert.AssertionError({ message: 'Expected values to be strictly equal' })) },
    ];
    const schemas = async (): Promise<number> => {
      const c = new pg.Client({ connectionString: TEST_PG_URL });
      await c.connect();
      try {
        const res = await c.query<{ n: string }>("select count(*) as n from information_schema.schemata where schema_name like 'dossier_oq_%'");
        return Number(res.rows[0]?.n);
      } finally {
        await c.end();
      }
    };
    const before = await schemas();
    const tmpBefore = readdirSync(tmpdir()).filter((n) => n.startsWith('dossier-oq-')).length;
    const results = await runOq(cases, [{ dialect: 'sqlite' }, { dialect: 'postgres', url: TEST_PG_URL }]);
    expect(results.map((r) => [r.caseId, r.dialect, r.outcome, r.message])).toEqual([
      ['OQ-A', 'sqlite', 'passed', null],
      ['OQ-B', 'sqlite', 'failed', 'Expected values to be strictly equal'],
      ['OQ-A', 'postgres', 'passed', null],
      ['OQ-B', 'postgres', 'failed', 'Expected values to be strictly equal'],
    ]);
    expect(seen).toEqual(['sqlite', 'postgres']);
    expect(await schemas()).toBe(before);
    expect(readdirSync(tmpdir()).filter((n) => n.startsWith('dossier-oq-')).length).toBe(tmpBefore);
  });
});

describe('installation qualification of a package folder [DOSSIER-SRS-53]', () => {
  /** A package root as npm and the build leave it, with one dependency. */
  function fakeInstall(): string {
    const root = mkdtempSync(join(tmpdir(), 'dossier-iq-'));
    const lock = { name: 'x', lockfileVersion: 3, packages: { '': { version: '1.0.0' }, 'node_modules/dep': { version: '2.0.0', integrity: 'sha512-DEP' } } };
    writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'x', version: '1.0.0', engines: { node: '>=20.19.0' } }));
    writeFileSync(join(root, 'package-lock.json'), JSON.stringify(lock));
    mkdirSync(join(root, 'node_modules', 'dep'), { recursive: true });
    writeFileSync(join(root, 'node_modules', 'dep', 'package.json'), JSON.stringify({ name: 'dep', version: '2.0.0' }));
    writeFileSync(join(root, 'node_modules', '.package-lock.json'), JSON.stringify(lock));
    mkdirSync(join(root, 'dist'));
    writeFileSync(join(root, 'dist', 'main.js'), 'console.log(1)');
    writeFileSync(join(root, 'dist', 'install-manifest.json'), JSON.stringify(installManifest(root)));
    return root;
  }
  const outcome = async (root: string, id: string): Promise<{ outcome: string; detail: string }> => {
    const c = (await runIq({ root, postgresUrls: [] })).find((x) => x.id === id);
    assert.ok(c !== undefined);
    return c;
  };

  it('passes an untouched installation and fails a modified file, a package of another version or tarball, or a missing lockfile', async () => {
    const root = fakeInstall();
    expect(await outcome(root, 'IQ-2')).toMatchObject({ outcome: 'passed' });
    expect(await outcome(root, 'IQ-3')).toMatchObject({ outcome: 'passed', detail: expect.stringMatching(/^1 installed packages/) as unknown });
    writeFileSync(join(root, 'dist', 'main.js'), 'console.log("patched")');
    expect(await outcome(root, 'IQ-2')).toEqual({ outcome: 'failed', detail: '1 file(s) changed since the build: dist/main.js', id: 'IQ-2', title: "Dossier's files are the ones built" });
    writeFileSync(join(root, 'node_modules', 'dep', 'package.json'), JSON.stringify({ name: 'dep', version: '2.0.1' }));
    expect(await outcome(root, 'IQ-3')).toMatchObject({ outcome: 'failed', detail: 'node_modules/dep: version 2.0.1 installed, the lockfile says 2.0.0' });
    writeFileSync(join(root, 'node_modules', 'dep', 'package.json'), JSON.stringify({ name: 'dep', version: '2.0.0' }));
    writeFileSync(join(root, 'node_modules', '.package-lock.json'), JSON.stringify({ packages: { 'node_modules/dep': { version: '2.0.0', integrity: 'sha512-OTHER' } } }));
    expect(await outcome(root, 'IQ-3')).toMatchObject({ outcome: 'failed', detail: 'node_modules/dep: installed from a tarball whose hash differs from the lockfile' });
    writeFileSync(join(root, 'package-lock.json'), '');
    expect(await outcome(root, 'IQ-3')).toMatchObject({ outcome: 'failed', detail: expect.stringMatching(/could not run/) as unknown });
  });

  it('fails a SQLite store others can read', async () => {
    const dirPath = mkdtempSync(join(tmpdir(), 'dossier-iq-store-'));
    const { openStore } = await import('../storage/open-store.js');
    const file = join(dirPath, 'd.db');
    const store = await openStore({ dialect: 'sqlite', location: file });
    await store.close();
    const target = { dialect: 'sqlite' as const, location: file };
    const iq9 = async (): Promise<{ outcome: string; detail: string } | undefined> => (await runIq({ root: fakeInstall(), store: target, postgresUrls: [] })).find((c) => c.id === 'IQ-9');
    expect(await iq9()).toMatchObject({ outcome: 'passed' });
    chmodSync(file, 0o644);
    expect(await iq9()).toMatchObject({ outcome: 'failed', detail: `${file}: mode 644 gives other users access to the store (chmod o-rwx)` });
    expect(existsSync(file)).toBe(true);
  });
});
