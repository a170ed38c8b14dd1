import type { Catalog } from '../catalog/catalog.js';
import { canonicalJson, sha256Hex } from '../hashing.js';
import type { ImportPlan, ImportProblem } from '../interchange/plan.js';
import { naturalCompare } from '../natural-order.js';

/**
 * Dossier's own design file (`validation/design`, a Markdown folder): its intended use, needs, requirements,
 * architecture, SOUP and risk assessment as a tool. Read once, it is plain data for the requirement-to-test check,
 * the validation report and the comparison of two versions. Pure.
 */

/** The product key the design file is written for; tests name its requirements `[DOSSIER-SRS-12]`. */
export const DESIGN_PRODUCT = 'DOSSIER';

export interface DesignRecord {
  readonly key: string;
  readonly type: string;
  readonly title: string;
  readonly body: string;
  readonly fields: Readonly<Record<string, unknown>>;
  /** The file it was read from, for messages (`SRS/SRS-12.md`). */
  readonly where: string;
}

export interface DesignLink {
  readonly from: string;
  readonly type: string;
  readonly to: string;
}

export interface DesignFile {
  readonly records: readonly DesignRecord[];
  readonly links: readonly DesignLink[];
}

/** One record of a design file as a comparison needs it: its title and a hash of everything it says. */
export interface DesignFingerprint {
  readonly key: string;
  readonly type: string;
  readonly title: string;
  /** SHA-256 of the canonical JSON of title, body, fields and outgoing links. */
  readonly hash: string;
}

/**
 * The design file in a folder plan (every file parsed: the design folder carries no digests), with the problems of
 * records whose fields their type refuses or whose file has no id. Problems name the file.
 */
export function designFromPlan(plan: ImportPlan, catalog: Catalog): { design: DesignFile; problems: ImportProblem[] } {
  const problems: ImportProblem[] = [];
  const records: DesignRecord[] = [];
  for (const r of plan.records ?? []) {
    const where = r.where === undefined ? r.ref : typeof r.where === 'string' ? r.where : String(r.ref);
    if (r.key === undefined) {
      problems.push({ where, message: 'a design record needs an id (its key is what tests and reports name)' });
      continue;
    }
    const type = catalog.recordTypes.get(r.type);
    const parsed = type?.fields.safeParse(r.fields ?? {});
    if (parsed !== undefined && !parsed.success) {
      for (const issue of parsed.error.issues) problems.push({ where, message: `fields.${issue.path.join('.')}: ${issue.message}` });
      continue;
    }
    records.push({ key: r.key, type: r.type, title: r.title, body: r.body ?? '', fields: parsed?.data ?? r.fields ?? {}, where });
  }
  const keys = new Set(records.map((r) => r.key));
  const links = (plan.links ?? []).filter((l) => keys.has(l.from) && keys.has(l.to)).map((l) => ({ from: l.from, type: l.type, to: l.to }));
  return { design: { records: records.sort((a, b) => naturalCompare(a.key, b.key)), links }, problems };
}

export const recordsOf = (d: DesignFile, type: string): DesignRecord[] => d.records.filter((r) => r.type === type);

/** Targets of a record's outgoing links of one type. */
export const linkedFrom = (d: DesignFile, key: string, type: string): string[] => d.links.filter((l) => l.from === key && l.type === type).map((l) => l.to);
/** Sources of the links of one type that arrive at a record. */
export const linkedTo = (d: DesignFile, key: string, type: string): string[] => d.links.filter((l) => l.to === key && l.type === type).map((l) => l.from);

/** Every record's fingerprint, in key order. */
export function fingerprints(d: DesignFile): DesignFingerprint[] {
  return d.records.map((r) => {
    const out = d.links.filter((l) => l.from === r.key).map((l) => `${l.type} ${l.to}`).sort();
    return { key: r.key, type: r.type, title: r.title, hash: sha256Hex(canonicalJson({ title: r.title, body: r.body, fields: r.fields, links: out })) };
  });
}

/** What changed in the design file between two versions: by record key. */
export interface DesignChanges {
  readonly added: readonly DesignFingerprint[];
  readonly removed: readonly DesignFingerprint[];
  /** Records whose title, body, fields or links differ; `before` is the previous title. */
  readonly changed: readonly (DesignFingerprint & { readonly before: string })[];
}

/**
 * The records added, removed and changed from `previous` to `current`, of the given types only (requirements and
 * risks, for revalidation), in key order.
 */
export function compareDesign(previous: readonly DesignFingerprint[], current: readonly DesignFingerprint[], types?: readonly string[]): DesignChanges {
  const keep = (f: DesignFingerprint): boolean => types === undefined || types.includes(f.type);
  const before = new Map(previous.filter(keep).map((f) => [f.key, f]));
  const after = new Map(current.filter(keep).map((f) => [f.key, f]));
  const added = [...after.values()].filter((f) => !before.has(f.key));
  const removed = [...before.values()].filter((f) => !after.has(f.key));
  const changed = [...after.values()].flatMap((f) => {
    const b = before.get(f.key);
    return b !== undefined && b.hash !== f.hash ? [{ ...f, before: b.title }] : [];
  });
  const order = (a: DesignFingerprint, b: DesignFingerprint): number => naturalCompare(a.key, b.key);
  return { added: added.sort(order), removed: removed.sort(order), changed: changed.sort(order) };
}
