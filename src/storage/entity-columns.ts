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
  const fields = Object.keys(map);
  const specs = fields.map((f) => {
    const spec = map[f as keyof E] as string | ConvertedColumn<R, unknown>;
    return typeof spec === 'string' ? { column: spec, read: undefined, write: undefined } : spec;
  });
  const columns = specs.map((s) => s.column) as (keyof R & string)[];
  const reads = specs.map((s) => s.read);
  const writes = specs.map((s) => s.write);
  // Each function builds its object as one literal with the fields in a fixed order, as hand-written mappers do: the
  // pagers map a million rows, and a loop of computed-key stores is about ten times slower. The code is made from
  // this module's own column maps (constants in the repositories), never from data.
  const key = JSON.stringify;
  const value = (conv: readonly unknown[], name: string, i: number, from: string): string =>
    conv[i] === undefined ? from : `${name}[${i}](${from})`;
  const fromRowBody = fields.map((f, i) => `${key(f)}: ${value(reads, 'read', i, `r[${key(columns[i])}]`)}`).join(', ');
  const fromArrayBody = fields.map((f, i) => `${key(f)}: ${value(reads, 'read', i, `a[${i}]`)}`).join(', ');
  const toRowBody = fields.map((f, i) => `${key(columns[i])}: ${value(writes, 'write', i, `e[${key(f)}]`)}`).join(', ');
  /* eslint-disable @typescript-eslint/no-implied-eval -- see above: generated from constant column maps */
  const compile = (param: string, body: string): ((x: unknown) => unknown) => {
    const make = new Function('read', 'write', `return (${param}) => ({ ${body} });`) as (
      r: typeof reads,
      w: typeof writes,
    ) => (x: unknown) => unknown;
    return make(reads, writes);
  };
  /* eslint-enable @typescript-eslint/no-implied-eval */
  return {
    columns,
    fromRow: compile('r', fromRowBody) as (row: Readonly<Pick<R, keyof R>>) => E,
    fromArray: compile('a', fromArrayBody) as (values: readonly unknown[]) => E,
    toRow: compile('e', toRowBody) as (entity: E) => Record<string, unknown>,
  };
}
