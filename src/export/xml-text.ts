/**
 * Characters XML 1.0 does not allow in a document at all, not even as a character reference: C0 controls other
 * than tab, LF and CR; U+FFFE and U+FFFF; unpaired surrogates. (Char production, XML 1.0 section 2.2.)
 */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const NOT_XML_CHAR = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * Text made fit for an XML 1.0 text node or attribute: each character XML forbids becomes a visible escape
 * (`\x1b`, `\uffff`), so the document stays well-formed and the reader still sees something was there. Markup
 * characters (`& < > " '`) are the XML writer's job.
 */
export function xmlText(text: string): string {
  return text.replace(NOT_XML_CHAR, (c) => {
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}
