import { readFileSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_USERS, dossierCli, launchBrowser, logIn, newPage, screenshot, seriousA11yViolations, startDossier, type Dossier } from './harness';

/** The trace pages in a real browser on the VitalLink demo: matrix, graph, suspect links; and CI deep links. */
describe('the trace pages', () => {
  let dossier: Dossier;
  let browser: Browser;
  beforeAll(async () => {
    [dossier, browser] = await Promise.all([startDossier({ demo: true }), launchBrowser()]);
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await dossier?.stop();
  });

  it('shows the trace matrix with a gap marked in words, filters to gaps, changes types through the URL, exports CSV [DOSSIER-SRS-12]', async () => {
    const { page, problems, context } = await newPage(browser);
    await logIn(page, dossier.url, DEMO_USERS.viewer, '/p/RPM/trace/matrix?rows=UN&cols=VAL');
    const table = page.getByRole('table', { name: 'Trace matrix UN to VAL' });
    await table.waitFor();
    const gapRow = table.getByRole('row').filter({ hasText: 'UN-10' });
    await expect.poll(() => gapRow.textContent()).toMatch(/Gap: no VAL/);
    expect(await table.getByRole('row').filter({ hasText: 'UN-1' }).first().textContent()).toMatch(/Covered/);
    expect(await page.getByRole('status').filter({ hasText: 'of 10 UN records' }).textContent()).toMatch(/90 %.*1 gap/);
    expect(await gapRow.getByRole('link', { name: 'UN-10' }).getAttribute('href')).toBe('/p/RPM/records/UN-10');
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, 'trace-matrix');

    // Bound to the URL: the box shows the new state once the router has moved (a transition).
    await page.getByRole('switch', { name: 'Gaps only' }).click();
    await expect.poll(() => page.getByRole('switch', { name: 'Gaps only' }).isChecked()).toBe(true);
    await expect.poll(() => new URL(page.url()).search).toContain('gaps=1');
    await expect.poll(() => table.locator('tr.tm-row').count()).toBe(1);
    expect(await table.locator('tr.tm-row').textContent()).toContain('UN-10');

    await page.getByLabel('Rows (record type)').selectOption('SRS');
    await page.getByLabel('Columns (record type)').selectOption('TC');
    await expect.poll(() => new URL(page.url()).search).toBe('?rows=SRS&cols=TC&gaps=1');
    const srs = page.getByRole('table', { name: 'Trace matrix SRS to TC' });
    await expect.poll(() => srs.locator('tr.tm-row').allTextContents()).toEqual([expect.stringMatching(/^SRS-20.*Gap: no TC/)]);

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
    expect(download.suggestedFilename()).toBe('RPM-trace-SRS-TC-gaps.csv');
    const csv = readFileSync(await download.path(), 'utf8').split('\r\n');
    expect(csv[0]).toBe('SRS,Title,Status,Coverage,TC records,Trace paths');
    expect(csv[1]).toMatch(/^SRS-20,.*,GAP,,$/);
    expect(csv).toHaveLength(3);
    expect(problems).toEqual([]);
    await context.close();
  }, 60_000);

  it('shows 100,000 matrix rows, rendering only those in view', async () => {
    const { page, problems, context } = await newPage(browser);
    const rows = Array.from({ length: 100_000 }, (_, i) => ({
      key: `UN-${i + 1}`,
      title: `Need ${i + 1}`,
      status: 'approved',
      covered: i % 10 !== 9,
      targets: i % 10 === 9 ? [] : [{ key: `TC-${i + 1}`, title: `Test ${i + 1}`, path: [{ key: `TC-${i + 1}`, linkType: 'verifies' }] }],
    }));
    const body = JSON.stringify({ from: 'UN', to: 'TC', direction: 'downstream', via: null, rows, coveredRows: 90_000, coverage: 0.9, totalRows: 100_000 });
    await page.route('**/api/v1/products/RPM/trace/matrix?*', async (route) => {
      if (!route.request().url().includes('to=TC')) return route.continue();
      await route.fulfill({ status: 200, contentType: 'application/json', body });
    });
    await logIn(page, dossier.url, DEMO_USERS.viewer, '/p/RPM/trace/matrix?rows=UN&cols=VAL');
    await page.getByRole('table', { name: 'Trace matrix UN to VAL' }).waitFor();
    await page.getByLabel('Columns (record type)').selectOption('TC');
    const table = page.getByRole('table', { name: 'Trace matrix UN to TC' });
    await table.getByRole('link', { name: 'UN-1', exact: true }).waitFor();
    expect(await page.getByRole('status').filter({ hasText: '100,000 UN records' }).textContent()).toMatch(/10,000 gaps/);
    expect(await table.locator('tr.tm-row').count()).toBeLessThan(80);
    // Scrolling to the end shows the last row (still only a window of rows in the page).
    await page.getByRole('region', { name: 'Trace matrix UN to TC' }).evaluate((el) => el.scrollTo(0, el.scrollHeight));
    await table.getByRole('link', { name: 'UN-100000', exact: true }).waitFor();
    expect(await table.locator('tr.tm-row').count()).toBeLessThan(80);
    // How fast it paints is the benchmark's business (npm run bench:web), not this test's.
    expect(problems).toEqual([]);
    await context.close();
  }, 60_000);

  it('draws the graph around a record: nodes, labelled edges, suspect links dashed, nodes are keyboard links', async () => {
    const { page, problems, context } = await newPage(browser);
    await logIn(page, dossier.url, DEMO_USERS.viewer, '/p/RPM/trace/graph?hops=1');
    await page.getByRole('heading', { name: 'Choose a record' }).waitFor();
    await page.getByLabel('Another record').fill('srs-3');
    await page.getByRole('button', { name: 'Show graph' }).click();
    await page.waitForURL(/\/p\/RPM\/trace\/graph\/SRS-3\?hops=1$/);
    const svg = page.getByRole('group', { name: 'Trace graph around SRS-3' });
    await svg.waitFor();
    const one = await svg.locator('[data-node]').count();
    expect(one).toBeGreaterThan(2);
    expect(await svg.locator('[data-edge]').count()).toBeGreaterThanOrEqual(one - 1);
    expect(await svg.locator('[data-node="SRS-3"]').count()).toBe(1);
    const suspect = svg.locator('[data-edge="TC-4|verifies|SRS-3"]');
    expect(await suspect.getAttribute('data-suspect')).toBe('true');
    expect(await suspect.locator('path').getAttribute('stroke-dasharray')).toBe('6 4');
    expect(await suspect.locator('text').textContent()).toBe('verifies · suspect');
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, 'trace-graph');

    await page.getByLabel('Hop depth').selectOption('3');
    await expect.poll(() => new URL(page.url()).search).toBe('?hops=3');
    await expect.poll(() => svg.locator('[data-node]').count()).toBeGreaterThan(one);

    const node = svg.locator('a[data-node="TC-4"]');
    expect(await node.getAttribute('href')).toBe('/p/RPM/records/TC-4');
    await node.focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/p\/RPM\/records\/TC-4$/);
    expect(problems).toEqual([]);
    await context.close();
  }, 60_000);

  it('lists suspect links with what changed, confirms two, shows the result, and they leave the list [DOSSIER-SRS-13]', async () => {
    const { page, problems, context } = await newPage(browser);
    await logIn(page, dossier.url, DEMO_USERS.reviewer, '/p/RPM/trace/suspects');
    const table = page.getByRole('table', { name: 'Suspect links' });
    await table.waitFor();
    const row = (from: string, to: string) => table.locator('tr[data-link]').filter({ hasText: from }).filter({ hasText: to });
    const tc4 = row('TC-4', 'SRS-3');
    const swi3 = row('SWI-3', 'SRS-3');
    const before = await table.locator('tr[data-link]').count();
    expect(before).toBeGreaterThan(2);
    expect(await tc4.textContent()).toMatch(/upstream changed/);

    // Narrowed to one record's links through the URL.
    await page.getByLabel('Only the links of a record').fill('srs-3');
    await expect.poll(() => new URL(page.url()).searchParams.get('record')).toBe('srs-3');
    const shown = await table.locator('tr[data-link]').allTextContents();
    expect(shown.length).toBeGreaterThanOrEqual(2);
    expect(shown.length).toBeLessThan(before);
    for (const t of shown) expect(t).toMatch(/SRS-3(?!\d)/);
    await tc4.getByRole('button', { name: 'What changed' }).click();
    const changes = page.locator(`#changes-${await tc4.getAttribute('data-link')}`);
    await expect.poll(() => changes.textContent()).toMatch(/SRS-3 revision 1 → 2/);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, 'trace-suspects');

    // The reason is required: the server's word shows next to the field.
    await tc4.getByRole('checkbox').check();
    await swi3.getByRole('checkbox').check();
    await expect.poll(() => new URL(page.url()).searchParams.get('selected')?.split(',').length).toBe(2);
    await page.getByLabel(/What you reviewed/).fill('Checked SRS-3 revision 2: the test and the unit still fit the requirement.');
    await page.getByRole('button', { name: 'Confirm 2 links' }).click();
    const result = page.getByRole('status').filter({ hasText: '2 links confirmed' });
    await result.waitFor();
    expect(await result.textContent()).toMatch(/TC-4 verifies SRS-3/);
    await expect.poll(() => tc4.count()).toBe(0);
    expect(await swi3.count()).toBe(0);
    expect(await table.locator('tr[data-link]').count()).toBe(shown.length - 2);
    await page.getByLabel('Only the links of a record').fill('');
    await expect.poll(() => table.locator('tr[data-link]').count()).toBe(before - 2);
    expect(new URL(page.url()).searchParams.get('selected')).toBeNull();
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, 'trace-suspects-confirmed');

    // The confirmation is in the audit trail, with the reason.
    const audit = JSON.parse((await dossierCli(dossier, ['--json', 'audit', 'log', '--product', 'RPM', '--action', 'LINK_CONFIRMED'])).out) as { events: { actor: string; reason: string }[] };
    expect(audit.events.map((e) => [e.actor, e.reason])).toEqual([
      [DEMO_USERS.reviewer.username, 'Checked SRS-3 revision 2: the test and the unit still fit the requirement.'],
      [DEMO_USERS.reviewer.username, 'Checked SRS-3 revision 2: the test and the unit still fit the requirement.'],
    ]);
    expect(problems).toEqual([]);
    await context.close();
  }, 60_000);

  it('puts the URL of the page that fixes each finding into the CI reports (--base-url) [DOSSIER-SRS-16]', async () => {
    const base = `${dossier.url}/`;
    const text = await dossierCli(dossier, ['check', '--product', 'RPM', '--fail-on', 'info', '--base-url', base]);
    expect(text.out).toMatch(new RegExp(`see: ${dossier.url.replaceAll('.', '\\.')}/p/RPM/(records/[A-Z]+-\\d+|dashboard)#finding-`));
    const sarif = JSON.parse((await dossierCli(dossier, ['check', '--product', 'RPM', '--format', 'sarif', '--fail-on', 'info', '--base-url', base])).out) as {
      runs: { results: { hostedViewerUri?: string }[] }[];
    };
    const results = sarif.runs[0]?.results ?? [];
    expect(results.length).toBeGreaterThan(0);
    for (const r of results) expect(r.hostedViewerUri).toMatch(new RegExp(`^${dossier.url.replaceAll('.', '\\.')}/p/RPM/`));
    const bad = await dossierCli(dossier, ['check', '--product', 'RPM', '--base-url', 'javascript:alert(1)']);
    expect(bad.code).not.toBe(0);
    expect(bad.err).toMatch(/--base-url/);
    const res = await fetch(results[0]?.hostedViewerUri ?? '');
    expect(res.status).toBe(200);
  }, 60_000);
});
