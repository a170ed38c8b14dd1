import { z } from 'zod';
import type { AuditEvent } from '../../core/audit.js';
import { AuditExportSchema, type AuditExport } from '../../core/audit-export.js';
import type { Deps, ProgressFn } from '../../core/ports.js';
import { parseInput } from '../../core/validation.js';
import { auditCsv } from '../../export/audit-csv.js';
import { auditFilterOf, AuditQueryShape, auditScope } from '../services/audit-query.js';
import { defineUseCase, type RenderedBody } from '../use-case.js';
import { verifyIntegrity } from './verify-integrity.js';

const PAGE = 10_000;

/** What part of the trail to export, and how the HTTP API serves it (`json`, or `csv` as a file). */
export const ExportAuditTrailInputSchema = z.strictObject({
  ...AuditQueryShape,
  /** `csv`: the HTTP API answers with a CSV file (text/csv) instead of the JSON document; the content is the same. */
  format: z.enum(['json', 'csv']).default('json'),
});
export type ExportAuditTrailInput = z.input<typeof ExportAuditTrailInputSchema>;


/**
 * Exports the audit trail for an auditor: every event matching the filters (read page by page, oldest first) with
 * the verification of the whole trail (`verifyIntegrity`). The events are read after the verification and only up
 * to the head it verified, so the export shows nothing the verification did not cover.
 * @param onProgress - the verification's progress
 * @param pageSize - events read per query (tests make it small to cross page boundaries)
 * @throws AppError INVALID_INPUT naming the field; NOT_FOUND when the record asked for does not exist
 */
export async function exportAuditTrail(
  deps: Pick<Deps, 'store' | 'clock'>,
  input: ExportAuditTrailInput,
  onProgress?: ProgressFn,
  pageSize = PAGE,
): Promise<AuditExport> {
  const i = parseInput(ExportAuditTrailInputSchema, input, 'audit export');
  const scope = auditScope(i);
  const query = { ...i, ...(scope === undefined ? {} : { productKey: scope }) };
  // Bad filters are refused before the long verification.
  const filter = await deps.store.read((r) => auditFilterOf(r, query));
  const report = await verifyIntegrity(deps, onProgress);
  const head = report.head === null ? null : { seq: report.head.seq, hash: report.head.hash };
  const { events, names } = await deps.store.read(async (r) => {
    const out: AuditEvent[] = [];
    for (let after = 0; ; ) {
      const page = await r.listAudit({ ...filter, afterSeq: after, limit: pageSize, ...(head === null ? {} : { throughSeq: head.seq }) });
      out.push(...page);
      const last = page[page.length - 1];
      if (last === undefined || page.length < pageSize) break;
      after = last.seq;
    }
    return { events: out, names: new Map((await r.listUsers()).map((u) => [u.username, u.printedName])) };
  });
  const actors = [...new Set(events.map((e) => e.actor))]
    .sort()
    .flatMap((username) => {
      const printedName = names.get(username);
      return printedName === undefined ? [] : [{ username, printedName }];
    });
  const problems = report.problems.slice(0, 20).map((p) =>
    // One product's reader may not see what another product's problem names.
    scope === undefined
      ? { kind: p.kind, ...(p.seq === undefined ? {} : { seq: p.seq }), ...(p.item === undefined ? {} : { item: p.item }), message: p.message }
      : { kind: p.kind, ...(p.seq === undefined ? {} : { seq: p.seq }) },
  );
  return {
    exportedAt: deps.clock.now(),
    filter: {
      ...(scope === undefined ? {} : { productKey: scope }),
      ...(i.entityId === undefined ? {} : { entityId: i.entityId }),
      ...(i.record === undefined ? {} : { record: i.record }),
      ...(i.actor === undefined ? {} : { actor: i.actor }),
      ...(i.action === undefined ? {} : { action: [...i.action] }),
      ...(i.from === undefined ? {} : { from: i.from }),
      ...(i.to === undefined ? {} : { to: i.to }),
    },
    verification: {
      ok: report.ok,
      head,
      eventsChecked: report.eventsChecked,
      revisionsChecked: report.revisionsChecked,
      evidenceChecked: report.evidenceChecked,
      stateRowsChecked: report.stateRowsChecked,
      baselinesChecked: report.baselinesChecked,
      problemCount: report.problems.length,
      problems,
    },
    actors,
    total: events.length,
    events,
  };
}

export const exportAuditTrailUseCase = defineUseCase({
  name: 'audit.export',
  summary: 'Export the audit trail (filtered) with the verification of the whole trail, as JSON or CSV.',
  kind: 'read',
  heavy: true,
  what: 'audit export',
  input: ExportAuditTrailInputSchema,
  output: AuditExportSchema,
  // As audit.log: one product's events need audit.read on it, the whole store's need audit.verify.
  permission: (input) => (auditScope(input) === undefined ? 'audit.verify' : 'audit.read'),
  product: auditScope,
  http: {
    method: 'GET',
    path: '/api/v1/audit/export',
    render: (input) => ((input as { format?: unknown } | null)?.format === 'csv' ? auditCsvFile : undefined),
  },
  run: async ({ deps, progress }, input) => exportAuditTrail(deps, input, progress),
});

/** An export as the CSV file the HTTP API offers (`audit-RPM-42.csv`: the product, or `store`, and the head). */
function auditCsvFile(output: unknown): RenderedBody {
  const exp = output as AuditExport;
  const scope = (exp.filter.productKey ?? 'store').replace(/[^A-Za-z0-9_-]/g, '_');
  return { contentType: 'text/csv; charset=utf-8', fileName: `audit-${scope}-${exp.verification.head?.seq ?? 0}.csv`, body: auditCsv(exp) };
}
