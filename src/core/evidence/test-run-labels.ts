import { appendAudit } from '../audit-trail.js';
import type { Product } from '../entities.js';
import { conflict, invalidInput, invalidState, notFound } from '../errors.js';
import type { Deps, StoreReader, StoreWriter } from '../ports.js';
import type { EvidenceImport } from './model.js';

/** The audit entity of an import: `RPM/evidence/12`. */
export const evidenceEntityId = (product: Product, id: number): string => `${product.key}/evidence/${id}`;

/**
 * A test run of the product by ID.
 * @throws AppError NOT_FOUND when there is none; INVALID_INPUT when the import is not a test run
 */
export async function getTestRun(r: StoreReader, product: Product, id: number): Promise<EvidenceImport> {
  const run = await r.findEvidenceImportById(product.id, id);
  if (run === undefined) throw notFound(`test run ${id} does not exist in ${product.key} (see dossier evidence list --kind test_run)`, { item: String(id) });
  if (run.kind !== 'test_run') throw invalidInput(`evidence import ${id} of ${product.key} is ${run.kind}, not a test run`, { item: String(id) });
  return run;
}

/**
 * Refuses changing what a released baseline was judged on: its test runs stay as they were when it was released.
 * @throws AppError CONFLICT naming the release
 */
export async function refuseIfReleased(r: StoreReader, product: Product, run: EvidenceImport, doing: string): Promise<void> {
  for (const release of await r.listReleases(product.id)) {
    if (release.status !== 'released') continue;
    if ((await r.listReleaseEvidence(release.id)).some((e) => e.importId === run.id)) {
      throw conflict(`test run ${run.id} is evidence of ${product.key} ${release.version}, released on ${release.releasedAt ?? '?'}; a released baseline is final, so the run cannot be ${doing}`, {
        item: String(run.id),
      });
    }
  }
}

/**
 * Gives a test run another version (or its first), with an EVIDENCE_RELABELLED event carrying the old and new
 * version and the reason. A void run and a run of a released baseline are refused.
 * @throws AppError INVALID_STATE for a void run; CONFLICT for a released one; INVALID_INPUT when it has that version already
 */
export async function relabelRun(w: StoreWriter, deps: Pick<Deps, 'actor' | 'clock'>, product: Product, run: EvidenceImport, version: string, reason: string): Promise<EvidenceImport> {
  if (run.voidedAt !== null) throw invalidState(`test run ${run.id} was voided on ${run.voidedAt} (${run.voidReason ?? ''}); a void run gets no version`, { item: String(run.id) });
  if (run.version === version) throw invalidInput(`test run ${run.id} is labelled ${version} already; nothing to change`, { item: String(run.id) });
  await refuseIfReleased(w, product, run, 'relabelled');
  const at = deps.clock.now();
  await w.setEvidenceImportVersion(run.id, version);
  await appendAudit(w, deps, at, [
    {
      action: 'EVIDENCE_RELABELLED',
      entityType: 'evidence',
      entityId: evidenceEntityId(product, run.id),
      productKey: product.key,
      oldValue: { version: run.version },
      newValue: { version },
      reason,
    },
  ]);
  return { ...run, version };
}
