import { recordKey, type RecordHead } from '../entities.js';
import { EvidenceImportWriter } from '../evidence/import-writer.js';
import type { EvidenceImport } from '../evidence/model.js';
import { affects, triageFromAnalysis, type ParsedAdvisory, type SoupForMatch } from '../evidence/vulnerabilities.js';
import { getProduct } from '../lookups.js';
import type { Deps, TraceRecordRow } from '../ports.js';
import { prepareRecords, writeNewLinks, writeNewRecords } from '../record-writes.js';

export interface IngestVulnerabilitiesInput {
  readonly productKey: string;
  readonly source: string;
  readonly contentHash: string;
  readonly advisories: readonly ParsedAdvisory[];
}

export interface VulnerabilitiesSummary {
  readonly import: EvidenceImport;
  readonly duplicate: boolean;
  readonly advisories: number;
  /** New vulnerability records, each linked to the SOUP record it affects, untriaged unless a VEX said otherwise. */
  readonly created: readonly { readonly record: string; readonly advisory: string; readonly soup: string; readonly triage: string }[];
  /** Advisory × component pairs already recorded before. */
  readonly known: number;
  /** Advisories that match no SOUP component of the product at its version. */
  readonly unmatched: readonly string[];
}

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
    if (known !== undefined) return { import: known, duplicate: true, advisories: input.advisories.length, created: [], known: 0, unmatched: [] };

    const records = await w.loadTraceRecords(product.id);
    const soups = records.filter((r) => r.type === 'SOUP' && r.status !== 'obsolete');
    // SBOM references each SOUP record was listed under (VEX documents point at bom-refs).
    const sbomRefs = new Map<number, string[]>();
    for (const item of await w.listEvidenceItems({ productId: product.id, kind: 'component' })) {
      for (const ref of item.refs) sbomRefs.set(ref.recordId, [...(sbomRefs.get(ref.recordId) ?? []), String(item.data['ref'])]);
    }
    const forMatch = (s: TraceRecordRow): SoupForMatch => ({
      package: String(s.fields['package']),
      version: String(s.fields['version']),
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

    const pairs: { a: ParsedAdvisory; s: TraceRecordRow }[] = [];
    const unmatched: string[] = [];
    let knownPairs = 0;
    for (const a of input.advisories) {
      const hits = soups.filter((s) => affects(a, forMatch(s)));
      if (hits.length === 0) unmatched.push(a.id);
      for (const s of hits) {
        if (recorded.has(`${a.id}|${s.id}`)) knownPairs++;
        else {
          recorded.add(`${a.id}|${s.id}`);
          pairs.push({ a, s });
        }
      }
    }
    const at = deps.clock.now();
    const reason = `vulnerabilities ${input.source}`;
    const prepared = prepareRecords(
      deps.catalog,
      pairs.map(({ a, s }) => ({
        type: 'VULN',
        title: `${a.id} in ${String(s.fields['package'])} ${String(s.fields['version'])}`.slice(0, 500),
        body: a.summary ?? '',
        fields: {
          advisory: a.id,
          aliases: a.aliases.slice(0, 20),
          source: a.source,
          severity: a.severity,
          ...(a.cvss === null ? {} : { cvss: a.cvss.slice(0, 300) }),
          affectedVersion: String(s.fields['version']),
          ...triageFromAnalysis(a.analysis),
        },
      })),
      (i) => pairs[i]?.a.at ?? input.source,
    );
    const created = await writeNewRecords(w, deps, product, prepared, at, reason);
    const heads = new Map((await w.findRecords(product.id, [...created, ...pairs.map((p) => p.s)].map((r) => ({ type: r.type, number: r.number })))).map((h) => [h.id, h]));
    const head = (id: number): RecordHead => heads.get(id) as RecordHead;
    await writeNewLinks(w, deps, product, created.map((v, i) => ({ type: 'affects', from: head(v.id), to: head(pairs[i]?.s.id ?? 0) })), at, reason);

    const writer = await EvidenceImportWriter.open(w, product);
    const out: VulnerabilitiesSummary['created'][number][] = [];
    for (const [i, { a, s }] of pairs.entries()) {
      const v = created[i];
      if (v === undefined) continue;
      const t = prepared[i]?.fields['triage'];
      const triage = typeof t === 'string' ? t : 'untriaged';
      out.push({ record: v.key, advisory: a.id, soup: recordKey(s.type, s.number), triage });
      await writer.add({ kind: 'advisory', key: `${a.id}|${recordKey(s.type, s.number)}`, outcome: triage, data: { advisory: a.id, source: a.source, severity: a.severity, component: String(s.fields['package']), version: String(s.fields['version']) }, refs: [{ recordId: v.id, role: 'refs' }] });
    }
    for (const id of unmatched) await writer.add({ kind: 'advisory', key: id, outcome: 'no_match', data: { advisory: id }, refs: [] });
    const imp = await writer.finish(deps, at, { kind: 'vulnerabilities', source: input.source, contentHash: input.contentHash, meta: { advisories: input.advisories.length, created: out.length, known: knownPairs, unmatched: unmatched.length } }, null);
    return { import: imp, duplicate: false, advisories: input.advisories.length, created: out, known: knownPairs, unmatched };
  });
}
