import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_USERS, launchBrowser, logIn, newPage, screenshot, seriousA11yViolations, startDossier, type Dossier } from './harness';

/** Records of the demo product whose title contains `text`, read through the API as the signed-in page. */
async function recordsTitled(page: Page, text: string): Promise<{ key: string; title: string }[]> {
  return page.evaluate(async (t) => {
    const r = await fetch(`/api/v1/products/RPM/records?type=SRS&limit=all&text=${encodeURIComponent(t)}`, { credentials: 'same-origin' });
    return ((await r.json()) as { records: { key: string; title: string }[] }).records;
  }, text);
}

/** Pastes tab-separated text into the focused grid as the clipboard would. */
async function paste(page: Page, text: string): Promise<void> {
  await page.evaluate((t) => {
    const data = new DataTransfer();
    data.setData('text/plain', t);
    document.querySelector('table[role="grid"]')?.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  }, text);
}

/** The grid editor, the documents and the spreadsheet import, as an author on the demo. */
describe('grid editor, documents and import', () => {
  let dossier: Dossier;
  let browser: Browser;
  beforeAll(async () => {
    [dossier, browser] = await Promise.all([startDossier({ demo: true }), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await dossier?.stop();
  });

  it('pastes three rows into the SRS grid, shows a bad value on its row and saves nothing, then saves them once fixed', async () => {
    const { page, problems, context } = await newPage(browser);
    await logIn(page, dossier.url, DEMO_USERS.author, '/p/RPM/grid?type=SRS');
    const grid = page.getByRole('grid', { name: 'SRS records' });
    await grid.waitFor();
    const headers = await grid.locator('thead th').allTextContents();
    // Cells of a pasted row, from the title column on, by header name.
    const from = headers.indexOf('Title');
    const row = (cells: Record<string, string>): string =>
      headers
        .slice(from, headers.length - 1)
        .map((h) => cells[h.replace(' *', '')] ?? '')
        .join('\t');
    expect(headers).toContain('priority');
    expect(headers).toContain('derives_from →');
    const tsv = [
      row({ Title: 'Grid e2e: alarm is acknowledged', Body: '"The clinician acknowledges an alarm\nwithin the ""console""."', priority: 'must', 'derives_from →': 'SYS-1' }),
      row({ Title: 'Grid e2e: alarm escalates', Body: 'Unacknowledged alarms escalate.', priority: 'urgent' }),
      row({ Title: 'Grid e2e: alarm history', Body: 'Every alarm is kept.', priority: 'could', riskControl: 'yes' }),
    ].join('\n');

    // To the first empty row, title column; then paste.
    await grid.locator('td').nth(1).click();
    await page.keyboard.press('Control+ArrowDown');
    await page.keyboard.press('Home');
    await page.keyboard.press('ArrowRight');
    await paste(page, tsv);
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Pasted 3 rows' }).count()).toBe(1);
    const badRow = grid.locator('tr', { hasText: 'Grid e2e: alarm escalates' });
    expect(await grid.locator('td.ge-changed').count()).toBeGreaterThanOrEqual(9);

    await page.getByRole('button', { name: /^Save 3 rows/ }).click();
    await expect.poll(() => badRow.locator('td.ge-problems').textContent(), { timeout: 15_000 }).toMatch(/priority/);
    expect(await badRow.locator('td[aria-invalid="true"]').textContent()).toBe('urgent');
    expect(await grid.locator('tr', { hasText: 'Grid e2e: alarm history' }).locator('td.ge-problems').textContent()).toBe('');
    expect(await page.getByText(/Nothing was saved/).count()).toBeGreaterThan(0);
    expect(await recordsTitled(page, 'Grid e2e')).toEqual([]);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, 'grid-grid-problem');

    // Fix the cell from the keyboard: the problem's button selects it, typing replaces it, Enter keeps it.
    await page.getByRole('button', { name: /^row \d+$/ }).first().click();
    await grid.focus();
    await page.keyboard.press('Delete');
    await page.keyboard.type('should');
    await page.keyboard.press('Enter');
    expect(await badRow.locator('td.ge-changed', { hasText: /^should$/ }).count()).toBe(1);
    // Escape drops an edit.
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('F2');
    await page.keyboard.type(' not kept');
    await page.keyboard.press('Escape');
    expect(await badRow.locator('td', { hasText: 'not kept' }).count()).toBe(0);

    await page.getByRole('button', { name: /^Save 3 rows/ }).click();
    await page.getByRole('status').filter({ hasText: 'Saved: 3 created, 0 changed, 1 links added' }).waitFor({ timeout: 20_000 });
    const saved = await recordsTitled(page, 'Grid e2e');
    expect(saved.map((r) => r.title).sort()).toEqual(['Grid e2e: alarm escalates', 'Grid e2e: alarm history', 'Grid e2e: alarm is acknowledged']);
    // The grid shows them as records now, unchanged.
    await expect.poll(() => grid.locator('tr', { hasText: 'Grid e2e: alarm escalates' }).locator('td a').count()).toBe(1);
    expect(await grid.locator('td.ge-changed').count()).toBe(0);
    const key = saved.find((r) => r.title.endsWith('acknowledged'))?.key ?? '';
    const links = await page.evaluate(async (k) => (await (await fetch(`/api/v1/products/RPM/records/${k}`)).json()) as unknown, key);
    expect(JSON.stringify(links)).toContain('SYS-1');
    await screenshot(page, 'grid-grid-saved');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('lists the documents with their gaps and builds the technical file with progress shown', async () => {
    const { page, problems, context } = await newPage(browser);
    await logIn(page, dossier.url, DEMO_USERS.author, '/p/RPM/documents');
    const table = page.getByRole('table', { name: 'Generated documents' });
    await table.waitFor({ timeout: 20_000 });
    expect(await table.locator('tbody tr').count()).toBeGreaterThan(3);
    // The build is one request; held back a moment here so its progress is seen.
    await page.route('**/generated-documents/build**', async (route) => {
      await new Promise((r) => setTimeout(r, 1500));
      await route.continue();
    });
    await page.getByRole('button', { name: 'Build technical file' }).click();
    const progress = page.getByRole('status', { name: 'Building the technical file' });
    await progress.waitFor();
    expect(await progress.textContent()).toMatch(/Step 1 of 3: Reading the baseline.*\d+\.\d s|\d+\.\d s.*Step 1 of 3/s);
    await page.getByRole('heading', { name: 'Technical file built' }).waitFor({ timeout: 30_000 });
    expect(await page.getByRole('region', { name: /^Preview of / }).textContent()).toMatch(/Content hash/);
    await table.getByRole('button', { name: /^Preview / }).nth(1).click();
    await expect.poll(() => new URL(page.url()).searchParams.get('doc')).not.toBeNull();
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download all (JSON)' }).click();
    expect((await download).suggestedFilename()).toMatch(/^technical-file-RPM-current\.json$/);
    // One document as a file, rendered by the server.
    const pdf = page.waitForEvent('download');
    await table.getByRole('link', { name: 'Download Trace matrix as PDF' }).click();
    const file = await pdf;
    expect(file.suggestedFilename()).toBe('RPM-trace-matrix-current.pdf');
    expect((await import('node:fs')).readFileSync((await file.path()) ?? '').subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, 'grid-documents');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('shows the dry-run report of a small CSV with its problems by row and column, and applies a clean one', async () => {
    const { page, problems, context } = await newPage(browser);
    await logIn(page, dossier.url, DEMO_USERS.author, '/p/RPM/import');
    const csv = (rows: string[]): { name: string; mimeType: string; buffer: Buffer } => ({ name: 'reqs.csv', mimeType: 'text/csv', buffer: Buffer.from(rows.join('\r\n'), 'utf8') });
    const header = 'ID,Title,Description,Priority,Traces to';
    await page.locator('input[type="file"]').setInputFiles(csv([header, 'R1,CSV e2e: first,"Body, with comma",must,SYS-1', 'R2,CSV e2e: second,,urgent,R1']));
    await page.getByRole('button', { name: 'Dry run' }).click();
    await page.getByRole('heading', { name: 'Dry-run report' }).waitFor({ timeout: 15_000 });
    expect(await page.getByRole('table', { name: 'Import problems' }).textContent()).toMatch(/reqs\.csv row 3 column D \(Priority\).*priority is one of must, should, could/);
    expect(await page.getByRole('button', { name: 'Apply import' }).isDisabled()).toBe(true);

    await page.locator('input[type="file"]').setInputFiles(csv([header, 'R1,CSV e2e: first,"Body, with comma",must,SYS-1', 'R2,CSV e2e: second,,should,']));
    await page.getByRole('button', { name: 'Dry run' }).click();
    await page.getByText('ready to apply').waitFor({ timeout: 15_000 });
    expect(await page.getByRole('table', { name: 'Records in the import' }).textContent()).toMatch(/would be created: CSV e2e: first/);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, 'grid-import');
    await page.getByRole('button', { name: 'Apply import' }).click();
    await page.getByRole('heading', { name: 'Import applied' }).waitFor({ timeout: 15_000 });
    expect((await recordsTitled(page, 'CSV e2e')).length).toBe(2);
    expect(problems).toEqual([]);
    await context.close();
  });
});
