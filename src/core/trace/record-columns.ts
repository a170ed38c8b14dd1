import { grown, NameIndex } from './column-kit.js';
import { RecordStatusSchema, type RecordStatus } from '../catalog/lifecycle.js';
import type { TraceRecordRow } from '../ports.js';

/** The record statuses in a fixed order; `statusOf[i]` indexes into it. */
export const TRACE_STATUSES: readonly RecordStatus[] = RecordStatusSchema.options;

/** A record's fields: the JSON text as stored until first read, then the parsed object. */
export type FieldsCell = string | Readonly<Record<string, unknown>>;

/** Marks an absent `revisedBy` / `approvedBy` (-1) and a null `approvedBy` (-2) in the person columns. */
export const PERSON_ABSENT = -1;
export const PERSON_NULL = -2;

/**
 * A product's records for the trace graph, column by column: numbers in typed arrays, the few distinct type names
 * and people once each, and each record's fields kept as the JSON text the store holds (parsed on first read), so
 * a million records load without a million parsed objects.
 */
export interface TraceRecordColumns {
  readonly count: number;
  readonly ids: Int32Array;
  /** Distinct record type names; `typeOf[i]` indexes into it. */
  readonly types: readonly string[];
  readonly typeOf: Uint8Array;
  readonly numbers: Int32Array;
  /** Index into `TRACE_STATUSES`. */
  readonly statusOf: Uint8Array;
  readonly revisions: Int32Array;
  /** When the revision read was written (ISO UTC). */
  readonly revisedAt: readonly string[];
  readonly titles: readonly string[];
  /** Each record's fields: JSON text or an already parsed object. */
  readonly fields: readonly FieldsCell[];
  /** Distinct people; `revisedBy[i]` and `approvedBy[i]` index into it (or are PERSON_ABSENT / PERSON_NULL). */
  readonly people: readonly string[];
  readonly revisedBy: Int32Array;
  readonly approvedBy: Int32Array;
}

const STATUS_INDEX = new Map<string, number>(TRACE_STATUSES.map((s, i) => [s, i]));

/** Builds `TraceRecordColumns` row by row, growing its arrays as needed (storage adapters feed it). */
export class TraceRecordColumnsBuilder {
  private n = 0;
  private cap: number;
  private ids: Int32Array;
  private typeOf: Uint8Array;
  private numbers: Int32Array;
  private statusOf: Uint8Array;
  private revisions: Int32Array;
  private revisedBy: Int32Array;
  private approvedBy: Int32Array;
  private readonly revisedAt: string[] = [];
  private readonly titles: string[] = [];
  private readonly fields: FieldsCell[] = [];
  private readonly types = new NameIndex('record types');
  private readonly people: string[] = [];
  private readonly personIndex = new Map<string, number>();
  private lastRevisedAt = '';

  constructor(capacity = 1024) {
    this.cap = Math.max(16, capacity);
    this.ids = new Int32Array(this.cap);
    this.typeOf = new Uint8Array(this.cap);
    this.numbers = new Int32Array(this.cap);
    this.statusOf = new Uint8Array(this.cap);
    this.revisions = new Int32Array(this.cap);
    this.revisedBy = new Int32Array(this.cap);
    this.approvedBy = new Int32Array(this.cap);
  }

  /** Appends the records of a list of row objects (hand-made graphs, callers that already hold rows). */
  static fromRows(rows: readonly TraceRecordRow[]): TraceRecordColumns {
    const b = new TraceRecordColumnsBuilder(rows.length);
    for (const r of rows) b.add(r.id, r.type, r.number, r.status, r.latestRevision, r.revisedAt, r.title, r.fields, r.revisedBy, r.approvedBy);
    return b.build();
  }

  /**
   * Appends one record.
   * @param fields - the fields as stored (JSON text, parsed when first read) or already parsed
   * @param revisedBy - undefined when not known
   * @param approvedBy - null when approved before approvers were recorded, undefined when not known
   */
  add(
    id: number,
    type: string,
    number: number,
    status: RecordStatus,
    revision: number,
    revisedAt: string,
    title: string,
    fields: FieldsCell,
    revisedBy: string | undefined,
    approvedBy: string | null | undefined,
  ): void {
    if (this.n === this.cap) this.grow();
    const t = this.types.of(type);
    const i = this.n++;
    this.ids[i] = id;
    this.typeOf[i] = t;
    this.numbers[i] = number;
    this.statusOf[i] = STATUS_INDEX.get(status) ?? 0;
    this.revisions[i] = revision;
    this.revisedBy[i] = revisedBy === undefined ? PERSON_ABSENT : this.person(revisedBy);
    this.approvedBy[i] = approvedBy === undefined ? PERSON_ABSENT : approvedBy === null ? PERSON_NULL : this.person(approvedBy);
    // Records written in one batch share their time: keep one string for a run of equal times.
    if (revisedAt !== this.lastRevisedAt) this.lastRevisedAt = revisedAt;
    this.revisedAt.push(this.lastRevisedAt);
    this.titles.push(title);
    this.fields.push(fields);
  }

  build(): TraceRecordColumns {
    const n = this.n;
    return {
      count: n,
      ids: this.ids.subarray(0, n),
      types: this.types.names,
      typeOf: this.typeOf.subarray(0, n),
      numbers: this.numbers.subarray(0, n),
      statusOf: this.statusOf.subarray(0, n),
      revisions: this.revisions.subarray(0, n),
      revisedAt: this.revisedAt,
      titles: this.titles,
      fields: this.fields,
      people: this.people,
      revisedBy: this.revisedBy.subarray(0, n),
      approvedBy: this.approvedBy.subarray(0, n),
    };
  }

  private person(name: string): number {
    let p = this.personIndex.get(name);
    if (p === undefined) {
      p = this.people.length;
      this.people.push(name);
      this.personIndex.set(name, p);
    }
    return p;
  }

  private grow(): void {
    this.cap *= 2;
    this.ids = grown(this.ids, this.cap);
    this.typeOf = grown(this.typeOf, this.cap);
    this.numbers = grown(this.numbers, this.cap);
    this.statusOf = grown(this.statusOf, this.cap);
    this.revisions = grown(this.revisions, this.cap);
    this.revisedBy = grown(this.revisedBy, this.cap);
    this.approvedBy = grown(this.approvedBy, this.cap);
  }
}
