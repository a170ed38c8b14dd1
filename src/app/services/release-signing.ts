import { appendAudit } from '../../core/audit-trail.js';
import { GENESIS_HASH } from '../../core/audit.js';
import type { Product } from '../../core/entities.js';
import { AppError, invalidState } from '../../core/errors.js';
import type { Release } from '../../core/evidence/model.js';
import type { Deps, StoreReader, StoreWriter } from '../../core/ports.js';
import {
  RELEASE_SUBJECT,
  releaseEntityKey,
  sealReleaseManifest,
  signatureEntityId,
  signatureEventValue,
  workflowFor,
  type SignatureMeaning,
  type SignatureRow,
  type Workflow,
} from '../../core/signatures/model.js';
import type { ProvedSigner } from './signing.js';
import type { ReleaseCheck } from './release-gate.js';

/**
 * What release signing (`release.sign`) and releasing (`release.mark`, the release workflow's last step) share:
 * the release's state checks, its workflow and signatures, and writing a signature over the release record.
 */

/** `RPM 1.2.0 baseline 2`, for messages. */
export const releaseItem = (product: Product, release: Release): string => `release ${product.key} ${release.version} baseline ${release.baseline}`;

/**
 * Refuses a release that can no longer be signed, or a baseline that is not the newest.
 * @param baseline - the baseline the signer read; undefined: the newest
 * @throws AppError INVALID_STATE for a released or void release; PRECONDITION_FAILED for another baseline than the newest
 */
export function checkSignable(product: Product, release: Release, baseline: number | undefined): void {
  const item = `${product.key} ${release.version}`;
  if (baseline !== undefined && baseline !== release.baseline) {
    throw new AppError(
      'PRECONDITION_FAILED',
      baseline > release.baseline
        ? `release ${item} has no baseline ${baseline}: the newest is baseline ${release.baseline}`
        : `release ${item} was frozen again since baseline ${baseline}: the newest is baseline ${release.baseline} (by ${release.createdBy} at ${release.createdAt}); check it before signing`,
      { item, field: 'baseline' },
    );
  }
  if (release.status === 'released') throw invalidState(`release ${item} was already released on ${release.releasedAt ?? '?'}; its signatures are final`, { item });
  if (release.status === 'void') {
    throw invalidState(`release ${item} baseline ${release.baseline} is void (${release.voidReason ?? ''}); freeze a new baseline with dossier release create`, { item });
  }
}

/** The release workflow of a product in force, and the signatures already on this baseline. */
export async function releaseSigningState(r: StoreReader, product: Product, release: Release): Promise<{ workflow: Workflow; signatures: SignatureRow[] }> {
  const workflow = workflowFor(await r.listWorkflows(product.id), product.id, RELEASE_SUBJECT);
  const signatures = (await r.listSignatures('release', [release.id])).filter((s) => s.revision === release.baseline);
  return { workflow, signatures };
}

/**
 * Writes one signature over the release record (21 CFR 11.50, 11.70): the canonical manifest of the product, version,
 * baseline and its hash, the meaning, the gate's result and the audit trail's head read in this transaction, with
 * its SIGNATURE_APPLIED event.
 */
export async function writeReleaseSignature(
  w: StoreWriter,
  deps: Deps,
  s: {
    readonly product: Product;
    readonly release: Release;
    readonly signer: ProvedSigner;
    readonly meaning: SignatureMeaning;
    readonly step: number;
    readonly check: Pick<ReleaseCheck, 'passed' | 'findings'>;
    readonly at: string;
    readonly reason: string | null;
  },
): Promise<SignatureRow> {
  const head = await w.auditHead();
  const { manifest, contentHash } = sealReleaseManifest({
    product: s.product.key,
    version: s.release.version,
    baseline: s.release.baseline,
    baselineHash: s.release.baselineHash,
    meaning: s.meaning,
    gate: {
      passed: s.check.passed,
      errors: s.check.findings.filter((f) => f.severity === 'error').length,
      warnings: s.check.findings.filter((f) => f.severity === 'warning').length,
    },
    auditHead: { seq: head?.seq ?? 0, hash: head?.hash ?? GENESIS_HASH },
  });
  const row: SignatureRow = {
    id: await w.nextSignatureId(),
    productId: s.product.id,
    entityType: 'release',
    entityId: s.release.id,
    entityKey: releaseEntityKey(s.product.key, s.release.version),
    revision: s.release.baseline,
    contentHash,
    manifest,
    meaning: s.meaning,
    step: s.step,
    userId: s.signer.user.id,
    username: s.signer.user.username,
    printedName: s.signer.user.printedName,
    signedAt: s.at,
    method: s.signer.method,
  };
  await w.insertSignatures([row]);
  await appendAudit(w, deps, s.at, [
    {
      action: 'SIGNATURE_APPLIED',
      entityType: 'signature',
      entityId: signatureEntityId(row.entityKey, row.id),
      productKey: s.product.key,
      newValue: signatureEventValue(row),
      reason: s.reason,
    },
  ]);
  return row;
}
