import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dossierCli, launchBrowser, newPage, screenshot, seriousA11yViolations, startDossier, type Dossier } from './harness';

const ADMIN = { username: 'olga.admin', printedName: 'Olga Admin', password: 'first-admin-password-1' };
const ADMIN_NEW_PASSWORD = 'second-admin-password-2';
const BOB = { username: 'bob.builder', printedName: 'Bob Builder', password: 'bobs-own-password-42' };

/**
 * First run to daily administration in a real browser, on an empty store: set-up with the code the server printed,
 * password change, a user invited with a one-time reset secret, roles, an unlock, an API token, the audit trail,
 * the risk policy and the rules; every page checked with axe.
 */
describe('first-run set-up and administration', () => {
  let dossier: Dossier;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let problems: string[];

  beforeAll(async () => {
    [dossier, browser] = await Promise.all([startDossier({ demo: false }), launchBrowser()]);
    const product = await dossierCli(dossier, ['product', 'create', '--key', 'RPM', '--name', 'Remote patient monitor', '--intended-use', 'Shows vital signs to clinicians', '--class', 'B']);
    expect(product.code, product.err).toBe(0);
    ({ context, page, problems } = await newPage(browser));
  });
  afterAll(async () => {
    await browser?.close();
    await dossier?.stop();
  });

  const accessible = async (name: string): Promise<void> => {
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, `auth-${name}`);
  };
  /** Picks an option of a Mantine Select / MultiSelect by its label. */
  const choose = async (label: string | RegExp, option: string | RegExp): Promise<void> => {
    await page.getByRole('dialog').getByLabel(label).first().click();
    await page.getByRole('option', { name: option }).first().click();
  };

  it('refuses a wrong set-up code in place, then makes the first administrator and logs them in', async () => {
    const code = /enter the set-up code ([A-Z0-9]{4}-[A-Z0-9]{4})/.exec(dossier.output())?.[1];
    expect(code, dossier.output()).toBeDefined();
    await page.goto(`${dossier.url}/login`);
    await page.getByRole('link', { name: /First start/ }).click();
    await page.waitForURL(/\/setup$/);
    await page.getByLabel('Set-up code').fill(code === 'AAAA-AAAA' ? 'BBBB-BBBB' : 'AAAA-AAAA');
    await page.getByLabel('Username').fill(ADMIN.username);
    await page.getByLabel('Printed name').fill(ADMIN.printedName);
    await page.getByLabel(/^Password/).fill(ADMIN.password);
    await page.getByLabel(/^Repeat the password/).fill(ADMIN.password);
    await page.getByRole('button', { name: /Create the administrator/ }).click();
    await expect.poll(() => page.getByText(/wrong set-up code/).count()).toBe(1);
    expect(new URL(page.url()).pathname).toBe('/setup');
    await accessible('setup');

    await page.getByLabel('Set-up code').fill((code ?? '').toLowerCase().replace('-', ''));
    await page.getByRole('button', { name: /Create the administrator/ }).click();
    await page.getByRole('navigation', { name: 'Main navigation' }).waitFor();
    expect(new URL(page.url()).pathname).not.toBe('/setup');
    // Set-up is closed now: the login page no longer offers it and the API refuses it.
    const again = await fetch(`${dossier.url}/api/v1/setup`);
    expect(await again.json()).toEqual({ needed: false });
  });

  it('changes the password', async () => {
    await page.goto(`${dossier.url}/account/password`);
    await page.getByLabel(/^Current password/).fill('not-my-password-at-all');
    await page.getByLabel(/^New password/).fill(ADMIN_NEW_PASSWORD);
    await page.getByLabel(/^Repeat the new password/).fill(ADMIN_NEW_PASSWORD);
    await page.getByRole('button', { name: 'Change password' }).click();
    await expect.poll(() => page.getByText('the current password is wrong').count()).toBe(1);
    await page.getByLabel(/^Current password/).fill(ADMIN.password);
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByText('Password changed').waitFor();
    await accessible('account-password');
  });

  it('creates a user, shows the reset secret once; the user sets a password and logs in; roles; unlock', async () => {
    await page.goto(`${dossier.url}/admin/users`);
    await page.getByRole('button', { name: 'Create user' }).click();
    await page.getByLabel(/^Username/).fill(BOB.username);
    await page.getByLabel(/^Printed name/).fill(BOB.printedName);
    await page.getByRole('dialog').getByRole('button', { name: 'Create' }).click();
    const secretBox = page.getByTestId('secret');
    await secretBox.waitFor();
    const secret = (await secretBox.textContent())?.trim() ?? '';
    expect(secret.length).toBeGreaterThan(10);
    const link = page.getByRole('link', { name: /reset-password\?username=bob\.builder/ });
    expect(await link.getAttribute('href')).toBe(`${dossier.url}/reset-password?username=bob.builder`);
    await page.getByRole('button', { name: /Copy the reset secret/ }).waitFor();
    await accessible('users-secret');
    // Once: after hiding it (or reloading) the secret is nowhere on the page.
    await page.getByRole('button', { name: /I have passed it on/ }).click();
    expect(await page.getByText(secret).count()).toBe(0);

    await page.getByRole('button', { name: 'Roles of bob.builder' }).click();
    await page.waitForURL(/roles=bob\.builder/);
    await choose('Role', 'author');
    await choose('Product', /^RPM/);
    await page.getByRole('button', { name: 'Grant' }).click();
    await page.getByRole('button', { name: 'Revoke author' }).waitFor();
    await accessible('users-roles');
    await page.keyboard.press('Escape');

    const bob = await newPage(browser);
    await bob.page.goto(`${dossier.url}/reset-password?username=${BOB.username}`);
    expect(await bob.page.getByLabel('Username').inputValue()).toBe(BOB.username);
    await bob.page.getByLabel(/^Reset secret/).fill('not-the-secret');
    await bob.page.getByLabel(/^New password/).fill(BOB.password);
    await bob.page.getByLabel(/^Repeat the new password/).fill(BOB.password);
    await bob.page.getByRole('button', { name: 'Set the password' }).click();
    await expect.poll(() => bob.page.getByText(/reset secret is unknown/).count()).toBe(1);
    await bob.page.getByLabel(/^Reset secret/).fill(secret);
    await bob.page.getByRole('button', { name: 'Set the password' }).click();
    await bob.page.getByText('Your new password is in force').waitFor();
    expect(await seriousA11yViolations(bob.page)).toEqual([]);
    await screenshot(bob.page, 'auth-reset-password');
    await bob.page.getByRole('link', { name: 'Log in' }).click();
    await bob.page.getByLabel(/^Password/).fill(BOB.password);
    await bob.page.getByRole('button', { name: 'Log in' }).click();
    await bob.page.getByRole('navigation', { name: 'Main navigation' }).waitFor();
    expect(await bob.page.getByRole('link', { name: /First start/ }).count()).toBe(0);
    expect(bob.problems).toEqual([]);
    await bob.context.close();

    // Five wrong passwords lock Bob out; the administrator lifts the lockout.
    for (let i = 0; i < 5; i++) {
      const r = await fetch(`${dossier.url}/api/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: BOB.username, password: 'wrong-wrong-wrong' }) });
      expect(r.status).toBe(401);
    }
    await page.goto(`${dossier.url}/admin/users?state=locked`);
    await page.getByRole('button', { name: 'Unlock bob.builder' }).click();
    await page.getByText('No locked users').waitFor();
    await accessible('users');
  });

  it('creates an API token, shows it once, and revokes it [DOSSIER-SRS-34]', async () => {
    await page.goto(`${dossier.url}/admin/tokens`);
    await page.getByText('No API tokens').waitFor();
    await page.getByRole('button', { name: 'Create token' }).click();
    await page.getByLabel(/^Name/).fill('CI test import');
    await choose(/^Product/, /^RPM/);
    await choose(/^Permissions/, /^evidence\.import/);
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').getByRole('button', { name: 'Create token' }).click();
    const secretBox = page.getByTestId('secret');
    await secretBox.waitFor();
    const token = (await secretBox.textContent())?.trim() ?? '';
    expect(token).toMatch(/^dossier_/);
    await page.getByText(/will never show it again/).waitFor();
    await accessible('tokens-created');
    const whoami = (): Promise<number> => fetch(`${dossier.url}/api/v1/session`, { headers: { authorization: `Bearer ${token}` } }).then((r) => r.status);
    expect(await whoami()).toBe(200);

    await page.getByRole('button', { name: 'Revoke token CI test import' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Revoke' }).click();
    await page.getByText('No API tokens').waitFor();
    // The confirmation closes with a fade: its overlay takes clicks until it is gone.
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    expect(await whoami()).toBe(401);
    // Bound to the URL: the box shows the new state once the router has moved (a transition).
    await page.getByLabel('Show revoked tokens').click();
    await expect.poll(() => page.getByLabel('Show revoked tokens').isChecked()).toBe(true);
    await page.waitForURL(/revoked=1/);
    await page.getByText(/^Revoked /).waitFor();
    await accessible('tokens');
  });

  it('shows the audit trail with filters in the URL, exports CSV and verifies integrity', async () => {
    await page.goto(`${dossier.url}/admin/audit`);
    const table = page.getByRole('table', { name: 'Audit events' });
    await table.waitFor();
    for (const kind of ['USER_CREATED', 'ROLE_GRANTED', 'PASSWORD_CHANGED', 'USER_LOCKED', 'USER_UNLOCKED', 'TOKEN_CREATED', 'TOKEN_REVOKED']) {
      expect(await table.getByRole('cell', { name: kind, exact: true }).count(), kind).toBeGreaterThan(0);
    }
    await page.getByRole('combobox', { name: 'Event type' }).fill('token_created');
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.waitForURL(/action=token_created/);
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'matching event' }).textContent()).toMatch(/^1 matching event\./);
    expect(await table.getByRole('cell', { name: 'USER_CREATED', exact: true }).count()).toBe(0);
    expect(await table.getByRole('cell', { name: ADMIN.username, exact: true }).count()).toBe(1);

    // Deep link: the filters come back from the URL.
    await page.goto(`${dossier.url}/admin/audit?actor=${BOB.username}&action=PASSWORD_CHANGED`);
    expect(await page.getByLabel('Actor').inputValue()).toBe(BOB.username);
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'matching event' }).textContent()).toMatch(/^1 matching event\./);

    const href = await page.getByRole('link', { name: 'Export CSV' }).getAttribute('href');
    expect(href).toBe('/api/v1/audit/export?actor=bob.builder&action=PASSWORD_CHANGED&format=csv');
    const csv = await page.request.get(`${dossier.url}${href ?? ''}`);
    expect(csv.status()).toBe(200);
    expect(csv.headers()['content-type']).toMatch(/text\/csv/);
    expect(await csv.text()).toContain('PASSWORD_CHANGED');

    await page.getByRole('button', { name: 'Verify integrity' }).click();
    await page.getByText('Verified: the trail is intact').waitFor({ timeout: 20_000 });
    await accessible('audit');
  });

  it('shows the risk policy in force and puts a refused change next to the matrix [DOSSIER-SRS-23]', async () => {
    await page.goto(`${dossier.url}/p/RPM/admin/risk-policy`);
    await page.getByText(/built-in default/).waitFor();
    const cells = page.getByLabel(/^Zone of /);
    // The most severe, most likely cell made acceptable: a matrix that is not monotone is refused.
    const worst = page.getByRole('table', { name: 'Acceptability matrix' }).getByRole('row').nth(1).getByLabel(/^Zone of /).last();
    expect(await cells.count()).toBeGreaterThan(3);
    await worst.click();
    await page.getByRole('option', { name: 'Acceptable', exact: true }).click();
    await page.getByRole('button', { name: 'Save as a new revision' }).click();
    const matrix = page.getByRole('region', { name: 'Acceptability matrix' });
    await expect.poll(() => matrix.getByRole('alert').count()).toBe(1);
    await accessible('risk-policy');

    await page.getByRole('button', { name: 'Discard changes' }).click();
    await page.getByLabel(/^Review interval/).fill('180');
    await page.getByLabel('Reason for the change').fill('Yearly is too seldom for a connected device');
    await page.getByRole('button', { name: 'Save as a new revision' }).click();
    await page.getByText(/Policy saved as RMP-1 revision 1/).waitFor();
  });

  it('lists the rules with their severity and disables one with a justification [DOSSIER-SRS-17]', async () => {
    await page.goto(`${dossier.url}/p/RPM/admin/rules`);
    const table = page.getByRole('table', { name: 'Rules' });
    await table.waitFor();
    const first = table.getByRole('row').nth(1);
    const ruleId = (await first.getAttribute('data-rule')) ?? '';
    expect(ruleId).not.toBe('');
    await first.getByRole('button', { name: `Configure ${ruleId}` }).click();
    await page.waitForURL(new RegExp(`rule=${ruleId.replace(/[.]/g, '\\.')}`));
    await page.getByLabel('Disable for this product').check();
    await page.getByLabel(/^Justification/).fill('We verify this by inspection in the design review, recorded in DOC-3.');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    await table.locator(`tr[data-rule="${ruleId}"]`).getByText('Disabled').waitFor();
    await accessible('rules');
    expect(problems).toEqual([]);
    await context.close();
  });
});
