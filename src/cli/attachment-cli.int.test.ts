import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listAuditEvents } from '../app/use-cases/list-audit-events.js';
import type { Deps } from '../core/ports.js';
import { buildServer } from '../server/app.js';
import { useCli } from '../test-support/cli.js';
import { aProduct, someRecords } from '../test-support/factories.js';
import { roleTokens } from '../test-support/server.js';
import { DIALECTS, freshStore, testDeps, type TestStore } from '../test-support/stores.js';
import { runCli } from './main.js';
import { EXIT } from './exit-codes.js';

const sha = (b: Buffer | string): string => createHash('sha256').update(b).digest('hex');

describe.each(DIALECTS)('dossier attachment add | list | get on %s', (dialect) => {
  const { dossier, t, dir } = useCli(dialect);

  it('attaches a file streamed from disk, lists it, saves it back; refuses a wrong --sha256 and a missing file [DOSSIER-SRS-10]', async () => {
    const deps = testDeps(t().store, 'ops');
    await aProduct(deps);
    await someRecords(deps, 'RPM', ['TC']);
    const bytes = Buffer.from('calibration certificate\n'.repeat(2000));
    const file = join(dir(), 'cert.pdf');
    writeFileSync(file, bytes);

    const wrong = await dossier('attachment', 'add', 'TC-1', file, '--sha256', sha('other'));
    expect(wrong.code).toBe(EXIT.usage);
    expect(wrong.err).toContain(`the file's bytes hash to ${sha(bytes)}, not to the ${sha('other')} declared`);
    const missing = await dossier('attachment', 'add', 'TC-1', join(dir(), 'nope.pdf'));
    expect(missing).toMatchObject({ code: EXIT.usage, err: expect.stringContaining('nope.pdf: no such file') as string });

    const r = await dossier('attachment', 'add', 'RPM/TC-1', file, '--sha256', sha(bytes));
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toBe(`attached cert.pdf to RPM/TC-1 (revision 1): 46.9 KiB, application/pdf\nsha256 ${sha(bytes)}\n`);
    expect((await listAuditEvents(deps, {})).at(-1)).toMatchObject({ action: 'ATTACHMENT_ADDED', actor: 'erin', entityId: 'RPM/TC-1/attachment/1' });

    const list = await dossier('attachment', 'list', 'TC-1');
    expect(list.out).toMatch(new RegExp(`^NAME\\s+SIZE\\s+TYPE\\s+REV\\s+SHA-256\\s+ATTACHED\\s+BY\\s*\\ncert\\.pdf\\s+46\\.9 KiB\\s+application/pdf\\s+1\\s+${sha(bytes)}\\s+\\S+\\s+erin`));
    // The record's own views list it: show with name, size, hash, when and who; history with its event.
    const show = await dossier('record', 'show', 'TC-1');
    expect(show.out).toMatch(new RegExp(`\nAttachments:\n  NAME\\s+SIZE\\s+SHA-256\\s+ATTACHED\\s+BY\\s*\n  cert\\.pdf\\s+46\\.9 KiB\\s+${sha(bytes)}\\s+\\S+\\s+erin`));
    expect((await dossier('record', 'history', 'TC-1')).out).toContain('ATTACHMENT_ADDED');
    const out = join(dir(), 'saved.pdf');
    const got = await dossier('attachment', 'get', 'TC-1', 'cert.pdf', '--out', out);
    expect(got.code, got.err).toBe(0);
    expect(readFileSync(out).equals(bytes)).toBe(true);
    const none = await dossier('attachment', 'get', 'TC-1', 'other.pdf', '--out', join(dir(), 'x'));
    expect(none.code).toBe(EXIT.usage);
    expect(none.err).toContain('RPM/TC-1 has no attachment named other.pdf');
    expect(existsSync(join(dir(), 'x'))).toBe(false);
  });

  it('refuses a file over DOSSIER_MAX_ATTACHMENT_BYTES, naming the limit; nothing stored', async () => {
    const deps = testDeps(t().store, 'ops');
    await aProduct(deps);
    await someRecords(deps, 'RPM', ['TC']);
    const file = join(dir(), 'big.bin');
    writeFileSync(file, Buffer.alloc(3000));
    let err = '';
    const code = await runCli(['--db', t().dbArg, 'attachment', 'add', 'TC-1', file], { out: () => undefined, err: (s) => (err += s), interactive: false }, { DOSSIER_MAX_ATTACHMENT_BYTES: '2KiB' });
    expect(code).toBe(EXIT.usage);
    expect(err).toContain('over the attachment limit of 2048 bytes (2 KiB; DOSSIER_MAX_ATTACHMENT_BYTES)');
    expect((await dossier('attachment', 'list', 'TC-1')).out).toBe('RPM/TC-1 has no attachments\n');
  });
});

describe.each(DIALECTS)('dossier attachment with --server on %s', (dialect) => {
  let t: TestStore;
  let deps: Deps;
  let app: FastifyInstance;
  let url = '';
  let dir = '';
  beforeEach(async () => {
    ({ t, deps } = await freshStore(dialect));
    await aProduct(deps);
    await someRecords(deps, 'RPM', ['TC']);
    // A JSON limit of 16 KiB: the file gets through only as a streamed upload.
    app = await buildServer({ deps, authenticator: roleTokens('RPM'), bodyLimit: 16 * 1024 });
    url = await app.listen({ host: '127.0.0.1', port: 0 });
    dir = mkdtempSync(join(tmpdir(), 'dossier-attach-'));
  });
  afterEach(async () => {
    await app.close();
    await t.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });
  const dossier = async (token: string, ...args: string[]): Promise<{ code: number; out: string; err: string }> => {
    let out = '';
    let err = '';
    const code = await runCli(['--db', '/nonexistent/dossier.db', ...args], { out: (s) => (out += s), err: (s) => (err += s), interactive: false }, { DOSSIER_SERVER: url, DOSSIER_TOKEN: token });
    return { code, out, err };
  };

  it('uploads the file streamed and downloads it checked by its SHA-256, as the token holder [DOSSIER-SRS-10]', async () => {
    const bytes = Buffer.alloc(100 * 1024, 7);
    const file = join(dir, 'screen shot.png');
    writeFileSync(file, bytes);
    const r = await dossier('tok-author', 'attachment', 'add', 'TC-1', file, '--product', 'RPM');
    expect(r.err).toBe('');
    expect(r.out).toContain(`attached screen shot.png to RPM/TC-1 (revision 1): 100.0 KiB, image/png\nsha256 ${sha(bytes)}`);
    expect((await listAuditEvents(deps, {})).at(-1)).toMatchObject({ action: 'ATTACHMENT_ADDED', actor: 'author' });
    const out = join(dir, 'back.png');
    const got = await dossier('tok-viewer', 'attachment', 'get', 'RPM/TC-1', 'screen shot.png', '--out', out);
    expect(got.code, got.err).toBe(0);
    expect(readFileSync(out).equals(bytes)).toBe(true);
    const denied = await dossier('tok-viewer', 'attachment', 'add', 'RPM/TC-1', file);
    expect(denied.code).toBe(EXIT.denied);
  });
});
