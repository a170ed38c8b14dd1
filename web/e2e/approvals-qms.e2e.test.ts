import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_USERS, launchBrowser, logIn, newPage, screenshot, seriousA11yViolations, startDossier, type Dossier } from './harness';

/** The quality processes page on the demo: its processes listed, one moved, readiness and document control shown. */
describe('quality processes', () => {
  let dossier: Dossier;
  let browser: Browser;
  beforeAll(async () => {
    [dossier, browser] = await Promise.all([startDossier({ demo: true }), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await dossier?.stop();
  });

  it("lists the demo's quality processes, moves one, and shows readiness and document control [DOSSIER-SRS-38]", async () => {
    const { page, problems, context } = await newPage(browser);
    await logIn(page, dossier.url, DEMO_USERS.quality, '/p/RPM/qms');
    const capa = page.getByRole('table', { name: /^CAPA of RPM/ });
    await capa.getByRole('link', { name: 'CAPA-1' }).waitFor();
    expect(await capa.textContent()).toMatch(/effectiveness check.*quinn\.qa.*2027-01-31/);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, 'approvals-qms-capa');

    await page.getByRole('tab', { name: 'Complaints' }).click();
    await expect.poll(() => new URL(page.url()).search).toBe('?tab=complaint');
    await page.getByRole('table', { name: /^Complaints of RPM/ }).getByRole('link', { name: 'CMP-1' }).waitFor();
    await page.getByRole('table', { name: 'Report deadlines of CMP-1' }).waitFor();
    expect(await page.getByRole('table', { name: 'Report deadlines of CMP-1' }).textContent()).toMatch(/FDA.*EU/);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, 'approvals-qms-complaints');

    // A deep link opens the tab; a finding moves to its next state.
    await page.goto(`${dossier.url}/p/RPM/qms?tab=finding`);
    const findings = page.getByRole('table', { name: /^Audit findings of RPM/ });
    await findings.getByRole('link', { name: 'AF-1' }).waitFor();
    await page.getByRole('button', { name: 'Move AF-1 to another state' }).click();
    await page.getByRole('menuitem', { name: 'capa raised' }).click();
    await page.getByRole('menu').waitFor({ state: 'detached' });
    const move = page.getByRole('dialog');
    await move.getByText(/as a new revision after revision 1/).waitFor();
    expect(await seriousA11yViolations(page)).toEqual([]);
    await move.getByLabel('Reason (for the audit trail)').fill('CAPA-2 raised for it');
    await move.getByRole('button', { name: 'Move to capa raised' }).click();
    await move.getByText(/AF-1 moved from open to capa raised \(revision 2\)/).waitFor();
    await move.getByRole('button', { name: 'Close', exact: true }).click();
    await expect.poll(async () => (await findings.getByRole('row').filter({ hasText: 'AF-1' }).textContent()) ?? '').toContain('capa raised');

    await page.getByRole('tab', { name: 'Audits' }).click();
    await page.getByRole('table', { name: /^Audits of RPM/ }).getByRole('link', { name: 'AUD-1' }).waitFor();
    await page.getByRole('tab', { name: 'Change requests' }).click();
    await page.getByRole('table', { name: /^Change requests of RPM/ }).getByRole('link', { name: 'CR-1' }).waitFor();
    await page.getByRole('tab', { name: 'Nonconformances' }).click();
    await page.getByText('No nonconformance records yet').waitFor();

    await page.getByRole('tab', { name: 'ISO 13485 readiness' }).click();
    await page.getByText(/^\d+% ready$/).waitFor();
    const clauses = page.getByRole('table', { name: 'ISO 13485 clauses with their evidence and gaps' });
    expect(await clauses.getByRole('row').count()).toBeGreaterThan(10);
    expect(await clauses.textContent()).toMatch(/4\.2\.4/);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, 'approvals-qms-readiness');

    await page.getByRole('tab', { name: 'Document control' }).click();
    const docs = page.getByRole('table', { name: /^Controlled documents of RPM/ });
    await docs.getByRole('link', { name: /^DOC-\d+$/ }).first().waitFor();
    await expect.poll(async () => (await docs.textContent()) ?? '').toMatch(/\d+ of \d+ trained/);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, 'approvals-qms-documents');
    expect(problems).toEqual([]);
    await context.close();
  });
});
