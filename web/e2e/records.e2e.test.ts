import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_USERS, dossierCli, launchBrowser, logIn, newPage, screenshot, seriousA11yViolations, startDossier, type Dossier } from './harness';

/** The records area in a real browser, as the demo's author: list, create, read, edit, and a stale edit merged. */
describe('records', () => {
  let dossier: Dossier;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let problems: string[];
  /** The SRS record the form creates (its key is given by the server). */
  let created = '';

  beforeAll(async () => {
    [dossier, browser] = await Promise.all([startDossier({ demo: true }), launchBrowser()]);
    ({ context, page, problems } = await newPage(browser));
    await logIn(page, dossier.url, DEMO_USERS.author, '/p/RPM/records');
  });
  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await dossier?.stop();
  });

  const rowKeys = async (): Promise<string[]> => page.locator('tr.vt-row td:first-child').allTextContents();

  it('lists the records and filters them by type and title text, in the URL [DOSSIER-SRS-38]', async () => {
    const table = page.getByRole('table', { name: 'Records' });
    await table.waitFor();
    await expect.poll(rowKeys).toContain('UN-1');
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, 'records-list');

    // More than the first page: the rest streams in behind it, and the last record scrolls into view.
    const last = (await (await page.request.get(`${dossier.url}/api/v1/products/RPM/records?offset=200&limit=1`)).json()) as { total: number; records: { key: string }[] };
    expect(last.total).toBeGreaterThan(200);
    await page.getByText(`${last.total} records`, { exact: true }).waitFor();
    await expect.poll(async () => page.getByText(/Showing the first/).count()).toBe(0);
    await page.getByRole('region', { name: 'Records' }).evaluate((el) => el.scrollTo(0, el.scrollHeight));
    await expect.poll(rowKeys).toContain(last.records[0]?.key);
    // The keyboard: into the rows with the arrows, Enter opens the record.
    await page.getByRole('region', { name: 'Records' }).evaluate((el) => el.scrollTo(0, 0));
    await page.getByRole('region', { name: 'Records' }).focus();
    const focusedRow = (): Promise<string | null> => page.evaluate(() => document.activeElement?.getAttribute('data-index') ?? null);
    await page.keyboard.press('ArrowDown');
    await expect.poll(focusedRow).toBe('0');
    await page.keyboard.press('ArrowDown');
    await expect.poll(focusedRow).toBe('1');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/p\/RPM\/records\/UN-2$/);
    await page.goBack();
    await page.getByRole('table', { name: 'Records' }).waitFor();

    await page.getByRole('combobox', { name: 'Type' }).click();
    await page.getByRole('option', { name: 'SRS · Software requirement' }).click();
    await page.waitForURL(/type=SRS/);
    await expect.poll(async () => (await rowKeys()).every((k) => k.startsWith('SRS-')) && (await rowKeys()).length > 3).toBe(true);

    await page.getByRole('searchbox', { name: 'Title contains' }).fill('TLS');
    await page.waitForURL(/q=TLS/);
    const titles = (): Promise<string[]> => page.locator('tr.vt-row td:nth-child(3)').allTextContents();
    await expect.poll(async () => { const t = await titles(); return t.length > 0 && t.every((x) => /TLS/i.test(x)); }).toBe(true);
    expect(await rowKeys()).toContain('SRS-3');
    expect((await titles()).length).toBeLessThan(10);

    // The filters live in the URL: a deep link opens the same list.
    await page.goto(`${dossier.url}/p/RPM/records?type=SRS&findings=1`);
    await page.getByRole('columnheader', { name: 'Findings' }).waitFor();
    await expect.poll(async () => (await rowKeys()).length).toBeGreaterThan(0);
    expect((await rowKeys()).every((k) => k.startsWith('SRS-'))).toBe(true);
    expect(await page.getByRole('checkbox', { name: 'Only records with findings' }).isChecked()).toBe(true);
  });

  it('creates an SRS through the form, showing the server refusal next to its field first', async () => {
    await page.goto(`${dossier.url}/p/RPM/records/new?type=SRS`);
    const title = page.getByRole('textbox', { name: 'Title' });
    await title.waitFor();
    // Only spaces: the browser lets it through, the server refuses it and names the field.
    await title.fill('   ');
    await page.getByRole('button', { name: 'Create SRS record' }).click();
    await expect.poll(() => title.getAttribute('aria-invalid')).toBe('true');
    const describedBy = (await title.getAttribute('aria-describedby')) ?? '';
    const errorIds = describedBy.split(' ').filter((id) => id.includes('error'));
    expect(errorIds.length).toBe(1);
    expect(await page.locator(`[id="${errorIds[0] ?? ''}"]`).textContent()).toMatch(/title is required/);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, 'records-form-error');

    await title.fill('The app shows the time of the last successful upload');
    await page.getByRole('combobox', { name: 'Priority' }).click();
    await page.getByRole('option', { name: 'should' }).click();
    await page.getByRole('textbox', { name: 'Rationale' }).fill('Patients need to know their readings arrived.');
    await page.getByRole('textbox', { name: 'Description (Markdown)' }).fill('The home screen shows **when** the last reading reached the cloud.\n\nSecond paragraph.');
    await page.getByRole('button', { name: 'Create SRS record' }).click();
    await page.waitForURL(/\/p\/RPM\/records\/SRS-\d+$/);
    created = new URL(page.url()).pathname.split('/').at(-1) ?? '';
    await page.getByRole('heading', { level: 1, name: `${created} · The app shows the time of the last successful upload` }).waitFor();
    expect(await page.locator('.markdown-body strong').textContent()).toBe('when');
    expect(await page.getByRole('table', { name: 'Fields' }).textContent()).toMatch(/should/);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, 'records-record');
  });

  it('edits the record, then resolves a stale edit by merging onto the newer revision', async () => {
    await page.getByRole('link', { name: 'Edit', exact: true }).click();
    const title = page.getByRole('textbox', { name: 'Title' });
    await title.waitFor();
    await title.fill('The app shows the time of the last successful upload to the cloud');
    await page.getByRole('textbox', { name: 'Description (Markdown)' }).fill('The home screen shows **when** the last reading reached the cloud.\n\nSecond paragraph, now with the time zone.');
    await page.getByRole('button', { name: 'Save as revision 2' }).click();
    await page.getByRole('heading', { level: 1, name: /to the cloud$/ }).waitFor();

    // Open the form on revision 2, then someone else writes revision 3 from the command line.
    await page.getByRole('link', { name: 'Edit', exact: true }).click();
    await page.getByRole('button', { name: 'Save as revision 3' }).waitFor();
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, 'records-edit');
    const other = await dossierCli(dossier, ['record', 'edit', created, '-p', 'RPM', '--base', '2', '--set', 'priority=must', '--reason', 'Agreed at the design review']);
    expect(other.code, other.err).toBe(0);

    await page.getByRole('textbox', { name: 'Rationale' }).fill('Patients must know their readings arrived.');
    await page.getByRole('button', { name: 'Save as revision 3' }).click();
    const conflict = page.getByRole('alert').filter({ hasText: 'while you were editing' });
    await conflict.getByRole('button', { name: 'Reload: discard my changes' }).waitFor();
    expect(await conflict.textContent()).toMatch(/Priority: should → must/);
    expect(await conflict.textContent()).toMatch(/Agreed at the design review/);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, 'records-conflict');

    await conflict.getByRole('button', { name: 'Merge: take theirs and re-apply my changes' }).click();
    await page.getByText('Merged onto revision 3: review, then save again').waitFor();
    expect(await page.getByRole('textbox', { name: 'Rationale' }).inputValue()).toBe('Patients must know their readings arrived.');
    expect(await page.getByRole('combobox', { name: 'Priority' }).inputValue()).toBe('must');
    await page.getByRole('button', { name: 'Save as revision 4' }).click();
    await page.getByRole('heading', { level: 1, name: new RegExp(`^${created} ·`) }).waitFor();
    expect(await page.getByRole('table', { name: 'Fields' }).textContent()).toMatch(/Priority\s*must.*Patients must know/);

    // The revisions tab compares any two revisions side by side.
    await page.getByRole('tab', { name: /Revisions/ }).click();
    await page.waitForURL(/tab=revisions/);
    await page.getByRole('table', { name: 'Changed title and fields, revision 3 to 4' }).waitFor();
    await page.getByRole('combobox', { name: 'From revision' }).click();
    await page.getByRole('option', { name: /^Revision 1/ }).click();
    await page.waitForURL(/from=1/);
    const changed = await page.getByRole('table', { name: 'Changed title and fields, revision 1 to 4' }).textContent();
    expect(changed).toMatch(/Title.*upload.*to the cloud/);
    expect(changed).toMatch(/Priority|priority/);
    expect(await page.locator('table.rec-diff ins').count()).toBeGreaterThan(0);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, 'records-diff');

    // The lifecycle: into review on the revision shown, and back.
    await page.getByRole('button', { name: 'Submit for review' }).click();
    await page.getByRole('button', { name: 'Return to draft' }).waitFor();
    expect(await page.locator('main').getByText('in review', { exact: true }).count()).toBeGreaterThan(0);
    await page.getByRole('button', { name: 'Return to draft' }).click();
    await page.getByRole('button', { name: 'Submit for review' }).waitFor();
  });

  it('shows a demo record\'s links by direction, its body diff, and a finding by deep link', async () => {
    await page.goto(`${dossier.url}/p/RPM/records/SRS-3?tab=links`);
    await page.getByRole('heading', { name: /Upstream/ }).waitFor();
    expect(await page.getByRole('table', { name: /^upstream:/ }).count()).toBeGreaterThan(0);
    expect(await page.getByRole('table', { name: /^downstream:/ }).count()).toBeGreaterThan(0);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, 'records-links');

    await page.goto(`${dossier.url}/p/RPM/records/SRS-3?tab=revisions&from=1&to=2`);
    await page.getByRole('heading', { name: 'Compare revisions' }).waitFor();
    expect(await page.locator('table.rec-diff, table[aria-label^="Changed title and fields"]').count()).toBeGreaterThan(0);

    await page.goto(`${dossier.url}/p/RPM/records/RC-12#finding-IEC62304-5.2.3-RC-AS-REQUIREMENT`);
    const finding = page.locator('[id="finding-IEC62304-5.2.3-RC-AS-REQUIREMENT"]');
    await finding.waitFor();
    expect(await finding.textContent()).toMatch(/RC-12 is not implemented by any software requirement/);
    expect(await page.getByRole('tab', { name: /Findings/ }).getAttribute('aria-selected')).toBe('true');
    expect(await seriousA11yViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
  });
});
