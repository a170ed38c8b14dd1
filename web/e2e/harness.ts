import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

/**
 * The browser tests' harness: the built app served by the built `dossier serve` on a throwaway SQLite store (with
 * the demo, or empty), driven by Debian's Chromium through playwright-core. Needs `npm run build` and
 * `apt-get install -y chromium` (both done by `.ci/run`).
 */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CLI = join(ROOT, 'dist/cli/main.js');
const CHROMIUM = process.env['DOSSIER_CHROMIUM'] ?? '/usr/bin/chromium';

/** Where screenshots go (not committed): a reviewer opens them after a run. */
export const SCREENSHOTS = join(ROOT, 'test-results/screenshots');

/** The demo users (created by `dossier demo`). */
export const DEMO_USERS = {
  admin: { username: 'ada.admin', password: 'demo-admin-pass' },
  quality: { username: 'quinn.qa', password: 'demo-quality-pass' },
  author: { username: 'dana.engineer', password: 'demo-author-pass' },
  reviewer: { username: 'riley.reviewer', password: 'demo-reviewer-pass' },
  approver: { username: 'avery.approver', password: 'demo-approver-pass' },
  viewer: { username: 'vic.viewer', password: 'demo-viewer-pass' },
} as const;

/** A running `dossier serve` on a throwaway store. */
export interface Dossier {
  readonly url: string;
  /** The store, for CLI calls beside the server (`--db`). */
  readonly db: string;
  /** Everything the server printed so far (its log lines, the setup code). */
  output(): string;
  stop(): Promise<void>;
}

function run(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out, err }));
  });
}

/** Runs the built CLI on the server's store (beside the server; SQLite allows it). */
export async function dossierCli(d: Dossier, args: readonly string[]): Promise<{ code: number | null; out: string; err: string }> {
  return run(['--db', d.db, ...args]);
}

/**
 * Starts the built server on a free port and a new store: `demo` loads the VitalLink demo first (its users are
 * `DEMO_USERS`); without it the store is empty (first-run set-up).
 * @throws Error when the build is missing or the server does not start
 */
export async function startDossier(options: { demo?: boolean; env?: NodeJS.ProcessEnv } = {}): Promise<Dossier> {
  if (!existsSync(CLI) || !existsSync(join(ROOT, 'dist/web/index.html'))) throw new Error('the app is not built: run npm run build first');
  const dir = mkdtempSync(join(tmpdir(), 'dossier-web-'));
  const db = join(dir, 'dossier.db');
  if (options.demo !== false) {
    const demo = await run(['--db', db, 'demo']);
    if (demo.code !== 0) throw new Error(`dossier demo failed: ${demo.err}`);
  }
  if (options.demo === false) {
    // An empty store (serve refuses a missing one): no users, so the server prints its set-up code.
    const init = await run(['--db', db, 'init']);
    if (init.code !== 0) throw new Error(`dossier init failed: ${init.err}`);
  }
  const child: ChildProcess = spawn(process.execPath, [CLI, '--db', db, 'serve', '--port', '0', '--login-limit', '10000', '--read-workers', '1'], {
    env: { ...process.env, DOSSIER_LOG_LEVEL: 'warn', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    child.stderr?.on('data', (d: Buffer) => {
      output += d.toString();
      const m = /serving (http:\/\/[^\s]+)/.exec(output);
      if (m?.[1] !== undefined) resolve(m[1]);
    });
    child.on('close', (code) => reject(new Error(`dossier serve ended (${String(code)}) before it listened:\n${output}`)));
  });
  return {
    url,
    db,
    output: () => output,
    stop: async () => {
      if (child.exitCode === null) {
        const ended = new Promise((r) => child.once('close', r));
        child.kill('SIGTERM');
        await ended;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Debian's Chromium, headless, with the flags this machine's closed network needs. */
export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (.ci/run does)`);
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/**
 * A new browser context (its own cookies) at 1280×800, whose page fails the test on an uncaught page error or a
 * Content-Security-Policy violation (collected in `problems`).
 */
export async function newPage(browser: Browser, viewport = { width: 1280, height: 800 }): Promise<{ context: BrowserContext; page: Page; problems: string[] }> {
  // Reduced motion: dialogs open and close at once, so a click never lands on an overlay that is fading out.
  const context = await browser.newContext({ viewport, reducedMotion: 'reduce' });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && /Content Security Policy|Refused to/i.test(m.text())) problems.push(`console: ${m.text()}`);
  });
  return { context, page, problems };
}

/** Logs in through the login page and waits for the signed-in frame. */
export async function logIn(page: Page, url: string, user: { username: string; password: string }, next = '/'): Promise<void> {
  await page.goto(`${url}/login?next=${encodeURIComponent(next)}`);
  await page.getByLabel('Username').fill(user.username);
  await page.getByLabel(/^Password/).fill(user.password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('navigation', { name: 'Main navigation' }).waitFor();
}

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** One accessibility violation axe-core found. */
export interface AxeViolation {
  readonly id: string;
  readonly impact: string | null;
  readonly help: string;
  readonly nodes: string[];
}

/**
 * Runs axe-core (WCAG 2.1 A/AA rules) on the page as it is now and returns the serious and critical violations,
 * each with the elements it found (an empty list passes).
 */
export async function seriousA11yViolations(page: Page): Promise<AxeViolation[]> {
  // Judged at rest: a dialog fading in or out would be measured half-transparent.
  await page.evaluate(() => Promise.all(document.getAnimations().filter((a) => a.effect?.getComputedTiming().endTime !== Infinity).map((a) => a.finished.catch(() => a))));
  // Evaluated through the DevTools protocol: the page's CSP (scripts from its own origin only) stays in force.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE);
  const result = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: unknown, opts: unknown) => Promise<{ violations: { id: string; impact: string | null; help: string; nodes: { target: unknown[] }[] }[] }> } }).axe;
    const r = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map((n) => JSON.stringify(n.target)) }));
  });
  return result.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** Saves a full-page screenshot under `test-results/screenshots/<name>.png`. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}
