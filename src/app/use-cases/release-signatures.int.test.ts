import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { localPrincipal } from '../../core/access/principal.js';
import { sha256Hex } from '../../core/hashing.js';
import type { Deps } from '../../core/ports.js';
import { ReleaseManifestSchema } from '../../core/signatures/model.js';
import { renderReleaseShow } from '../../cli/commands/release.js';
import { expectAppError as rejects } from '../../test-support/assertions.js';
import { aProduct, aTestCase } from '../../test-support/factories.js';
import { aSigningTeam, runAs, SIGNERS } from '../../test-support/signers.js';
import { DIALECTS, freshStore, type TestStore } from '../../test-support/stores.js';
import { addRecords } from './add-records.js';
import { configureRule } from './configure-rule.js';
import { createRelease } from './create-release.js';
import { ingestTestRun } from './ingest-test-run.js';
import { listAuditEvents } from './list-audit-events.js';
import { markReleasedUseCase } from './mark-released.js';
import { showReleaseUseCase } from './show-release.js';
import { signReleaseUseCase } from './sign-release.js';
import { voidRelease } from './void-release.js';

const ops = localPrincipal('ops');

const passing = aTestCase({ classname: 'smoke', name: 'starts' });

describe.each(DIALECTS)('release signatures on %s', (dialect) => {
  let t: TestStore;
  let deps: Deps;
  beforeEach(async () => {
    ({ t, deps } = await freshStore(dialect, 'erin'));
    await aProduct(deps);
    await aSigningTeam(deps, 'RPM');
    // A release whose gate passes: an acceptable overall residual risk evaluation and a passing run of the version
    // (records stay drafts: the record-approval gate rule is waived with a justification for this pilot build).
    await addRecords(deps, { productKey: 'RPM', records: [{ type: 'ORR', title: 'Overall residual risk 1.0.0', fields: { release: '1.0.0', acceptable: true } }] });
    await configureRule(deps, { productKey: 'RPM', ruleId: 'RELEASE-RECORD-APPROVED', action: 'disable', justification: 'Signature test of a pilot build' }, []);
    await ingestTestRun(deps, { productKey: 'RPM', source: 'run.xml', contentHash: sha256Hex('run'), meta: { version: '1.0.0' }, cases: [passing] });
    await createRelease(deps, { productKey: 'RPM', version: '1.0.0' });
  });
  afterEach(async () => t.cleanup());

  const as = (who: keyof typeof SIGNERS) => ({ username: SIGNERS[who].username, password: SIGNERS[who].password });
  const sign = (who: keyof typeof SIGNERS, meaning: 'approved' | 'released', baseline = 1) =>
    runAs(deps, signReleaseUseCase, ops, { productKey: 'RPM', version: '1.0.0', baseline, meaning, ...as(who) });
  const mark = (who: keyof typeof SIGNERS) => runAs(deps, markReleasedUseCase, ops, { productKey: 'RPM', version: '1.0.0', ...as(who) });
  const lastEvents = async (n: number) => (await listAuditEvents(deps, {})).slice(-n);
  const status = async () => (await runAs(deps, showReleaseUseCase, ops, { productKey: 'RPM', version: '1.0.0' })).release.status;

  it('P11-06: a release is not released without its approval signature; the refusal names what is missing and is kept', async () => {
    await rejects(mark('avery'), 'INVALID_STATE', /release RPM 1\.0\.0 baseline 1 cannot be marked released yet: it first needs the signature approved \(by quality\) on baseline 1 \(dossier release sign RPM 1\.0\.0 --meaning approved\)/);
    const [refused] = await lastEvents(1);
    expect(refused).toMatchObject({ action: 'SIGNATURE_REFUSED', entityId: 'RPM/release/1.0.0', actor: 'ops' });
    expect(await status()).toBe('draft');
  });

  it('P11-06: quality approves the release record, then an approver releases it; each signature seals the gate and the audit head', async () => {
    const before = (await lastEvents(1))[0];
    const approval = await sign('quinn', 'approved');
    expect(approval).toMatchObject({ entity: 'RPM/release/1.0.0', revision: 1, meaning: 'approved', username: 'quinn.qa', printedName: 'Quinn Quality', method: 'password' });
    const [applied] = await lastEvents(1);
    expect(applied).toMatchObject({ action: 'SIGNATURE_APPLIED', entityType: 'signature', entityId: 'RPM/release/1.0.0/signature/1', actor: 'quinn.qa' });
    const value = JSON.parse(applied?.newValue ?? '{}') as { manifest: string; contentHash: string };
    const manifest = ReleaseManifestSchema.parse(JSON.parse(value.manifest));
    expect(manifest).toMatchObject({ product: 'RPM', version: '1.0.0', baseline: 1, meaning: 'approved', gate: { passed: true, errors: 0 }, auditHead: { seq: before?.seq, hash: before?.hash } });
    expect(value.contentHash).toBe(sha256Hex(value.manifest));

    const released = await mark('avery');
    expect(released).toMatchObject({ status: 'released', releasedBy: 'avery.approver', baseline: 1 });
    const events = await lastEvents(2);
    expect(events.map((e) => [e.action, e.entityId, e.actor])).toEqual([
      ['SIGNATURE_APPLIED', 'RPM/release/1.0.0/signature/2', 'avery.approver'],
      ['RELEASE_RELEASED', 'RPM/release/1.0.0', 'avery.approver'],
    ]);
    expect(JSON.parse(events[0]?.newValue ?? '{}')).toMatchObject({ meaning: 'released', step: 1, entity: 'RPM/release/1.0.0', revision: 1 });
    expect(JSON.parse(events[1]?.newValue ?? '{}')).toMatchObject({ status: 'released', baseline: 1, signature: 2 });
    // A released release takes no more signatures.
    await rejects(sign('quinn', 'approved'), 'INVALID_STATE', /was already released/);
  });

  it('P11-06: no release signature before the approval, the last step only by marking released, each step by its role', async () => {
    await rejects(sign('avery', 'released'), 'INVALID_STATE', /cannot be signed as released yet: it first needs approved \(by quality\)/);
    await rejects(sign('avery', 'approved'), 'FORBIDDEN', /avery\.approver may not sign release RPM 1\.0\.0 baseline 1 as approved: that step needs the role quality on RPM/);
    await rejects(sign('vic', 'approved'), 'FORBIDDEN', /needs the role quality/);
    await sign('quinn', 'approved');
    await rejects(sign('quinn', 'approved'), 'INVALID_STATE', /already signed as approved by quinn\.qa/);
    await rejects(sign('avery', 'released'), 'INVALID_STATE', /its last step \(released \(by approver\)\) is signed by marking it released: dossier release mark-released 1\.0\.0 --product RPM/);
    await rejects(mark('quinn'), 'FORBIDDEN', /quinn\.qa may not sign .* as released: that step needs the role approver/);
    expect(await status()).toBe('draft');
  });

  it('P11-06: a signature names its baseline: a newer baseline is refused as stale (412) and needs its own approval', async () => {
    await sign('quinn', 'approved');
    await createRelease(deps, { productKey: 'RPM', version: '1.0.0', reason: 'frozen again after a fix' });
    await rejects(sign('quinn', 'approved', 1), 'PRECONDITION_FAILED', /was frozen again since baseline 1: the newest is baseline 2/);
    await rejects(sign('quinn', 'approved', 3), 'PRECONDITION_FAILED', /has no baseline 3/);
    await rejects(mark('avery'), 'INVALID_STATE', /first needs the signature approved \(by quality\) on baseline 2/);
    await sign('quinn', 'approved', 2);
    await mark('avery');
    expect(await status()).toBe('released');
  });

  it('refuses to sign a void release', async () => {
    await voidRelease(deps, { productKey: 'RPM', version: '1.0.0', reason: 'frozen from the wrong branch' });
    await rejects(sign('quinn', 'approved'), 'INVALID_STATE', /is void/);
    expect((await lastEvents(1))[0]?.action).toBe('SIGNATURE_REFUSED');
  });

  it('P11-13/14: release show gives each signature with printed name, UTC time, meaning and baseline; older baselines are superseded', async () => {
    await sign('quinn', 'approved');
    await createRelease(deps, { productKey: 'RPM', version: '1.0.0' });
    await sign('quinn', 'approved', 2);
    await mark('avery');
    const shown = await runAs(deps, showReleaseUseCase, ops, { productKey: 'RPM', version: '1.0.0' });
    expect(shown.waitingFor).toBe('');
    expect(shown.signatures.map((s) => s.manifestation)).toEqual([
      expect.stringMatching(/^Approved by Quinn Quality \(quinn\.qa\) on \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC, baseline 1 \(superseded by a later revision\)$/),
      expect.stringMatching(/^Approved by Quinn Quality \(quinn\.qa\) on \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC, baseline 2$/),
      expect.stringMatching(/^Released by Avery Approver \(avery\.approver\) on \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC, baseline 2$/),
    ]);
    const text = renderReleaseShow(shown);
    expect(text).toMatch(/^release 1\.0\.0 baseline 2 \(released\), frozen .* by erin$/m);
    expect(text).toMatch(/^signatures:\n {2}Approved by Quinn Quality .* baseline 1 \(superseded by a later revision\)\n {2}Approved by Quinn Quality .* UTC, baseline 2\n {2}Released by Avery Approver .* UTC, baseline 2$/m);
  });

  it('release show says what the workflow still waits for', async () => {
    const shown = await runAs(deps, showReleaseUseCase, ops, { productKey: 'RPM', version: '1.0.0' });
    expect(shown.signatures).toEqual([]);
    expect(shown.waitingFor).toBe('approved (by quality), then released (by approver)');
    expect(renderReleaseShow(shown)).toMatch(/signatures: none\nwaiting for: approved \(by quality\), then released \(by approver\)$/);
  });
});
