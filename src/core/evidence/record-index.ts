import { z } from 'zod';
import { getLinkType, type Catalog } from '../catalog/catalog.js';
import { recordKey, type Product } from '../entities.js';
import type { StoreReader, TraceRecordRow } from '../ports.js';
import type { EvidenceRef } from './model.js';

/** Record IDs written in square brackets, as in a test name `[TC-12] refuses TLS 1.2`. */
const BRACKETED_ID = /\[([A-Z][A-Z0-9]*-[1-9]\d{0,9})\]/g;
/** Record IDs anywhere in free text, as in a commit trailer `Implements: SRS-3, SRS-4`. */
const ANY_ID = /(?<![A-Za-z0-9/_-])([A-Z][A-Z0-9]*-[1-9]\d{0,9})(?![A-Za-z0-9_-])/g;

export const bracketedIds = (text: string): string[] => [...text.matchAll(BRACKETED_ID)].map((m) => m[1] ?? '');
export const idsInText = (text: string): string[] => [...text.matchAll(ANY_ID)].map((m) => m[1] ?? '');

/** An ID named by evidence that does not resolve to a record it can point to. */
export const UnresolvedRefSchema = z.object({
  id: z.string(),
  /** What named it: a test, a commit, a review. */
  by: z.string(),
  why: z.string(),
});
export type UnresolvedRef = Readonly<z.infer<typeof UnresolvedRefSchema>>;

/**
 * A product's records by human ID and by test `automationId`, for resolving the IDs that evidence names. Loaded
 * once per import, in the import's transaction.
 */
export class RecordIndex {
  private readonly byKey = new Map<string, TraceRecordRow>();
  private readonly byAutomation = new Map<string, TraceRecordRow[]>();
  /** Record types a test can verify directly (the `verifies` link's targets). */
  private readonly verifiable: ReadonlySet<string>;

  private constructor(records: readonly TraceRecordRow[], catalog: Catalog) {
    for (const r of records) {
      this.byKey.set(recordKey(r.type, r.number), r);
      const auto = r.type === 'TC' && r.status !== 'obsolete' ? r.fields['automationId'] : undefined;
      if (typeof auto === 'string') this.byAutomation.set(auto, [...(this.byAutomation.get(auto) ?? []), r]);
    }
    this.verifiable = new Set(getLinkType(catalog, 'verifies').to);
  }

  static async load(r: StoreReader, product: Product, catalog: Catalog): Promise<RecordIndex> {
    return new RecordIndex(await r.loadTraceRecords(product.id), catalog);
  }

  get(key: string): TraceRecordRow | undefined {
    return this.byKey.get(key);
  }

  /** True when some test case has an automationId (else `automated` finds nothing, whatever the keys). */
  get hasAutomation(): boolean {
    return this.byAutomation.size > 0;
  }

  /** Test cases whose automationId is one of `keys`. */
  automated(keys: readonly string[]): TraceRecordRow[] {
    return keys.flatMap((k) => this.byAutomation.get(k) ?? []);
  }

  /**
   * Resolves IDs a test result names: a test case gives `result_of`, a requirement, item or control gives
   * `verifies`; anything else is unresolved, with the reason.
   */
  testRefs(ids: readonly string[], by: string, unresolved: UnresolvedRef[]): EvidenceRef[] {
    const out = new Map<string, EvidenceRef>();
    for (const id of new Set(ids)) {
      const rec = this.byKey.get(id);
      if (rec === undefined) unresolved.push({ id, by, why: 'no such record' });
      else if (rec.type === 'TC') out.set(`${rec.id}:result_of`, { recordId: rec.id, role: 'result_of' });
      else if (this.verifiable.has(rec.type)) out.set(`${rec.id}:verifies`, { recordId: rec.id, role: 'verifies' });
      else unresolved.push({ id, by, why: `a test result cannot verify a ${rec.type} record` });
    }
    return [...out.values()];
  }

  /** Resolves IDs named by a commit or review with the given role; unknown IDs are unresolved. */
  refs(ids: readonly { id: string; role: EvidenceRef['role'] }[], by: string, unresolved: UnresolvedRef[]): EvidenceRef[] {
    const out = new Map<string, EvidenceRef>();
    const missing = new Set<string>();
    for (const { id, role } of ids) {
      const rec = this.byKey.get(id);
      if (rec === undefined) {
        if (!missing.has(id)) unresolved.push({ id, by, why: 'no such record' });
        missing.add(id);
      } else out.set(`${rec.id}:${role}`, { recordId: rec.id, role });
    }
    return [...out.values()];
  }
}
