import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Deps } from '../../core/ports.js';
import { aProduct, someRecords } from '../../test-support/factories.js';
import { DIALECTS, freshStore, openTestStore, testDeps, type TestStore } from '../../test-support/stores.js';
import { addAttachment, AddAttachmentInputSchema } from './add-attachment.js';
import { changeRecordStatus } from './change-record-status.js';
import { exportStore } from './export-store.js';
import { getAttachment } from './get-attachment.js';
import { importStore } from './import-store.js';
import { listAttachments } from './list-attachments.js';
import { listAuditEvents } from './list-audit-events.js';
import { verifyIntegrity } from './verify-integrity.js';

const sha = (b: Uint8Array | string): string => createHash('sha256').update(b).digest('hex');
const LIMIT = 1024;
const services = { attachmentLimit: () => LIMIT };

/** A file as a stream of small chunks, as an upload or a file on disk arrives. */
function chunked(bytes: Buffer, size = 7): Readable {
  const parts: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += size) parts.push(bytes.subarray(i, i + size));
  return Readable.from(parts);
}

const CERT = Buffer.from('%PDF-1.7 calibration certificate for bench B-12\n'.repeat(5), 'utf8');

describe.each(DIALECTS)('attachments on %s', (dialect) => {
  let t: TestStore;
  let deps: Deps;
  beforeEach(async () => {
    ({ t, deps } = await freshStore(dialect));
    await aProduct(deps);
    // SRS-1 (id 1), TC-1 (id 2), TC-2 (id 3).
    await someRecords(deps, 'RPM', ['SRS', 'TC', 'TC']);
  });
  afterEach(async () => t.cleanup());

  const add = (input: Record<string, unknown>): ReturnType<typeof addAttachment> =>
    addAttachment(deps, services, AddAttachmentInputSchema.parse({ productKey: 'RPM', record: 'TC-1', name: 'cert.pdf', ...input }));

  /** Rows of both tables and the number of audit events: what a refusal must leave as it was. */
  async function snapshot(): Promise<unknown> {
    const db = t.store.db;
    const contents = await db.selectFrom('attachment_contents').select(['sha256', 'size']).orderBy('sha256').execute();
    const rows = await db.selectFrom('attachments').selectAll().orderBy('id').execute();
    return { contents, rows, events: (await listAuditEvents(deps, {})).length };
  }

  it('attaches a streamed file in one transaction with its ATTACHMENT_ADDED event; lists it and gives its bytes back [DOSSIER-SRS-10]', async () => {
    const out = await add({ content: chunked(CERT), mediaType: 'application/pdf', sha256: sha(CERT).toUpperCase() });
    expect(out).toMatchObject({ contentStored: true, attachment: { id: 1, record: 'TC-1', revision: 1, name: 'cert.pdf', mediaType: 'application/pdf', size: CERT.length, sha256: sha(CERT), attachedBy: 'alice' } });
    const [e] = (await listAuditEvents(deps, {})).slice(-1);
    expect(e).toMatchObject({ action: 'ATTACHMENT_ADDED', entityType: 'attachment', entityId: 'RPM/TC-1/attachment/1', productKey: 'RPM', actor: 'alice' });
    expect(JSON.parse(e?.newValue ?? 'null')).toEqual({ id: 1, record: 'RPM/TC-1', revision: 1, name: 'cert.pdf', mediaType: 'application/pdf', size: CERT.length, sha256: sha(CERT) });
    const listed = await listAttachments(deps, { productKey: 'RPM', record: 'TC-1' });
    expect(listed.attachments).toEqual([out.attachment]);
    expect((await listAttachments(deps, { productKey: 'RPM', record: 'TC-2' })).attachments).toEqual([]);
    const got = await getAttachment(deps, { productKey: 'RPM', record: 'RPM/TC-1', name: 'cert.pdf' });
    expect(Buffer.from(got.content).equals(CERT)).toBe(true);
    expect(got.attachment).toEqual(out.attachment);
    expect((await verifyIntegrity(deps)).problems).toEqual([]);
  });

  it('stores the same bytes once, however many records attach them; a name attached again with other bytes is a newer file [DOSSIER-SRS-10]', async () => {
    await add({ content: chunked(CERT) });
    const second = await add({ record: 'TC-2', name: 'copy.pdf', content: [CERT] });
    expect(second.contentStored).toBe(false);
    const v2 = Buffer.from('second edition');
    await add({ content: [v2] });
    const counts = await t.store.db.selectFrom('attachment_contents').select((e) => e.fn.countAll().as('n')).executeTakeFirstOrThrow();
    expect(Number(counts.n)).toBe(2);
    expect((await listAttachments(deps, { productKey: 'RPM', record: 'TC-1' })).attachments.map((a) => [a.id, a.name, a.size])).toEqual([
      [1, 'cert.pdf', CERT.length],
      [3, 'cert.pdf', v2.length],
    ]);
    expect(Buffer.from((await getAttachment(deps, { productKey: 'RPM', record: 'TC-1', name: 'cert.pdf' })).content).toString()).toBe('second edition');
    // The same bytes under the same name on the same record again: refused, nothing written.
    const before = await snapshot();
    await expect(add({ content: [v2] })).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('RPM/TC-1 already carries cert.pdf') as string });
    expect(await snapshot()).toEqual(before);
    expect((await verifyIntegrity(deps)).problems).toEqual([]);
  });

  it('refuses a file over the limit, naming it, and stores nothing; the limit itself is accepted', async () => {
    const before = await snapshot();
    await expect(add({ content: chunked(Buffer.alloc(LIMIT + 1, 1), 100) })).rejects.toMatchObject({
      code: 'TOO_LARGE',
      message: expect.stringContaining(`over the attachment limit of ${LIMIT} bytes (1 KiB`) as string,
    });
    expect(await snapshot()).toEqual(before);
    expect((await add({ content: chunked(Buffer.alloc(LIMIT, 1), 100) })).attachment.size).toBe(LIMIT);
  });

  it('refuses bytes that do not hash to the declared SHA-256, and stores nothing', async () => {
    const before = await snapshot();
    await expect(add({ content: chunked(CERT), sha256: sha('something else') })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: `invalid attachment: sha256: the file's bytes hash to ${sha(CERT)}, not to the ${sha('something else')} declared`,
    });
    expect(await snapshot()).toEqual(before);
  });

  it('refuses a file name with a path or a control character, an unknown record, and an obsolete record', async () => {
    const before = await snapshot();
    for (const name of ['../etc/passwd', 'a/b.pdf', 'a\\b.pdf', 'line\nbreak.txt', '..', ' ']) {
      expect(() => AddAttachmentInputSchema.parse({ productKey: 'RPM', record: 'TC-1', name, content: [CERT] }), name).toThrow(/file name/);
    }
    await expect(add({ record: 'TC-9', content: [CERT] })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await changeRecordStatus(deps, { productKey: 'RPM', record: 'TC-2', to: 'obsolete', baseRevision: 1, reason: 'merged into TC-1' });
    const obsolete = await snapshot();
    await expect(add({ record: 'TC-2', content: [CERT] })).rejects.toMatchObject({ code: 'INVALID_STATE', message: 'RPM/TC-2 is obsolete: nothing more is attached to it' });
    expect(await snapshot()).toEqual(obsolete);
    expect((before as { rows: unknown[] }).rows).toEqual([]);
  });

  it('refuses to serve bytes changed in the store [DOSSIER-SRS-10]', async () => {
    await add({ content: [CERT] });
    await behindTheAppsBack(t, `update attachment_contents set bytes = ${hexLiteral(dialect, flipFirstByte(CERT))}`);
    await expect(getAttachment(deps, { productKey: 'RPM', record: 'TC-1', name: 'cert.pdf' })).rejects.toMatchObject({
      code: 'INTEGRITY',
      message: expect.stringContaining('attachment cert.pdf of RPM/TC-1: the stored bytes hash to') as string,
    });
  });

  describe('against the audit trail', () => {
    beforeEach(async () => {
      await add({ content: [CERT] });
      await add({ record: 'TC-2', name: 'same bytes.pdf', content: [CERT] });
    });

    it('the database refuses UPDATE, DELETE (and TRUNCATE) on both tables, and REPLACE on SQLite', async () => {
      const run = (s: string): Promise<unknown> => sql.raw(s).execute(t.store.db);
      await expect(run(`update attachments set name = 'other.pdf' where id = 1`)).rejects.toThrow(/append-only|refused/);
      await expect(run(`delete from attachments where id = 2`)).rejects.toThrow(/never deleted|refused/);
      await expect(run(`update attachment_contents set size = 1`)).rejects.toThrow(/append-only|refused/);
      await expect(run(`delete from attachment_contents`)).rejects.toThrow(/never deleted|refused/);
      if (dialect === 'postgres') {
        await expect(run(`truncate attachments`)).rejects.toThrow(/refused/);
        await expect(run(`truncate attachment_contents cascade`)).rejects.toThrow(/refused/);
      } else {
        await expect(run(`insert or replace into attachment_contents (sha256, size, bytes) values ('${sha(CERT)}', 1, X'00')`)).rejects.toThrow(/never replaced/);
      }
      expect((await verifyIntegrity(deps)).problems).toEqual([]);
    });

    it('audit verify finds a changed byte of stored content, naming every record and file that attaches it', async () => {
      await behindTheAppsBack(t, `update attachment_contents set bytes = ${hexLiteral(dialect, flipFirstByte(CERT))}`);
      const report = await verifyIntegrity(deps);
      expect(report.ok).toBe(false);
      expect(report.problems.map((p) => p.message)).toEqual([
        `attachment RPM/TC-1 cert.pdf, RPM/TC-2 same bytes.pdf: its stored bytes hash to ${sha(flipFirstByte(CERT))}, not to its sha256 ${sha(CERT)}: they were changed after it was attached`,
      ]);
    });

    it('audit verify finds a forged attachment row, and one moved to another record', async () => {
      await behindTheAppsBack(
        t,
        `insert into attachments (id, product_id, record_id, revision, name, media_type, size, sha256, attached_at, attached_by) values (3, 1, 1, 1, 'forged.pdf', 'application/pdf', ${CERT.length}, '${sha(CERT)}', '2026-01-01T00:00:00.000Z', 'mallory')`,
      );
      expect((await verifyIntegrity(deps)).problems.map((p) => p.message)).toEqual([`attachment RPM/SRS-1/attachment/3 has no audit event: it was written outside the application`]);
      await behindTheAppsBack(t, `delete from attachments where id = 3`);
      await behindTheAppsBack(t, `update attachments set record_id = 1 where id = 2`);
      expect((await verifyIntegrity(deps)).problems.map((p) => p.message)).toEqual([
        `attachment RPM/TC-2/attachment/2: record is 'RPM/SRS-1' in the store but 'RPM/TC-2' by the audit trail`,
      ]);
    });

    it('export then import into an empty store keeps every attachment and its bytes; a forged export is refused [DOSSIER-SRS-9]', async () => {
      const doc = await exportStore(deps);
      expect(doc.attachments.map((a) => a.name)).toEqual(['cert.pdf', 'same bytes.pdf']);
      expect(doc.attachmentContents).toEqual([{ sha256: sha(CERT), size: CERT.length, base64: CERT.toString('base64') }]);
      const other = await openTestStore(dialect);
      try {
        const odeps = testDeps(other.store);
        await importStore(odeps, JSON.parse(JSON.stringify(doc)));
        expect(await exportStore(odeps)).toEqual(doc);
        const got = await getAttachment(odeps, { productKey: 'RPM', record: 'TC-2', name: 'same bytes.pdf' });
        expect(Buffer.from(got.content).equals(CERT)).toBe(true);
        expect((await verifyIntegrity(odeps)).problems).toEqual([]);
      } finally {
        await other.cleanup();
      }
      const forged = JSON.parse(JSON.stringify(doc)) as typeof doc;
      forged.attachmentContents[0] = { sha256: sha(CERT), size: CERT.length, base64: flipFirstByte(CERT).toString('base64') };
      const third = await openTestStore(dialect);
      try {
        await expect(importStore(testDeps(third.store), forged, 'forged.json')).rejects.toMatchObject({
          code: 'INVALID_INPUT',
          message: expect.stringContaining('forged.json: the file fails its integrity check: attachment RPM/TC-1 cert.pdf, RPM/TC-2 same bytes.pdf: its stored bytes hash to') as string,
        });
      } finally {
        await third.cleanup();
      }
    });
  });
});

function flipFirstByte(b: Buffer): Buffer {
  const c = Buffer.from(b);
  c[0] = (c[0] ?? 0) ^ 0xff;
  return c;
}

function hexLiteral(dialect: string, b: Buffer): string {
  return dialect === 'postgres' ? `decode('${b.toString('hex')}', 'hex')` : `X'${b.toString('hex')}'`;
}

/** Runs SQL with the table's triggers switched off, as an attacker with DDL rights could (see state-tamper.int.test.ts). */
async function behindTheAppsBack(t: TestStore, statement: string): Promise<void> {
  const db = t.store.db;
  const table = /^(?:update|delete from|insert into)\s+(\w+)/i.exec(statement)?.[1];
  if (table === undefined) throw new Error(`cannot tell the table of: ${statement}`);
  if (t.dialect === 'postgres') await sql.raw(`alter table ${table} disable trigger user`).execute(db);
  else {
    const triggers = await sql<{ name: string }>`select name from sqlite_master where type = 'trigger' and tbl_name = ${table}`.execute(db);
    for (const { name } of triggers.rows) await sql.raw(`drop trigger ${name}`).execute(db);
  }
  await sql.raw(statement).execute(db);
  if (t.dialect === 'postgres') await sql.raw(`alter table ${table} enable trigger user`).execute(db);
}
