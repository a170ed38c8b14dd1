import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_USERS, dossierCli, launchBrowser, logIn, newPage, screenshot, seriousA11yViolations, startDossier, type Dossier } from './harness';

/** A reviewer who has never signed: the demo's users have all accepted the accountability statement already. */
const ROWAN = { username: 'rowan.reviewer', password: 'rowan-signs-with-care-1' } as const;

interface InboxItem {
  readonly record: string;
  readonly revision: number;
  readonly meaning: string;
}

async function getJson<T>(page: Page, path: string): Promise<T> {
  const res = await page.request.get(new URL(path, page.url()).href);
  expect(res.status(), `${path}: ${await res.text()}`).toBe(200);
  return (await res.json()) as T;
}

/**
 * Signing in the browser: a record sent for review as its author waits in a new reviewer's inbox; the dialog shows
 * what is signed at which revision, asks for the accountability statement before the first signature, refuses a
 * wrong password in place (nothing signed), signs with the right one and shows the signature's manifestation; a
 * second signing in the same session asks for the password alone and signs two records in one go.
 */
describe('approvals', () => {
  let dossier: Dossier;
  let browser: Browser;
  beforeAll(async () => {
    [dossier, browser] = await Promise.all([startDossier({ demo: true }), launchBrowser()]);
    const created = await dossierCli(dossier, ['--json', 'user', 'create', ROWAN.username, '--name', 'Rowan Reviewer']);
    expect(created.code, created.err).toBe(0);
    const { resetSecret } = JSON.parse(created.out) as { resetSecret: string };
    const reset = await fetch(`${dossier.url}/api/v1/password/reset`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ secret: resetSecret, newPassword: ROWAN.password }),
    });
    expect(reset.status, await reset.clone().text()).toBeLessThan(300);
    const grant = await dossierCli(dossier, ['user', 'grant', ROWAN.username, 'reviewer', '--product', 'RPM']);
    expect(grant.code, grant.err).toBe(0);
    // The author sends two drafts for review.
    const sent = await dossierCli(dossier, ['--actor', DEMO_USERS.author.username, 'record', 'status', 'SRS-20@1', 'RC-12@1', 'in_review', '--product', 'RPM']);
    expect(sent.code, sent.err).toBe(0);
  });
  afterAll(async () => {
    await browser?.close();
    await dossier?.stop();
  });

  it('signs from the inbox: statement first, a wrong password refused, the manifestation shown, then a batch on the password alone', async () => {
    const { page, problems, context } = await newPage(browser);
    await logIn(page, dossier.url, ROWAN, '/approvals');
    const table = page.getByRole('table', { name: 'Records waiting for your signature' });
    await table.getByRole('link', { name: 'RPM/SRS-20' }).waitFor();
    expect(await table.getByRole('link', { name: 'RPM/SRS-20' }).getAttribute('href')).toBe('/p/RPM/records/SRS-20');
    expect(await table.textContent()).toContain('dana.engineer');
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, 'approvals-inbox');

    await page.getByRole('button', { name: 'Sign RPM/SRS-20 revision 1' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText('Accountability statement (version 1)').waitFor();
    const signed = dialog.getByRole('table', { name: 'Records signed' });
    expect(await signed.textContent()).toMatch(/SRS-20.*threshold summary.*revision 1/);
    expect(await dialog.getByLabel('Accountability statement').textContent()).toMatch(/^I, Rowan Reviewer, accept/);
    expect(await dialog.getByRole('radio', { name: 'Reviewed' }).isChecked()).toBe(true);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, 'approvals-dialog');

    // Without the statement accepted, the dialog does not send anything.
    await dialog.getByLabel('Username').fill(ROWAN.username);
    await dialog.getByLabel(/^Password/).fill('not-my-password-at-all');
    await dialog.getByRole('button', { name: 'Sign', exact: true }).click();
    await dialog.getByText('Accept the statement before your first signature').waitFor();

    // A wrong password: refused in place, with the server's message; nothing signed, nothing accepted.
    await dialog.getByRole('checkbox', { name: /I, Rowan Reviewer, have read this statement and accept it/ }).check();
    await dialog.getByRole('button', { name: 'Sign', exact: true }).click();
    await expect.poll(async () => (await dialog.getByRole('alert').textContent()) ?? '').toMatch(/signature refused: wrong username or password/);
    expect(await dialog.getByLabel(/^Password/).inputValue()).toBe('');
    const stillWaiting = await getJson<{ items: InboxItem[] }>(page, '/api/v1/inbox');
    expect(stillWaiting.items.map((i) => i.record)).toContain('RPM/SRS-20');
    expect((await getJson<{ acceptedAt: string | null }>(page, '/api/v1/signatures/statement')).acceptedAt).toBeNull();
    expect((await getJson<{ signatures: unknown[] }>(page, '/api/v1/products/RPM/records/SRS-20')).signatures).toEqual([]);
    await screenshot(page, 'approvals-dialog-refused');

    // The right password: the statement is accepted, the record signed, the manifestation shown.
    await dialog.getByLabel(/^Password/).fill(ROWAN.password);
    await dialog.getByRole('button', { name: 'Sign', exact: true }).click();
    await page.getByText('Signature recorded').waitFor();
    const manifestation = /Reviewed by Rowan Reviewer \(rowan\.reviewer\) on \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC, revision 1/;
    expect(await dialog.getByTestId('manifestation').textContent()).toMatch(manifestation);
    const recorded = await dialog.getByRole('table', { name: 'Signatures recorded' }).textContent();
    expect(recorded).toMatch(/RPM\/SRS-20.*revision 1.*Reviewed.*Rowan Reviewer.*UTC/);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, 'approvals-signed');
    const record = await getJson<{ signatures: { manifestation: string; meaning: string; revision: number }[] }>(page, '/api/v1/products/RPM/records/SRS-20');
    expect(record.signatures.map((s) => [s.meaning, s.revision])).toEqual([['reviewed', 1]]);
    expect(record.signatures[0]?.manifestation).toMatch(manifestation);
    expect((await getJson<{ acceptedAt: string | null }>(page, '/api/v1/signatures/statement')).acceptedAt).not.toBeNull();

    await dialog.getByRole('button', { name: 'Close', exact: true }).click();
    await expect.poll(() => table.getByRole('link', { name: 'RPM/SRS-20' }).count()).toBe(0);

    // Two records in one go; in a session that has signed, the password alone.
    // Bound to the URL: the box shows the new state once the router has moved (a transition).
    await table.getByRole('checkbox', { name: 'Select RPM/RC-12' }).click();
    await expect.poll(() => table.getByRole('checkbox', { name: 'Select RPM/RC-12' }).isChecked()).toBe(true);
    // Bound to the URL: the box shows the new state once the router has moved (a transition).
    await table.getByRole('checkbox', { name: 'Select RPM/SRS-18' }).click();
    await expect.poll(() => table.getByRole('checkbox', { name: 'Select RPM/SRS-18' }).isChecked()).toBe(true);
    await expect.poll(() => decodeURIComponent(new URL(page.url()).search)).toMatch(/selected=RPM\/RC-12,RPM\/SRS-18/);
    await page.getByRole('button', { name: 'Sign 2 selected as reviewed' }).click();
    await dialog.getByRole('table', { name: 'Records signed' }).waitFor();
    expect(await dialog.getByLabel('Username').count()).toBe(0);
    expect(await dialog.getByText('Accountability statement (version 1)').count()).toBe(0);
    await dialog.getByLabel(/^Password/).fill(ROWAN.password);
    await dialog.getByRole('button', { name: 'Sign 2 records' }).click();
    await page.getByText('2 signatures recorded').waitFor();
    expect(await dialog.getByTestId('manifestation').count()).toBe(2);
    await dialog.getByRole('button', { name: 'Close', exact: true }).click();
    const after = await getJson<{ items: InboxItem[] }>(page, '/api/v1/inbox');
    expect(after.items.map((i) => i.record)).not.toContain('RPM/RC-12');
    expect(after.items.map((i) => i.record)).not.toContain('RPM/SRS-18');
    await expect.poll(() => table.getByRole('link', { name: 'RPM/RC-12' }).count()).toBe(0);

    // The record's own page shows the signature with its whole manifestation.
    await page.goto(`${dossier.url}/p/RPM/records/SRS-20?tab=signatures`);
    const signatures = page.getByRole('tabpanel');
    await signatures.getByText('Rowan Reviewer').waitFor();
    const row = (await signatures.getByRole('row').filter({ hasText: 'Rowan Reviewer' }).first().innerText()).replace(/\s+/g, ' ');
    expect(row).toMatch(/reviewed/i);
    expect(row).toMatch(/\d{4}-\d\d-\d\d \d\d:\d\d(:\d\d)? (UTC|[+-]\d\d:?\d\d)/);
    expect(row).toMatch(/\b1\b/);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, 'approvals-record-signatures');
    expect(problems).toEqual([]);
    await context.close();

    // Somebody with nothing to sign sees why the page is empty.
    const viewer = await newPage(browser);
    await logIn(viewer.page, dossier.url, DEMO_USERS.viewer, '/approvals');
    await viewer.page.getByText('Nothing waits for your signature').waitFor();
    expect(await seriousA11yViolations(viewer.page)).toEqual([]);
    expect(viewer.problems).toEqual([]);
    await viewer.context.close();
  });
});
