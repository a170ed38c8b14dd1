import { terminalText } from './terminal-text.js';

/**
 * Markdown punctuation that could turn record text into markup within a line: backslash, emphasis and code
 * (`* _ \``), strikethrough (`~`), links and images (`[ ]`), raw HTML and autolinks (`< >`), entities (`&`),
 * table cells (`|`), and `#` (so a heading's text cannot grow a closing sequence).
 */
const INLINE = /[\\`*_~[\]<>&|#]/g;

/**
 * Record text (a title, a definition, a finding message) made inert for a Markdown document: it is one line (line
 * breaks become spaces, so it can never open a block such as a `# Section`; other controls become visible escapes),
 * and every character that could start inline markup is backslash-escaped (CommonMark shows an escaped punctuation
 * character as itself). `<script>` and `![x](http://…)` are shown as text, never rendered or fetched. For text
 * placed after the renderer's own text on a line (a table cell, a list item, a heading).
 */
export function markdownText(text: string): string {
  return terminalText(text.replace(/\r\n|[\r\n]/g, ' ')).replace(INLINE, '\\$&');
}
