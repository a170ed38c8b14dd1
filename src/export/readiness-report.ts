import type { ClauseReadiness, ReadinessReport } from '../core/qms/readiness.js';

/**
 * The readiness report for people: plain text for a terminal, Markdown for a file or a wiki. Both say how the
 * score is computed, and give per clause its status, the documents that cover it, the records, what is missing and
 * what is overdue.
 */

const STATUS_WORD: Readonly<Record<ClauseReadiness['status'], string>> = {
  met: 'met',
  overdue: 'OVERDUE',
  draft_only: 'DRAFT ONLY',
  missing: 'MISSING',
  not_applicable: 'n/a',
};

const docText = (d: ClauseReadiness['documents'][number]): string =>
  `${d.key}${d.number === null ? '' : ` ${d.number}`}${d.version === null ? '' : ` v${d.version}`} (${d.inForce ? 'in force' : d.status.replace(/_/g, ' ')})`;
const recordsText = (c: ClauseReadiness): string => c.records.map((r) => `${r.type} ${r.count}`).join(', ');

function scoreLine(r: ReadinessReport): string {
  return `score ${r.score.percent}%: ${r.score.met} of ${r.score.applicable} applicable clauses met`;
}

function countsLine(r: ReadinessReport): string {
  const c = r.counts;
  return `${c.met} met, ${c.overdue} overdue, ${c.draftOnly} with only a draft, ${c.missing} missing, ${c.notApplicable} not applicable`;
}

/** The report as text. */
export function readinessText(r: ReadinessReport): string {
  const lines: string[] = [`ISO 13485 readiness of ${r.product} on ${r.today}`, `${scoreLine(r)} (${countsLine(r)})`, `how: ${r.score.method}`, ''];
  for (const c of r.clauses) {
    lines.push(`${c.number.padEnd(7)} ${STATUS_WORD[c.status].padEnd(10)} ${c.title}`);
    if (c.status === 'not_applicable') {
      lines.push(`        not applicable: ${c.notApplicable ?? ''}`);
      continue;
    }
    if (c.documents.length > 0) lines.push(`        documents: ${c.documents.map(docText).join(', ')}`);
    if (c.records.length > 0) lines.push(`        records: ${recordsText(c)}`);
    for (const m of c.missing) lines.push(`        missing: ${m}`);
    for (const o of c.overdue) lines.push(`        overdue: ${o.record}: ${o.what} (due ${o.dueOn})`);
  }
  return lines.join('\n');
}

const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** The report as Markdown: a summary, a table of every clause, then the gaps and overdue items in detail. */
export function readinessMarkdown(r: ReadinessReport): string {
  const out: string[] = [
    `# ISO 13485 readiness: ${r.product}`,
    '',
    `Judged on ${r.today}. **${scoreLine(r)}** (${countsLine(r)}).`,
    '',
    `How the score is computed: ${r.score.method}.`,
    '',
    '| Clause | Title | Status | Documents | Records | Rules |',
    '|---|---|---|---|---|---|',
  ];
  for (const c of r.clauses) {
    const docs = c.status === 'not_applicable' ? `not applicable: ${c.notApplicable ?? ''}` : c.documents.map(docText).join(', ');
    out.push(`| ${c.number} | ${cell(c.title)} | ${STATUS_WORD[c.status]} | ${cell(docs)} | ${cell(recordsText(c))} | ${cell(c.rules.join(', '))} |`);
  }
  const gaps = r.clauses.filter((c) => c.missing.length > 0 || c.overdue.length > 0);
  if (gaps.length > 0) out.push('', '## Gaps and overdue items', '');
  for (const c of gaps) {
    out.push(`### ${c.number} ${cell(c.title)}`, '');
    for (const m of c.missing) out.push(`- missing: ${m}`);
    for (const o of c.overdue) out.push(`- overdue: ${o.record}: ${o.what} (due ${o.dueOn})`);
    out.push('');
  }
  return `${out.join('\n').trimEnd()}\n`;
}
