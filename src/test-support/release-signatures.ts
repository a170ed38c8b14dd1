import { localPrincipal } from '../core/access/principal.js';
import { writeReleaseSignature } from '../app/services/release-signing.js';
import { asSigner } from '../app/services/signing.js';
import { setWorkflowUseCase } from '../app/use-cases/set-workflow.js';
import { changeRecordStatus } from '../app/use-cases/change-record-status.js';
import { createRelease } from '../app/use-cases/create-release.js';
import { editRecord } from '../app/use-cases/edit-record.js';
import { getProduct } from '../core/lookups.js';
import type { Deps } from '../core/ports.js';
import {
  type WorkflowMeaning,
  type SignatureRow,
  type Workflow,
} from '../core/signatures/model.js';
import { aProduct, someRecords } from './factories.js';
import { aSigningTeam, runAs, signAs, SIGNERS } from './signers.js';

/**
 * Signs a release's latest baseline through the release signing service (the audit head read in the same write, the
 * manifest sealed over it, the row and its SIGNATURE_APPLIED event), without the use-case's re-authentication, gate
 * and workflow checks: tamper and export tests need a signed release without building one whose gate passes.
 */
export async function signReleaseForTest(
  deps: Deps,
  input: {
    readonly productKey: string;
    readonly version: string;
    readonly meaning: WorkflowMeaning;
    readonly username: string;
    /** The workflow step it fulfils (the default release workflow: 0 approved, 1 released). */
    readonly step: number;
  },
): Promise<SignatureRow> {
  return deps.store.write(async (w) => {
    const product = await getProduct(w, input.productKey);
    const release = await w.findRelease(product.id, input.version);
    const user = await w.findUser(input.username);
    if (release === undefined || user === undefined) throw new Error(`no release ${input.version} or user ${input.username}`);
    const signer = { user, grants: [], method: 'password' as const };
    const at = deps.clock.now();
    return writeReleaseSignature(w, asSigner(deps, signer), { product, release, signer, meaning: input.meaning, step: input.step, check: { passed: true, findings: [] }, at, reason: null });
  });
}

/** What `aSignedProduct` made, for tests to aim at. */
export interface SignedProduct {
  /** The sequence number of each release signature's SIGNATURE_APPLIED event. */
  readonly releaseSignedAt: { readonly approved: number; readonly released: number };
  /** The event of the release's RELEASE_CREATED. */
  readonly releaseCreatedAt: number;
}

/**
 * A product with every kind of signature row, run by `deps` acting as the author (dana.engineer): the signing team
 * (statements accepted), SRS-1 (id 1) reviewed by quinn.qa (signature 1) and approved by avery.approver (3), then
 * edited to revision 2; SRS-2 (id 2) reviewed (2) and still in review; a DOC workflow; release 1.0.0 (id 1) approved
 * by quinn.qa (4) and released by avery.approver (5).
 */
export async function aSignedProduct(deps: Deps): Promise<SignedProduct> {
  const ops = localPrincipal('ops');
  await aProduct(deps);
  await aSigningTeam(deps, 'RPM');
  await someRecords(deps, 'RPM', ['SRS', 'SRS']);
  for (const record of ['SRS-1', 'SRS-2']) await changeRecordStatus(deps, { productKey: 'RPM', record, to: 'in_review', baseRevision: 1 });
  const sign = (who: 'quinn' | 'avery', meaning: WorkflowMeaning, records: readonly string[]): Promise<unknown> => signAs(deps, who, meaning, records);
  await sign('quinn', 'reviewed', ['SRS-1', 'SRS-2']);
  await sign('avery', 'approved', ['SRS-1']);
  await editRecord(deps, { productKey: 'RPM', record: 'SRS-1', baseRevision: 1, body: 'TLS 1.3 only, from now on.' });
  const docWorkflow: Workflow = { steps: [{ meaning: 'approved', roles: ['quality'], notAuthor: true }], distinctSigners: true };
  await runAs(deps, setWorkflowUseCase, ops, { productKey: 'RPM', subject: 'DOC', ...docWorkflow, reason: 'documents need quality approval only' });
  const releaseCreatedAt = (await createRelease(deps, { productKey: 'RPM', version: '1.0.0' })).release.auditSeq + 1;
  await signReleaseForTest(deps, { productKey: 'RPM', version: '1.0.0', meaning: 'approved', username: SIGNERS.quinn.username, step: 0 });
  const approved = (await deps.store.read((r) => r.auditHead()))?.seq ?? 0;
  await signReleaseForTest(deps, { productKey: 'RPM', version: '1.0.0', meaning: 'released', username: SIGNERS.avery.username, step: 1 });
  return { releaseSignedAt: { approved, released: approved + 1 }, releaseCreatedAt };
}
