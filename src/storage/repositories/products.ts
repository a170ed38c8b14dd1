import { SafetyClassSchema } from '../../core/catalog/record-types.js';
import type { Product } from '../../core/entities.js';
import type { ProductsReader, ProductsWriter } from '../../core/ports.js';
import { entityColumns } from '../entity-columns.js';
import type { ProductRow } from '../schema.js';
import { Repository } from './repository.js';

/** A product and its row. */
export const PRODUCT_COLUMNS = entityColumns<Product, ProductRow>({
  id: 'id',
  key: 'key',
  name: 'name',
  intendedUse: 'intended_use',
  safetyClass: { column: 'safety_class', read: (v) => SafetyClassSchema.parse(v) },
  createdAt: 'created_at',
  createdBy: 'created_by',
});

/** Products. */
export class ProductsRepository extends Repository implements ProductsReader, ProductsWriter {
  async listProducts(): Promise<Product[]> {
    const rows = await this.db.selectFrom('products').selectAll().orderBy('key').execute();
    return rows.map((r) => PRODUCT_COLUMNS.fromRow(r));
  }

  async findProduct(key: string): Promise<Product | undefined> {
    const row = await this.db.selectFrom('products').selectAll().where('key', '=', key).executeTakeFirst();
    return row === undefined ? undefined : PRODUCT_COLUMNS.fromRow(row);
  }

  async insertProducts(products: readonly Product[]): Promise<void> {
    await this.dialect.insertRows(this.db, 'products', products.map((p) => PRODUCT_COLUMNS.toRow(p)));
  }

  async updateProduct(id: number, patch: Pick<Product, 'name' | 'intendedUse' | 'safetyClass'>): Promise<void> {
    await this.db
      .updateTable('products')
      .set({ name: patch.name, intended_use: patch.intendedUse, safety_class: patch.safetyClass })
      .where('id', '=', id)
      .execute();
  }
}
