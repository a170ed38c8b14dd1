import { z } from 'zod';
import { ProductKeySchema } from '../../core/entities.js';
import { sha256Hex } from '../../core/hashing.js';
import { storableText } from '../../core/validation.js';
import { defineUseCase } from '../use-case.js';
import { changesCode, TRAILER_ROLES, type ParsedCommit } from '../../core/evidence/commits.js';
import { EvidenceImportWriter } from '../../core/evidence/import-writer.js';
import { EvidenceImportSchema, type EvidenceRole } from '../../core/evidence/model.js';
import { idsInText, RecordIndex, UnresolvedRefSchema, type UnresolvedRef } from '../../core/evidence/record-index.js';
import { getProduct } from '../../core/lookups.js';
import type { Deps } from '../../core/ports.js';

/** How a commit stands: it names records, changes code without naming any, changes no code, or merges. */
export type CommitOutcome = 'referenced' | 'unreferenced' | 'no_code' | 'merge';

export interface IngestCommitsInput {
  readonly productKey: string;
  /** The repository and range, as given. */
  readonly source: string;
  readonly commits: readonly ParsedCommit[];
  /** Files that are not code (default: documentation, text, images). */
  readonly nonCode?: RegExp;
}

/** What a commits import did. */
export const CommitsSummarySchema = z.object({
  /** Absent when every commit was imported before (nothing written). */
  import: EvidenceImportSchema.optional(),
  read: z.number().int(),
  added: z.number().int(),
  alreadyKnown: z.number().int(),
  referenced: z.number().int(),
  /** Commits that change code but name no record: reported (the release gate decides how strictly). */
  unreferenced: z.array(z.object({ sha: z.string(), subject: z.string(), author: z.string() })),
  unresolved: z.array(UnresolvedRefSchema),
});
export type CommitsSummary = z.infer<typeof CommitsSummarySchema>;

/**
 * Records commits (IEC 62304 5.1.9 configuration management, 8.2 change control; ISO 13485 7.3.9) with author,
 * date, message, changed-file count and the records they name: in trailers (`Implements:`, `Verifies:`, `Fixes:`,
 * `Refs:`) or in the subject. Commits already recorded for the product are recognised by SHA and skipped, so
 * ingesting overlapping ranges never duplicates.
 * @throws AppError NOT_FOUND for the product
 */
export async function ingestCommits(deps: Deps, input: IngestCommitsInput): Promise<CommitsSummary> {
  return deps.store.write(async (w) => {
    const product = await getProduct(w, input.productKey);
    const known = new Set((await w.listEvidenceItems({ productId: product.id, kind: 'commit' })).map((i) => i.key));
    const seen = new Set(known);
    const fresh = input.commits.filter((c) => !seen.has(c.sha) && seen.add(c.sha) !== undefined);
    const base = { read: input.commits.length, alreadyKnown: input.commits.length - fresh.length };
    if (fresh.length === 0) return { import: undefined, added: 0, referenced: 0, unreferenced: [], unresolved: [], ...base };
    const index = await RecordIndex.load(w, product, deps.catalog);
    const writer = await EvidenceImportWriter.open(w, product);
    const unresolved: UnresolvedRef[] = [];
    const unreferenced: { sha: string; subject: string; author: string }[] = [];
    let referenced = 0;
    // Oldest first, so item order follows history.
    for (const c of [...fresh].reverse()) {
      const named: { id: string; role: EvidenceRole }[] = [];
      for (const [k, v] of c.trailers) {
        const role = TRAILER_ROLES[k.toLowerCase()];
        if (role !== undefined) named.push(...idsInText(v).map((id) => ({ id, role })));
      }
      named.push(...idsInText(c.subject).map((id) => ({ id, role: 'refs' as const })));
      const refs = index.refs(named, `commit ${c.sha.slice(0, 12)}`, unresolved);
      const code = changesCode(c.files, input.nonCode);
      const outcome: CommitOutcome = c.parents.length > 1 ? 'merge' : refs.length > 0 ? 'referenced' : code ? 'unreferenced' : 'no_code';
      if (outcome === 'referenced') referenced++;
      if (outcome === 'unreferenced') unreferenced.push({ sha: c.sha, subject: c.subject, author: c.authorEmail });
      await writer.add({
        kind: 'commit',
        key: c.sha,
        outcome,
        data: {
          parents: c.parents,
          author: c.authorName,
          authorEmail: c.authorEmail,
          authoredAt: c.authoredAt,
          committer: c.committerName,
          committedAt: c.committedAt,
          subject: c.subject,
          ...(c.body === '' ? {} : { body: c.body.slice(0, 4000) }),
          trailers: c.trailers,
          filesChanged: c.files.length,
          codeChanged: code,
        },
        refs,
      });
    }
    const imp = await writer.finish(
      deps,
      deps.clock.now(),
      {
        kind: 'commits',
        source: input.source,
        contentHash: sha256Hex(fresh.map((c) => c.sha).sort().join('\n')),
        meta: { read: base.read, added: fresh.length, referenced, unreferenced: unreferenced.length },
      },
      null,
    );
    return { import: imp, added: fresh.length, referenced, unreferenced, unresolved, ...base };
  });
}

const Str = storableText();

/** One commit as the git log reader gives it (see `ParsedCommit`). */
export const ParsedCommitSchema = z.object({
  sha: z.string().regex(/^[0-9a-f]{7,64}$/, 'expected a git commit SHA (7 to 64 hex digits)'),
  parents: z.array(z.string()).readonly(),
  authorName: Str,
  authorEmail: Str,
  authoredAt: z.string(),
  committerName: Str,
  committedAt: z.string(),
  subject: Str,
  body: Str,
  trailers: z.array(z.tuple([Str, Str]).readonly()).readonly(),
  files: z.array(Str).readonly(),
});

/** The import's input: commits already read from the repository (the CLI reads them with `git log`). */
export const IngestCommitsInputSchema = z.strictObject({
  productKey: ProductKeySchema,
  /** The repository and range, as given. */
  source: Str.min(1),
  /** Newest first, as `git log` lists them. */
  commits: z.array(ParsedCommitSchema).readonly(),
});

export const ingestCommitsUseCase = defineUseCase({
  name: 'evidence.commits',
  summary: 'Record commits with the records they name.',
  kind: 'write',
  what: 'commits',
  input: IngestCommitsInputSchema,
  output: CommitsSummarySchema,
  permission: 'evidence.import',
  http: { method: 'POST', path: '/api/v1/products/:productKey/evidence/commits', status: 201 },
  run: ({ deps }, input) => ingestCommits(deps, input),
});
