import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { runCli } from './main.js';

/** Every shell line of a CI file: GitHub `run:` steps and GitLab `script`/`before_script` entries. */
function shellLines(doc: unknown): string[] {
  const out: string[] = [];
  const walk = (v: unknown, key: string): void => {
    if (typeof v === 'string' && ['run', 'script', 'before_script'].includes(key)) out.push(...v.split('\n'));
    else if (Array.isArray(v)) v.forEach((x) => walk(x, key));
    else if (typeof v === 'object' && v !== null) for (const [k, x] of Object.entries(v)) walk(x, k);
  };
  walk(doc, '');
  return out;
}

describe.each(['docs/ci/github-actions.yml', 'docs/ci/gitlab-ci.yml'])('%s', (file) => {
  const lines = shellLines(parse(readFileSync(file, 'utf8')));

  it('installs Dossier from a clone (it is not on the npm registry) and runs the export scripts it ships', () => {
    const text = lines.join('\n');
    expect(text).not.toMatch(/npm (install|i) (-g )?dossier|npx (--yes )?dossier/);
    expect(text).toMatch(/git clone --depth 1 --branch "\$DOSSIER_REF" "\$DOSSIER_REPO"/);
    expect(text).toMatch(/npm ci --nodedir=.*&& npm run build|npm run build/);
    for (const m of text.matchAll(/\$DOSSIER_HOME\/(docs\/ci\/[\w.-]+)/g)) expect(existsSync(m[1] ?? ''), m[1]).toBe(true);
    // Code reviews come from the export scripts that page through every list and stop on an HTTP error.
    expect(text).toMatch(/docs\/ci\/(github-reviews\.sh|gitlab-reviews\.mjs)/);
  });

  it('uses only dossier commands and options that exist', async () => {
    const calls = lines.flatMap((l) => [...l.matchAll(/(?:^|[;&|(]\s*|^\s*)dossier((?:\s+(?:--json|[a-z][\w-]*))+)(.*)$/g)]);
    expect(calls.length).toBeGreaterThan(3);
    for (const c of calls) {
      const words = (c[1] ?? '').trim().split(/\s+/).filter((w) => w !== '--json');
      const command = words.slice(0, 2).filter((w) => /^[a-z]/.test(w));
      let help = '';
      const code = await runCli([...command, '--help'], { out: (s) => (help += s), err: (s) => (help += s), interactive: false }, {});
      expect(code, `dossier ${command.join(' ')}`).toBe(0);
      // Flags of the command itself, not of commands inside $(…).
      const own = (c[2] ?? '').replace(/\$\((?:[^()]|\([^()]*\))*\)/g, '');
      for (const flag of own.match(/\s--[a-z][\w-]*/g) ?? []) expect(help, `dossier ${command.join(' ')} ${flag.trim()}`).toContain(flag.trim());
    }
  });
});
