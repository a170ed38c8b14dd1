import { localPrincipal } from '../core/access/principal.js';
import { appendAudit } from '../core/audit-trail.js';
import { changeRecordStatus } from '../app/use-cases/change-record-status.js';
import { createRelease } from '../app/use-cases/create-release.js';
import { editRecord } from '../app/use-cases/edit-record.js';
import { signRecordsUseCase } from '../app/use-cases/sign-records.js';
import { getProduct } from '../core/lookups.js';
import type { Deps } from '../core/ports.js';
import {
  releaseEntityKey,
  sealReleaseManifest,
  signatureEntityId,
  signatureEventValue,
  workflowDefinition,
  workflowEntityId,
  type ReleaseManifest,
  type SignatureMeaning,
  type SignatureRow,
  type Workflow,
} from '../core/signatures/model.js';
import { aProduct, someRecords } from './factories.js';
import { aSigningTeam, runAs, SIGNERS } from './signers.js';

/**
 * Signs a release's latest baseline as the release signing use-case does, for tests written before it exists (swap
 * this for it then): in one write, the audit head read in the same transaction, the manifest sealed over it, the
 * signature row and its SIGNATURE_APPLIED event (acted by the signer). No re-authentication and no workflow check.
 */
export async function signReleaseForTest(
  deps: Deps,
  input: {
    readonly productKey: string;
    readonly version: string;
    readonly meaning: SignatureMeaning;
    readonly username: string;
    /** The workflow step it fulfils (the default release workflow: 0 approved, 1 released). */
    readonly step: number;
    readonly gate?: ReleaseManifest['gate'];
  },
): Promise<SignatureRow> {
  return deps.store.write(async (w) => {
    const product = await getProduct(w, input.productKey);
    const release = await w.findRelease(product.id, input.version);
    const user = await w.findUser(input.username);
    const head = await w.auditHead();
    if (release === undefined || user === undefined || head === undefined) {
      throw new Error(`no release ${input.version}, user ${input.username} or audit trail`);
    }
    const at = deps.clock.now();
    const { manifest, contentHash } = sealReleaseManifest({
      product: product.key,
      version: release.version,
      baseline: release.baseline,
      baselineHash: release.baselineHash,
      meaning: input.meaning,
      gate: input.gate ?? { passed: true, errors: 0, warnings: 0 },
      auditHead: { seq: head.seq, hash: head.hash },
    });
    const row: SignatureRow = {
      id: await w.nextSignatureId(),
      productId: product.id,
      entityType: 'release',
      entityId: release.id,
      entityKey: releaseEntityKey(product.key, release.version),
      revision: release.baseline,
      contentHash,
      manifest,
      meaning: input.meaning,
      step: input.step,
      userId: user.id,
      username: user.username,
      printedName: user.printedName,
      signedAt: at,
      method: 'password',
    };
    await w.insertSignatures([row]);
    await appendAudit(w, { actor: { id: user.username } }, at, [
      {
        action: 'SIGNATURE_APPLIED',
        entityType: 'signature',
        entityId: signatureEntityId(row.entityKey, row.id),
        productKey: product.key,
        newValue: signatureEventValue(row),
      },
    ]);
    return row;
  });
}

/**
 * Sets a product's workflow for a subject as the workflow use-case does, for tests written before it exists: the
 * row and its WORKFLOW_SET event ({ subject, definition as canonical JSON }) in one write.
 */
export async function setWorkflowForTest(deps: Deps, productKey: string, subject: string, workflow: Workflow): Promise<void> {
  await deps.store.write(async (w) => {
    const product = await getProduct(w, productKey);
    const at = deps.clock.now();
    const definition = workflowDefinition(workflow);
    await w.putWorkflow({ productId: product.id, subject, definition, updatedAt: at, updatedBy: deps.actor.id });
    await appendAudit(w, deps, at, [
      {
        action: 'WORKFLOW_SET',
        entityType: 'workflow',
        entityId: workflowEntityId(product.key, subject),
        productKey: product.key,
        newValue: { subject, definition },
      },
    ]);
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
  const sign = (who: 'quinn' | 'avery', meaning: SignatureMeaning, records: readonly string[]): Promise<unknown> =>
    runAs(deps, signRecordsUseCase, ops, {
      productKey: 'RPM',
      records: records.map((record) => ({ record, revision: 1 })),
      meaning,
      username: SIGNERS[who].username,
      password: SIGNERS[who].password,
    });
  await sign('quinn', 'reviewed', ['SRS-1', 'SRS-2']);
  await sign('avery', 'approved', ['SRS-1']);
  await editRecord(deps, { productKey: 'RPM', record: 'SRS-1', baseRevision: 1, body: 'TLS 1.3 only, from now on.' });
  const docWorkflow: Workflow = { steps: [{ meaning: 'approved', roles: ['quality'], notAuthor: true }], distinctSigners: true };
  await setWorkflowForTest(deps, 'RPM', 'DOC', docWorkflow);
  const releaseCreatedAt = (await createRelease(deps, { productKey: 'RPM', version: '1.0.0' })).release.auditSeq + 1;
  await signReleaseForTest(deps, { productKey: 'RPM', version: '1.0.0', meaning: 'approved', username: SIGNERS.quinn.username, step: 0 });
  const approved = (await deps.store.read((r) => r.auditHead()))?.seq ?? 0;
  await signReleaseForTest(deps, { productKey: 'RPM', version: '1.0.0', meaning: 'released', username: SIGNERS.avery.username, step: 1 });
  return { releaseSignedAt: { approved, released: approved + 1 }, releaseCreatedAt };
}
