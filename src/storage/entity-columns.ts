/**
 * One mapping per entity between its domain shape (the zod entity schema's type, e.g. `RecordHead`) and its row
 * (`RecordRow` in schema.ts). The mapping names, for every field of the entity, its column; the types make the two
 * agree: a field missing from the map, a column that does not exist, or a column whose type differs from the
 * field's without a conversion is a compile error. Rows are not zod-parsed: the loads read millions of them.
 */

/** The columns of row `R` whose type is exactly the field type `V` (read and written as they are). */
type SameTypeColumn<R, V> = {
  [C in keyof R]: [R[C]] extends [V] ? ([V] extends [R[C]] ? C : never) : never;
}[keyof R] &
  string;

/** A column whose type differs from the field's: how to read the field from it and how to write it back. */
export interface ConvertedColumn<R, V> {
  readonly column: keyof R & string;
  /** Column value → field value; throws on a value the field cannot hold. */
  readonly read: (value: unknown) => V;
  /** Field value → column value (default: as it is). */
  readonly write?: (value: V) => unknown;
}

/** For each field of entity `E`, its column in row `R`. */
export type ColumnMap<E, R> = { readonly [K in keyof E]-?: SameTypeColumn<R, E[K]> | ConvertedColumn<R, E[K]> };

/** `T` without `readonly`: for completing, in place, an entity a mapper just built (no second object per row). */
export type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** Reads and writes one entity (see the module comment). */
export interface EntityColumns<E, R> {
  /** The columns, in the order of the entity's fields: select these for `fromArray`. */
  readonly columns: readonly (keyof R & string)[];
  /** The entity from a row object (as Kysely returns it). */
  fromRow(row: Readonly<Pick<R, keyof R>>): E;
  /** The entity from a row read as an array of `columns` values, in that order. */
  fromArray(values: readonly unknown[]): E;
  /** The row object to insert for an entity, its columns in `columns` order. */
  toRow(entity: E): Record<string, unknown>;
}

/**
 * The mapping of one entity to its row.
 * @param map - for each field of the entity, in the entity's order, its column (and conversions where the types differ)
 */
export function entityColumns<E, R>(map: ColumnMap<E, R>): EntityColumns<E, R> {
  const fields = Object.keys(map) as (keyof E & string)[];
  const specs = fields.map((f): { column: string; read?: (v: unknown) => unknown; write?: (v: unknown) => unknown } => {
    const spec = map[f] as string | ConvertedColumn<R, unknown>;
    return typeof spec === 'string' ? { column: spec } : { column: spec.column, read: spec.read, ...(spec.write === undefined ? {} : { write: spec.write }) };
  });
  const columns = specs.map((s) => s.column) as (keyof R & string)[];
  const reads = specs.map((s) => s.read);
  const writes = specs.map((s) => s.write);
  const n = fields.length;
  return {
    columns,
    fromRow(row) {
      const r = row as Record<string, unknown>;
      const out: Record<string, unknown> = {};
      for (let i = 0; i < n; i++) {
        const read = reads[i];
        const v = r[columns[i] as string];
        out[fields[i] as string] = read === undefined ? v : read(v);
      }
      return out as E;
    },
    fromArray(values) {
      const out: Record<string, unknown> = {};
      for (let i = 0; i < n; i++) {
        const read = reads[i];
        out[fields[i] as string] = read === undefined ? values[i] : read(values[i]);
      }
      return out as E;
    },
    toRow(entity) {
      const e = entity as Record<string, unknown>;
      const out: Record<string, unknown> = {};
      for (let i = 0; i < n; i++) {
        const write = writes[i];
        const v = e[fields[i] as string];
        out[columns[i] as string] = write === undefined ? v : write(v);
      }
      return out;
    },
  };
}
