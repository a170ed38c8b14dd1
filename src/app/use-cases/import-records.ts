import { z } from 'zod';
import { appendAudit } from '../../core/audit-trail.js';
import { assertLinkAllowed, getRecordType, parseFields } from '../../core/catalog/catalog.js';
import { canonicalJson } from '../../core/hashing.js';
import { conflict, invalidInput, isAppError } from '../../core/errors.js';
import { parseRecordRef, ProductKeySchema, recordKey, type Product, type RecordHead } from '../../core/entities.js';
import {
  ImportPlanSchema,
  ImportReportSchema,
  type ImportProblem,
  type ImportReport,
  type ParsedImportPlan,
} from '../../core/interchange/plan.js';
import { assertNoCycles } from '../../core/link-cycles.js';
import { getProduct } from '../../core/lookups.js';
import type { Deps, StoreReader, StoreWriter } from '../../core/ports.js';
import { hashRevision } from '../../core/revision-hash.js';
import { linkEntityId, writeNewLinks, writeNewRecords, writeRevision, type PreparedRecord } from '../../core/record-writes.js';
import { parseInput, ReasonSchema } from '../../core/validation.js';
import { defineUseCase } from '../use-case.js';

export const ImportRecordsInputSchema = z.strictObject({
  productKey: ProductKeySchema,
  plan: ImportPlanSchema,
  /** Check and report only; nothing is written. */
  dryRun: z.boolean().default(false),
  /** What was imported, for the audit events' reason when none is given: `doorstop tree reqs/`. */
  source: z.string().min(1).max(500),
  reason: ReasonSchema.optional(),
});
export type ImportRecordsInput = z.input<typeof ImportRecordsInputSchema>;

/** Up to this many existing records in a plan are read one by one rather than with the whole product. */
const FEW = 200;

/** Most problems listed in a refusal's message (all are in its details and in a dry run's report). */
const LISTED = 20;

/**
 * Applies an import plan (records and links read from a folder, a spreadsheet, another tool's files) in one
 * transaction: new records are created, changed ones get a new revision, unchanged ones are left alone, links are
 * added (and, in `replace` mode, the plan's records' other outgoing links removed), each with its audit event.
 * Everything is checked first and every problem is collected with where it came from; a dry run returns them in
 * the report, a real run refuses them all at once and writes nothing.
 * @throws AppError INVALID_INPUT listing the problems (file, line, item); CONFLICT listing the records that changed
 *   in the store after the source's base revision; NOT_FOUND for an unknown product
 */
export async function importRecords(deps: Deps, input: ImportRecordsInput): Promise<ImportReport> {
  return importParsed(deps, parseInput(ImportRecordsInputSchema, input, 'import'));
}

/** `importRecords` on input already parsed (the use-case's runner parsed it: a 26,000-record plan is parsed once). */
async function importParsed(deps: Deps, i: z.output<typeof ImportRecordsInputSchema>): Promise<ImportReport> {
  const reason = i.reason ?? `imported from ${i.source}`;
  if (i.dryRun) {
    return deps.store.read(async (r) => {
      const product = await getProduct(r, i.productKey);
      const checked = await checkPlan(r, deps, product, i.plan);
      return checked.report(true);
    });
  }
  return deps.store.write(async (w) => {
    const product = await getProduct(w, i.productKey);
    const checked = await checkPlan(w, deps, product, i.plan);
    refuseProblems(checked.problems, checked.conflicts);
    return applyPlan(w, deps, product, checked, reason);
  });
}

function refuseProblems(problems: readonly ImportProblem[], conflicts: ImportReport['conflicts']): void {
  if (problems.length > 0) {
    const listed = problems.slice(0, LISTED).map((p) => `  ${p.where}: ${p.message}`);
    const more = problems.length > LISTED ? [`  … and ${problems.length - LISTED} more`] : [];
    throw invalidInput(
      `the import has ${problems.length} problem${problems.length === 1 ? '' : 's'}; nothing was written:\n${[...listed, ...more].join('\n')}`,
      { problems, ...(problems[0] === undefined ? {} : { item: problems[0].where }) },
    );
  }
  if (conflicts.length > 0) {
    const listed = conflicts
      .slice(0, LISTED)
      .map((c) => `  ${c.where}: ${c.key} is at revision ${c.latestRevision} (by ${c.changedBy} at ${c.changedAt}), the file was made from revision ${c.baseRevision}`);
    throw conflict(
      `${conflicts.length} record${conflicts.length === 1 ? '' : 's'} changed in the store since the files were made; nothing was written:\n${listed.join('\n')}`,
      { conflicts, item: conflicts[0]?.key },
    );
  }
}

/** A plan record after checking. */
interface CheckedRecord {
  readonly ref: string;
  readonly where: string;
  readonly prepared: PreparedRecord;
  /** The existing record it updates, or undefined for a new one. */
  readonly head: RecordHead | undefined;
  /** For an existing record: whether its content differs from the latest revision. */
  readonly changed: boolean;
  /** Field keys the latest revision has and the item lacks (removed by the new revision). */
  readonly removedFields: readonly string[];
}

interface CheckedLink {
  readonly type: string;
  /** Index into `records` for a plan record, or an existing head. */
  readonly from: number | RecordHead;
  readonly to: number | RecordHead;
  readonly suspect: boolean;
  readonly where: string;
}

interface CheckedPlan {
  readonly records: CheckedRecord[];
  readonly links: CheckedLink[];
  readonly linksKept: number;
  readonly removals: { id: number; from: string; type: string; to: string }[];
  readonly problems: ImportProblem[];
  readonly conflicts: ImportReport['conflicts'];
  readonly predictedKeys: readonly string[];
  report(dryRun: boolean): ImportReport;
}

async function checkPlan(r: StoreReader, deps: Deps, product: Product, plan: ParsedImportPlan): Promise<CheckedPlan> {
  const problems: ImportProblem[] = [];
  const conflicts: ImportReport['conflicts'] = [];
  const problem = (where: string, e: unknown): void => {
    if (isAppError(e)) problems.push({ where, message: e.userMessage });
    else throw e;
  };

  // Existing records named by key, as record or as link end, in one lookup.
  const keyRefs = new Map<string, { type: string; number: number }>();
  const tryKey = (text: string): { type: string; number: number } | undefined => {
    if (!/^(?:[A-Z][A-Z0-9]{1,15}\/)?[A-Z][A-Z0-9]*-[1-9]\d{0,9}$/.test(text)) return undefined;
    const p = parseRecordRef(text);
    if (p.productKey !== undefined && p.productKey !== product.key) return undefined;
    return { type: p.type, number: p.number };
  };
  for (const rec of plan.records) {
    const k = rec.key === undefined ? undefined : tryKey(rec.key);
    if (k !== undefined) keyRefs.set(recordKey(k.type, k.number), k);
  }
  const planRefs = new Map<string, number>();
  plan.records.forEach((rec, idx) => {
    if (!planRefs.has(rec.ref)) planRefs.set(rec.ref, idx);
  });
  for (const l of plan.links) {
    for (const end of [l.from, l.to]) {
      if (planRefs.has(end)) continue;
      const k = tryKey(end);
      if (k !== undefined) keyRefs.set(recordKey(k.type, k.number), k);
    }
  }
  const found = keyRefs.size === 0 ? [] : await r.findRecords(product.id, [...keyRefs.values()]);
  const byKey = new Map(found.map((h) => [recordKey(h.type, h.number), h]));
  // Many existing records: one read of every record's latest hash tells the unchanged ones without reading them. A
  // few (a folder sync with one edited file): each is read on its own, which beats reading the whole product.
  const keyed = plan.records.filter((x) => x.key !== undefined).length;
  const states = keyed > FEW ? await r.listRecordStates(product.id) : [];
  const hashById = new Map(states.map((s) => [s.recordId, s]));

  const records: CheckedRecord[] = [];
  const seenRefs = new Set<string>();
  const seenKeys = new Set<string>();
  const indexOf = new Map<string, number>();
  for (const rec of plan.records) {
    const where = rec.where ?? rec.ref;
    if (seenRefs.has(rec.ref)) {
      problems.push({ where, message: `${rec.ref} appears twice in the import` });
      continue;
    }
    seenRefs.add(rec.ref);
    let head: RecordHead | undefined;
    if (rec.key !== undefined) {
      const k = tryKey(rec.key);
      head = k === undefined ? undefined : byKey.get(recordKey(k.type, k.number));
      if (head === undefined) {
        problems.push({ where, message: `${rec.key} is not a record of ${product.key}` });
        continue;
      }
      const key = recordKey(head.type, head.number);
      if (seenKeys.has(key)) {
        problems.push({ where, message: `${key} appears twice in the import` });
        continue;
      }
      seenKeys.add(key);
      if (head.type !== rec.type) {
        problems.push({ where, message: `${key} is a ${head.type} record; the import says ${rec.type} (a record's type never changes)` });
        continue;
      }
      if (rec.baseRevision !== undefined && rec.baseRevision < head.latestRevision) {
        conflicts.push({
          ref: rec.ref,
          key,
          where,
          baseRevision: rec.baseRevision,
          latestRevision: head.latestRevision,
          changedBy: head.updatedBy,
          changedAt: head.updatedAt,
        });
        continue;
      }
    }
    let fields: Record<string, unknown>;
    try {
      const type = getRecordType(deps.catalog, rec.type, rec.ref);
      fields = parseFields(type, rec.fields, head === undefined ? rec.ref : recordKey(head.type, head.number));
    } catch (e) {
      problem(where, e);
      continue;
    }
    const prepared: PreparedRecord = { type: rec.type, title: rec.title, body: rec.body, fields };
    let changed = true;
    let removedFields: string[] = [];
    if (head !== undefined) {
      const state = hashById.get(head.id);
      const same =
        state !== undefined &&
        hashRevision(product.key, head.type, head.number, { revision: head.latestRevision, title: rec.title, body: rec.body, fields }) === state.hash;
      if (same) changed = false;
      else {
        const latest = await r.findRevision(head.id, head.latestRevision);
        removedFields = Object.keys(latest?.fields ?? {}).filter((f) => !(f in fields));
        changed =
          latest === undefined ||
          latest.title !== rec.title ||
          latest.body !== rec.body ||
          canonicalJson(latest.fields) !== canonicalJson(fields);
      }
      if (changed && head.status === 'obsolete') {
        problems.push({ where, message: `${recordKey(head.type, head.number)} is obsolete and cannot be changed` });
        continue;
      }
    }
    indexOf.set(rec.ref, records.length);
    records.push({ ref: rec.ref, where, prepared, head, changed, removedFields });
  }

  // Keys new records would get, for the report (the real run's writer numbers them the same way, in order).
  const newTypes = [...new Set(records.filter((x) => x.head === undefined).map((x) => x.prepared.type))];
  const maxNumbers = newTypes.length === 0 ? new Map<string, number>() : await r.maxRecordNumbers(product.id, newTypes);
  const predictedKeys = records.map((x) => {
    if (x.head !== undefined) return recordKey(x.head.type, x.head.number);
    const n = (maxNumbers.get(x.prepared.type) ?? 0) + 1;
    maxNumbers.set(x.prepared.type, n);
    return recordKey(x.prepared.type, n);
  });

  // Links.
  const links: CheckedLink[] = [];
  const endOf = (text: string, where: string): number | RecordHead | undefined => {
    const idx = indexOf.get(text);
    if (idx !== undefined) return records[idx]?.head ?? idx;
    if (planRefs.has(text)) return undefined; // the record itself had a problem, already listed
    const k = tryKey(text);
    const head = k === undefined ? undefined : byKey.get(recordKey(k.type, k.number));
    if (head === undefined) {
      problems.push({ where, message: `links to ${text}, which is neither in this import nor a record of ${product.key}` });
      return undefined;
    }
    if (head.status === 'obsolete') {
      problems.push({ where, message: `links to ${text}, which is obsolete` });
      return undefined;
    }
    return head;
  };
  const typeOf = (e: number | RecordHead): string => (typeof e === 'number' ? (records[e]?.prepared.type ?? '') : e.type);
  const keyOf = (e: number | RecordHead): string => (typeof e === 'number' ? (predictedKeys[e] ?? '') : recordKey(e.type, e.number));
  const idOf = (e: number | RecordHead): string => (typeof e === 'number' ? `new:${e}` : `id:${e.id}`);
  const existingFromIds = new Set<number>();
  const checkedEnds: { l: CheckedLink; sig: string }[] = [];
  const planSigs = new Set<string>();
  for (const l of plan.links) {
    const where = l.where ?? `${l.from} ${l.type} ${l.to}`;
    const from = endOf(l.from, where);
    const to = endOf(l.to, where);
    if (from === undefined || to === undefined) continue;
    if (idOf(from) === idOf(to)) {
      problems.push({ where, message: `${l.from} cannot link to itself` });
      continue;
    }
    try {
      assertLinkAllowed(deps.catalog, l.type, { key: keyOf(from), type: typeOf(from) }, { key: keyOf(to), type: typeOf(to) });
    } catch (e) {
      problem(where, e);
      continue;
    }
    const sig = `${l.type} ${idOf(from)} ${idOf(to)}`;
    if (planSigs.has(sig)) continue; // the same link twice in a source is one link
    planSigs.add(sig);
    if (typeof from !== 'number') existingFromIds.add(from.id);
    checkedEnds.push({ l: { type: l.type, from, to, suspect: l.suspect, where }, sig });
  }
  const active = existingFromIds.size === 0 && plan.linkMode === 'add' ? [] : await r.listActiveLinkEnds([...existingFromIds]);
  const activeSigs = new Set(active.map((a) => `${a.type} id:${a.fromId} id:${a.toId}`));
  let linksKept = 0;
  for (const { l, sig } of checkedEnds) {
    if (activeSigs.has(sig)) linksKept++;
    else links.push(l);
  }

  // In replace mode, the plan's existing records lose the outgoing links the plan does not list.
  const removals: CheckedPlan['removals'] = [];
  if (plan.linkMode === 'replace') {
    const inPlan = new Set(records.flatMap((x) => (x.head === undefined ? [] : [x.head.id])));
    if (inPlan.size > 0) {
      const current =
        inPlan.size > FEW
          ? await r.listLinks({ productId: product.id })
          : (await Promise.all([...inPlan].map((recordId) => r.listLinks({ productId: product.id, recordId })))).flat();
      const seen = new Set<number>();
      for (const link of current) {
        // Read per record, a link between two records of the plan comes twice.
        if (link.removedAt !== null || !inPlan.has(link.fromId) || seen.has(link.id)) continue;
        seen.add(link.id);
        if (!planSigs.has(`${link.type} id:${link.fromId} id:${link.toId}`)) {
          removals.push({ id: link.id, from: link.fromKey, type: link.type, to: link.toKey });
        }
      }
    }
  }

  return {
    records,
    links,
    linksKept,
    removals,
    problems,
    conflicts,
    predictedKeys,
    // Built to the report's shape from checked values: not parsed again (the runner checks outputs in tests).
    report: (dryRun): ImportReport => ({
        dryRun,
        created: records.flatMap((x, idx) =>
          x.head === undefined ? [{ ref: x.ref, key: predictedKeys[idx] ?? '', type: x.prepared.type, title: x.prepared.title }] : [],
        ),
        changed: records.flatMap((x, idx) =>
          x.head !== undefined && x.changed
            ? [{ ref: x.ref, key: predictedKeys[idx] ?? '', fromRevision: x.head.latestRevision, toRevision: x.head.latestRevision + 1 }]
            : [],
        ),
        unchanged: records.filter((x) => x.head !== undefined && !x.changed).length,
        linksAdded: links.map((l) => ({ from: keyOf(l.from), type: l.type, to: keyOf(l.to), suspect: l.suspect })),
        linksKept,
        linksRemoved: removals,
        conflicts,
        problems,
      }),
  };
}

async function applyPlan(w: StoreWriter, deps: Deps, product: Product, plan: CheckedPlan, reason: string): Promise<ImportReport> {
  const at = deps.clock.now();
  const newIdx = plan.records.flatMap((x, idx) => (x.head === undefined ? [idx] : []));
  const created = newIdx.length === 0 ? [] : await writeNewRecords(w, deps, product, newIdx.map((idx) => plan.records[idx]!.prepared), at, reason);
  const heads = new Map<number, RecordHead>();
  newIdx.forEach((idx, k) => {
    const s = created[k];
    if (s !== undefined) heads.set(idx, s);
  });
  const changed: ImportReport['changed'] = [];
  for (const [idx, x] of plan.records.entries()) {
    if (x.head === undefined) continue;
    if (!x.changed) {
      heads.set(idx, x.head);
      continue;
    }
    const fields: Record<string, unknown> = { ...x.prepared.fields };
    for (const f of x.removedFields) fields[f] = null;
    const s = await writeRevision(w, deps, product, x.head, { title: x.prepared.title, body: x.prepared.body, fields }, at, reason);
    heads.set(idx, s);
    changed.push({ ref: x.ref, key: s.key, fromRevision: x.head.latestRevision, toRevision: s.latestRevision });
  }
  // An existing end that is also a plan record takes its new head (one lookup per end, not a scan of the plan).
  const idxById = new Map(plan.records.flatMap((x, idx) => (x.head === undefined ? [] : [[x.head.id, idx] as const])));
  const headOf = (e: number | RecordHead): RecordHead => {
    if (typeof e === 'number') return heads.get(e)!;
    const idx = idxById.get(e.id);
    return (idx === undefined ? undefined : heads.get(idx)) ?? e;
  };
  const ends = plan.links.map((l) => {
    const from = headOf(l.from);
    const to = headOf(l.to);
    // A suspect link is pinned to no revision of its target, so the suspect-link engine shows it until confirmed.
    return { type: l.type, from, to: l.suspect ? { ...to, latestRevision: 0 } : to };
  });
  if (ends.length > 0) {
    await assertNoCycles(w, deps.catalog, product, ends);
    await writeNewLinks(w, deps, product, ends, at, reason);
  }
  if (plan.removals.length > 0) {
    for (const rm of plan.removals) await w.markLinkRemoved(rm.id, at, deps.actor.id, reason);
    await appendAudit(
      w,
      deps,
      at,
      plan.removals.map((rm) => ({
        action: 'LINK_REMOVED' as const,
        entityType: 'link' as const,
        entityId: linkEntityId(product.key, rm.id),
        productKey: product.key,
        oldValue: { type: rm.type, from: rm.from, to: rm.to, removed: false },
        newValue: { removed: true },
        reason,
      })),
    );
  }
  const report = plan.report(false);
  return {
    ...report,
    created: report.created.map((c, k) => ({ ...c, key: created[k]?.key ?? c.key })),
    changed,
    linksAdded: ends.map((e, k) => ({
      from: recordKey(e.from.type, e.from.number),
      type: e.type,
      to: recordKey(e.to.type, e.to.number),
      suspect: plan.links[k]?.suspect ?? false,
    })),
  };
}

export const importRecordsUseCase = defineUseCase({
  name: 'record.import',
  summary: 'Import records and links read from files (Markdown folder, spreadsheet, doorstop, strictdoc, ReqIF) in one transaction; a dry run reports only.',
  kind: 'write',
  what: 'import',
  input: ImportRecordsInputSchema,
  output: ImportReportSchema,
  permission: 'record.import',
  http: { method: 'POST', path: '/api/v1/products/:productKey/import', status: 200 },
  run: ({ deps }, input) => importParsed(deps, input),
});
