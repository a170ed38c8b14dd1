import { grown, NameIndex } from './column-kit.js';
/**
 * A product's active links, column by column: one typed array per field and no object per link, so a million
 * records' three million links load without three million heap objects.
 */
export interface TraceLinkColumns {
  readonly count: number;
  readonly ids: Int32Array;
  /** Distinct link type names; `typeOf[i]` indexes into it. */
  readonly types: readonly string[];
  readonly typeOf: Uint8Array;
  /** Record IDs of the two ends. */
  readonly fromIds: Int32Array;
  readonly toIds: Int32Array;
  /** Revisions of the two ends when the link was made or last confirmed. */
  readonly fromRevisions: Int32Array;
  readonly toRevisions: Int32Array;
  /** When the link was made or last confirmed, in epoch milliseconds. */
  readonly checkedAt: Float64Array;
}

/** Builds `TraceLinkColumns` row by row, growing its arrays as needed (storage adapters feed it). */
export class TraceLinkColumnsBuilder {
  private n = 0;
  private cap: number;
  private ids: Int32Array;
  private typeOf: Uint8Array;
  private fromIds: Int32Array;
  private toIds: Int32Array;
  private fromRevisions: Int32Array;
  private toRevisions: Int32Array;
  private checkedAt: Float64Array;
  private readonly types = new NameIndex('link types');
  private lastCheckedAt = '';
  private lastCheckedMs = Number.NaN;

  constructor(capacity = 1024) {
    this.cap = Math.max(16, capacity);
    this.ids = new Int32Array(this.cap);
    this.typeOf = new Uint8Array(this.cap);
    this.fromIds = new Int32Array(this.cap);
    this.toIds = new Int32Array(this.cap);
    this.fromRevisions = new Int32Array(this.cap);
    this.toRevisions = new Int32Array(this.cap);
    this.checkedAt = new Float64Array(this.cap);
  }

  /** Appends one link; `checkedAt` is an ISO 8601 time. */
  add(id: number, type: string, fromId: number, toId: number, fromRevision: number, toRevision: number, checkedAt: string): void {
    if (this.n === this.cap) this.grow();
    const t = this.types.of(type);
    const i = this.n++;
    this.ids[i] = id;
    this.typeOf[i] = t;
    this.fromIds[i] = fromId;
    this.toIds[i] = toId;
    this.fromRevisions[i] = fromRevision;
    this.toRevisions[i] = toRevision;
    // Links made in one batch share their time: parse a run of equal times once.
    if (checkedAt !== this.lastCheckedAt) {
      this.lastCheckedAt = checkedAt;
      this.lastCheckedMs = Date.parse(checkedAt);
    }
    this.checkedAt[i] = this.lastCheckedMs;
  }

  build(): TraceLinkColumns {
    const n = this.n;
    return {
      count: n,
      ids: this.ids.subarray(0, n),
      types: this.types.names,
      typeOf: this.typeOf.subarray(0, n),
      fromIds: this.fromIds.subarray(0, n),
      toIds: this.toIds.subarray(0, n),
      fromRevisions: this.fromRevisions.subarray(0, n),
      toRevisions: this.toRevisions.subarray(0, n),
      checkedAt: this.checkedAt.subarray(0, n),
    };
  }

  private grow(): void {
    this.cap *= 2;
    this.ids = grown(this.ids, this.cap);
    this.typeOf = grown(this.typeOf, this.cap);
    this.fromIds = grown(this.fromIds, this.cap);
    this.toIds = grown(this.toIds, this.cap);
    this.fromRevisions = grown(this.fromRevisions, this.cap);
    this.toRevisions = grown(this.toRevisions, this.cap);
    this.checkedAt = grown(this.checkedAt, this.cap);
  }
}
