import { assertLinkAllowed, getRecordType } from '../../core/catalog/catalog.js';
import { conflict, invalidInput, type ErrorDetails } from '../../core/errors.js';
import { recordKey } from '../../core/entities.js';
import { IntegrityVerifier, labelProblems } from '../../core/integrity.js';
import type { Deps, ProgressFn, RevisionWithKey, StoreWriter } from '../../core/ports.js';
import { StoreExportSchema, type StoreExport } from '../../core/store-export.js';
import { describeZodError } from '../../core/validation.js';
import { SequenceDigest } from '../../core/hashing.js';
import { evidenceDigestEntry } from '../../core/evidence/model.js';
import { checkDocumentState } from '../../core/state/check-document-state.js';
import { withStateCheck } from '../../core/state/state-verifier.js';
import { WorkflowSchema } from '../../core/signatures/model.js';
import { attachmentNameProblem } from '../../core/attachments/model.js';
import { releaseSignatureAnchors } from '../../core/signatures/signature-anchors.js';
import { z } from 'zod';
import { defineUseCase } from '../use-case.js';

/** What an import brought in. */
export const ImportSummarySchema = z.object({
  products: z.number().int(),
  records: z.number().int(),
  revisions: z.number().int(),
  links: z.number().int(),
  auditEvents: z.number().int(),
});
export type ImportSummary = Readonly<z.infer<typeof ImportSummarySchema>>;

/**
 * Restores a whole-store export into an empty store, in one transaction. The document is checked completely
 * before anything is written: its shape, duplicate IDs, references between rows, the catalog (record types,
 * fields, link rules), and the integrity of its audit chain and revision hashes, and that its current state and
 * release baselines are the ones its audit trail proves (as `audit verify` checks a store), so a tampered or damaged
 * export is refused. Rows are written verbatim, so exporting again gives the same document.
 * @param source - names the file in messages
 * @throws AppError INVALID_INPUT naming the item and field; CONFLICT when the store is not empty
 */
export async function importStore(
  deps: Pick<Deps, 'store' | 'catalog'>,
  data: unknown,
  source = 'import',
  onProgress?: ProgressFn,
): Promise<ImportSummary> {
  const doc = parseDocument(data, source);
  checkDocument(deps, doc, source);
  return deps.store.write(async (w) => {
    if (!(await w.isEmpty())) {
      throw conflict(`${source}: an import restores a whole store and needs an empty one; this store already holds data`, {
        file: source,
      });
    }
    await w.insertProducts(doc.products);
    onProgress?.(1, 5, 'products');
    await w.insertRecords(doc.records);
    onProgress?.(2, 5, 'records');
    await w.insertRevisions(doc.revisions);
    onProgress?.(3, 5, 'revisions');
    await w.insertLinks(doc.links);
    await w.insertRuleSettings(doc.ruleSettings);
    await w.insertProductRulePacks(doc.rulePacks);
    await w.insertEvidenceImports(doc.evidenceImports);
    await w.insertEvidenceItems(doc.evidenceItems);
    await w.insertReleases(doc.releases);
    await w.insertReleaseRecords(doc.releaseRecords);
    await w.insertReleaseLinks(doc.releaseLinks);
    await w.insertReleaseEvidence(doc.releaseEvidence);
    await insertIdentity(w, doc, source);
    await insertSignatures(w, doc, source);
    for (const c of doc.attachmentContents) await w.insertAttachmentContent({ sha256: c.sha256, size: c.size, bytes: Buffer.from(c.base64, 'base64') });
    await w.insertAttachments([...doc.attachments].sort((a, b) => a.id - b.id));
    onProgress?.(4, 5, 'links');
    await w.appendAuditEvents(doc.audit);
    onProgress?.(5, 5, 'audit events');
    return {
      products: doc.products.length,
      records: doc.records.length,
      revisions: doc.revisions.length,
      links: doc.links.length,
      auditEvents: doc.audit.length,
    };
  });
}

export const ImportStoreInputSchema = z.strictObject({
  /** Where the document comes from (a file name), for messages. */
  source: z.string().min(1).max(500).default('import'),
  /**
   * A whole-store export (`store.export`). Checked by the import itself, which names the row and field of a
   * problem (`record SRS-12 (id 40): title: …`), not by this schema.
   */
  document: z.unknown().describe('a whole-store export, as store.export gives it'),
});

export const importStoreUseCase = defineUseCase({
  name: 'store.import',
  summary: 'Import a whole-store export into an empty store.',
  kind: 'write',
  what: 'store import',
  input: ImportStoreInputSchema,
  output: ImportSummarySchema,
  permission: 'store.import',
  http: { method: 'POST', path: '/api/v1/store/import', status: 201 },
  run: ({ deps, progress }, input) => importStore(deps, input.document, input.source, progress),
});

function parseDocument(data: unknown, source: string): StoreExport {
  const r = StoreExportSchema.safeParse(data);
  if (r.success) return r.data;
  const d = describeZodError(r.error);
  const first = r.error.issues[0]?.path ?? [];
  const item = describeRow(data, first);
  throw invalidInput(`${source}: ${item === undefined ? '' : `${item}: `}${d.message}`, {
    file: source,
    field: d.field,
    ...(item === undefined ? {} : { item }),
  });
}

/** A readable name for the row at `path` of a raw document, e.g. `record SRS-12 (id 40)`. */
function describeRow(data: unknown, path: readonly PropertyKey[]): string | undefined {
  const [section, index] = path;
  if (typeof section !== 'string' || typeof index !== 'number' || typeof data !== 'object' || data === null) return undefined;
  const rows = (data as Record<string, unknown>)[section];
  const row = Array.isArray(rows) ? (rows[index] as Record<string, unknown> | undefined) : undefined;
  if (row === undefined || typeof row !== 'object' || row === null) return undefined;
  switch (section) {
    case 'products':
      return `product ${String(row['key'])}`;
    case 'records':
      return `record ${String(row['type'])}-${String(row['number'])} (id ${String(row['id'])})`;
    case 'revisions':
      return `revision ${String(row['revision'])} of record id ${String(row['recordId'])}`;
    case 'links':
      return `link ${String(row['id'])}`;
    case 'audit':
      return `audit event ${String(row['seq'])}`;
    case 'ruleSettings':
      return `rule setting ${String(row['ruleId'])}`;
    case 'rulePacks':
      return `rule pack ${String(row['pack'])}`;
    case 'evidenceImports':
      return `evidence import ${String(row['id'])}`;
    case 'evidenceItems':
      return `evidence item ${String(row['id'])}`;
    case 'releases':
      return `release ${String(row['version'])} (id ${String(row['id'])})`;
    case 'signatures':
      return `signature ${String(row['id'])} on ${String(row['entityKey'])}`;
    case 'statementAcceptances':
      return `statement acceptance ${String(row['id'])} of ${String(row['username'])}`;
    case 'attachments':
      return `attachment ${String(row['id'])} (${String(row['name'])})`;
    case 'attachmentContents':
      return `attachment content ${String(row['sha256'])}`;
    case 'workflows':
      return `workflow ${String(row['subject'])} of product id ${String(row['productId'])}`;
    default:
      return undefined;
  }
}

function checkDocument(deps: Pick<Deps, 'catalog'>, doc: StoreExport, source: string): void {
  const fail = (message: string, details: ErrorDetails = {}): never => {
    throw invalidInput(`${source}: ${message}`, { file: source, ...details });
  };
  const uniq = <T>(rows: readonly T[], key: (r: T) => string, what: (r: T) => string): void => {
    const seen = new Set<string>();
    for (const r of rows) {
      const k = key(r);
      if (seen.has(k)) fail(`duplicate ${what(r)}`, { item: what(r) });
      seen.add(k);
    }
  };

  const products = new Map(doc.products.map((p) => [p.id, p]));
  uniq(doc.products, (p) => String(p.id), (p) => `product id ${p.id}`);
  uniq(doc.products, (p) => p.key, (p) => `product key ${p.key}`);

  const records = new Map(doc.records.map((r) => [r.id, r]));
  uniq(doc.records, (r) => String(r.id), (r) => `record id ${r.id}`);
  uniq(doc.records, (r) => `${r.productId}:${r.type}:${r.number}`, (r) => `record ${recordKey(r.type, r.number)}`);
  for (const r of doc.records) {
    const key = recordKey(r.type, r.number);
    if (!products.has(r.productId)) fail(`record ${key} names product id ${r.productId}, which is not in the file`, { item: key });
    getRecordType(deps.catalog, r.type, `${source}: record ${key}`);
  }

  uniq(doc.revisions, (v) => `${v.recordId}:${v.revision}`, (v) => `revision ${v.revision} of record id ${v.recordId}`);
  const latest = new Map<number, number>();
  const withKeys: RevisionWithKey[] = [];
  for (const v of doc.revisions) {
    const rec = records.get(v.recordId);
    if (rec === undefined) fail(`revision ${v.revision} names record id ${v.recordId}, which is not in the file`);
    else {
      const key = `${recordKey(rec.type, rec.number)}@${v.revision}`;
      const type = getRecordType(deps.catalog, rec.type, key);
      const parsed = type.fields.safeParse(v.fields);
      if (!parsed.success) fail(`revision ${key} has invalid fields: ${describeZodError(parsed.error, 'fields').message}`, { item: key });
      latest.set(rec.id, Math.max(latest.get(rec.id) ?? 0, v.revision));
      withKeys.push({ ...v, productKey: products.get(rec.productId)?.key ?? '', type: rec.type, number: rec.number });
    }
  }
  for (const r of doc.records) {
    const key = recordKey(r.type, r.number);
    if (latest.get(r.id) !== r.latestRevision) {
      fail(`record ${key} says its latest revision is ${r.latestRevision} but the file has ${latest.get(r.id) ?? 'none'}`, { item: key });
    }
    if (r.approvedRevision !== null && r.approvedRevision > r.latestRevision) {
      fail(`record ${key} says revision ${r.approvedRevision} is approved, but it has only ${r.latestRevision}`, { item: key });
    }
  }

  uniq(doc.links, (l) => String(l.id), (l) => `link id ${l.id}`);
  for (const l of doc.links) {
    const from = records.get(l.fromId);
    const to = records.get(l.toId);
    if (from === undefined || to === undefined) {
      fail(`link ${l.id} names record id ${from === undefined ? l.fromId : l.toId}, which is not in the file`, { item: `link ${l.id}` });
    } else {
      if (from.productId !== l.productId || to.productId !== l.productId) fail(`link ${l.id} joins records of different products`, { item: `link ${l.id}` });
      assertLinkAllowed(deps.catalog, l.type, { key: recordKey(from.type, from.number), type: from.type }, { key: recordKey(to.type, to.number), type: to.type });
    }
  }
  uniq(doc.ruleSettings, (s) => `${s.productId}:${s.ruleId}`, (s) => `rule setting ${s.ruleId} of product id ${s.productId}`);
  uniq(doc.rulePacks, (p) => `${p.productId}:${p.pack}`, (p) => `rule pack ${p.pack} of product id ${p.productId}`);
  for (const s of [...doc.ruleSettings, ...doc.rulePacks]) {
    if (!products.has(s.productId)) fail(`a rule setting or pack names product id ${s.productId}, which is not in the file`);
  }
  checkEvidence(doc, products, records, fail, uniq);
  checkSignatureRows(doc, products, records, fail, uniq);
  checkAttachmentRows(doc, products, records, fail, uniq);
  uniq(doc.audit, (e) => String(e.seq), (e) => `audit event ${e.seq}`);

  const verifier = new IntegrityVerifier();
  // 21 CFR 11.70: the head each release signature was made with must still be in the file's trail.
  verifier.expectAnchors(releaseSignatureAnchors(doc.signatures));
  const events = [...doc.audit].sort((a, b) => a.seq - b.seq);
  verifier.checkEvents(events);
  verifier.checkRevisions(withKeys);
  const report = labelProblems(withStateCheck(verifier.report(), checkDocumentState(doc, events)), new Map(doc.audit.map((e) => [e.seq, e])));
  if (report.firstProblem !== null) {
    fail(`the file fails its integrity check: ${report.firstProblem.message}`, {
      ...(report.firstProblem.item === undefined ? {} : { item: report.firstProblem.item }),
      ...(report.firstProblem.seq === undefined ? {} : { seq: report.firstProblem.seq }),
    });
  }
}

type Fail = (message: string, details?: ErrorDetails) => never;
type Uniq = <T>(rows: readonly T[], key: (r: T) => string, what: (r: T) => string) => void;

/** Evidence and releases: IDs unique, references resolvable, and each import's items matching its digest. */
function checkEvidence(doc: StoreExport, products: ReadonlyMap<number, unknown>, records: ReadonlyMap<number, { productId: number }>, fail: Fail, uniq: Uniq): void {
  uniq(doc.evidenceImports, (i) => String(i.id), (i) => `evidence import ${i.id}`);
  uniq(doc.evidenceItems, (i) => String(i.id), (i) => `evidence item ${i.id}`);
  uniq(doc.releases, (r) => String(r.id), (r) => `release id ${r.id}`);
  uniq(doc.releases, (r) => `${r.productId}:${r.version}:${r.baseline}`, (r) => `release ${r.version} baseline ${r.baseline}`);
  const imports = new Map(doc.evidenceImports.map((i) => [i.id, i]));
  const digests = new Map<number, SequenceDigest>();
  for (const i of doc.evidenceImports) if (!products.has(i.productId)) fail(`evidence import ${i.id} names product id ${i.productId}, which is not in the file`, { item: `evidence import ${i.id}` });
  for (const it of [...doc.evidenceItems].sort((a, b) => a.id - b.id)) {
    const imp = imports.get(it.importId);
    if (imp === undefined || imp.productId !== it.productId) fail(`evidence item ${it.id} names import ${it.importId}, which is not in the file for its product`, { item: `evidence item ${it.id}` });
    for (const ref of it.refs) {
      if (records.get(ref.recordId)?.productId !== it.productId) fail(`evidence item ${it.id} refers to record id ${ref.recordId}, which is not in the file for its product`, { item: `evidence item ${it.id}` });
    }
    const d = digests.get(it.importId) ?? new SequenceDigest();
    d.add(evidenceDigestEntry(it));
    digests.set(it.importId, d);
  }
  for (const i of doc.evidenceImports) {
    const d = digests.get(i.id) ?? new SequenceDigest();
    if (d.count !== i.itemCount || d.hex() !== i.itemsDigest) {
      fail(`the file fails its integrity check: evidence import ${i.id} (${i.kind} ${i.source}) does not match its items digest`, { item: `evidence import ${i.id}` });
    }
  }
  const releases = new Set(doc.releases.map((r) => r.id));
  const items = new Set(doc.evidenceItems.map((i) => i.id));
  const links = new Set(doc.links.map((l) => l.id));
  for (const r of doc.releases) if (!products.has(r.productId)) fail(`release ${r.version} names product id ${r.productId}, which is not in the file`, { item: r.version });
  for (const r of doc.releaseRecords) if (!releases.has(r.releaseId) || !records.has(r.recordId)) fail(`a release record row names release ${r.releaseId} or record id ${r.recordId}, which is not in the file`);
  for (const l of doc.releaseLinks) if (!releases.has(l.releaseId) || !links.has(l.linkId)) fail(`a release link row names release ${l.releaseId} or link ${l.linkId}, which is not in the file`);
  for (const e of doc.releaseEvidence) {
    if (!releases.has(e.releaseId) || (e.importId !== null && !imports.has(e.importId)) || (e.itemId !== null && !items.has(e.itemId))) {
      fail(`a release evidence row names release ${e.releaseId}, import ${e.importId ?? '-'} or item ${e.itemId ?? '-'}, which is not in the file`);
    }
  }
}

/**
 * Signatures, statement acceptances and workflows: IDs and keys unique, and every product, record, release and user
 * they name in the file (whether they are what the trail recorded is the state check's).
 */
function checkSignatureRows(
  doc: StoreExport,
  products: ReadonlyMap<number, unknown>,
  records: ReadonlyMap<number, { productId: number }>,
  fail: Fail,
  uniq: Uniq,
): void {
  const users = new Set(doc.users.map((u) => u.id));
  const releases = new Map(doc.releases.map((r) => [r.id, r]));
  const assignments = new Map(doc.trainingAssignments.map((a) => [a.id, a]));
  uniq(doc.signatures, (s) => String(s.id), (s) => `signature id ${s.id}`);
  uniq(
    doc.signatures,
    (s) => `${s.entityType}:${s.entityId}:${s.revision}:${s.step}`,
    (s) => `signature of step ${s.step} on ${s.entityKey} revision ${s.revision}`,
  );
  for (const s of doc.signatures) {
    const item = `signature ${s.id} on ${s.entityKey}`;
    const entity = s.entityType === 'record' ? records.get(s.entityId) : s.entityType === 'training' ? assignments.get(s.entityId) : releases.get(s.entityId);
    if (!products.has(s.productId)) fail(`${item} names product id ${s.productId}, which is not in the file`, { item });
    if (entity === undefined || entity.productId !== s.productId) {
      fail(`${item} names ${s.entityType} id ${s.entityId}, which is not in the file for its product`, { item });
    }
    if (!users.has(s.userId)) fail(`${item} names user id ${s.userId}, which is not in the file`, { item });
  }
  checkDocumentControlRows(doc, products, records, fail, uniq);
  uniq(doc.statementAcceptances, (a) => String(a.id), (a) => `statement acceptance id ${a.id}`);
  uniq(doc.statementAcceptances, (a) => `${a.userId}:${a.version}`, (a) => `acceptance of statement version ${a.version} by ${a.username}`);
  for (const a of doc.statementAcceptances) {
    const item = `statement acceptance ${a.id}`;
    if (!users.has(a.userId)) fail(`${item} names user id ${a.userId}, which is not in the file`, { item });
  }
  uniq(doc.workflows, (w) => `${w.productId}:${w.subject}`, (w) => `workflow ${w.subject} of product id ${w.productId}`);
  for (const w of doc.workflows) {
    const item = `workflow ${w.subject}`;
    if (!products.has(w.productId)) fail(`${item} names product id ${w.productId}, which is not in the file`, { item });
    const parsed = WorkflowSchema.safeParse(parseJsonText(w.definition));
    if (!parsed.success) {
      fail(`${item} of product id ${w.productId} has an invalid definition: ${describeZodError(parsed.error, 'definition').message}`, { item });
    }
  }
}

/**
 * Attachments and their contents: IDs and SHA-256s unique, every product, record and content they name in the file,
 * every file name one a user could attach (whether the bytes hash to their SHA-256 is the state check's).
 */
function checkAttachmentRows(
  doc: StoreExport,
  products: ReadonlyMap<number, unknown>,
  records: ReadonlyMap<number, { productId: number }>,
  fail: Fail,
  uniq: Uniq,
): void {
  uniq(doc.attachments, (a) => String(a.id), (a) => `attachment id ${a.id}`);
  uniq(doc.attachmentContents, (c) => c.sha256, (c) => `attachment content ${c.sha256}`);
  const contents = new Set(doc.attachmentContents.map((c) => c.sha256));
  for (const a of doc.attachments) {
    const item = `attachment ${a.id} (${a.name})`;
    if (!products.has(a.productId)) fail(`${item} names product id ${a.productId}, which is not in the file`, { item });
    if (records.get(a.recordId)?.productId !== a.productId) fail(`${item} names record id ${a.recordId}, which is not in the file for its product`, { item });
    if (!contents.has(a.sha256)) fail(`${item} names content ${a.sha256}, which is not in the file`, { item });
    const problem = attachmentNameProblem(a.name);
    if (problem !== undefined) fail(`${item}: the file name ${problem}`, { item });
  }
}

/** Document control and training rows: IDs and keys unique, every product, record, assignment and signature in the file. */
function checkDocumentControlRows(
  doc: StoreExport,
  products: ReadonlyMap<number, unknown>,
  records: ReadonlyMap<number, { productId: number }>,
  fail: Fail,
  uniq: Uniq,
): void {
  const onRecord = (item: string, productId: number, recordId: number): void => {
    if (!products.has(productId)) fail(`${item} names product id ${productId}, which is not in the file`, { item });
    if (records.get(recordId)?.productId !== productId) fail(`${item} names record id ${recordId}, which is not in the file for its product`, { item });
  };
  uniq(doc.documentEffectivities, (r) => String(r.id), (r) => `document effectivity id ${r.id}`);
  uniq(doc.documentEffectivities, (r) => `${r.recordId}@${r.revision}`, (r) => `effectivity of record id ${r.recordId} revision ${r.revision}`);
  for (const r of doc.documentEffectivities) onRecord(`document effectivity ${r.id}`, r.productId, r.recordId);
  uniq(doc.documentReviews, (r) => String(r.id), (r) => `document review id ${r.id}`);
  for (const r of doc.documentReviews) onRecord(`document review ${r.id}`, r.productId, r.recordId);
  uniq(doc.trainingAssignments, (r) => String(r.id), (r) => `training assignment id ${r.id}`);
  uniq(doc.trainingAssignments, (r) => `${r.recordId}@${r.revision}:${r.username}`, (r) => `training assignment of ${r.username} on record id ${r.recordId} revision ${r.revision}`);
  for (const r of doc.trainingAssignments) {
    onRecord(`training assignment ${r.id}`, r.productId, r.recordId);
    if (r.roleRecordId !== null) onRecord(`training assignment ${r.id}`, r.productId, r.roleRecordId);
  }
  const assignments = new Set(doc.trainingAssignments.map((a) => a.id));
  const signatures = new Set(doc.signatures.map((s) => s.id));
  uniq(doc.trainingCompletions, (r) => String(r.id), (r) => `training completion id ${r.id}`);
  for (const r of doc.trainingCompletions) {
    const item = `training completion ${r.id}`;
    if (!assignments.has(r.assignmentId)) fail(`${item} names training assignment id ${r.assignmentId}, which is not in the file`, { item });
    if (r.signatureId !== null && !signatures.has(r.signatureId)) fail(`${item} names signature id ${r.signatureId}, which is not in the file`, { item });
  }
}

function parseJsonText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * Restores signatures as they are (the database refuses to change them once written), then statement acceptances
 * with their exported IDs (handed out in order, like users') and the workflows.
 */
async function insertSignatures(w: StoreWriter, doc: StoreExport, source: string): Promise<void> {
  await w.insertSignatures([...doc.signatures].sort((a, b) => a.id - b.id));
  for (const a of [...doc.statementAcceptances].sort((x, y) => x.id - y.id)) {
    const { id, ...rest } = a;
    const got = (await w.insertStatementAcceptance(rest)).id;
    if (got !== id) {
      throw invalidInput(`${source}: statement acceptance ${id} cannot keep its ID (the IDs of an export have no gaps; this one has)`, { file: source });
    }
  }
  for (const wf of doc.workflows) await w.putWorkflow(wf);
  // Document control and training rows, as they are (append-only; completions name their signatures).
  await w.insertEffectivities(doc.documentEffectivities);
  await w.insertDocumentReviews(doc.documentReviews);
  await w.insertTrainingAssignments(doc.trainingAssignments);
  await w.insertTrainingCompletions(doc.trainingCompletions);
}

/**
 * Restores users, their role grants and API tokens with their exported IDs (the store hands IDs out in order, so
 * writing them in ID order into an empty store gives the same ones; anything else is refused). Failed-attempt
 * counters and lockouts start afresh; sessions and reset secrets are not exported.
 */
async function insertIdentity(w: StoreWriter, doc: StoreExport, source: string): Promise<void> {
  const same = (what: string, want: number, got: number): void => {
    if (want !== got) throw invalidInput(`${source}: ${what} ${want} cannot keep its ID (the IDs of an export have no gaps; this one has)`, { file: source });
  };
  for (const u of [...doc.users].sort((a, b) => a.id - b.id)) {
    const { id, ...rest } = u;
    same('user', id, (await w.insertUser({ ...rest, failedAttempts: 0, lockedUntil: null })).id);
  }
  for (const g of [...doc.roleGrants].sort((a, b) => a.id - b.id)) {
    const { id, ...rest } = g;
    same('role grant', id, (await w.insertRoleGrant(rest)).id);
  }
  for (const t of [...doc.apiTokens].sort((a, b) => a.id - b.id)) {
    const { id, ...rest } = t;
    same('API token', id, (await w.insertApiToken({ ...rest, lastUsedAt: null })).id);
  }
}
