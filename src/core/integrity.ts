import type { AuditAnchor } from './audit-anchor.js';
import { auditHashInput, REVISION_EVENT_ACTIONS, GENESIS_HASH, type AuditEvent, type ChainHead } from './audit.js';
import { qualifiedKey } from './entities.js';
import { sha256Hex } from './hashing.js';
import type { AuditDigestRow, DatabaseCheck, RevisionWithKey } from './ports.js';
import { hashRevision } from './revision-hash.js';

/** One way the stored data differs from what the audit chain proves. */
export interface IntegrityProblem {
  readonly kind:
    | 'sequence_gap'
    | 'chain_broken'
    | 'event_altered'
    | 'revision_altered'
    | 'revision_unrecorded'
    | 'revision_missing'
    | 'evidence_altered'
    | 'evidence_unrecorded'
    // The current state (record heads, links, products, rule settings and packs, releases) against the trail:
    | 'state_altered'
    | 'state_unrecorded'
    | 'state_missing'
    | 'state_unprovable'
    | 'baseline_altered'
    /** A signature no longer matches what was signed: the revision's hash, or its release manifest (21 CFR 11.70). */
    | 'signature_mismatch'
    /** An attachment's stored bytes no longer hash to the SHA-256 it was attached under, or are missing. */
    | 'attachment_altered'
    /** An anchor (kept outside the database, or recorded by a release) names an event whose hash is now different. */
    | 'anchor_mismatch'
    /** An anchor names an event the chain no longer reaches: events were removed from its end. */
    | 'anchor_missing'
    /** The database engine found damaged storage (pages, B-trees, indexes), or a read failed on it. */
    | 'database_damaged';
  /** The audit event concerned, when there is one. */
  readonly seq?: number;
  /** The revision or row concerned, e.g. `RPM/SRS-12@3`, `RPM/SRS-12`, `RPM/link/4`. */
  readonly item?: string;
  readonly message: string;
}

/** What a verification found. */
export interface IntegrityReport {
  readonly ok: boolean;
  readonly eventsChecked: number;
  readonly revisionsChecked: number;
  /** Evidence imports whose items were checked against their digest and audit event. */
  readonly evidenceChecked: number;
  /** Rows of current state compared with the state the audit trail proves (see `core/state`). */
  readonly stateRowsChecked: number;
  /** Release baselines whose hash was recomputed from their frozen rows. */
  readonly baselinesChecked: number;
  /** Anchors checked: those given by the caller and the audit head each release recorded. */
  readonly anchorsChecked: number;
  /** What the database engine's own check covered and found; null when it did not run. */
  readonly database: DatabaseCheck | null;
  readonly head: ChainHead | null;
  readonly firstProblem: IntegrityProblem | null;
  /** Up to `MAX_PROBLEMS` problems, in the order found (chain first, then revisions). */
  readonly problems: readonly IntegrityProblem[];
}

const MAX_PROBLEMS = 100;
const REVISION_ACTIONS = new Set<string>(REVISION_EVENT_ACTIONS);

/** The revision number and hash a revision event's new value recorded, or null when it is not what the app writes. */
export function recordedRevision(entityId: string, newValue: string): AuditDigestRow['recorded'] {
  const v = safeJson(newValue);
  if (typeof v !== 'object' || v === null) return null;
  const { revision, hash } = v as { revision?: unknown; hash?: unknown };
  return typeof revision === 'number' && typeof hash === 'string' ? { entityId, revision, hash } : null;
}

/** A full event as a digest row (for verifying events held in memory, e.g. an import file). */
export function toDigestRow(e: AuditEvent): AuditDigestRow {
  const recorded = REVISION_ACTIONS.has(e.action) && e.newValue !== null ? recordedRevision(e.entityId, e.newValue) : null;
  return { seq: e.seq, prevHash: e.prevHash, hash: e.hash, input: auditHashInput(e), recorded };
}

/** `audit event 12 (RECORD_CREATED RPM/TC-1)`, or without the part in brackets when the event is not at hand. */
export function eventLabel(seq: number, e?: Pick<AuditEvent, 'action' | 'entityId'>): string {
  return e === undefined ? `audit event ${seq}` : `audit event ${seq} (${e.action} ${e.entityId})`;
}

/** The message for an altered event or a broken link, given how to name the event. */
export function eventProblemMessage(kind: 'event_altered' | 'chain_broken', label: string): string {
  return kind === 'event_altered'
    ? `${label} does not match its hash: it was changed after it was written`
    : `${label} does not point to the hash of the event before it: the chain is broken there`;
}

/**
 * Checks the audit chain and the record revisions against it, page by page, so any size fits in memory:
 * 1. events are numbered 1, 2, 3 … without gaps, each names the previous event's hash, and its own hash matches
 *    its content (21 CFR 11.10(a)/(e): a change made outside the application is found);
 * 2. every revision's content hashes to its stored hash, and that hash is the one its audit event recorded
 *    (so content and hash changed together are found too); no revision lacks an event and none is missing.
 */
export class IntegrityVerifier {
  private readonly chain: ChainCursor = { expectedSeq: 1, prevHash: GENESIS_HASH };
  private readonly onProblem = (p: IntegrityProblem): void => this.problem(p);
  private events = 0;
  private revisions = 0;
  private evidence = 0;
  private last: ChainHead | null = null;
  private readonly found: IntegrityProblem[] = [];
  /** Anchors not yet met in the walk, by the sequence number they name. */
  private readonly pendingAnchors = new Map<number, AuditAnchor[]>();
  private readonly anchors: AuditAnchor[] = [];
  /** `RPM/SRS-12@3` → the hash the trail recorded for that revision. */
  private readonly recorded = new Map<string, string>();

  /**
   * Points the chain must still hold (same sequence number, same hash); call before the events. Catches a chain
   * cut back from its end, or rewritten and re-hashed from some event on, below the anchor.
   */
  expectAnchors(anchors: readonly AuditAnchor[]): void {
    for (const a of anchors) {
      this.anchors.push(a);
      const list = this.pendingAnchors.get(a.seq);
      if (list === undefined) this.pendingAnchors.set(a.seq, [a]);
      else list.push(a);
    }
  }

  /** Feeds the next page of full events, in sequence order. */
  checkEvents(page: readonly AuditEvent[]): void {
    this.checkDigests(page.map(toDigestRow));
  }

  /** Feeds the next page of digest rows, in sequence order. */
  checkDigests(page: readonly AuditDigestRow[]): void {
    for (const e of page) {
      this.events++;
      checkChainRow(this.chain, e.seq, e.prevHash, e.hash, e.input, this.pendingAnchors, this.onProblem);
      if (e.recorded !== null) this.noteRecorded(e.recorded);
      this.last = { seq: e.seq, hash: e.hash };
    }
  }

  /**
   * Feeds the result of one range of the chain checked on its own (`ChainRangeChecker`), ranges in sequence
   * order; the same as feeding the range's events to `checkDigests`, but for the revisions they recorded, which
   * come through `noteRecorded`. Checks the range's first event against the end of the range before.
   */
  addChainRange(range: ChainRangeResult): void {
    if (range.first === null || range.last === null) return;
    this.events += range.events;
    checkChainLink(this.chain, range.first.seq, range.first.prevHash, this.onProblem);
    for (const p of range.problems) this.problem(p);
    for (const seq of range.anchorsMet) this.pendingAnchors.delete(seq);
    this.chain.expectedSeq = range.last.seq + 1;
    this.chain.prevHash = range.last.hash;
    this.last = range.last;
  }

  /** The revision a RECORD_CREATED / RECORD_REVISED event recorded, in sequence order (see `recordedRevision`). */
  noteRecorded(recorded: NonNullable<AuditDigestRow['recorded']>): void {
    this.recorded.set(`${recorded.entityId}@${recorded.revision}`, recorded.hash);
  }

  /** Feeds the next page of revisions; call after all events. */
  checkRevisions(page: readonly RevisionWithKey[]): void {
    for (const v of page) {
      this.revisions++;
      const item = `${qualifiedKey(v.productKey, v.type, v.number)}@${v.revision}`;
      const actual = hashRevision(v.productKey, v.type, v.number, v, v.fieldsJson);
      const recorded = this.recorded.get(item);
      this.recorded.delete(item);
      if (actual !== v.hash) {
        this.problem({
          kind: 'revision_altered',
          item,
          message: `revision ${item} does not match its stored hash: its content was changed after it was written`,
        });
      } else if (recorded === undefined) {
        this.problem({
          kind: 'revision_unrecorded',
          item,
          message: `revision ${item} has no audit event: it was written outside the application`,
        });
      } else if (recorded !== v.hash) {
        this.problem({
          kind: 'revision_altered',
          item,
          message: `revision ${item} differs from the revision its audit event recorded: content and hash were changed together`,
        });
      }
    }
  }

  /**
   * Checks one evidence import: its items must hash to the digest on its row, and that digest must be the one its
   * EVIDENCE_IMPORTED event recorded (items are rows outside the chain; the digest ties them to it).
   * @param recorded - the digest and count the audit event recorded, or undefined when there is no event
   * @param actual - the digest and count of the items as stored now
   */
  checkEvidence(
    imp: { readonly id: number; readonly label: string; readonly itemsDigest: string; readonly itemCount: number },
    recorded: { readonly itemsDigest: string; readonly itemCount: number } | undefined,
    actual: { readonly hex: string; readonly count: number },
  ): void {
    this.evidence++;
    const item = imp.label;
    if (recorded === undefined) {
      this.problem({ kind: 'evidence_unrecorded', item, message: `${item} has no audit event: it was written outside the application` });
    } else if (actual.hex !== imp.itemsDigest || actual.count !== imp.itemCount) {
      this.problem({ kind: 'evidence_altered', item, message: `${item} does not match its digest: its items were changed, added or removed after the import` });
    } else if (recorded.itemsDigest !== imp.itemsDigest || recorded.itemCount !== imp.itemCount) {
      this.problem({ kind: 'evidence_altered', item, message: `${item} differs from what its audit event recorded: items and digest were changed together` });
    }
  }

  /** The result; revisions the trail recorded but the store no longer has are reported here. */
  report(): IntegrityReport {
    for (const item of this.recorded.keys()) {
      this.problem({ kind: 'revision_missing', item, message: `revision ${item} is in the audit trail but missing from the store` });
    }
    this.recorded.clear();
    const end = this.last?.seq ?? 0;
    // Release signatures recorded the head they were made at: of those the trail no longer reaches, the last one
    // signed says the most (the others were signed below it).
    const cutBelow = (a: AuditAnchor): boolean => a.signed === true && (this.pendingAnchors.has(a.seq) ? end < a.seq : end <= a.seq);
    let lastSigned: AuditAnchor | undefined;
    for (const a of this.anchors) {
      if (!cutBelow(a)) continue;
      if (lastSigned === undefined || a.seq > lastSigned.seq) lastSigned = a;
    }
    if (lastSigned !== undefined) {
      this.problem({
        kind: 'anchor_missing',
        seq: lastSigned.seq,
        message:
          `the audit trail ends at event ${end} but ${lastSigned.label} was signed with the trail at event ` +
          `${lastSigned.seq} and recorded after it: events were removed`,
      });
    }
    for (const a of this.anchors) {
      if (cutBelow(a)) continue;
      const what = a.followed === true ? `was made after event ${a.seq}` : `names event ${a.seq}`;
      if (this.pendingAnchors.has(a.seq) && end >= a.seq) {
        this.problem({ kind: 'anchor_missing', seq: a.seq, message: `${a.label} ${what}, which the trail no longer holds` });
      } else if (this.pendingAnchors.has(a.seq) || (a.followed === true && end <= a.seq)) {
        this.problem({
          kind: 'anchor_missing',
          seq: a.seq,
          message: `${a.label} ${what}, but the trail ends at event ${end}: events were removed from its end`,
        });
      }
    }
    this.pendingAnchors.clear();
    return {
      ok: this.found.length === 0,
      eventsChecked: this.events,
      revisionsChecked: this.revisions,
      evidenceChecked: this.evidence,
      stateRowsChecked: 0,
      baselinesChecked: 0,
      anchorsChecked: this.anchors.length,
      database: null,
      head: this.last,
      firstProblem: this.found[0] ?? null,
      problems: this.found.slice(0, MAX_PROBLEMS),
    };
  }

  private problem(p: IntegrityProblem): void {
    if (this.found.length < MAX_PROBLEMS + 1) this.found.push(p);
  }
}

/** Where a walk of the chain stands: the number and the previous hash the next event must have. */
interface ChainCursor {
  expectedSeq: number;
  prevHash: string;
}

/** Checks that an event follows the cursor: the next number, and the hash of the event before. */
function checkChainLink(cursor: ChainCursor, seq: number, prevHash: string, problem: (p: IntegrityProblem) => void): void {
  if (seq !== cursor.expectedSeq) {
    problem({
      kind: 'sequence_gap',
      seq,
      message: `audit event ${seq} follows event ${cursor.expectedSeq - 1}: events ${cursor.expectedSeq}…${seq - 1} are missing`,
    });
  }
  if (prevHash !== cursor.prevHash) {
    problem({ kind: 'chain_broken', seq, message: eventProblemMessage('chain_broken', eventLabel(seq)) });
  }
}

/**
 * Checks one event of the chain and moves the cursor past it: its link to the event before, its hash against
 * its content, and the anchors that name it (each met anchor is removed from `pendingAnchors`).
 */
function checkChainRow(
  cursor: ChainCursor,
  seq: number,
  prevHash: string,
  hash: string,
  input: string,
  pendingAnchors: Map<number, AuditAnchor[]>,
  problem: (p: IntegrityProblem) => void,
): void {
  checkChainLink(cursor, seq, prevHash, problem);
  if (sha256Hex(input) !== hash) {
    problem({ kind: 'event_altered', seq, message: eventProblemMessage('event_altered', eventLabel(seq)) });
  }
  const anchored = pendingAnchors.get(seq);
  if (anchored !== undefined) {
    pendingAnchors.delete(seq);
    for (const a of anchored) {
      if (a.hash !== hash) {
        problem({
          kind: 'anchor_mismatch',
          seq,
          message: `audit event ${seq} does not have the hash recorded by ${a.label}: the trail was rewritten at or before event ${seq}`,
        });
      }
    }
  }
  cursor.expectedSeq = seq + 1;
  cursor.prevHash = hash;
}

/** What one range of the audit chain showed when checked on its own (see `ChainRangeChecker`). Plain data. */
export interface ChainRangeResult {
  /** The range's first event: its number and the hash it names as the one before; null for an empty range. */
  readonly first: { readonly seq: number; readonly prevHash: string } | null;
  readonly last: ChainHead | null;
  readonly events: number;
  /**
   * Problems inside the range in the order found (at most one more than a report keeps); whether the first event
   * follows the range before is left to `IntegrityVerifier.addChainRange`.
   */
  readonly problems: readonly IntegrityProblem[];
  /** Sequence numbers of the anchors met in the range. */
  readonly anchorsMet: readonly number[];
}

/**
 * Checks one range of the audit chain without the events before it, so ranges can be checked apart (in parallel)
 * and joined in order by `IntegrityVerifier.addChainRange`: events are immutable, so the ranges must agree at their
 * boundaries (the first event of a range names the hash of the last event of the range before). Finds, inside the
 * range, exactly what `IntegrityVerifier.checkDigests` finds there, in the same order.
 */
export class ChainRangeChecker {
  private cursor: ChainCursor | null = null;
  private first: ChainRangeResult['first'] = null;
  private last: ChainHead | null = null;
  private events = 0;
  private readonly found: IntegrityProblem[] = [];
  private readonly pendingAnchors = new Map<number, AuditAnchor[]>();
  private readonly onProblem = (p: IntegrityProblem): void => {
    if (this.found.length <= MAX_PROBLEMS) this.found.push(p);
  };

  /** @param anchors - the anchors that name events of this range (others are never met here) */
  constructor(private readonly anchors: readonly AuditAnchor[] = []) {
    for (const a of anchors) {
      const list = this.pendingAnchors.get(a.seq);
      if (list === undefined) this.pendingAnchors.set(a.seq, [a]);
      else list.push(a);
    }
  }

  /** Feeds the range's next event, in sequence order; `input` is exactly `auditHashInput` of the stored event. */
  check(seq: number, prevHash: string, hash: string, input: string): void {
    if (this.cursor === null) {
      this.first = { seq, prevHash };
      this.cursor = { expectedSeq: seq, prevHash };
    }
    this.events++;
    checkChainRow(this.cursor, seq, prevHash, hash, input, this.pendingAnchors, this.onProblem);
    this.last = { seq, hash };
  }

  /** What the range showed. */
  result(): ChainRangeResult {
    const anchorsMet = [...new Set(this.anchors.map((a) => a.seq))].filter((seq) => !this.pendingAnchors.has(seq));
    return { first: this.first, last: this.last, events: this.events, problems: this.found, anchorsMet };
  }
}

/**
 * Adds the database engine's check to a report: damage it found comes first (it can explain every later problem).
 * @param stopped - why the walk could not finish (a read failed on damaged storage), when it did not
 */
export function withDatabaseCheck(report: IntegrityReport, check: DatabaseCheck, stopped?: string): IntegrityReport {
  const damage: IntegrityProblem[] = check.problems.map((p) => ({ kind: 'database_damaged', message: `the database is damaged: ${p}` }));
  if (stopped !== undefined) damage.push({ kind: 'database_damaged', message: `verification stopped: ${stopped}` });
  const problems = [...damage, ...report.problems].slice(0, MAX_PROBLEMS);
  return { ...report, ok: report.ok && damage.length === 0, database: check, problems, firstProblem: problems[0] ?? null };
}

/**
 * Re-words event problems with the events' action and entity, for people.
 * @param events - the events named by the problems, by sequence number
 */
export function labelProblems(report: IntegrityReport, events: ReadonlyMap<number, AuditEvent>): IntegrityReport {
  const relabel = (p: IntegrityProblem): IntegrityProblem => {
    if (p.seq === undefined || (p.kind !== 'event_altered' && p.kind !== 'chain_broken')) return p;
    return { ...p, message: eventProblemMessage(p.kind, eventLabel(p.seq, events.get(p.seq))) };
  };
  const problems = report.problems.map(relabel);
  return { ...report, problems, firstProblem: problems[0] ?? null };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
