/** Pieces the column builders (`TraceRecordColumnsBuilder`, `TraceLinkColumnsBuilder`) share. */

/** Distinct names (record or link types) numbered in order of first sight, at most 256 (a Uint8Array column). */
export class NameIndex {
  readonly names: string[] = [];
  private readonly index = new Map<string, number>();

  constructor(private readonly what: string) {}

  /** The number of `name`, given the next free one on first sight. */
  of(name: string): number {
    let t = this.index.get(name);
    if (t === undefined) {
      t = this.names.length;
      if (t > 255) throw new Error(`more than 256 ${this.what}`);
      this.names.push(name);
      this.index.set(name, t);
    }
    return t;
  }
}

type Column = Int32Array | Uint8Array | Float64Array;

/** A copy of column `a` with room for `capacity` rows. */
export function grown<T extends Column>(a: T, capacity: number): T {
  const b = new (a.constructor as new (n: number) => T)(capacity);
  b.set(a);
  return b;
}
