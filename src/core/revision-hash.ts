import { recordKey, type Revision } from './entities.js';
import { canonicalJson, sha256Hex } from './hashing.js';

/**
 * The canonical JSON (RFC 8785) of a revision's hashed content, built directly rather than through a generic
 * canonicaliser because verification runs it for every revision in the store:
 * `{"body":…,"fields":…,"product":…,"record":…,"revision":…,"title":…}` — keys in JCS order, strings as
 * JSON.stringify writes them (which is what JCS prescribes), `fields` as canonical JSON text.
 * The content names product, record and revision so it cannot be moved to another record or revision.
 */
export function revisionHashInput(
  productKey: string,
  type: string,
  number: number,
  rev: Pick<Revision, 'revision' | 'title' | 'body'>,
  fieldsCanonical: string,
): string {
  return (
    `{"body":${JSON.stringify(rev.body)},"fields":${fieldsCanonical},"product":${JSON.stringify(productKey)},` +
    `"record":${JSON.stringify(recordKey(type, number))},"revision":${rev.revision},"title":${JSON.stringify(rev.title)}}`
  );
}

/**
 * SHA-256 of a revision's canonical content.
 * @param fieldsCanonical - the fields as stored (canonical JSON); computed from `rev.fields` when not given
 */
export function hashRevision(
  productKey: string,
  type: string,
  number: number,
  rev: Pick<Revision, 'revision' | 'title' | 'body' | 'fields'>,
  fieldsCanonical: string = canonicalJson(rev.fields),
): string {
  return sha256Hex(revisionHashInput(productKey, type, number, rev, fieldsCanonical));
}
