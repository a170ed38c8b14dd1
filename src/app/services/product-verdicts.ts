import type { Product } from '../../core/entities.js';
import { testVerdicts, type Verdict } from '../../core/evidence/verdicts.js';
import type { StoreReader } from '../../core/ports.js';

/** The newest verdict of every record the product's test results name, over all its test runs. */
export async function productVerdicts(r: StoreReader, product: Product): Promise<Map<number, Verdict>> {
  return testVerdicts(await r.listNewestTestResults(product.id)).byRecord;
}
