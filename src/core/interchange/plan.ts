import { z } from 'zod';
import { recordTitle, storableText } from '../validation.js';

/**
 * What an importer hands the store: records and links read from an outside source (a Markdown folder, a
 * spreadsheet, a doorstop tree, strictdoc files, ReqIF), each with where it came from so every problem names the
 * file, line, row or column. One plan is checked completely and then applied in one transaction, or not at all
 * (`app/use-cases/import-records.ts`). Importers are pure readers: they never touch the store themselves.
 */

/** Where an item came from, for messages: `reqs/srs/SRS001.yml:3`, `needs.csv row 12 column C`. */
export const SourceWhereSchema = z.string().max(500);

/** One record in a plan: new when `key` is absent, else a new revision of that existing record when it differs. */
export const ImportRecordSchema = z.strictObject({
  /** The source's ID for this record, unique in the plan (`SYS001`, a ReqIF identifier, or a Dossier key `SRS-12`). */
  ref: z.string().min(1).max(300),
  /** The existing Dossier record this item updates (`SRS-12`); absent for a new record. */
  key: z.string().min(1).max(40).optional(),
  /**
   * The revision the source was made from (a Markdown file's `revision`): when the store has a newer one, someone
   * changed the record since, and the item is a conflict, refused and listed.
   */
  baseRevision: z.number().int().positive().optional(),
  type: z.string().min(1),
  title: recordTitle(),
  /** Markdown. */
  body: storableText().max(1_000_000).default(''),
  /** The whole field set (not a patch): a field the store has and the item lacks is removed. */
  fields: z.record(z.string(), z.unknown()).default({}),
  where: SourceWhereSchema.optional(),
});
export type ImportRecord = z.input<typeof ImportRecordSchema>;

/** One link in a plan; ends are plan refs or existing Dossier keys. */
export const ImportLinkSchema = z.strictObject({
  from: z.string().min(1).max(300),
  type: z.string().min(1),
  to: z.string().min(1).max(300),
  /**
   * The source says the link was not reviewed against the target's current content (a doorstop link whose stamp
   * differs): it is created pinned to no revision, so it shows as suspect until someone confirms it.
   */
  suspect: z.boolean().default(false),
  where: SourceWhereSchema.optional(),
});
export type ImportLink = z.input<typeof ImportLinkSchema>;

export const ImportPlanSchema = z.strictObject({
  records: z.array(ImportRecordSchema).default([]),
  links: z.array(ImportLinkSchema).default([]),
  /**
   * `add`: links are added, none removed (spreadsheets, tool imports). `replace`: for every record in the plan, its
   * active outgoing links are exactly those listed; the others are removed (a Markdown folder sync).
   */
  linkMode: z.enum(['add', 'replace']).default('add'),
});
export type ImportPlan = z.input<typeof ImportPlanSchema>;
export type ParsedImportPlan = z.output<typeof ImportPlanSchema>;

/** A problem found while reading a source or checking a plan: where, and what. Nothing is written while any exists. */
export const ImportProblemSchema = z.object({ where: z.string(), message: z.string() });
export type ImportProblem = z.infer<typeof ImportProblemSchema>;

/** What an import did, or would do on a dry run. */
export const ImportReportSchema = z.object({
  dryRun: z.boolean(),
  /** New records: plan ref → the key it got (or would get on a dry run: the next free numbers at the time). */
  created: z.array(z.object({ ref: z.string(), key: z.string(), type: z.string(), title: z.string() })),
  /** Existing records given a new revision. */
  changed: z.array(z.object({ ref: z.string(), key: z.string(), fromRevision: z.number().int(), toRevision: z.number().int() })),
  /** Existing records whose content already matched. */
  unchanged: z.number().int(),
  linksAdded: z.array(z.object({ from: z.string(), type: z.string(), to: z.string(), suspect: z.boolean() })),
  /** Links already present (not added twice). */
  linksKept: z.number().int(),
  linksRemoved: z.array(z.object({ id: z.number().int(), from: z.string(), type: z.string(), to: z.string() })),
  /** Items whose record changed in the store after the source's `baseRevision`: refused. */
  conflicts: z.array(
    z.object({ ref: z.string(), key: z.string(), where: z.string(), baseRevision: z.number().int(), latestRevision: z.number().int(), changedBy: z.string(), changedAt: z.string() }),
  ),
  problems: z.array(ImportProblemSchema),
});
export type ImportReport = z.infer<typeof ImportReportSchema>;

/** `file:line` or the ref, for a message. */
export function whereOf(item: { where?: string | undefined; ref?: string }, fallback: string): string {
  return item.where ?? item.ref ?? fallback;
}
