import type { GeneratedDocument } from './model.js';

/** One line of a document's cover: label, value, and whether the value is a hash or ID shown in a fixed-width font. */
export interface CoverLine {
  readonly label: string;
  readonly value: string;
  readonly mono: boolean;
}

/**
 * What every rendering of a document states on its cover, in this order: the baseline and its hash, when it was
 * generated, the content hash, the safety class, the clauses it answers, whether it is signed, and its open gaps.
 * One list, so the PDF and DOCX covers cannot drift apart.
 */
export function coverLines(doc: GeneratedDocument): CoverLine[] {
  const line = (label: string, value: string, mono = false): CoverLine => ({ label, value, mono });
  return [
    line('Baseline', doc.baseline.kind === 'release' ? `release ${doc.baseline.label}` : doc.baseline.label),
    line('Baseline hash', doc.baseline.hash, true),
    line('Generated', doc.generatedAt),
    line('Content SHA-256', doc.contentHash, true),
    line('Safety class', `IEC 62304 class ${doc.product.safetyClass}`),
    ...(doc.clauses.length > 0 ? [line('Answers', doc.clauses.join('; '))] : []),
    line('Signatures', doc.signatures.length === 0 ? 'not signed' : `${doc.signatures.length} (see approvals)`),
    line('Open gaps', String(doc.gaps.length)),
  ];
}
