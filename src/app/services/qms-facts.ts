import type { Product } from '../../core/entities.js';
import type { StoreReader } from '../../core/ports.js';
import { NO_QMS_FACTS, type QmsFacts } from '../../core/qms/facts.js';

/**
 * The quality-system facts of a product (documents in force, training assignments, untrained signatures) for the
 * readiness report, the rules and management review. Document control and training fill it from their tables.
 */
export function loadQmsFacts(_r: StoreReader, _product: Product, _today: string): Promise<QmsFacts> {
  return Promise.resolve(NO_QMS_FACTS);
}
