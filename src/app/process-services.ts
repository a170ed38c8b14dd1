import { TraceGraphCache } from './services/trace-graph.js';
import { DEFAULT_MAX_ATTACHMENT_BYTES } from '../core/attachments/model.js';
import type { Catalog } from '../core/catalog/catalog.js';
import type { IdentityPolicy } from '../core/identity/policy.js';
import type { RulePack } from '../core/rules/rule-pack.js';
import { loadBuiltinPacks } from '../ingest/rule-pack-file.js';
import { defaultIdentityServices, type IdentityServices } from './identity-services.js';
import type { OidcPort } from './ports/oidc.js';
import type { AppServices } from './use-case.js';

/**
 * The services of one process: the shipped rule packs are read from disk the first time a use-case asks.
 * @param identityPolicy - the organisation's identity policy (`DOSSIER_IDENTITY_POLICY`); default: the defaults
 * @param sso - the OpenID provider for single sign-on (`DOSSIER_OIDC_*`); default: none (single sign-on off)
 * @param maxAttachmentBytes - the largest attachment (`DOSSIER_MAX_ATTACHMENT_BYTES`); default 25 MiB
 */
export function processServices(catalog: Catalog, identityPolicy?: IdentityPolicy, sso?: OidcPort, maxAttachmentBytes = DEFAULT_MAX_ATTACHMENT_BYTES): AppServices {
  let packs: readonly RulePack[] | undefined;
  let identity: IdentityServices | undefined;
  const graphs = new TraceGraphCache();
  return {
    builtinPacks: () => (packs ??= loadBuiltinPacks(catalog)),
    identity: () => (identity ??= defaultIdentityServices(identityPolicy)),
    sso: () => sso,
    attachmentLimit: () => maxAttachmentBytes,
    traceGraphs: () => graphs,
  };
}
