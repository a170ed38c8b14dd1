import { z } from 'zod';
import { ProductKeySchema, recordKey, type RecordHead } from '../../core/entities.js';
import { storableText } from '../../core/validation.js';
import { defineUseCase } from '../use-case.js';
import { EvidenceImportWriter } from '../../core/evidence/import-writer.js';
import { ContentHashSchema, EvidenceImportSchema } from '../../core/evidence/model.js';
import { bomLink, matchAdvisory, type AdvisoryMatch, type ParsedAdvisory, type SoupForMatch } from '../../core/evidence/vulnerabilities.js';
import { getProduct } from '../../core/lookups.js';
import type { Deps, TraceRecordRow } from '../../core/ports.js';
import { prepareRecords, writeNewLinks, writeNewRecords } from '../../core/record-writes.js';

const Str = storableText();

/** OSV range events (see `RangeEvent`). */
const RangeEventSchema = z.object({
  introduced: Str.optional(),
  fixed: Str.optional(),
  last_affected: Str.optional(),
  limit: Str.optional(),
});

/** OSV: one affected package (see `OsvAffected`). */
const OsvAffectedSchema = z.object({
  ecosystem: Str.nullable(),
  name: Str.nullable(),
  purl: Str.nullable(),
  versions: z.array(Str).readonly(),
  ranges: z.array(z.object({ type: Str, events: z.array(RangeEventSchema).readonly() })).readonly(),
});

/** CycloneDX VEX: one `affects` entry (see `VexStatement`). */
const VexStatementSchema = z.object({
  ref: Str,
  versions: z
    .array(z.object({ version: Str.nullable(), range: Str.nullable(), status: z.enum(['affected', 'unaffected', 'unknown']) }))
    .readonly()
    .nullable(),
});

/** One advisory as the OSV or VEX reader gives it (see `ParsedAdvisory`). */
export const ParsedAdvisorySchema = z.object({
  id: Str.min(1),
  aliases: z.array(Str).readonly(),
  summary: Str.nullable(),
  severity: z.enum(['critical', 'high', 'medium', 'low', 'unknown']),
  severityFrom: Str.nullable(),
  cvss: Str.nullable(),
  source: z.enum(['osv', 'vex']),
  withdrawn: Str.nullable(),
  affected: z.array(OsvAffectedSchema).readonly(),
  observed: z.array(z.object({ ecosystem: Str, name: Str, version: Str })).readonly(),
  statements: z.array(VexStatementSchema).readonly(),
  analysis: z.object({ state: Str, justification: Str.nullable(), detail: Str.nullable() }).nullable(),
  at: Str,
});

/** The import's input: the advisories as read (the CLI and the API's upload both read them with `src/ingest/vulnerability-file`). */
export const IngestVulnerabilitiesInputSchema = z.strictObject({
  productKey: ProductKeySchema,
  source: Str.min(1),
  contentHash: ContentHashSchema,
  advisories: z.array(ParsedAdvisorySchema).readonly(),
});
export type IngestVulnerabilitiesInput = z.input<typeof IngestVulnerabilitiesInputSchema>;

/** What a vulnerabilities import did. */
export const VulnerabilitiesSummarySchema = z.object({
  import: EvidenceImportSchema,
  duplicate: z.boolean(),
  advisories: z.number().int(),
  /**
   * New vulnerability records, each linked to the SOUP record it affects, untriaged unless a VEX stated the triage
   * for that version. `evaluated` false: the advisory names the component but its range could not be evaluated
   * (`note` says why); the record is left to triage, never decided on a guess.
   */
  created: z.array(z.object({ record: z.string(), advisory: z.string(), soup: z.string(), triage: z.string(), evaluated: z.boolean(), note: z.string() })),
  /** Advisory × component pairs already recorded before. */
  known: z.number().int(),
  /** Advisories that match no SOUP component of the product at its version. */
  unmatched: z.array(z.string()),
  /** OSV advisories withdrawn by their database: read, reported here, never recorded. */
  withdrawn: z.array(z.string()),
});
export type VulnerabilitiesSummary = z.infer<typeof VulnerabilitiesSummarySchema>;

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/**
 * Turns known vulnerabilities (OSV or CycloneDX VEX, read offline) into vulnerability records on the SOUP
 * components they affect at the versions in use, each linked `affects` → SOUP and left to triage (IEC 62304 7.1.3,
 * 9.2). A pair already recorded is not recorded again; the same file again changes nothing.
 * @throws AppError NOT_FOUND for the product
 */
export async function ingestVulnerabilities(deps: Deps, input: IngestVulnerabilitiesInput): Promise<VulnerabilitiesSummary> {
  return deps.store.write(async (w) => {
    const product = await getProduct(w, input.productKey);
    const known = await w.findEvidenceImport(product.id, 'vulnerabilities', input.contentHash);
    if (known !== undefined) return { import: known, duplicate: true, advisories: input.advisories.length, created: [], known: 0, unmatched: [], withdrawn: [] };

    const records = await w.loadTraceRecords(product.id);
    const soups = records.filter((r) => r.type === 'SOUP' && r.status !== 'obsolete');
    // SBOM references each SOUP record was listed under (VEX documents point at bom-refs or BOM-Links).
    const sbomRefs = new Map<number, string[]>();
    for (const item of await w.listEvidenceItems({ productId: product.id, kind: 'component' })) {
      const d = item.data;
      const refs = Array.isArray(d['refs']) ? d['refs'].map(String) : [String(d['ref'])];
      const serial = str(d['bomSerial']);
      const links = serial === null || typeof d['bomVersion'] !== 'number' ? [] : refs.map((r) => bomLink(serial, d['bomVersion'] as number, r));
      for (const ref of item.refs) sbomRefs.set(ref.recordId, [...(sbomRefs.get(ref.recordId) ?? []), ...refs, ...links]);
    }
    const forMatch = (s: TraceRecordRow): SoupForMatch => ({
      package: String(s.fields['package']),
      version: str(s.fields['version']),
      purl: str(s.fields['purl']),
      ecosystem: str(s.fields['ecosystem']) ?? (str(s.fields['purl'])?.match(/^pkg:([^/]+)\//)?.[1] ?? null),
      sbomRefs: sbomRefs.get(s.id) ?? [],
    });
    const vulnById = new Map(records.filter((r) => r.type === 'VULN').map((r) => [r.id, r]));
    const recorded = new Set(
      (await w.listLinks({ productId: product.id }))
        .filter((l) => l.type === 'affects' && vulnById.has(l.fromId) && vulnById.get(l.fromId)?.status !== 'obsolete')
        .map((l) => `${String(vulnById.get(l.fromId)?.fields['advisory'])}|${l.toId}`),
    );

    const pairs: { a: ParsedAdvisory; s: TraceRecordRow; m: AdvisoryMatch }[] = [];
    const unmatched: string[] = [];
    const withdrawn: string[] = [];
    let knownPairs = 0;
    for (const a of input.advisories) {
      if (a.withdrawn !== null) {
        withdrawn.push(a.id);
        continue;
      }
      const hits = soups.flatMap((s) => {
        const m = matchAdvisory(a, forMatch(s));
        return m === undefined ? [] : [{ s, m }];
      });
      if (hits.length === 0) unmatched.push(a.id);
      for (const { s, m } of hits) {
        if (recorded.has(`${a.id}|${s.id}`)) knownPairs++;
        else {
          recorded.add(`${a.id}|${s.id}`);
          pairs.push({ a, s, m });
        }
      }
    }
    const at = deps.clock.now();
    const reason = `vulnerabilities ${input.source}`;
    const prepared = prepareRecords(
      deps.catalog,
      pairs.map(({ a, s, m }) => {
        const version = str(s.fields['version']);
        return {
          type: 'VULN',
          title: `${a.id} in ${String(s.fields['package'])}${version === null ? '' : ` ${version}`}${m.evaluated ? '' : ' (range not evaluated)'}`.slice(0, 500),
          body: vulnBody(a, m),
          fields: {
            advisory: a.id,
            aliases: a.aliases.slice(0, 20),
            source: a.source,
            severity: a.severity,
            ...(a.cvss === null ? {} : { cvss: a.cvss.slice(0, 300) }),
            ...(version === null ? {} : { affectedVersion: version }),
            // Only what the VEX states for this version; an OSV match or an unevaluated range is left to triage.
            ...(m.evaluated && m.triage !== undefined ? { triage: m.triage } : {}),
            ...(m.evaluated && m.justification !== undefined ? { justification: m.justification } : {}),
          },
        };
      }),
      (i) => pairs[i]?.a.at ?? input.source,
    );
    const created = await writeNewRecords(w, deps, product, prepared, at, reason);
    const heads = new Map((await w.findRecords(product.id, [...created, ...pairs.map((p) => p.s)].map((r) => ({ type: r.type, number: r.number })))).map((h) => [h.id, h]));
    const head = (id: number): RecordHead => heads.get(id) as RecordHead;
    await writeNewLinks(w, deps, product, created.map((v, i) => ({ type: 'affects', from: head(v.id), to: head(pairs[i]?.s.id ?? 0) })), at, reason);

    const writer = await EvidenceImportWriter.open(w, product);
    const out: VulnerabilitiesSummary['created'][number][] = [];
    for (const [i, { a, s, m }] of pairs.entries()) {
      const v = created[i];
      if (v === undefined) continue;
      const t = prepared[i]?.fields['triage'];
      const triage = typeof t === 'string' ? t : 'untriaged';
      const note = m.evaluated ? m.how : m.why;
      out.push({ record: v.key, advisory: a.id, soup: recordKey(s.type, s.number), triage, evaluated: m.evaluated, note });
      await writer.add({
        kind: 'advisory',
        key: `${a.id}|${recordKey(s.type, s.number)}`,
        outcome: m.evaluated ? triage : 'range_not_evaluated',
        data: { advisory: a.id, source: a.source, severity: a.severity, component: String(s.fields['package']), version: str(s.fields['version']), match: note },
        refs: [{ recordId: v.id, role: 'refs' }],
      });
    }
    for (const id of unmatched) await writer.add({ kind: 'advisory', key: id, outcome: 'no_match', data: { advisory: id }, refs: [] });
    for (const id of withdrawn) await writer.add({ kind: 'advisory', key: id, outcome: 'withdrawn', data: { advisory: id }, refs: [] });
    const notEvaluated = out.filter((c) => !c.evaluated).length;
    const imp = await writer.finish(
      deps,
      at,
      { kind: 'vulnerabilities', source: input.source, contentHash: input.contentHash, meta: { advisories: input.advisories.length, created: out.length, known: knownPairs, unmatched: unmatched.length, withdrawn: withdrawn.length, notEvaluated } },
      null,
    );
    return { import: imp, duplicate: false, advisories: input.advisories.length, created: out, known: knownPairs, unmatched, withdrawn };
  });
}

/** The record's body: the advisory's summary, where its severity came from, and how it was matched (or why not). */
function vulnBody(a: ParsedAdvisory, m: AdvisoryMatch): string {
  return [
    a.summary ?? '',
    a.severityFrom === null ? '' : `Severity: ${a.severityFrom}.`,
    m.evaluated ? `Matched: ${m.how}.` : `Not decided: ${m.why}. Check whether the version in use is affected, then triage.`,
  ]
    .filter((x) => x !== '')
    .join('\n\n');
}

export const ingestVulnerabilitiesUseCase = defineUseCase({
  name: 'evidence.vulnerabilities',
  summary: 'Record known vulnerabilities of SOUP components, to be triaged.',
  kind: 'write',
  what: 'vulnerability file',
  input: IngestVulnerabilitiesInputSchema,
  output: VulnerabilitiesSummarySchema,
  permission: 'evidence.import',
  http: { method: 'POST', path: '/api/v1/products/:productKey/evidence/vulnerabilities', status: 201 },
  run: ({ deps }, input) => ingestVulnerabilities(deps, input),
});
