import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_USERS, launchBrowser, logIn, newPage, screenshot, seriousA11yViolations, startDossier, type Dossier } from './harness';

/** The frame of the app in a real browser: login, navigation, deep links, logout; the login page is accessible. */
describe('the web app frame', () => {
  let dossier: Dossier;
  let browser: Browser;
  beforeAll(async () => {
    [dossier, browser] = await Promise.all([startDossier({ demo: true }), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await dossier?.stop();
  });

  it('refuses a wrong password in place, logs in, follows a deep link, and logs out [DOSSIER-SRS-38]', async () => {
    const { page, problems, context } = await newPage(browser);
    await page.goto(`${dossier.url}/p/RPM/records`);
    await page.waitForURL(/\/login\?next=/);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, 'login');
    await page.getByLabel('Username').fill(DEMO_USERS.author.username);
    await page.getByLabel(/^Password/).fill('not-the-password');
    await page.getByRole('button', { name: 'Log in' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/password|username/i);

    await logIn(page, dossier.url, DEMO_USERS.author, '/p/RPM/records');
    expect(new URL(page.url()).pathname).toBe('/p/RPM/records');
    await expect.poll(() => page.locator('input[aria-label="Product"]').first().inputValue()).toMatch(/^RPM/);
    await page.getByRole('button', { name: /dana\.engineer/ }).click();
    await page.getByRole('menuitem', { name: 'Log out' }).click();
    await page.waitForURL(/\/login/);
    await page.goto(`${dossier.url}/p/RPM/dashboard`);
    await page.waitForURL(/\/login\?next=/);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('answers the API and the probes itself, and the app for any other path', async () => {
    expect((await fetch(`${dossier.url}/api/v1/nothing-here`)).status).toBe(404);
    expect(((await (await fetch(`${dossier.url}/api/v1/nothing-here`)).json()) as { error: { code: string } }).error.code).toBe('NOT_FOUND');
    const page = await fetch(`${dossier.url}/p/RPM/records/SRS-1`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(page.headers.get('content-security-policy')).toMatch(/script-src 'self'/);
    expect((await fetch(`${dossier.url}/no-such-file.js`)).status).toBe(404);
  });
});
