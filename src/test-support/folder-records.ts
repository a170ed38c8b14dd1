import fc from 'fast-check';

/**
 * Arbitrary record content for Markdown-folder property tests: titles and bodies in any script, with text that
 * looks like front matter (`---`, `key: value`, `digest: …`), and fields of each kind the catalog has (choices,
 * booleans, integers, free text over several lines, lists of objects).
 */

const tricky = fc.constantFrom('---', '--- ', '...', 'id: SRS-1', 'digest: 00', '# heading', '- item', 'yes', 'null', '~', '"q"', "'", ': x', 'a #b', '\t', ' ', '\r', '\u2028', '\ufeff', '\u0085', '𝄞', 'é', '中文', 'עברית', '\\', '|', '>');

/** Storable text (no NUL, no lone surrogate) mixing any code point with the tricky bits above. */
export const anyText = (max: number): fc.Arbitrary<string> =>
  fc
    .array(fc.oneof(fc.string({ unit: 'grapheme', maxLength: 8 }), fc.string({ unit: 'binary', maxLength: 4 }), tricky, fc.constant('\n')), { maxLength: max })
    .map((parts) => parts.join('').replaceAll('\u0000', ''));

/** A title as the catalog keeps it: trimmed, one line, not empty. */
export const anyTitle: fc.Arbitrary<string> = anyText(12)
  .map((s) => s.replace(/[\r\n]/g, ' ').trim().slice(0, 200))
  .filter((s) => s.length > 0);

/** Free text for a field: trimmed, not empty (the catalog's text fields). */
const fieldText: fc.Arbitrary<string> = anyText(10)
  .map((s) => s.trim().slice(0, 400))
  .filter((s) => s.length > 0);

/** A record type with fields the catalog accepts, of every field kind. */
export const anyRecordContent: fc.Arbitrary<{ type: string; title: string; body: string; fields: Record<string, unknown> }> = fc.oneof(
  fc.record({
    type: fc.constant('SRS'),
    title: anyTitle,
    body: anyText(30),
    fields: fc.record(
      { category: fc.constantFrom('functional', 'security', 'usability'), riskControl: fc.boolean(), rationale: fieldText, externalId: fieldText },
      { requiredKeys: ['riskControl'] },
    ),
  }),
  fc.record({
    type: fc.constant('TC'),
    title: anyTitle,
    body: anyText(30),
    fields: fc.record({
      level: fc.constantFrom('unit', 'integration', 'system'),
      steps: fc.array(fc.record({ action: fieldText, expected: fieldText }), { maxLength: 3 }),
      automated: fc.boolean(),
    }),
  }),
  fc.record({ type: fc.constant('SYS'), title: anyTitle, body: anyText(30), fields: fc.constant({}) }),
  fc.record({
    type: fc.constant('UN'),
    title: anyTitle,
    body: anyText(10),
    fields: fc.record({ userGroup: fieldText.map((s) => s.slice(0, 200).trim()).filter((s) => s.length > 0), source: fieldText }, { requiredKeys: [] }),
  }),
);
