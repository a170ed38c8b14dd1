import DOMPurify from 'dompurify';
import { marked } from 'marked';
import { useMemo, type ReactNode } from 'react';

/**
 * A record's Markdown body, rendered and sanitized: DOMPurify keeps text, structure and links, drops scripts,
 * event handlers, styles and `javascript:` URLs; links open outside the app without handing it the opener.
 */
export function renderMarkdown(text: string): string {
  const html = marked.parse(text, { async: false, gfm: true });
  const clean = DOMPurify.sanitize(html, { USE_PROFILES: { html: true }, FORBID_TAGS: ['style', 'form', 'input', 'button'], FORBID_ATTR: ['style'] });
  const doc = new DOMParser().parseFromString(`<div>${clean}</div>`, 'text/html');
  for (const a of doc.querySelectorAll('a[href]')) {
    a.setAttribute('rel', 'noopener noreferrer');
    a.setAttribute('target', '_blank');
  }
  return doc.body.firstElementChild?.innerHTML ?? '';
}

export function Markdown({ text }: { text: string }): ReactNode {
  const html = useMemo(() => renderMarkdown(text), [text]);
  // Sanitized by renderMarkdown.
  return <div className="markdown-body" dangerouslySetInnerHTML={{ __html: html }} />;
}
