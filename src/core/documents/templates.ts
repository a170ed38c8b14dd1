import Handlebars from 'handlebars';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { AppError, invalidInput } from '../errors.js';
import { markdownBlocks } from './markdown.js';
import type { Block } from './model.js';

/** A template's front matter: what the document is and which record controls it. */
export const TemplateFrontMatterSchema = z.strictObject({
  title: z.string().trim().min(1).max(200),
  /** The clauses it answers, numbers only: `IEC 62304 5.1`. */
  clauses: z.array(z.string().trim().min(1).max(80)).min(1),
  /** The DOC record that controls the document (its revisions are the history, its signatures the approval). */
  control: z.strictObject({ docType: z.string().trim().min(1), title: z.string().trim().min(1) }).optional(),
  /** Its place in the list of documents (lower first). */
  order: z.number().int().default(100),
});

/** One document definition: its ID (the template's file name), front matter and Markdown body. */
export interface DocumentTemplate extends z.output<typeof TemplateFrontMatterSchema> {
  readonly id: string;
  /** Where it came from, for messages (`templates/documents/srs.md`). */
  readonly file: string;
  readonly body: string;
}

/** A document ID: lower-case words joined by hyphens, as its file name. */
export const DocumentIdSchema = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'a document ID is lower-case words joined by hyphens, e.g. soup-list');

/**
 * Parses a template: YAML front matter between `---` lines, then the Markdown body with Handlebars placeholders.
 * @param id - the document ID (its file name without `.md`)
 * @param file - where it came from, for messages
 * @throws AppError INVALID_INPUT naming the file, the line and the field
 */
export function parseTemplate(id: string, text: string, file: string): DocumentTemplate {
  const idCheck = DocumentIdSchema.safeParse(id);
  if (!idCheck.success) throw invalidInput(`${file}: ${idCheck.error.issues[0]?.message ?? 'bad ID'}`, { file });
  const src = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const m = /^---\n([\s\S]*?)\n---\n?/.exec(src);
  if (m === null) throw invalidInput(`${file}:1: a template starts with front matter between --- lines (title, clauses)`, { file, line: 1 });
  let data: unknown;
  try {
    data = parseYaml(m[1] ?? '', { logLevel: 'error' });
  } catch (e) {
    const line = (e as { linePos?: { line: number }[] }).linePos?.[0]?.line;
    throw invalidInput(`${file}:${line === undefined ? 2 : line + 1}: front matter is not valid YAML: ${(e as Error).message.split('\n')[0] ?? ''}`, { file, line: line === undefined ? 2 : line + 1 });
  }
  const fm = TemplateFrontMatterSchema.safeParse(data);
  if (!fm.success) {
    const issue = fm.error.issues[0];
    const field = issue?.path.join('.') ?? '';
    throw invalidInput(`${file}: front matter${field === '' ? '' : ` field ${field}`}: ${issue?.message ?? 'invalid'}`, { file, line: 2, field });
  }
  const body = src.slice(m[0].length);
  try {
    Handlebars.precompile(body, { strict: false });
  } catch (e) {
    const line = /on line (\d+)/.exec((e as Error).message)?.[1];
    const at = line === undefined ? undefined : Number(line) + (m[0].match(/\n/g)?.length ?? 0);
    throw invalidInput(`${file}${at === undefined ? '' : `:${at}`}: the template does not parse: ${(e as Error).message.split('\n')[0] ?? ''}`, { file, ...(at === undefined ? {} : { line: at }) });
  }
  return { id, file, body, ...fm.data };
}

/** A generated part: what code puts where a template says `{{{part "name" "ARG"}}}`. */
export type PartFn = (args: readonly string[]) => Block[];

/** Stands where a part goes in the rendered Markdown: a private-use character no template or record writes. */
const MARK = '\uE000part:';
const MARK_SPLIT = /\uE000part:(\d+)\uE000/;

/**
 * Renders a template's body with its data, then turns the Markdown into blocks, putting each named part's blocks
 * where the template calls it (a part stands in its own paragraph). Values go into Markdown as they are (no HTML
 * escaping: the blocks are text, and Markdown's raw HTML stays text).
 * @throws AppError INVALID_INPUT naming the template file when it calls an unknown part or its data fails
 */
export function renderTemplate(t: DocumentTemplate, data: Readonly<Record<string, unknown>>, parts: Readonly<Record<string, PartFn>>): Block[] {
  const hb = Handlebars.create();
  const calls: { name: string; args: string[] }[] = [];
  hb.registerHelper('part', (...raw: unknown[]) => {
    const args = raw.slice(0, -1).map(String);
    const [name = '', ...rest] = args;
    if (!Object.hasOwn(parts, name)) throw invalidInput(`${t.file}: unknown part "${name}" (known: ${Object.keys(parts).sort().join(', ')})`, { file: t.file, item: name });
    calls.push({ name, args: rest });
    return new hb.SafeString(`\n\n${MARK}${calls.length - 1}\uE000\n\n`);
  });
  let text: string;
  try {
    text = hb.compile(t.body, { noEscape: true, strict: false })(data);
  } catch (e) {
    if (e instanceof AppError) throw e;
    throw invalidInput(`${t.file}: the template fails: ${(e as Error).message.split('\n')[0] ?? ''}`, { file: t.file });
  }
  const out: Block[] = [];
  const pieces = text.split(MARK_SPLIT);
  pieces.forEach((piece, n) => {
    if (n % 2 === 1) {
      const call = calls[Number(piece)];
      const fn = call === undefined ? undefined : parts[call.name];
      if (call !== undefined && fn !== undefined) out.push(...fn(call.args));
    } else if (piece.trim() !== '') {
      out.push(...markdownBlocks(piece, 0, `${t.id}-${n / 2 + 1}`));
    }
  });
  return out;
}

/**
 * The templates in force: the shipped ones, each replaced by a team's template of the same file name; a team's
 * template with a new name adds a document.
 * @param shipped - shipped template texts by document ID
 * @param overrides - a team's template texts by document ID
 * @param overrideDir - where the team's templates came from, for messages
 * @throws AppError INVALID_INPUT naming the template file that does not parse
 */
export function templatesInForce(shipped: Readonly<Record<string, string>>, overrides: Readonly<Record<string, string>> = {}, overrideDir = 'templates'): DocumentTemplate[] {
  const out = new Map<string, DocumentTemplate>();
  for (const [id, text] of Object.entries(shipped)) out.set(id, parseTemplate(id, text, `templates/documents/${id}.md`));
  for (const [id, text] of Object.entries(overrides)) out.set(id, parseTemplate(id, text, `${overrideDir}/${id}.md`));
  return [...out.values()];
}
