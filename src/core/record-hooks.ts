import type { RecordStatus } from './catalog/lifecycle.js';
import type { Product } from './entities.js';
import type { StoreReader } from './ports.js';

/**
 * Record-type hooks: a domain module (the risk file today) registers its own checks on writes of its record types,
 * so the generic record writes (`record-writes.ts`) never test a type key themselves.
 */

/** What the hooks of one write transaction share: the reader, the product, and one value per hook module. */
export class WriteSession {
  private readonly values = new Map<symbol, unknown>();

  constructor(
    readonly r: StoreReader,
    readonly product: Product,
  ) {}

  /** The module's value for this write, made on first use (a module keys its value by its own symbol). */
  get<T>(key: symbol, make: () => T): T {
    if (!this.values.has(key)) this.values.set(key, make());
    return this.values.get(key) as T;
  }
}

/** A new record of a batch, numbered, before its fields are checked. */
export interface NumberedRecord {
  readonly type: string;
  readonly number: number;
  readonly fields: Readonly<Record<string, unknown>>;
}

/** A record's fields as about to be written. */
export interface FieldsToWrite {
  readonly type: string;
  readonly fields: Record<string, unknown>;
  /** `RPM/RISK-3`, for messages. */
  readonly item: string;
  /** The record's internal ID when it exists already (an edit), else null. */
  readonly recordId: number | null;
  /** For an edit: the record as it stands before it (its latest revision's fields and its head). */
  readonly before?: {
    readonly fields: Readonly<Record<string, unknown>>;
    readonly status: RecordStatus;
    readonly approvedRevision: number | null;
  };
}

/** A status change about to be written. */
export interface StatusChangeToWrite {
  readonly type: string;
  /** `RPM/CAPA-3`, for messages. */
  readonly item: string;
  readonly recordId: number;
  readonly from: RecordStatus;
  /** The fields of the revision whose status changes (its latest), read only when a hook asks. */
  readonly fields: () => Promise<Readonly<Record<string, unknown>>>;
}

/** One record type's hooks. */
export interface RecordTypeHooks {
  /** Checks a record's fields (already valid for its type) inside the write, and may complete them (stamps). */
  readonly checkFields?: (session: WriteSession, record: FieldsToWrite) => Promise<Record<string, unknown>>;
  /** Refuses a status change the module does not allow (throws AppError). */
  readonly checkStatusChange?: (session: WriteSession, record: StatusChangeToWrite, to: RecordStatus) => void | Promise<void>;
}

/** What one domain module registers. */
export interface RecordHookModule {
  /** Sees each batch of new records before any is checked (a policy in the batch applies to the batch's risks). */
  readonly beforeNewRecords?: (session: WriteSession, batch: readonly NumberedRecord[]) => void;
  readonly types: Readonly<Record<string, RecordTypeHooks>>;
  /** Checks every record type's status changes (a change request gates approval of the records it touches). */
  readonly anyType?: RecordTypeHooks;
}

/** The modules' hooks, by record type. */
export class RecordHooks {
  private readonly byType = new Map<string, RecordTypeHooks[]>();

  constructor(private readonly modules: readonly RecordHookModule[]) {
    for (const m of modules) {
      for (const [type, hooks] of Object.entries(m.types)) this.byType.set(type, [...(this.byType.get(type) ?? []), hooks]);
    }
  }

  beforeNewRecords(session: WriteSession, batch: readonly NumberedRecord[]): void {
    for (const m of this.modules) m.beforeNewRecords?.(session, batch);
  }

  async checkFields(session: WriteSession, record: FieldsToWrite): Promise<Record<string, unknown>> {
    let fields = record.fields;
    for (const h of this.byType.get(record.type) ?? []) {
      if (h.checkFields !== undefined) fields = await h.checkFields(session, { ...record, fields });
    }
    return fields;
  }

  async checkStatusChange(session: WriteSession, record: StatusChangeToWrite, to: RecordStatus): Promise<void> {
    for (const h of this.byType.get(record.type) ?? []) await h.checkStatusChange?.(session, record, to);
    for (const m of this.modules) await m.anyType?.checkStatusChange?.(session, record, to);
  }
}
