import { z } from 'zod';
import { auditEventHash, GENESIS_HASH, type AuditEvent, type ChainHead } from './audit.js';
import { qualifiedKey } from './entities.js';
import type { RevisionWithKey } from './ports.js';
import { hashRevision } from './use-cases/add-records.js';

/** One way the stored data differs from what the audit chain proves. */
export interface IntegrityProblem {
  readonly kind:
    | 'sequence_gap'
    | 'chain_broken'
    | 'event_altered'
    | 'revision_altered'
    | 'revision_unrecorded'
    | 'revision_missing';
  /** The audit event concerned, when there is one. */
  readonly seq?: number;
  /** The record revision concerned, e.g. `RPM/SRS-12@3`. */
  readonly item?: string;
  readonly message: string;
}

/** What a verification found. */
export interface IntegrityReport {
  readonly ok: boolean;
  readonly eventsChecked: number;
  readonly revisionsChecked: number;
  readonly head: ChainHead | null;
  readonly firstProblem: IntegrityProblem | null;
  /** Up to `MAX_PROBLEMS` problems, in the order found (chain first, then revisions). */
  readonly problems: readonly IntegrityProblem[];
}

const MAX_PROBLEMS = 100;
const RecordedRevisionSchema = z.object({ revision: z.number().int(), hash: z.string() });

/**
 * Checks the audit chain and the record revisions against it, page by page, so any size fits in memory:
 * 1. events are numbered 1, 2, 3 … without gaps, each names the previous event's hash, and its own hash matches
 *    its content (21 CFR 11.10(a)/(e): a change made outside the application is found);
 * 2. every revision's content hashes to its stored hash, and that hash is the one its audit event recorded
 *    (so content and hash changed together are found too); no revision lacks an event and none is missing.
 */
export class IntegrityVerifier {
  private expectedSeq = 1;
  private prevHash = GENESIS_HASH;
  private events = 0;
  private revisions = 0;
  private last: ChainHead | null = null;
  private readonly found: IntegrityProblem[] = [];
  /** `RPM/SRS-12@3` → the hash the trail recorded for that revision. */
  private readonly recorded = new Map<string, string>();

  /** Feeds the next page of events, in sequence order. */
  checkEvents(page: readonly AuditEvent[]): void {
    for (const e of page) {
      this.events++;
      if (e.seq !== this.expectedSeq) {
        this.problem({
          kind: 'sequence_gap',
          seq: e.seq,
          message: `audit event ${e.seq} follows event ${this.expectedSeq - 1}: events ${this.expectedSeq}…${e.seq - 1} are missing`,
        });
      }
      if (e.prevHash !== this.prevHash) {
        this.problem({
          kind: 'chain_broken',
          seq: e.seq,
          message: `audit event ${e.seq} does not point to the hash of the event before it: the chain is broken there`,
        });
      }
      const { hash, ...rest } = e;
      if (auditEventHash(rest) !== hash) {
        this.problem({
          kind: 'event_altered',
          seq: e.seq,
          message: `audit event ${e.seq} (${e.action} ${e.entityId}) does not match its hash: it was changed after it was written`,
        });
      }
      if ((e.action === 'RECORD_CREATED' || e.action === 'RECORD_REVISED') && e.newValue !== null) {
        const parsed = RecordedRevisionSchema.safeParse(safeJson(e.newValue));
        if (parsed.success) this.recorded.set(`${e.entityId}@${parsed.data.revision}`, parsed.data.hash);
      }
      this.expectedSeq = e.seq + 1;
      this.prevHash = e.hash;
      this.last = { seq: e.seq, hash: e.hash };
    }
  }

  /** Feeds the next page of revisions; call after all events. */
  checkRevisions(page: readonly RevisionWithKey[]): void {
    for (const v of page) {
      this.revisions++;
      const item = `${qualifiedKey(v.productKey, v.type, v.number)}@${v.revision}`;
      const actual = hashRevision(v.productKey, v.type, v.number, v);
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

  /** The result; revisions the trail recorded but the store no longer has are reported here. */
  report(): IntegrityReport {
    for (const item of this.recorded.keys()) {
      this.problem({ kind: 'revision_missing', item, message: `revision ${item} is in the audit trail but missing from the store` });
    }
    this.recorded.clear();
    return {
      ok: this.found.length === 0,
      eventsChecked: this.events,
      revisionsChecked: this.revisions,
      head: this.last,
      firstProblem: this.found[0] ?? null,
      problems: this.found.slice(0, MAX_PROBLEMS),
    };
  }

  private problem(p: IntegrityProblem): void {
    if (this.found.length < MAX_PROBLEMS + 1) this.found.push(p);
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
