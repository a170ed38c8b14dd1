import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_USERS, launchBrowser, logIn, newPage, screenshot, seriousA11yViolations, startDossier, type Dossier } from './harness';

/** A CI report for 1.3.0: TC-13 (failed in the demo's 1.2.0 run) passes now, TC-22 still fails, one test names nothing. */
const JUNIT_130 = `<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="vitest">
  <testsuite name="rules/escalation.int.test.ts" timestamp="2026-12-01T08:00:00Z" hostname="ci-runner-9">
    <testcase classname="rules/escalation.int.test.ts" name="[TC-13] An unacknowledged alert is escalated by SMS after 15 minutes" time="2.1"/>
    <testcase classname="e2e/system.spec.ts" name="[TC-22] Readings are acquired from each supported Bluetooth device type" time="30"><failure message="device 4 did not advertise">TimeoutError</failure></testcase>
    <testcase classname="unit" name="a helper nobody traced" time="0.01"/>
  </testsuite>
</testsuites>`;

/** Broken on line 4: the test case is never closed. */
const JUNIT_BROKEN = `<?xml version="1.0" encoding="UTF-8"?>
<testsuite name="broken">
  <testcase classname="unit" name="[TC-1] opens">
</testsuite>
`;

/** The evidence and release pages in a real browser, as the quality manager (who may import, correct and release). */
describe('evidence and release pages', () => {
  let dossier: Dossier;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let problems: string[];
  beforeAll(async () => {
    [dossier, browser] = await Promise.all([startDossier({ demo: true }), launchBrowser()]);
    ({ context, page, problems } = await newPage(browser));
    await logIn(page, dossier.url, DEMO_USERS.quality, '/p/RPM/evidence/tests');
  }, 60_000);
  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await dossier?.stop();
  });

  it('uploads a JUnit file and shows its results, each linked to the test record it verifies [DOSSIER-SRS-18]', async () => {
    await page.getByRole('heading', { level: 1, name: 'Test evidence' }).waitFor();
    await page.getByRole('link', { name: /^Run 1: junit-1\.2\.0\.xml/ }).waitFor();
    await page.locator('input[type=file]').setInputFiles({ name: 'junit-1.3.0.xml', mimeType: 'application/xml', buffer: Buffer.from(JUNIT_130) });
    await page.getByLabel('Version under test').fill('1.3.0');
    await page.getByLabel('Build').fill('ci-2400');
    await page.getByRole('button', { name: 'Upload test run' }).click();
    const done = page.getByRole('status').filter({ hasText: /Recorded as run \d+/ });
    await done.waitFor();
    expect(await done.textContent()).toMatch(/2 passed.*1 failed/);
    expect(await done.textContent()).toMatch(/2 results? tied to records, 1 unmapped/);
    const runId = /run=(\d+)/.exec(page.url())?.[1];
    expect(Number(runId)).toBeGreaterThan(1);

    const results = page.getByRole('table', { name: 'Test results' });
    await results.getByRole('link', { name: 'TC-13' }).waitFor();
    expect(await results.getByRole('link', { name: 'TC-13' }).getAttribute('href')).toBe('/p/RPM/records/TC-13');
    expect(await results.locator('tbody tr.vt-row').count()).toBe(3);
    await page.getByRole('switch', { name: 'Failures only' }).focus();
    await page.keyboard.press('Space');
    await expect.poll(() => results.locator('tbody tr.vt-row').count()).toBe(1);
    expect(await results.textContent()).toMatch(/TC-22/);
    expect(page.url()).toMatch(/failures=1/);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, 'evidence-tests');
  });

  it("shows the server's error for a broken file: which file, which line", async () => {
    await page.locator('input[type=file]').setInputFiles({ name: 'broken.xml', mimeType: 'application/xml', buffer: Buffer.from(JUNIT_BROKEN) });
    await page.getByLabel('Version under test').fill('');
    await page.getByRole('button', { name: 'Upload test run' }).click();
    const alert = page.getByRole('alert').filter({ hasText: 'The server refused the file' });
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/broken\.xml, line \d+, column \d+/);
    expect(await alert.textContent()).toMatch(/Nothing was recorded/);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, 'evidence-tests-error');
  });

  it('opens a release by deep link although its version has dots', async () => {
    const res = await fetch(`${dossier.url}/p/RPM/releases/1.2.0`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    expect((await fetch(`${dossier.url}/no-such-file.js`)).status).toBe(404);
  });

  it("runs a release's check and lists its findings by severity, each linked to its record [DOSSIER-SRS-22]", async () => {
    await page.goto(`${dossier.url}/p/RPM/releases/1.2.0`);
    await page.getByRole('heading', { level: 1, name: 'Release 1.2.0' }).waitFor();
    const findings = page.getByRole('table', { name: 'Release gate findings' });
    await findings.waitFor();
    const [res] = await Promise.all([
      page.waitForResponse((r) => r.url().includes('/api/v1/products/RPM/releases/1.2.0/check')),
      page.getByRole('button', { name: 'Run release check' }).click(),
    ]);
    expect(res.status()).toBe(200);
    await page.getByText('Gate fails').waitFor();
    await expect.poll(() => page.getByRole('status').filter({ hasText: /Checking the baseline/ }).count()).toBe(0);
    const first = findings.locator('tbody a').first();
    expect(await first.getAttribute('href')).toMatch(/^\/p\/RPM\/records\/[A-Z]+-\d+#finding-[A-Z0-9.-]+$/);
    await page.locator('label', { hasText: /^Warning \(\d+\)/ }).click();
    await expect.poll(() => page.url()).toMatch(/severity=warning/);
    await expect.poll(() => findings.getByText('error', { exact: true }).count()).toBe(0);
    expect(await findings.getByText('warning', { exact: true }).count()).toBeGreaterThan(0);
    const signatures = page.getByRole('region', { name: 'Signatures' });
    expect(await signatures.textContent()).toMatch(/Nobody has signed this release yet|Waiting for/);
    await signatures.getByRole('button', { name: 'Sign this release' }).waitFor();
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, 'evidence-release');
  });

  it('freezes a 1.3.0 baseline from the release list and shows what changed since 1.2.0 [DOSSIER-SRS-19] [DOSSIER-SRS-22]', async () => {
    await page.goto(`${dossier.url}/p/RPM/releases`);
    await page.getByRole('heading', { level: 1, name: 'Releases' }).waitFor();
    await page.getByRole('table', { name: 'Releases' }).getByText(/passes|fails/).first().waitFor();
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, 'evidence-releases');
    await page.getByLabel('Version').fill('1.3.0');
    await page.getByLabel('Reason').fill('release candidate 1 for 1.3.0');
    await page.getByRole('button', { name: 'Freeze baseline' }).click();
    await page.waitForURL(/\/p\/RPM\/releases\/1\.3\.0$/);

    await page.goto(`${dossier.url}/p/RPM/releases/diff?from=1.2.0&to=1.3.0`);
    await page.getByRole('heading', { level: 1, name: 'Changes from 1.2.0 to 1.3.0' }).waitFor();
    const verdicts = page.getByRole('table', { name: 'Test verdict changes' });
    await verdicts.waitFor();
    const tc13 = verdicts.getByRole('row').filter({ has: page.getByRole('link', { name: 'TC-13', exact: true }) });
    expect(await tc13.textContent()).toMatch(/failed.*passed/);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, 'evidence-release-diff');
  });

  it('lists the SOUP with licences and vulnerabilities, filtered from the URL', async () => {
    await page.goto(`${dossier.url}/p/RPM/evidence/soup`);
    await page.getByRole('heading', { level: 1, name: 'SOUP' }).waitFor();
    const table = page.getByRole('table', { name: 'SOUP components' });
    await table.waitFor();
    await expect.poll(async () => table.getByRole('cell', { name: 'MIT', exact: true }).count()).toBeGreaterThan(1);
    expect(await table.getByRole('cell', { name: 'Apache-2.0', exact: true }).count()).toBeGreaterThan(0);
    const ws = table.getByRole('row').filter({ hasText: 'GHSA-3h5v-q93c-6h6q' });
    expect(await ws.textContent()).toMatch(/untriaged/);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, 'evidence-soup');

    await page.goto(`${dossier.url}/p/RPM/evidence/soup?vulnerable=1`);
    await table.waitFor();
    await expect.poll(() => table.locator('tbody tr').count()).toBe(1);
    expect(await table.locator('tbody').textContent()).toMatch(/ws/);
    await page.goto(`${dossier.url}/p/RPM/evidence/soup?licence=Apache-2.0`);
    await table.waitFor();
    await expect.poll(async () => (await table.locator('tbody').textContent()) ?? '').toMatch(/openssl/);
    expect(await table.locator('tbody').textContent()).not.toMatch(/\bMIT\b/);

    // On a tablet the table scrolls inside its frame; the page itself does not scroll sideways.
    await page.setViewportSize({ width: 820, height: 1000 });
    await page.goto(`${dossier.url}/p/RPM/evidence/soup`);
    await table.waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(820);
    await screenshot(page, 'evidence-soup-tablet');
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('lists commits and code reviews with their findings', async () => {
    await page.goto(`${dossier.url}/p/RPM/evidence/commits?tab=reviews&findings=1`);
    await page.getByRole('heading', { level: 1, name: 'Commits and code reviews' }).waitFor();
    const reviews = page.getByRole('table', { name: 'Code reviews' });
    await reviews.waitFor();
    expect(await reviews.textContent()).toMatch(/self approved/);
    expect(await reviews.textContent()).not.toMatch(/Pin the ingestion certificate/);
    await page.locator('label', { hasText: /^Commits/ }).click();
    const commits = page.getByRole('table', { name: 'Commits' });
    await commits.waitFor();
    expect(await commits.textContent()).toMatch(/Hotfix: reminder scheduling/);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, 'evidence-commits');
    expect(problems).toEqual([]);
  });
});
