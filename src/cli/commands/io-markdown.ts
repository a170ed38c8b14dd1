import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { invalidInput } from '../../core/errors.js';
import type { ImportProblem, ImportReport } from '../../core/interchange/plan.js';
import type { FolderRecord } from '../../export/markdown-folder.js';
import type { FolderEntry, FolderFile, Untouched } from '../../ingest/markdown-folder.js';
import type { CliContext } from '../context.js';
import { EXIT } from '../exit-codes.js';
import type { InterchangeOptions } from './interchange-formats.js';

/** Folders named like a record type (`SRS`): where record files are looked for. Others (`.git`, `assets`) are not. */
const TYPE_FOLDER = /^[A-Z][A-Z0-9]*$/;
/** Most keys or files named on one line of the report (all counts are given). */
const NAMED = 10;
/** Above this many files to rewrite after a sync, one export read is cheaper than one read per record. */
const READ_ONE_BY_ONE = 50;

function listed(items: readonly string[]): string {
  return items.length <= NAMED ? items.join(', ') : `${items.slice(0, NAMED).join(', ')} … and ${items.length - NAMED} more`;
}

/** `SRS-2` before `SRS-10`. */
function byKey(a: string, b: string): number {
  const i = a.lastIndexOf('-');
  const j = b.lastIndexOf('-');
  const ta = a.slice(0, i);
  const tb = b.slice(0, j);
  return ta < tb ? -1 : ta > tb ? 1 : Number(a.slice(i + 1)) - Number(b.slice(j + 1));
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** `dir` as shown before a file's path in messages, with one `/`. */
function prefixOf(dir: string): string {
  return dir.endsWith('/') ? dir : `${dir}/`;
}

/**
 * `dossier export md DIR`: one Markdown file per record, `DIR/TYPE/KEY.md`, and `DIR/dossier-folder.yml`. Into an
 * existing folder only when it is a Dossier folder of the same product (its files are rewritten; other files are
 * left alone and counted).
 * @throws AppError INVALID_INPUT without a folder, for a non-empty folder that is not a Dossier folder of the product
 */
export async function exportMarkdown(ctx: CliContext, target: string | undefined, o: InterchangeOptions): Promise<void> {
  const dir = o.out ?? target;
  if (dir === undefined) throw invalidInput('export md writes a folder: name it (dossier export md DIR)', { field: 'target' });
  const productKey = await ctx.productKey(o.product);
  const [{ exportRecordsUseCase }, { folderFiles, renderFolderManifest, FOLDER_MANIFEST }, { readFolderManifest }] = await Promise.all([
    import('../../app/use-cases/export-records.js'),
    import('../../export/markdown-folder.js'),
    import('../../ingest/markdown-folder.js'),
  ]);
  const existed = existsSync(dir);
  if (existed) {
    if (!isDirectory(dir)) throw invalidInput(`${dir} is a file; export md writes a folder`, { file: dir });
    const manifest = join(dir, FOLDER_MANIFEST);
    if (existsSync(manifest)) {
      const problems = readFolderManifest(readFileSync(manifest, 'utf8'), `${prefixOf(dir)}${FOLDER_MANIFEST}`, productKey);
      const first = problems[0];
      if (first !== undefined) throw invalidInput(`${first.where}: ${first.message}; nothing was written`, { file: manifest });
    } else if (readdirSync(dir).length > 0) {
      throw invalidInput(`${dir} is not empty and is not a Dossier Markdown folder (no ${FOLDER_MANIFEST}); export into a new or empty folder`, { file: dir });
    }
  }
  const exported = await ctx.run(exportRecordsUseCase, { productKey });
  const types = new Set<string>();
  const written = new Set<string>();
  const buf = Buffer.allocUnsafe(SHARED);
  let unchanged = 0;
  try {
    mkdirSync(dir, { recursive: true });
    for (const f of folderFiles(exported)) {
      written.add(f.path);
      const type = f.path.slice(0, f.path.indexOf('/'));
      if (!types.has(type)) {
        mkdirSync(join(dir, type), { recursive: true });
        types.add(type);
      }
      const path = join(dir, f.path);
      // Into an earlier export, a file already as it should be is left as it is (reading is far cheaper than writing).
      const bytes = Buffer.from(f.text);
      if (existed && sameContent(path, bytes, buf)) unchanged++;
      else writeFileSync(path, bytes);
    }
  } catch (e) {
    throw invalidInput(`cannot write the folder ${dir}: ${(e as Error).message}`, { file: dir });
  }
  // Files the export did not write (a record file renamed by hand, notes): left alone, and counted.
  const others = readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && TYPE_FOLDER.test(d.name))
    .flatMap((d) => readdirSync(join(dir, d.name)).filter((n) => n.endsWith('.md') && !written.has(`${d.name}/${n}`)).map((n) => `${d.name}/${n}`));
  // The folder's own file last: a folder without it was not finished.
  const { writeFileAtomic } = await import('../atomic-file.js');
  writeFileAtomic(join(dir, FOLDER_MANIFEST), renderFolderManifest(productKey, new Date().toISOString()));
  const summary = { product: productKey, folder: dir, records: written.size, links: exported.links.length, filesWritten: written.size - unchanged, typeFolders: [...types].sort(), otherFiles: others };
  ctx.print(summary, () =>
    [
      `Exported ${written.size} records of ${productKey} (${exported.links.length} links) to ${dir}: ${types.size} type folders (${[...types].sort().join(', ')}).`,
      ...(unchanged > 0 ? [`${written.size - unchanged} files written; ${unchanged} were already up to date.`] : []),
      ...(others.length > 0 ? [`Left alone: ${others.length} other Markdown files in the type folders (${listed(others)}).`] : []),
      `Edit the files, add new ones without an id, then: dossier sync ${dir}`,
    ].join('\n'),
  );
}

/** Most bytes of a file read into the shared buffer; a longer file is read on its own. */
const SHARED = 1 << 18;

/**
 * Reads one file into `buf` when it fits (no allocation per file: a folder of 26,000 files is read without
 * keeping them), else on its own.
 */
function readInto(path: string, buf: Buffer): Buffer {
  const fd = openSync(path, 'r');
  try {
    let n = 0;
    for (let k; n < buf.length && (k = readSync(fd, buf, n, buf.length - n, null)) > 0; ) n += k;
    if (n < buf.length) return buf.subarray(0, n);
  } finally {
    closeSync(fd);
  }
  return readFileSync(path);
}

/** Whether the file at `path` holds exactly `bytes` (false when there is none). */
function sameContent(path: string, bytes: Buffer, buf: Buffer): boolean {
  try {
    return readInto(path, buf).equals(bytes);
  } catch {
    return false;
  }
}

/**
 * The `.md` files of the type folders (untouched ones checked while read, keeping only what they say of
 * themselves), and folders that look like a type the catalog lacks.
 */
function scanFolder(dir: string, ctx: CliContext, untouchedFile: (b: Uint8Array) => Untouched | undefined): { files: FolderFile[]; problems: ImportProblem[] } {
  const buf = Buffer.allocUnsafe(SHARED);
  const files: FolderFile[] = [];
  const problems: ImportProblem[] = [];
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (e) {
    throw invalidInput(`cannot read the folder ${dir}: ${(e as Error).message}`, { file: dir });
  }
  for (const d of entries) {
    if (!d.isDirectory() || !TYPE_FOLDER.test(d.name)) continue;
    if (!ctx.catalog.recordTypes.has(d.name)) {
      problems.push({ where: `${prefixOf(dir)}${d.name}/`, message: `${d.name} is not a record type, so this folder cannot hold records (type folders: ${[...ctx.catalog.recordTypes.keys()].join(', ')})` });
      continue;
    }
    const sub = join(dir, d.name);
    for (const f of readdirSync(sub, { withFileTypes: true })) {
      if (!f.isFile() || !f.name.endsWith('.md')) continue;
      let bytes: Buffer;
      try {
        bytes = readInto(join(sub, f.name), buf);
      } catch (e) {
        throw invalidInput(`cannot read ${prefixOf(dir)}${d.name}/${f.name}: ${(e as Error).message}`, { file: join(sub, f.name) });
      }
      const path = `${d.name}/${f.name}`;
      const untouched = untouchedFile(bytes);
      files.push(untouched === undefined ? { path, bytes: bytes.buffer === buf.buffer ? Buffer.from(bytes) : bytes } : { path, untouched });
    }
  }
  return { files, problems };
}

/**
 * `dossier sync DIR` (`import md DIR`): applies a Markdown folder to the store in one transaction. Files Dossier
 * wrote and nobody touched are skipped by their digest; edited files give new revisions (when their content
 * differs), files without an id new records, links follow the files; a file made from an older revision than the
 * store's is a conflict, and nothing is written. Records without a file are named and left alone. After a sync, the
 * files of new and revised records are rewritten as an export would write them (new files get their id and their
 * `TYPE/KEY.md` name).
 */
export async function importMarkdown(ctx: CliContext, inputs: string[], o: InterchangeOptions): Promise<number> {
  const [dir, ...rest] = inputs;
  if (dir === undefined || rest.length > 0) throw invalidInput('sync takes exactly one folder', { field: 'dir' });
  if (!isDirectory(dir)) throw invalidInput(`${dir} is not a folder; sync reads a folder written by \`dossier export md\``, { file: dir });
  const productKey = await ctx.productKey(o.product);
  const [{ readMarkdownFolder, readFolderManifest, untouchedFile }, { FOLDER_MANIFEST }, { listRecordHeadsUseCase }, { runImportReport }] = await Promise.all([
    import('../../ingest/markdown-folder.js'),
    import('../../export/markdown-folder.js'),
    import('../../app/use-cases/list-record-heads.js'),
    import('../import-report.js'),
  ]);
  const prefix = prefixOf(dir);
  const manifestFile = join(dir, FOLDER_MANIFEST);
  const manifestProblems = existsSync(manifestFile) ? readFolderManifest(readFileSync(manifestFile, 'utf8'), `${prefix}${FOLDER_MANIFEST}`, productKey) : [];
  const scan = scanFolder(dir, ctx, untouchedFile);
  const read = readMarkdownFolder(scan.files, { productKey, catalog: ctx.catalog, prefix });
  const problems = [...manifestProblems, ...scan.problems, ...read.problems];

  // What the store has that the folder does not, and files written from an older revision than the store's.
  const heads = await ctx.run(listRecordHeadsUseCase, { productKey });
  const inFolder = new Set(read.entries.flatMap((e) => (e.key === undefined ? [] : [e.key])));
  const notInFolder = heads.filter((h) => !inFolder.has(h.key)).map((h) => h.key).sort(byKey);
  const latest = new Map(heads.map((h) => [h.key, h.latestRevision]));
  const behind = read.entries.filter((e) => e.unchanged && e.key !== undefined && (latest.get(e.key) ?? 0) > (e.revision ?? 0));
  const statusOf = new Map(heads.map((h) => [h.key, h.status]));
  const statusEdits = read.entries.filter((e) => !e.unchanged && e.key !== undefined && e.status !== undefined && statusOf.has(e.key) && statusOf.get(e.key) !== e.status);
  const untouched = read.entries.filter((e) => e.unchanged).length;
  const fresh = read.entries.filter((e) => !e.unchanged && e.key === undefined).length;
  const mapping = [
    `${dir}: ${read.entries.length} record files: ${untouched} as Dossier wrote them (skipped), ${read.entries.length - untouched - fresh} edited, ${fresh} new`,
    ...(notInFolder.length > 0 ? [`not in the folder (left alone; records are never deleted): ${notInFolder.length}: ${listed(notInFolder)}`] : []),
    ...(behind.length > 0
      ? [`older than the store (unchanged files written from an earlier revision; export again to refresh): ${behind.length}: ${listed(behind.map((e) => `${e.path} (revision ${e.revision ?? 0}, store ${latest.get(e.key ?? '') ?? 0})`))}`]
      : []),
    ...(statusEdits.length > 0
      ? [`status is shown, not read (a status changes by review and approval): ${statusEdits.length} files differ from the store: ${listed(statusEdits.map((e) => `${e.path} says ${e.status ?? ''}, the store ${statusOf.get(e.key ?? '') ?? ''}`))}`]
      : []),
  ];

  const { code, report } = await runImportReport(ctx, { plan: read.plan, problems, mapping }, `Markdown folder ${dir}`, o);
  if (code !== EXIT.ok || o.dryRun === true || report.dryRun) return code;
  const lines = await rewriteFiles(ctx, dir, productKey, read.entries, scan.files, report);
  if (lines.length > 0) {
    const text = ['', 'Files rewritten as the store now has them (commit them with your change):', ...lines.map((l) => `  ${l}`)].join('\n');
    if (ctx.json) ctx.io.err(`${text}\n`);
    else ctx.text(text);
  }
  return code;
}

/**
 * After a sync, every file that was in the plan is rewritten from the store if its text differs from what an export
 * would write: new files get their id and revision (and move to `TYPE/KEY.md` when that name is free), revised ones
 * their new revision, and all their digest, so the next sync skips them.
 */
async function rewriteFiles(ctx: CliContext, dir: string, productKey: string, entries: readonly FolderEntry[], files: readonly FolderFile[], report: ImportReport): Promise<string[]> {
  const [{ renderRecordFile, recordFilePath }, { getRecordUseCase }, { exportRecordsUseCase }] = await Promise.all([
    import('../../export/markdown-folder.js'),
    import('../../app/use-cases/get-record.js'),
    import('../../app/use-cases/export-records.js'),
  ]);
  const keyOfRef = new Map(report.created.map((c) => [c.ref, c.key]));
  const todo = entries.flatMap((e) => {
    if (e.ref === undefined) return [];
    const key = e.key ?? keyOfRef.get(e.ref);
    return key === undefined ? [] : [{ entry: e, key }];
  });
  if (todo.length === 0) return [];
  const contents = new Map<string, { record: FolderRecord; links: { type: string; to: string }[] }>();
  if (todo.length <= READ_ONE_BY_ONE) {
    for (const t of todo) {
      const v = await ctx.run(getRecordUseCase, { productKey, record: t.key });
      contents.set(t.key, {
        record: { key: v.key, type: v.head.type, revision: v.revision.revision, status: v.head.status, title: v.revision.title, body: v.revision.body, fields: v.revision.fields },
        links: v.links.filter((l) => l.removedAt === null && l.fromKey === v.key).map((l) => ({ type: l.type, to: l.toKey })),
      });
    }
  } else {
    const all = await ctx.run(exportRecordsUseCase, { productKey });
    const wanted = new Set(todo.map((t) => t.key));
    for (const r of all.records) if (wanted.has(r.key)) contents.set(r.key, { record: r, links: [] });
    for (const l of all.links) contents.get(l.from)?.links.push({ type: l.type, to: l.to });
  }
  const bytesOf = new Map(files.flatMap((f) => ('bytes' in f ? [[f.path, f.bytes] as const] : [])));
  const lines: string[] = [];
  for (const { entry, key } of todo) {
    const c = contents.get(key);
    if (c === undefined) continue;
    const text = renderRecordFile(c.record, c.links);
    const old = bytesOf.get(entry.path);
    const target = recordFilePath(c.record.type, key);
    const move = entry.key === undefined && target !== entry.path && !existsSync(join(dir, target));
    if (!move && old !== undefined && Buffer.from(text).equals(Buffer.from(old.buffer, old.byteOffset, old.byteLength))) continue;
    const path = move ? target : entry.path;
    writeFileSync(join(dir, path), text);
    if (move) unlinkSync(join(dir, entry.path));
    lines.push(
      entry.key === undefined
        ? `${entry.path}${move ? ` → ${path}` : ''}: new record ${key}, revision ${c.record.revision}`
        : `${path}: ${key} at revision ${c.record.revision}`,
    );
  }
  return lines;
}
