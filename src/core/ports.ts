import type { AttachmentsReader, AttachmentsWriter } from './attachments/ports.js';
import type { AuditEvent, ChainHead } from './audit.js';
import type { AuditAnchor } from './audit-anchor.js';
import type { ChainRangeResult } from './integrity.js';
import type { Catalog } from './catalog/catalog.js';
import type { RecordStatus } from './catalog/lifecycle.js';
import type { TraceLinkColumns } from './trace/link-columns.js';
import type { TraceRecordColumns } from './trace/record-columns.js';
import type { RevisionChange, RevisionContent } from './trace/revision-changes.js';
import type { ResultItem } from './evidence/verdicts.js';
import type {
  EvidenceImport,
  EvidenceItem,
  EvidenceItemKind,
  EvidenceKind,
  Release,
  ReleaseEvidence,
  ReleaseLink,
  ReleaseRecord,
} from './evidence/model.js';
import type { IdentityReader, IdentityWriter } from './identity/ports.js';
import type { SignaturesReader, SignaturesWriter } from './signatures/ports.js';
import type { SsoReader, SsoWriter } from './identity/sso.js';
import type { DocumentControlReader, DocumentControlWriter } from './qms/document-control-ports.js';
import type { Link, LinkView, Product, ProductRulePack, RecordHead, RecordSummary, Revision, RuleSetting } from './entities.js';

/**
 * Filters for listing records, and which page of the matches. Records come ordered by type, then number; `limit`
 * and `offset` apply to that order (the database does the filtering and paging).
 */
export interface RecordFilter {
  readonly productId: number;
  readonly type?: string;
  readonly status?: RecordStatus;
  /**
   * Only records whose latest title contains this text, ignoring case, taken literally (`%`, `_` and `\` are not
   * wildcards). ASCII letters match either case on every database; other letters match either case on PostgreSQL
   * (by its locale) but only the same case on SQLite.
   */
  readonly titleContains?: string;
  /** Skip this many matching records. */
  readonly offset?: number;
  /** At most this many records (all by default). */
  readonly limit?: number;
}

/** Filters for listing links. */
export interface LinkFilter {
  readonly productId: number;
  /** Links with this record at either end. */
  readonly recordId?: number;
  readonly includeRemoved?: boolean;
}

/** Filters for reading the audit trail. */
export interface AuditFilter {
  readonly afterSeq?: number;
  /** Only events up to and including this sequence number (an export stops at the head it verified). */
  readonly throughSeq?: number;
  readonly limit: number;
  readonly entityId?: string;
  /** Only events of any of these entities (a record and its links); an empty list matches nothing. */
  readonly entityIds?: readonly string[];
  readonly productKey?: string;
  /** Only events by this username. */
  readonly actor?: string;
  /** Only events of these kinds (any of them); an empty list matches nothing. */
  readonly actions?: readonly string[];
  /** Only events at or after this time (ISO 8601 UTC with milliseconds, as stored). */
  readonly from?: string;
  /** Only events before this time (exclusive; same form). */
  readonly to?: string;
  /** Newest event first (the newest `limit` events); oldest first by default. */
  readonly newestFirst?: boolean;
}

/** A revision with the IDs needed to recompute its hash. */
export interface RevisionWithKey extends Revision {
  readonly productKey: string;
  readonly type: string;
  readonly number: number;
  /** The fields exactly as stored (canonical JSON text), when the store has them; verification hashes these. */
  readonly fieldsJson?: string;
}

/**
 * One audit event reduced to what chain verification needs. `input` must be exactly `auditHashInput(event)`,
 * built from the stored columns (the storage adapter builds it in SQL).
 */
export interface AuditDigestRow {
  readonly seq: number;
  readonly prevHash: string;
  readonly hash: string;
  readonly input: string;
  /** For RECORD_CREATED / RECORD_REVISED events: the revision and hash the event recorded. */
  readonly recorded: { readonly entityId: string; readonly revision: number; readonly hash: string } | null;
}

/** An audit event without what only the chain check needs (old value, hashes): what the current-state replay reads. */
export type StateEvent = Pick<AuditEvent, 'seq' | 'occurredAt' | 'actor' | 'action' | 'entityId' | 'productKey' | 'newValue' | 'reason'>;

/** A record as the trace engine needs it: identity, state, and the typed fields of its latest revision. */
export interface TraceRecordRow {
  readonly id: number;
  readonly type: string;
  readonly number: number;
  readonly status: RecordStatus;
  readonly latestRevision: number;
  /** When the latest revision was written (ISO UTC). */
  readonly revisedAt: string;
  readonly title: string;
  readonly fields: Readonly<Record<string, unknown>>;
  /** Who wrote that revision. */
  readonly revisedBy?: string;
  /** Who moved that revision to approved (null when unknown: approved before approvers were recorded). */
  readonly approvedBy?: string | null;
  /**
   * The revisions after the first whose change reaches linked records, oldest first (see the catalog's
   * `localFields`). Absent: every revision counts (suspect links then follow revision numbers alone).
   */
  readonly changes?: readonly RevisionChange[];
}

/** Next free internal IDs (the store hands them out under the write lock). */
export interface NextIds {
  readonly product: number;
  readonly record: number;
  readonly link: number;
  readonly evidenceImport: number;
  readonly evidenceItem: number;
  readonly release: number;
}

/** Which evidence items to read. */
export interface EvidenceItemFilter {
  readonly productId: number;
  readonly importIds?: readonly number[];
  readonly itemIds?: readonly number[];
  readonly kind?: EvidenceItemKind;
}

/** One evidence item reduced to what digest verification needs. */
export interface EvidenceDigestRow {
  readonly id: number;
  readonly importId: number;
  /** Exactly `evidenceDigestText(item, storedDataText)`. */
  readonly text: string;
}

/** What the database engine's own check of its storage found (below what the hash chain covers). */
export interface DatabaseCheck {
  /** What was checked, in words, e.g. `SQLite integrity_check (…)`. */
  readonly checked: string;
  /** What could not be checked and why (e.g. PostgreSQL without amcheck); null when nothing was left out. */
  readonly notChecked: string | null;
  /** Damage found, one line each (the first few). */
  readonly problems: readonly string[];
}

/** Products: the pieces of medical device software a store holds. */
export interface ProductsReader {
  listProducts(): Promise<Product[]>;
  findProduct(key: string): Promise<Product | undefined>;
}

/** Writes to products. */
export interface ProductsWriter {
  insertProducts(products: readonly Product[]): Promise<void>;
  /** Changes a product's name, intended use or safety class (its key and creation never change). */
  updateProduct(id: number, patch: Pick<Product, 'name' | 'intendedUse' | 'safetyClass'>): Promise<void>;
}

/** Records: their mutable heads and immutable revisions. */
export interface RecordsReader {
  findRecord(productId: number, type: string, number: number): Promise<RecordHead | undefined>;
  /** Records by (type, number), for resolving many references at once. */
  findRecords(productId: number, refs: readonly { type: string; number: number }[]): Promise<RecordHead[]>;
  /**
   * Highest number used so far per record type of a product (numbers are never reused).
   * @param types - only these types (an indexed lookup each); all the product's types when omitted
   */
  maxRecordNumbers(productId: number, types?: readonly string[]): Promise<Map<string, number>>;
  /** A product's records with their latest titles, filtered and paged as `filter` says (see RecordFilter). */
  listRecords(filter: RecordFilter): Promise<RecordSummary[]>;
  /** How many records match `filter` (its `limit` and `offset` ignored), per record type; types without any are left out. */
  countRecordsByType(filter: RecordFilter): Promise<Map<string, number>>;
  findRevision(recordId: number, revision: number): Promise<Revision | undefined>;
  listRevisions(recordId: number): Promise<Revision[]>;
  /** Pages through every record head of the store, in ID order, for export and verification. */
  pageRecords(afterId: number, limit: number): Promise<RecordHead[]>;
  /** Pages through every revision of the store, in (record, revision) order, for export and verification. */
  pageRevisions(after: { recordId: number; revision: number }, limit: number): Promise<RevisionWithKey[]>;
  /**
   * Every revision of a product's records that have more than one, ordered by record and revision: what suspect-link
   * detection compares to tell which changes reach linked records.
   */
  listRevisionContents(productId: number): Promise<RevisionContent[]>;
  /**
   * Every record of a product with the whole content of one revision, ordered by type and number: the latest
   * revision, or with `releaseId` the revision (and status) frozen in that release. What exports and generated
   * documents read in one query.
   */
  listRecordContents(productId: number, releaseId?: number): Promise<RecordContentRow[]>;
  /** Every record of a product with its status and its latest revision's number and hash, for freezing a baseline. */
  listRecordStates(productId: number): Promise<{ recordId: number; revision: number; status: string; hash: string }[]>;
}

/** A record with one revision's full content (see `listRecordContents`). */
export interface RecordContentRow {
  readonly id: number;
  readonly type: string;
  readonly number: number;
  readonly status: RecordStatus;
  readonly revision: number;
  readonly title: string;
  readonly body: string;
  readonly fields: Readonly<Record<string, unknown>>;
  readonly hash: string;
  /** When and by whom that revision was written. */
  readonly revisedAt: string;
  readonly revisedBy: string;
  readonly createdAt: string;
  readonly createdBy: string;
}

/** Patch of a record head; everything else about a record is immutable. */
export interface RecordHeadPatch {
  readonly status?: RecordStatus;
  readonly latestRevision?: number;
  readonly approvedRevision?: number | null;
  readonly approvedBy?: string | null;
  readonly updatedAt: string;
  readonly updatedBy: string;
}

/** Writes to records. */
export interface RecordsWriter {
  insertRecords(records: readonly RecordHead[]): Promise<void>;
  insertRevisions(revisions: readonly Revision[]): Promise<void>;
  updateRecordHead(id: number, patch: RecordHeadPatch): Promise<void>;
}

/** Links between records. */
export interface LinksReader {
  listLinks(filter: LinkFilter): Promise<LinkView[]>;
  findLink(productId: number, id: number): Promise<LinkView | undefined>;
  /** Type and ends of the active (not removed) links leaving any of these records. */
  listActiveLinkEnds(fromIds: readonly number[]): Promise<Pick<Link, 'type' | 'fromId' | 'toId'>[]>;
  /** Pages through every link of the store, in ID order, for export and verification. */
  pageLinks(afterId: number, limit: number): Promise<Link[]>;
}

/** Writes to links (never deleted: removal is marked). */
export interface LinksWriter {
  insertLinks(links: readonly Link[]): Promise<void>;
  markLinkRemoved(id: number, removedAt: string, removedBy: string, reason: string | null): Promise<void>;
  /** Records that a link was reviewed against the current revisions of both ends. */
  confirmLink(id: number, fromRevision: number, toRevision: number, at: string, by: string): Promise<void>;
}

/** The audit trail: reading it, checking its chain, replaying it. */
export interface AuditReader {
  auditHead(): Promise<ChainHead | undefined>;
  listAudit(filter: AuditFilter): Promise<AuditEvent[]>;
  /** How many events match the filter (its limit and order aside). */
  countAudit(filter: Omit<AuditFilter, 'limit' | 'newestFirst'>): Promise<number>;
  /**
   * Checks the audit chain through event `throughSeq` in ranges (`ChainRangeChecker`), on worker threads where the
   * store can (other connections can open it, the chain is long enough), and returns the ranges' results in sequence
   * order. Events are immutable (the database refuses UPDATE and DELETE), so other connections read the same events.
   * @param anchors - points the chain must still hold
   */
  checkAuditChain(throughSeq: number, anchors: readonly AuditAnchor[]): Promise<ChainRangeResult[]>;
  /**
   * Events after `afterSeq`, in order, with only what the current-state replay reads: no old value, no hashes, and
   * the new value only for these actions (null for the others).
   */
  scanStateEvents(afterSeq: number, limit: number, actions: readonly string[]): Promise<StateEvent[]>;
}

/** Appends to the audit trail (the database refuses UPDATE and DELETE on it). */
export interface AuditWriter {
  appendAuditEvents(events: readonly AuditEvent[]): Promise<void>;
}

/** Evidence: imports (test runs, SBOMs, …) and their items. */
export interface EvidenceReader {
  findEvidenceImport(productId: number, kind: EvidenceKind, contentHash: string): Promise<EvidenceImport | undefined>;
  /** One import of a product by its ID. */
  findEvidenceImportById(productId: number, id: number): Promise<EvidenceImport | undefined>;
  /** Imports of one product (or of all, for export), oldest first. */
  listEvidenceImports(productId?: number, kind?: EvidenceKind): Promise<EvidenceImport[]>;
  /** Items with their record references, in ID order. */
  listEvidenceItems(filter: EvidenceItemFilter): Promise<EvidenceItem[]>;
  /**
   * Per record a product's test results name: the results of the newest run that ran a test of it (no skipped
   * results, no void runs), with just what `testVerdicts` needs (no data, only the refs to records so decided):
   * how `check` and the risk file judge controls without reading every result.
   */
  listNewestTestResults(productId: number): Promise<ResultItem[]>;
  /**
   * Pages through every evidence item of the store, in ID order, as the text its import's digest covers
   * (`evidenceDigestText` over the stored data text): for verification, without building item objects.
   */
  scanEvidenceDigests(afterId: number, limit: number): Promise<EvidenceDigestRow[]>;
  /** Pages through every evidence item of the store, for export. */
  pageEvidenceItems(afterId: number, limit: number): Promise<EvidenceItem[]>;
}

/** Writes to evidence. */
export interface EvidenceWriter {
  insertEvidenceImports(imports: readonly EvidenceImport[]): Promise<void>;
  /** Sets a test run's version (relabel); the caller writes the EVIDENCE_RELABELLED event. */
  setEvidenceImportVersion(id: number, version: string): Promise<void>;
  /** Marks an import void, once; the caller writes the EVIDENCE_VOIDED event. */
  markEvidenceImportVoid(id: number, at: string, by: string, reason: string): Promise<void>;
  /** Inserts items and their record references. */
  insertEvidenceItems(items: readonly EvidenceItem[]): Promise<void>;
}

/** Releases: baselines of a product's records, links and evidence. */
export interface ReleasesReader {
  /** Releases of one product (or of all, for export), oldest first. */
  listReleases(productId?: number): Promise<Release[]>;
  /** The newest baseline of a version. */
  findRelease(productId: number, version: string): Promise<Release | undefined>;
  listReleaseRecords(releaseId: number): Promise<ReleaseRecord[]>;
  listReleaseLinks(releaseId: number): Promise<ReleaseLink[]>;
  /** The evidence of one release (or of all, for export). */
  listReleaseEvidence(releaseId?: number): Promise<ReleaseEvidence[]>;
}

/** Writes to releases. */
export interface ReleasesWriter {
  insertReleases(releases: readonly Release[]): Promise<void>;
  insertReleaseRecords(rows: readonly ReleaseRecord[]): Promise<void>;
  insertReleaseLinks(rows: readonly ReleaseLink[]): Promise<void>;
  insertReleaseEvidence(rows: readonly ReleaseEvidence[]): Promise<void>;
  markReleased(releaseId: number, at: string, by: string): Promise<void>;
  /** Marks a baseline void (made by mistake); it is kept, never deleted. */
  voidRelease(releaseId: number, at: string, by: string, reason: string): Promise<void>;
}

/** Rules: a product's rule settings and the rule packs it added. */
export interface RulesReader {
  /** Rule settings and added packs, of one product or (without an ID) of all, for checks and export. */
  listRuleSettings(productId?: number): Promise<RuleSetting[]>;
  listProductRulePacks(productId?: number): Promise<ProductRulePack[]>;
}

/** Writes to rules. */
export interface RulesWriter {
  /** Inserts or replaces a product's setting for one rule. */
  putRuleSetting(setting: RuleSetting): Promise<void>;
  insertProductRulePacks(packs: readonly ProductRulePack[]): Promise<void>;
  insertRuleSettings(settings: readonly RuleSetting[]): Promise<void>;
}

/** What the trace graph is built from: records with their latest (or frozen) revision, and active links. */
export interface TraceReader {
  /** Every record of a product (or of one type) with its latest title and fields, for the trace graph. */
  loadTraceRecords(productId: number, type?: string): Promise<TraceRecordRow[]>;
  /**
   * The same records column by column, read row by row (no object per record; fields stay JSON text until read):
   * what the trace graph is built from. `types`: only records of these types.
   */
  loadTraceRecordColumns(productId: number, types?: readonly string[]): Promise<TraceRecordColumns>;
  /** Every active link of a product, column by column, for the trace graph. */
  loadTraceLinks(productId: number): Promise<TraceLinkColumns>;
  /** A release's records at their frozen revisions and statuses, as the trace graph needs them. */
  loadReleaseTraceRecords(releaseId: number): Promise<TraceRecordRow[]>;
  /** The same, column by column (see `loadTraceRecordColumns`). */
  loadReleaseTraceRecordColumns(releaseId: number): Promise<TraceRecordColumns>;
}

/** What concerns the whole store rather than one aggregate. */
export interface StoreWideReader {
  nextIds(): Promise<NextIds>;
  /** The next free internal ID of one kind (one indexed lookup, where `nextIds` looks up every kind). */
  nextFreeId(kind: keyof NextIds): Promise<number>;
  /** True when the store holds no product and no audit event. */
  isEmpty(): Promise<boolean>;
  /** The database engine's own integrity check of the store's storage (pages, B-trees, indexes). */
  checkDatabase(): Promise<DatabaseCheck>;
}

/**
 * Everything a use-case may read: the readers of every aggregate. A use-case that needs only some of them may take
 * the smaller interfaces. Implementation: `KyselyStore` (`src/storage/kysely-store.ts`), one repository per
 * aggregate under `src/storage/repositories/`.
 */
export interface StoreReader
  extends ProductsReader,
    RecordsReader,
    LinksReader,
    AuditReader,
    EvidenceReader,
    ReleasesReader,
    RulesReader,
    TraceReader,
    StoreWideReader,
    IdentityReader,
    SignaturesReader,
    SsoReader,
    AttachmentsReader,
    DocumentControlReader {}

/** Writes, only inside `Store.write`: one transaction, serialized with every other write. */
export interface StoreWriter
  extends StoreReader,
    ProductsWriter,
    RecordsWriter,
    LinksWriter,
    AuditWriter,
    EvidenceWriter,
    ReleasesWriter,
    RulesWriter,
    IdentityWriter,
    SignaturesWriter,
    SsoWriter,
    AttachmentsWriter,
    DocumentControlWriter {}

/** The storage port. */
export interface Store {
  /** Runs `fn` in a read-only transaction with a consistent snapshot. */
  read<T>(fn: (r: StoreReader) => Promise<T>): Promise<T>;
  /**
   * Runs `fn` in one write transaction, serialized with all other writes so that the audit chain stays linear.
   * If `fn` throws, nothing it wrote is kept.
   */
  write<T>(fn: (w: StoreWriter) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** Server time. */
export interface Clock {
  /** Now, as an ISO 8601 UTC string with milliseconds. */
  now(): string;
}

/** Who acts: a named account (21 CFR 11.10(d)); the CLI uses the OS user or `--actor`. */
export interface Actor {
  readonly id: string;
}

/** What every use-case receives, passed explicitly (no singletons). */
export interface Deps {
  readonly store: Store;
  readonly clock: Clock;
  readonly catalog: Catalog;
  readonly actor: Actor;
}

/** Reports progress of long operations; the CLI draws it on a terminal. */
export type ProgressFn = (done: number, total: number, phase: string) => void;

/** The system clock. */
export const SYSTEM_CLOCK: Clock = { now: () => new Date().toISOString() };
