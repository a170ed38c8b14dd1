import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_USERS, dossierCli, launchBrowser, logIn, newPage, screenshot, seriousA11yViolations, startDossier, type Dossier } from './harness';

/** The dashboard and the risk pages on the demo, as the quality user sees them. */
describe('dashboard and risk pages', () => {
  let dossier: Dossier;
  let browser: Browser;
  beforeAll(async () => {
    [dossier, browser] = await Promise.all([startDossier({ demo: true }), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await dossier?.stop();
  });

  const coverage = (page: Page, label: string): Promise<string> => page.getByTestId(`coverage-${label}`).innerText();

  it('shows readiness findings, coverage, the trend and the heat map; a cell lists its risks', async () => {
    const { page, problems, context } = await newPage(browser);
    await logIn(page, dossier.url, DEMO_USERS.quality, '/p/RPM/dashboard');
    await page.getByRole('heading', { level: 1, name: /dashboard/i }).waitFor();
    // Readiness: the rule check's findings, by clause, with links to the records.
    const findings = page.getByTestId('findings');
    await findings.waitFor({ timeout: 30_000 });
    expect(await findings.getByRole('link').count()).toBeGreaterThan(0);
    expect(await findings.getByRole('link').first().getAttribute('href')).toMatch(/^\/p\/RPM\/records\/[A-Z]+-\d+#finding-/);
    await page.getByRole('button', { name: /IEC 62304 5\.7\.1/ }).first().click();
    await expect.poll(() => new URL(page.url()).searchParams.get('clause')).toBe('IEC 62304 5.7.1');
    await expect.poll(() => page.locator('#finding-list').innerText()).toMatch(/^Findings · IEC 62304 5\.7\.1 \(\d+\)$/);
    expect(await findings.innerText()).toMatch(/SRS-20 is not verified/);
    expect(await findings.innerText()).not.toMatch(/SOUP-6/);
    // Coverage as percentages with counts.
    await expect.poll(() => coverage(page, 'Requirements verified'), { timeout: 30_000 }).toMatch(/^95% \(19 of 20\)$/);
    expect(await coverage(page, 'User needs validated')).toMatch(/^\d+(\.\d)?% \(\d+ of \d+\)$/);
    expect(await coverage(page, 'Risks controlled')).toMatch(/of 12\)$/);
    // The trend over the demo's one release, as a chart and as a table.
    await page.getByRole('table', { name: 'Coverage per release' }).getByRole('rowheader', { name: '1.2.0' }).waitFor({ timeout: 30_000 });
    expect(await page.locator('#trend-title').locator('xpath=ancestor::section').locator('svg.recharts-surface').count()).toBe(1);
    // The heat map: RISK-1 starts Serious × Probable (unacceptable).
    const cell = page.getByRole('button', { name: /^Before controls \(initial\): Serious × Probable,\s*3\s*risks,\s*Unacceptable$/ });
    await cell.focus();
    await page.keyboard.press('Enter');
    const region = page.getByRole('region', { name: /Before controls: Serious × Probable — 3 risks/ });
    await region.waitFor();
    expect(await region.getByRole('link', { name: 'RISK-1' }).getAttribute('href')).toBe('/p/RPM/risk/RISK-1');
    expect(new URL(page.url()).searchParams.get('cell')).toBe('initial:S3:P4');
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, 'risk-dashboard');
    // The release gate of 1.2.0 instead of the working records.
    await page.getByRole('combobox', { name: 'Check' }).click();
    await page.getByRole('option', { name: /Release 1\.2\.0 gate/ }).click();
    await page.getByText(/^Gate (passes|fails)/).waitFor({ timeout: 30_000 });
    expect(new URL(page.url()).searchParams.get('check')).toBe('1.2.0');
    // A tablet: the cards stack and nothing scrolls sideways.
    await page.setViewportSize({ width: 820, height: 1000 });
    await expect.poll(() => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
    await screenshot(page, 'risk-dashboard-tablet');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('lists the risk table with the data-transmission risk, filters it by zone, and opens its chain [DOSSIER-SRS-24]', async () => {
    const { page, problems, context } = await newPage(browser);
    await logIn(page, dossier.url, DEMO_USERS.quality, '/p/RPM/risk');
    const table = page.getByRole('table', { name: 'Risk table' });
    await table.waitFor({ timeout: 30_000 });
    const risk1 = table.getByRole('row').filter({ has: page.getByRole('link', { name: 'RISK-1', exact: true }) });
    expect(await risk1.innerText()).toMatch(/intercepted or altered in transit/);
    expect(await risk1.innerText()).toMatch(/RC-1 TLS 1\.3/);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, 'risk-table');
    // Filter: before controls, unacceptable (RISK-1 is; RISK-4 is not).
    await page.goto(`${dossier.url}/p/RPM/risk?stage=initial&zone=unacceptable`);
    await table.waitFor();
    await expect.poll(() => page.getByRole('status').filter({ hasText: /of 12 risks/ }).innerText()).toMatch(/^4 of 12 risks$/);
    expect(await table.getByRole('link', { name: 'RISK-1', exact: true }).count()).toBe(1);
    // CSV export of what is shown.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
    expect(download.suggestedFilename()).toBe('RPM-risk-table-initial-unacceptable.csv');
    const csv = await (await download.createReadStream()).toArray();
    const text = Buffer.concat(csv as Buffer[]).toString('utf8');
    expect(text.split('\r\n').filter((l) => l !== '')).toHaveLength(5);
    expect(text).toMatch(/^Risk,Title,/);

    // The chain of RISK-1, from cause to the verified encryption control.
    await table.getByRole('link', { name: 'RISK-1', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: /^RISK-1 / }).waitFor();
    await page.getByRole('heading', { name: 'From cause to harm' }).waitFor();
    expect(await page.getByText('Vital-sign data intercepted or altered in transit').count()).toBe(1);
    const control = page.getByRole('region', { name: /RC-1 TLS 1\.3/ });
    expect(await control.getByRole('link', { name: 'SRS-3' }).getAttribute('href')).toBe('/p/RPM/records/SRS-3');
    const tests = control.getByRole('table', { name: /Verified by/ });
    expect(await tests.getByRole('row').filter({ hasText: 'TC-4' }).innerText()).toMatch(/passed/i);
    expect(await page.getByText(/^Residual risk: Acceptable$/).count()).toBe(1);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, 'risk-chain');

    // The matrix page: the same heat map; a residual cell lists its risks.
    await page.goto(`${dossier.url}/p/RPM/risk/matrix?cell=residual:S4:P1`);
    const region = page.getByRole('region', { name: /After controls: Critical × Improbable — 2 risks/ });
    await region.waitFor({ timeout: 30_000 });
    expect(await region.getByRole('link').count()).toBe(2);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, 'risk-matrix');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('shows a new unlinked requirement as a gap on the dashboard, and drops it once a test verifies it [DOSSIER-SRS-12]', async () => {
    const { page, problems, context } = await newPage(browser);
    await logIn(page, dossier.url, DEMO_USERS.quality, '/p/RPM/dashboard?clause=IEC%2062304%205.7.1');
    await expect.poll(() => coverage(page, 'Requirements verified'), { timeout: 30_000 }).toBe('95% (19 of 20)');
    const added = await dossierCli(dossier, ['--json', '--actor', DEMO_USERS.author.username, 'record', 'add', '-p', 'RPM', '-t', 'SRS', '--title', 'Exported readings carry the device serial number']);
    expect(added.code).toBe(0);
    const key = (JSON.parse(added.out) as { key: string }).key;
    await page.reload();
    await expect.poll(() => coverage(page, 'Requirements verified'), { timeout: 30_000 }).toBe('90.5% (19 of 21)');
    const findings = page.getByTestId('findings');
    await expect.poll(() => findings.innerText(), { timeout: 30_000 }).toContain(`${key} is not verified by any test case`);

    const linked = await dossierCli(dossier, ['--actor', DEMO_USERS.author.username, 'link', 'add', '-p', 'RPM', 'TC-1', 'verifies', key]);
    expect(linked.code).toBe(0);
    await page.reload();
    await expect.poll(() => coverage(page, 'Requirements verified'), { timeout: 30_000 }).toBe('95.2% (20 of 21)');
    await findings.waitFor();
    expect(await findings.innerText()).not.toContain(key);
    expect(problems).toEqual([]);
    await context.close();
  });
});
