import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listEvidence } from '../app/use-cases/list-evidence.js';
import type { FastifyInstance } from 'fastify';
import { listAuditEvents } from '../app/use-cases/list-audit-events.js';
import type { Deps } from '../core/ports.js';
import { buildServer } from '../server/app.js';
import { aProduct } from '../test-support/factories.js';
import { roleTokens } from '../test-support/server.js';
import { DIALECTS, freshStore, type TestStore } from '../test-support/stores.js';
import { runCli } from './main.js';

describe.each(DIALECTS)('the CLI against a server on %s', (dialect) => {
  let t: TestStore;
  let deps: Deps;
  let app: FastifyInstance;
  let url = '';
  beforeEach(async () => {
    ({ t, deps } = await freshStore(dialect));
    await aProduct(deps);
    app = await buildServer({ deps, authenticator: roleTokens('RPM') });
    url = await app.listen({ host: '127.0.0.1', port: 0 });
  });
  afterEach(async () => {
    await app.close();
    await t.cleanup();
  });
  const dossier = async (token: string | undefined, ...args: string[]): Promise<{ code: number; out: string; err: string }> => {
    let out = '';
    let err = '';
    const env = { DOSSIER_SERVER: url, ...(token === undefined ? {} : { DOSSIER_TOKEN: token }) };
    // --db names a file that does not exist: a command that ran locally would refuse it, so success proves the server ran it.
    const code = await runCli(['--db', '/nonexistent/dossier.db', ...args], { out: (s) => (out += s), err: (s) => (err += s), interactive: false }, env);
    return { code, out, err };
  };

  it('runs a command on the server as the token holder: the audit trail names the token, not the OS user', async () => {
    const r = await dossier('tok-author', 'record', 'add', '--product', 'RPM', '--type', 'SRS', '--title', 'Upload uses TLS 1.3 only');
    expect(r).toEqual({ code: 0, out: 'added RPM/SRS-1 "Upload uses TLS 1.3 only" (revision 1, draft)\n', err: '' });
    expect((await listAuditEvents(deps, {})).at(-1)).toMatchObject({ action: 'RECORD_CREATED', actor: 'author' });
    const list = await dossier('tok-viewer', '--json', 'product', 'list');
    expect(list.code).toBe(0);
    expect(JSON.parse(list.out)).toMatchObject([{ key: 'RPM' }]);
  });

  it('takes --server over DOSSIER_SERVER', async () => {
    let out = '';
    const code = await runCli(['--server', url, 'product', 'list'], { out: (s) => (out += s), err: () => undefined, interactive: false }, {
      DOSSIER_SERVER: 'http://127.0.0.1:9',
      DOSSIER_TOKEN: 'tok-viewer',
    });
    expect(code).toBe(0);
    expect(out).toMatch(/^KEY +CLASS +NAME\nRPM/);
  });

  it("gives the server's refusals the CLI's exit codes and wording [DOSSIER-SRS-36]", async () => {
    const denied = await dossier('tok-viewer', 'record', 'add', '--product', 'RPM', '--type', 'SRS', '--title', 'x');
    expect(denied).toMatchObject({ code: 5, out: '' });
    expect(denied.err).toBe('dossier: viewer may not add a record; it starts as a draft: it needs the permission record.create on RPM\n');
    const anonymous = await dossier(undefined, 'product', 'list');
    expect(anonymous).toMatchObject({ code: 5, err: 'dossier: product.list needs a login or an API token\n' });
    const revoked = await dossier('tok-revoked', 'product', 'list');
    expect(revoked.code).toBe(5);
    const bad = await dossier('tok-author', '--json', 'record', 'add', '--product', 'RPM', '--type', 'NOPE', '--title', 'x');
    expect(bad.code).toBe(2);
  });

  it('runs the reading commands through the server too: the product is found without --product', async () => {
    await dossier('tok-author', 'record', 'add', '--type', 'SRS', '--title', 'Upload uses TLS 1.3 only');
    const show = await dossier('tok-viewer', '--json', 'product', 'show', 'RPM');
    expect(show.code).toBe(0);
    expect(JSON.parse(show.out)).toMatchObject({ key: 'RPM' });
    const list = await dossier('tok-viewer', 'record', 'list');
    expect(list).toMatchObject({ code: 0, err: '' });
    expect(list.out).toMatch(/SRS-1 .*Upload uses TLS 1\.3 only/);
  });

  it('refuses a command that still reads the store itself, instead of opening a local database', async () => {
    const r = await dossier('tok-admin', 'demo');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/does not run against a Dossier server yet/);
  });

  it('will not serve a server', async () => {
    const r = await dossier('tok-admin', 'serve', '--port', '0');
    expect(r).toMatchObject({ code: 2, err: 'dossier: dossier serve serves a store (--db), not another server: leave out --server and DOSSIER_SERVER\n' });
  });

  it('says when the server cannot be reached (exit 2)', async () => {
    await app.close();
    const r = await dossier('tok-viewer', 'product', 'list');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^dossier: cannot reach the Dossier server at http:\/\/127\.0\.0\.1:\d+: /);
  });

  describe('dossier evidence tests FILE --server: the file is uploaded streamed, parsed on the server', () => {
    let dir = '';
    beforeEach(async () => {
      dir = mkdtempSync(join(tmpdir(), 'dossier-upload-'));
      // A JSON limit of 64 KiB: the multi-megabyte reports below get through only as a streamed upload.
      await app.close();
      app = await buildServer({ deps, authenticator: roleTokens('RPM'), bodyLimit: 64 * 1024 });
      url = await app.listen({ host: '127.0.0.1', port: 0 });
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));
    const file = (name: string, text: string): string => {
      const p = join(dir, name);
      writeFileSync(p, text);
      return p;
    };
    const report = (n: number): string => {
      const cases = Array.from({ length: n }, (_, i) => `<testcase classname="com.example.Upload" name="sends reading ${i + 1} [SRS-1]" time="0.01"/>`);
      return `<testsuite name="upload" timestamp="2026-11-20T09:00:00">\n${cases.join('\n')}\n<testcase classname="c" name="broken"><failure message="boom"/></testcase>\n</testsuite>\n`;
    };
    const runs = async (): Promise<number> => (await listEvidence(deps, { productKey: 'RPM', kind: 'test_run' })).length;

    it("imports 20,000 cases with the local command's wording and exit codes; the same files again change nothing", async () => {
      const big = file('TEST-upload.xml', report(20_000));
      const small = file('TEST-small.xml', report(2));
      const r = await dossier('tok-author', 'evidence', 'tests', big, small, '--version', '1.0.0', '--commit', 'abc1234', '--fail-on-failures');
      expect(r.err).toBe('');
      expect(r.code).toBe(1);
      expect(r.out).toMatch(/^test run 1: 20004 results \(20002 passed, 2 failed, 0 errors, 0 skipped, 0 flaky\)\n0 mapped to records, 20004 unmapped\n/);
      const [run] = await listEvidence(deps, { productKey: 'RPM', kind: 'test_run' });
      expect(run).toMatchObject({ source: `${big}, ${small}`, version: '1.0.0', importedBy: 'author', itemCount: 20_004 });
      expect((await listAuditEvents(deps, {})).at(-1)).toMatchObject({ action: 'EVIDENCE_IMPORTED', actor: 'author' });
      // The same files in another order hash the same, on the server as on disk.
      const again = await dossier('tok-author', 'evidence', 'tests', small, big);
      expect(again).toMatchObject({ code: 0, err: '' });
      expect(again.out).toMatch(/^already imported as test run 1 \(.* by author\); nothing changed\n$/);
      const json = await dossier('tok-author', '--json', 'evidence', 'tests', small, big);
      expect(JSON.parse(json.out)).toMatchObject({ duplicate: true, run: { id: 1 } });
    });

    it("refuses a viewer (exit 5, the CLI's words) before reading the file, and names a malformed file's line as locally", async () => {
      const big = file('TEST-upload.xml', report(20_000));
      const denied = await dossier('tok-viewer', 'evidence', 'tests', big);
      expect(denied).toMatchObject({ code: 5, out: '' });
      expect(denied.err).toMatch(/^dossier: viewer may not .*: it needs the permission evidence\.import on RPM\n$/);
      expect(await runs()).toBe(0);
      const bad = file('bad.xml', '<testsuite name="s">\n<testcase name="a"/>\n<testcase name="b">\n</testsuite>');
      const r = await dossier('tok-author', 'evidence', 'tests', bad);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(new RegExp(`^dossier: ${bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:4:\\d+: `));
      const missing = await dossier('tok-author', 'evidence', 'tests', join(dir, 'nope.xml'));
      expect(missing).toMatchObject({ code: 2, err: `dossier: ${join(dir, 'nope.xml')}: no such file\n` });
      expect(await runs()).toBe(0);
    });

    it('gets the 413 of a file over the server\'s upload limit as exit 2; nothing is written', async () => {
      await app.close();
      app = await buildServer({ deps, authenticator: roleTokens('RPM'), importBodyLimit: 1024 * 1024 });
      url = await app.listen({ host: '127.0.0.1', port: 0 });
      const big = file('TEST-upload.xml', report(20_000));
      const r = await dossier('tok-author', 'evidence', 'tests', big);
      expect(r).toMatchObject({ code: 2, out: '', err: 'dossier: the uploaded file is over the limit of 1048576 bytes\n' });
      expect(await runs()).toBe(0);
    });
  });
});
