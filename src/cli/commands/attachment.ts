import { createReadStream, statSync } from 'node:fs';
import { basename, extname } from 'node:path';
import type { Command } from 'commander';
import { invalidInput } from '../../core/errors.js';
import type { AddAttachmentOutput } from '../../app/use-cases/add-attachment.js';
import type { Kit } from '../command-kit.js';
import type { CliContext } from '../context.js';
import { table } from '../output.js';

/** Media types by file extension, for `attachment add` without `--media-type`. */
const MEDIA_TYPES: Readonly<Record<string, string>> = {
  '.pdf': 'application/pdf',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.svg': 'image/svg+xml',
  '.txt': 'text/plain',
  '.md': 'text/markdown',
  '.csv': 'text/csv',
  '.json': 'application/json',
  '.xml': 'application/xml',
  '.html': 'text/html',
  '.zip': 'application/zip',
  '.docx': 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  '.xlsx': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/** `RPM/SRS-12` → its product and `SRS-12`; `SRS-12` → no product. */
function splitRecord(arg: string): { productKey: string | undefined; record: string } {
  const slash = arg.indexOf('/');
  return slash < 0 ? { productKey: undefined, record: arg } : { productKey: arg.slice(0, slash).toUpperCase(), record: arg.slice(slash + 1) };
}

const size = (n: number): string => (n < 1024 ? `${n} B` : n < 1024 ** 2 ? `${(n / 1024).toFixed(1)} KiB` : `${(n / 1024 ** 2).toFixed(1)} MiB`);

/** `dossier attachment add | list | get`: files attached to records, stored once by their SHA-256. */
export function registerAttachmentCommands(program: Command, kit: Kit): void {
  const attachment = program.command('attachment').description('files attached to records (certificates, signed reports, screenshots)');

  attachment
    .command('add')
    .description("attach a file to a record (streamed; refused over the limit, DOSSIER_MAX_ATTACHMENT_BYTES, default 25 MiB)")
    .argument('<RECORD>', 'e.g. CAPA-3 or RPM/CAPA-3')
    .argument('<FILE>', 'the file; attached under its name without the folder')
    .option('--sha256 <hash>', "the file's SHA-256 as you know it: refused, and nothing stored, if the bytes differ")
    .option('--media-type <type>', 'e.g. application/pdf (default: from the extension, else application/octet-stream)')
    .option('--name <name>', 'attach under another file name')
    .option('-p, --product <KEY>', 'product of a record named without one (default: the only one)')
    .addHelpText('after', '\nExamples:\n  dossier attachment add CAPA-3 ./calibration-cert.pdf\n  dossier attachment add RPM/TC-12 run.png --sha256 9f86d0…')
    .action(
      kit.action(async (ctx, recordArg: string, file: string, o: { sha256?: string; mediaType?: string; name?: string; product?: string }) => {
        let stat;
        try {
          stat = statSync(file);
        } catch (e) {
          const code = (e as { code?: string }).code;
          throw invalidInput(`${file}: ${code === 'ENOENT' ? 'no such file' : `cannot read: ${(e as Error).message}`}`, { file });
        }
        if (!stat.isFile()) throw invalidInput(`${file}: not a file`, { file });
        const ref = splitRecord(recordArg);
        const productKey = ref.productKey ?? (await ctx.productKey(o.product));
        const name = o.name ?? basename(file);
        const mediaType = o.mediaType ?? MEDIA_TYPES[extname(file).toLowerCase()];
        const out = await attachFile(ctx, productKey, ref.record, file, { name, ...(mediaType === undefined ? {} : { mediaType }), ...(o.sha256 === undefined ? {} : { sha256: o.sha256 }) });
        const a = out.attachment;
        ctx.print(out, () =>
          [
            `attached ${a.name} to ${productKey}/${a.record} (revision ${a.revision}): ${size(a.size)}, ${a.mediaType}`,
            `sha256 ${a.sha256}${out.contentStored ? '' : ' (these bytes were stored already: kept once)'}`,
          ].join('\n'),
        );
      }),
    );

  attachment
    .command('list')
    .description("list a record's attachments")
    .argument('<RECORD>', 'e.g. CAPA-3 or RPM/CAPA-3')
    .option('-p, --product <KEY>', 'product of a record named without one (default: the only one)')
    .action(
      kit.action(async (ctx, recordArg: string, o: { product?: string }) => {
        const ref = splitRecord(recordArg);
        const productKey = ref.productKey ?? (await ctx.productKey(o.product));
        const { listAttachmentsUseCase } = await import('../../app/use-cases/list-attachments.js');
        const out = await ctx.run(listAttachmentsUseCase, { productKey, record: ref.record });
        ctx.print(out, () =>
          out.attachments.length === 0
            ? `${productKey}/${out.record} has no attachments`
            : table(
                ['NAME', 'SIZE', 'TYPE', 'REV', 'SHA-256', 'ATTACHED', 'BY'],
                out.attachments.map((a) => [a.name, size(a.size), a.mediaType, a.revision, a.sha256, a.attachedAt, a.attachedBy]),
              ),
        );
      }),
    );

  attachment
    .command('get')
    .description('save an attached file (its SHA-256 checked; written whole or not at all)')
    .argument('<RECORD>', 'e.g. CAPA-3 or RPM/CAPA-3')
    .argument('<NAME>', 'the file name as listed (the newest file of that name)')
    .requiredOption('-o, --out <file>', 'where to save it')
    .option('-p, --product <KEY>', 'product of a record named without one (default: the only one)')
    .action(
      kit.action(async (ctx, recordArg: string, name: string, o: { out: string; product?: string }) => {
        const ref = splitRecord(recordArg);
        const productKey = ref.productKey ?? (await ctx.productKey(o.product));
        const [{ writeFileAtomic }, { sha256Bytes }] = await Promise.all([import('../atomic-file.js'), import('../../core/hashing.js')]);
        let bytes: Uint8Array;
        let sha256: string;
        if (ctx.config.server !== undefined) {
          const { downloadRemote } = await import('../remote-client.js');
          const path = `/api/v1/products/${encodeURIComponent(productKey)}/records/${encodeURIComponent(ref.record)}/attachments/${encodeURIComponent(name)}`;
          const got = await downloadRemote({ url: ctx.config.server, token: ctx.config.token }, path);
          bytes = got.bytes;
          sha256 = got.etag ?? '';
        } else {
          const { getAttachmentUseCase } = await import('../../app/use-cases/get-attachment.js');
          const got = await ctx.run(getAttachmentUseCase, { productKey, record: ref.record, name });
          bytes = got.content;
          sha256 = got.attachment.sha256;
        }
        // Checked again here: what is written is what was attached, whichever way it came.
        const actual = sha256Bytes(bytes);
        if (actual !== sha256) {
          throw invalidInput(`${productKey}/${ref.record} ${name}: the bytes received hash to ${actual}, not to the attachment's sha256 ${sha256 || '(none sent)'}; nothing written`, {
            file: o.out,
          });
        }
        writeFileAtomic(o.out, bytes);
        ctx.print({ record: ref.record, name, size: bytes.length, sha256, out: o.out }, () => `saved ${name} (${size(bytes.length)}, sha256 ${sha256}) to ${o.out}`);
      }),
    );
}

/**
 * Attaches a file to a record, read from disk as it is sent: through the use-case on a local store, or uploaded to the
 * server with `--server` (never held whole by the CLI).
 */
export async function attachFile(
  ctx: CliContext,
  productKey: string,
  record: string,
  file: string,
  o: { readonly name: string; readonly mediaType?: string; readonly sha256?: string },
): Promise<AddAttachmentOutput> {
  const { name, mediaType } = o;
  const { addAttachmentUseCase } = await import('../../app/use-cases/add-attachment.js');
  if (ctx.config.server !== undefined) {
    const [{ uploadRemote }, { ATTACHMENT_UPLOAD_PATH }] = await Promise.all([import('../remote-client.js'), import('../../server/upload-paths.js')]);
    const path = ATTACHMENT_UPLOAD_PATH.replace(':productKey', encodeURIComponent(productKey)).replace(':record', encodeURIComponent(record));
    const fields = { name, ...(mediaType === undefined ? {} : { mediaType }), ...(o.sha256 === undefined ? {} : { sha256: o.sha256 }) };
    return (await uploadRemote({ url: ctx.config.server, token: ctx.config.token }, path, fields, [file], {
      fileName: name,
      contentType: mediaType ?? 'application/octet-stream',
    })) as AddAttachmentOutput;
  }
  return ctx.run(addAttachmentUseCase, {
    productKey,
    record,
    name,
    content: createReadStream(file, { highWaterMark: 256 * 1024 }),
    ...(mediaType === undefined ? {} : { mediaType }),
    ...(o.sha256 === undefined ? {} : { sha256: o.sha256 }),
  });
}
