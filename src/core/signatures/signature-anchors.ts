import type { AuditAnchor } from '../audit-anchor.js';
import { sha256Hex } from '../hashing.js';
import { ReleaseManifestSchema, type SignatureRow } from './model.js';

/**
 * The audit head each release signature's manifest recorded, as anchors the chain must still hold and reach past
 * (the signature's own SIGNATURE_APPLIED event follows it): a trail cut back below a signed release, or rewritten
 * at or before the head it was signed with, is found. A manifest that does not hash to its signature's content hash
 * gives no anchor (the signature check reports it).
 * @param rows - signatures of any kind; only release signatures count
 */
export function releaseSignatureAnchors(
  rows: readonly Pick<SignatureRow, 'id' | 'entityType' | 'entityKey' | 'manifest' | 'contentHash' | 'meaning'>[],
): AuditAnchor[] {
  const out: AuditAnchor[] = [];
  for (const s of rows) {
    if (s.entityType !== 'release' || s.manifest === null || sha256Hex(s.manifest) !== s.contentHash) continue;
    let value: unknown;
    try {
      value = JSON.parse(s.manifest);
    } catch {
      continue;
    }
    const m = ReleaseManifestSchema.safeParse(value);
    if (!m.success || m.data.auditHead.seq < 1) continue;
    out.push({
      seq: m.data.auditHead.seq,
      hash: m.data.auditHead.hash,
      followed: true,
      signed: true,
      label: `release ${s.entityKey.replace('/release/', ' ')} (signature ${s.id}, ${s.meaning})`,
    });
  }
  return out;
}
