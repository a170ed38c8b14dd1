import { describe, expect, it } from 'vitest';
import { STARTER_DOCUMENTS, STARTER_ROLES, starterDocumentBody } from '../../core/qms/starter/index.js';
import { runCli } from '../main.js';

/**
 * The commands of issue 14 that other areas add (the brief's list of command names). A starter text may name them
 * before they are registered on main; once they are, the program tree below checks them like every other command.
 */
const AGREED_QMS_COMMANDS = [
  'qms init',
  'qms doc list',
  'qms doc effective',
  'qms doc review',
  'qms training matrix',
  'qms training status',
  'qms training overdue',
  'qms training person',
  'qms training complete',
  'qms training sync',
  'qms list',
  'qms advance',
  'qms complaint deadlines',
  'qms change impact',
  'qms audit programme',
  'qms audit checklist',
  'qms review inputs',
  'qms review compile',
  'qms suppliers',
  'qms metrics',
  'qms readiness',
  'attachment add',
  'attachment list',
  'attachment get',
];

const helps = new Map<string, Promise<string>>();

/** The subcommands of a command, read from its `--help` (the commander tree as a user sees it). */
async function subcommands(path: readonly string[]): Promise<string[]> {
  const key = path.join(' ');
  let help = helps.get(key);
  if (help === undefined) {
    help = (async () => {
      let out = '';
      const code = await runCli([...path, '--help'], { out: (s) => (out += s), err: () => undefined, interactive: false }, {});
      expect(code, `dossier ${key} --help`).toBe(0);
      return out;
    })();
    helps.set(key, help);
  }
  const text = await help;
  expect(text.split('\n')[0], `dossier ${key} --help`).toMatch(new RegExp(`^Usage: dossier${path.map((p) => ` ${p}`).join('')} `));
  const commands = text.split(/^Commands:$/m)[1] ?? '';
  return [...commands.matchAll(/^ {2}([a-z][a-z-]*)/gm)].map((m) => m[1] ?? '').filter((c) => c !== 'help');
}

/** Where a command line resolves in the program tree: the command words it walks, and whether it ends on a leaf. */
async function resolve(words: readonly string[]): Promise<{ path: string[]; leaf: boolean }> {
  const path: string[] = [];
  for (const w of words) {
    if (!(await subcommands(path)).includes(w)) break;
    path.push(w);
  }
  return { path, leaf: path.length > 0 && (await subcommands(path)).length === 0 };
}

/** Every `dossier …` command quoted in the starter texts. */
function quotedCommands(): { where: string; command: string }[] {
  const texts = [
    ...STARTER_DOCUMENTS.map((d) => ({ where: d.number, text: starterDocumentBody(d) })),
    ...STARTER_ROLES.map((r) => ({ where: r.title, text: r.body })),
  ];
  return texts.flatMap(({ where, text }) => [...text.matchAll(/`(dossier [^`]+)`/g)].map((m) => ({ where, command: m[1] ?? '' })));
}

describe('the commands the starter quality system tells people to run', () => {
  it('are commands of the CLI (or, for the QMS commands other areas add, on the agreed list)', async () => {
    const quoted = quotedCommands();
    expect(quoted.length).toBeGreaterThan(100);
    const unknown: string[] = [];
    const agreed = new Set<string>();
    for (const { where, command } of quoted) {
      const words = command.split(/\s+/).slice(1);
      const { leaf } = await resolve(words);
      if (leaf) continue;
      const named = AGREED_QMS_COMMANDS.find((c) => words.join(' ').startsWith(c) && (words.length === c.split(' ').length || words.join(' ').startsWith(`${c} `)));
      if (named === undefined) unknown.push(`${where}: ${command}`);
      else agreed.add(named);
    }
    expect(unknown).toEqual([]);
    // Only commands not yet registered fall back to the list: a registered one is checked against the tree above.
    for (const c of agreed) expect((await resolve(c.split(' '))).leaf, c).toBe(false);
  });

  it('would catch a command that does not exist', async () => {
    expect((await resolve(['record', 'add'])).leaf).toBe(true);
    expect((await resolve(['release', 'mark-released', 'VERSION'])).leaf).toBe(true);
    expect((await resolve(['record', 'publish'])).leaf).toBe(false);
    expect((await resolve(['risk'])).leaf).toBe(false);
    expect((await resolve(['qms', 'init'])).leaf).toBe(true);
  });
});
