import { addRecords } from '../app/use-cases/add-records.js';
import { createProduct } from '../app/use-cases/create-product.js';
import { appendAudit } from '../core/audit-trail.js';
import type { Link } from '../core/entities.js';
import type { Deps } from '../core/ports.js';
import { linkEntityId } from '../core/record-writes.js';
import { syntheticProduct } from './synthetic-product.js';

/** Fills a store with product BENCH of `n` records (about three links each, a few percent left out): records through the use-case, links straight through the storage port (setup, not measured). */
export async function seedTraceProduct(deps: Deps, n: number): Promise<void> {
  await createProduct(deps, { key: 'BENCH', name: 'Synthetic', intendedUse: 'Benchmark', safetyClass: 'C' });
  const shape = syntheticProduct(n, n * 3);
  const ids = new Map<string, number>();
  for (let i = 0; i < shape.records.length; i += 5000) {
    for (const r of await addRecords(deps, { productKey: 'BENCH', records: shape.records.slice(i, i + 5000) })) ids.set(r.key, r.id);
  }
  // Leave a few percent of links out, as real products do (the generator is deterministic).
  const links = shape.links.filter((_, k) => k % 25 !== 7);
  for (let i = 0; i < links.length; i += 20_000) {
    await deps.store.write(async (w) => {
      const at = deps.clock.now();
      let id = (await w.nextIds()).link;
      const batch = links.slice(i, i + 20_000);
      const rows: Link[] = batch.map((l) => ({
        id: id++, productId: 1, type: l.type, fromId: ids.get(l.from) ?? 0, toId: ids.get(l.to) ?? 0, fromRevision: 1, toRevision: 1,
        createdAt: at, createdBy: 'bench', confirmedAt: null, confirmedBy: null, removedAt: null, removedBy: null, removalReason: null,
      }));
      await w.insertLinks(rows);
      await appendAudit(w, deps, at, rows.map((r, k) => ({ action: 'LINK_CREATED' as const, entityType: 'link' as const, entityId: linkEntityId('BENCH', r.id), productKey: 'BENCH', newValue: { type: r.type, from: batch[k]?.from, fromRevision: 1, to: batch[k]?.to, toRevision: 1 } })));
    });
  }
}

