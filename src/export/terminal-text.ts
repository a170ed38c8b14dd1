/**
 * Characters a terminal acts on instead of showing: C0 controls (ESC starts CSI/OSC sequences that move the cursor,
 * rewrite the title or make links; CR and LF start lines that look like rows), DEL, C1 controls (U+009B is CSI on
 * its own) and the bidirectional overrides that reorder what is shown ("Trojan Source").
 */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL_BUT_LF = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

const NAMED: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t', '\u001b': '\\x1b' };

/** The visible form of one control character: `\n`, `\r`, `\t`, `\x1b`, `\x9b`, `\u202e`. */
function visible(c: string): string {
  const named = NAMED[c];
  if (named !== undefined) return named;
  const code = c.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/**
 * Text from the store made safe to print on a terminal: every control character becomes a visible escape such as
 * `\n` or `\x1b`, so a title or reason can neither forge a row nor send an escape sequence.
 * @param keepLines - keep line feeds (for a whole rendered text whose lines are the renderer's own)
 */
export function terminalText(text: string, keepLines = false): string {
  return text.replace(keepLines ? CONTROL_BUT_LF : CONTROL, visible);
}
