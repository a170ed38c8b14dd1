import { z } from 'zod';
import { parseAuditAnchor, type AuditAnchor } from '../../core/audit-anchor.js';
import { REVISION_EVENT_ACTIONS, type AuditEvent } from '../../core/audit.js';
import { isAppError } from '../../core/errors.js';
import { IntegrityVerifier, labelProblems, recordedRevision, withDatabaseCheck, type IntegrityReport } from '../../core/integrity.js';
import type { Deps, ProgressFn, StoreReader } from '../../core/ports.js';
import { SequenceDigest } from '../../core/hashing.js';
import { checkStoredRows } from '../../core/state/check-stored-state.js';
import { STATE_EVENT_ACTIONS } from '../../core/state/expected-state.js';
import { StateVerifier, withStateCheck } from '../../core/state/state-verifier.js';
import { releaseSignatureAnchors } from '../../core/signatures/signature-anchors.js';
import { defineUseCase } from '../use-case.js';

const PAGE = 20_000;
const REVISION_ACTIONS = new Set<string>(REVISION_EVENT_ACTIONS);
/** The events read in full: those that change current state, and those that record a revision. */
const REPLAYED_ACTIONS: readonly string[] = [...new Set<string>([...STATE_EVENT_ACTIONS, ...REVISION_EVENT_ACTIONS])];

/** What to check besides the store itself. */
export interface VerifyOptions {
  /** Points the chain must still hold, kept outside the database (`dossier audit anchor`, `--anchor SEQ:HASH`). */
  readonly anchors?: readonly AuditAnchor[];
}

/**
 * Walks the whole audit chain and every record revision and reports the first event or revision that does not
 * match (see `IntegrityVerifier`), then compares the current state and every release baseline with what the trail
 * proves (see `checkStoredState`). Reads page by page in one snapshot: the chain's hashes range by range (on worker
 * threads where the store allows), the events that change state or record a revision once, without what only the
 * chain needs; the events named in problems are then read in full to name them for people. The chain must also still
 * hold each anchor given and the audit head each release recorded when it was made (and reach past it, to the
 * release's own event): a chain cut back or re-hashed below one of them is found. Before all that, the database
 * engine checks its own storage (`StoreReader.checkDatabase`); damage it finds, or a read that fails on damaged
 * storage, is reported as a problem, never thrown.
 */
export async function verifyIntegrity(
  deps: Pick<Deps, 'store'>,
  onProgress?: ProgressFn,
  options: VerifyOptions = {},
): Promise<IntegrityReport> {
  // First the engine's own check of its storage, in its own snapshot: damage there can stop the walk below.
  const database = await deps.store.read((r) => r.checkDatabase());
  const walk = deps.store.read(async (r) => {
    const v = new IntegrityVerifier();
    const anchors = [...(options.anchors ?? []), ...(await releaseAnchors(r))];
    v.expectAnchors(anchors);
    const total = (await r.auditHead())?.seq ?? 0;
    // The chain's hashes are checked range by range, on worker threads where the store allows, while this thread
    // reads the events once for the current state and for the revisions they recorded.
    const chain = r.checkAuditChain(total, anchors);
    chain.catch(() => undefined); // awaited below; a failure must not go unhandled meanwhile
    const state = new StateVerifier();
    for (let after = 0; ; ) {
      const page = await r.scanStateEvents(after, PAGE, REPLAYED_ACTIONS);
      const last = page[page.length - 1];
      if (last === undefined) break;
      state.applyEvents(page);
      for (const e of page) {
        if (REVISION_ACTIONS.has(e.action) && e.newValue !== null) {
          const recorded = recordedRevision(e.entityId, e.newValue);
          if (recorded !== null) v.noteRecorded(recorded);
        }
      }
      after = last.seq;
      onProgress?.(after, total, 'audit events');
    }
    for (const range of await chain) v.addChainRange(range);
    let cursor = { recordId: 0, revision: 0 };
    let done = 0;
    for (;;) {
      const page = await r.pageRevisions(cursor, PAGE);
      const last = page[page.length - 1];
      if (last === undefined) break;
      v.checkRevisions(page);
      done += page.length;
      cursor = { recordId: last.recordId, revision: last.revision };
      onProgress?.(done, done, 'revisions');
    }
    await checkEvidenceImports(r, v, onProgress);
    const report = withStateCheck(v.report(), await checkStoredRows(r, state, onProgress));
    const named = new Map<number, AuditEvent>();
    for (const p of report.problems.slice(0, 20)) {
      if (p.seq === undefined || named.has(p.seq)) continue;
      const [e] = await r.listAudit({ afterSeq: p.seq - 1, limit: 1 });
      if (e !== undefined && e.seq === p.seq) named.set(p.seq, e);
    }
    return labelProblems(report, named);
  });
  try {
    return withDatabaseCheck(await walk, database);
  } catch (e) {
    // A read that fails on damaged storage is a finding, not a crash; so is a row that no longer reads as what the
    // application wrote once the engine has found damage (a garbled status on a damaged page).
    const damaged = (isAppError(e, 'INTEGRITY') && e.details['damaged'] === true) || database.problems.length > 0;
    if (!damaged) throw e;
    const empty = new IntegrityVerifier().report();
    const why = isAppError(e) ? e.message : 'a stored row no longer reads as what the application wrote';
    return withDatabaseCheck({ ...empty, ok: false, head: null }, database, why);
  }
}

/**
 * Recomputes each evidence import's digest from its stored items and compares it with its row and audit event.
 * Items are read once, page by page in ID order (an import's digest covers its items in that order), so an import
 * of any size streams: one running digest per import, never an import's items in memory at once.
 */
async function checkEvidenceImports(r: StoreReader, v: IntegrityVerifier, onProgress?: ProgressFn): Promise<void> {
  const products = new Map((await r.listProducts()).map((p) => [p.id, p.key]));
  const imports = await r.listEvidenceImports();
  const digests = new Map(imports.map((imp) => [imp.id, new SequenceDigest()]));
  const orphans = new Set<number>();
  const total = imports.reduce((n, imp) => n + imp.itemCount, 0);
  let done = 0;
  for (let after = 0; ; ) {
    const page = await r.scanEvidenceDigests(after, PAGE);
    const last = page[page.length - 1];
    if (last === undefined) break;
    for (const item of page) {
      const digest = digests.get(item.importId);
      if (digest === undefined) orphans.add(item.importId);
      else digest.addCanonical(item.text);
    }
    after = last.id;
    done += page.length;
    onProgress?.(done, Math.max(total, done), 'evidence items');
  }
  for (const imp of imports) {
    const entityId = `${products.get(imp.productId) ?? '?'}/evidence/${imp.id}`;
    const event = (await r.listAudit({ entityId, limit: 1 })).find((e) => e.action === 'EVIDENCE_IMPORTED');
    const value = event?.newValue === null || event === undefined ? undefined : (JSON.parse(event.newValue) as { itemsDigest?: unknown; itemCount?: unknown });
    const recorded = typeof value?.itemsDigest === 'string' && typeof value.itemCount === 'number' ? { itemsDigest: value.itemsDigest, itemCount: value.itemCount } : undefined;
    const digest = digests.get(imp.id) ?? new SequenceDigest();
    v.checkEvidence({ id: imp.id, label: `evidence import ${entityId} (${imp.kind} ${imp.source})`, itemsDigest: imp.itemsDigest, itemCount: imp.itemCount }, recorded, { hex: digest.hex(), count: digest.count });
  }
  // Items whose import row is gone (the foreign key is checked at commit, so only a change outside the app does this).
  for (const id of orphans) {
    v.checkEvidence({ id, label: `evidence items of import ${id} (no such import)`, itemsDigest: '', itemCount: 0 }, undefined, { hex: '', count: 0 });
  }
}

/**
 * The audit head each release baseline recorded (IEC 62304 5.8: a release is tied to the trail as it stood), and
 * the head each release signature's manifest recorded, as anchors the chain must still hold and reach past.
 */
async function releaseAnchors(r: StoreReader): Promise<AuditAnchor[]> {
  const products = new Map((await r.listProducts()).map((p) => [p.id, p.key]));
  const releases = await r.listReleases();
  const made = releases
    .filter((rel) => rel.auditSeq > 0)
    .map((rel) => ({
      seq: rel.auditSeq,
      hash: rel.auditHash,
      followed: true,
      label: `release ${products.get(rel.productId) ?? '?'} ${rel.version} (baseline ${rel.baseline})`,
    }));
  // 21 CFR 11.70: a signed release also names the head it was signed with (its manifest, under its content hash).
  // Read as stored, so a value changed outside the application is reported by the signature check, not thrown here.
  const signed: AuditAnchor[] = [];
  for (let after = 0; ; ) {
    const page = await r.pageSignatureChecks(after, PAGE, 'release');
    const last = page[page.length - 1];
    if (last === undefined) break;
    signed.push(...releaseSignatureAnchors(page));
    after = last.id;
  }
  return [...made, ...signed];
}

/** What `audit.verify` is given: anchors as `audit.anchor` gave them (`SEQ:HASH`). */
export const VerifyIntegrityInputSchema = z.strictObject({
  anchors: z.array(z.string().max(200)).max(1000).default([]),
});

const IntegrityProblemSchema = z.object({
  /** What kind of mismatch (`chain_broken`, `revision_altered`, `state_altered`, `database_damaged`, …). */
  kind: z.string(),
  seq: z.number().int().optional(),
  item: z.string().optional(),
  message: z.string(),
});

/** A verification's findings, as the API serves them. */
export const IntegrityReportSchema = z.object({
  ok: z.boolean(),
  eventsChecked: z.number().int(),
  revisionsChecked: z.number().int(),
  evidenceChecked: z.number().int(),
  stateRowsChecked: z.number().int(),
  baselinesChecked: z.number().int(),
  anchorsChecked: z.number().int(),
  database: z.object({ checked: z.string(), notChecked: z.string().nullable(), problems: z.array(z.string()) }).nullable(),
  head: z.object({ seq: z.number().int(), hash: z.string() }).nullable(),
  firstProblem: IntegrityProblemSchema.nullable(),
  problems: z.array(IntegrityProblemSchema),
});
export type IntegrityReportOutput = z.infer<typeof IntegrityReportSchema>;

export const verifyIntegrityUseCase = defineUseCase({
  name: 'audit.verify',
  // Can take long on a large product: the server runs it on its read pool.
  heavy: true,
  summary: "Verify the whole store's integrity against its audit trail.",
  kind: 'read',
  what: 'integrity check',
  input: VerifyIntegrityInputSchema,
  output: IntegrityReportSchema,
  permission: 'audit.verify',
  http: { method: 'POST', path: '/api/v1/audit/verify' },
  run: async ({ deps, progress }, input) => {
    const anchors = input.anchors.map((a, i) => parseAuditAnchor(a, `anchors[${i}]`));
    const r = await verifyIntegrity(deps, progress, { anchors });
    return {
      ...r,
      database: r.database === null ? null : { ...r.database, problems: [...r.database.problems] },
      head: r.head === null ? null : { seq: r.head.seq, hash: r.head.hash },
      problems: [...r.problems],
    };
  },
});
