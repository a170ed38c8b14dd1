import { z } from 'zod';
import { invalidInput } from '../core/errors.js';
import { isProviderUrl } from '../core/identity/sso.js';

/** An https URL, or http on this machine. */
const UrlSchema = z
  .string()
  .trim()
  .refine((s) => URL.canParse(s), 'must be a URL such as https://login.example.com')
  .refine((s) => !URL.canParse(s) || isProviderUrl(s), 'must be an https URL (http only on localhost)');

/** Single sign-on with an OpenID provider, as configured from the environment. */
export const OidcConfigSchema = z.strictObject({
  /** `DOSSIER_OIDC_ISSUER`: the provider's issuer URL (its discovery document is at `/.well-known/openid-configuration`). */
  issuer: UrlSchema,
  /** `DOSSIER_OIDC_CLIENT_ID`: the client ID the provider gave Dossier. */
  clientId: z.string().trim().min(1, 'is required when DOSSIER_OIDC_ISSUER is set').max(512),
  /** `DOSSIER_OIDC_CLIENT_SECRET`: absent for a public client (PKCE only). Never logged. */
  clientSecret: z.string().min(1).max(4096).optional(),
  /** `DOSSIER_PUBLIC_URL`: where browsers reach Dossier; the redirect URI is `${publicUrl}/api/v1/sso/callback`. */
  publicUrl: UrlSchema.transform((s) => s.replace(/\/+$/, '')),
});
export type OidcConfig = z.infer<typeof OidcConfigSchema>;

/** The environment variable behind each field, for messages. */
const VARIABLES: Readonly<Record<keyof OidcConfig, string>> = {
  issuer: 'DOSSIER_OIDC_ISSUER',
  clientId: 'DOSSIER_OIDC_CLIENT_ID',
  clientSecret: 'DOSSIER_OIDC_CLIENT_SECRET',
  publicUrl: 'DOSSIER_PUBLIC_URL',
};

/**
 * Reads the single sign-on settings from the environment: undefined (single sign-on off) when
 * `DOSSIER_OIDC_ISSUER` is not set.
 * @throws AppError INVALID_INPUT naming the variable that is missing or wrong
 */
export function loadOidcConfig(env: NodeJS.ProcessEnv = process.env): OidcConfig | undefined {
  const value = (name: string): string | undefined => {
    const v = env[name];
    return v === undefined || v.trim() === '' ? undefined : v;
  };
  const issuer = value('DOSSIER_OIDC_ISSUER');
  if (issuer === undefined) return undefined;
  const raw = {
    issuer,
    clientId: value('DOSSIER_OIDC_CLIENT_ID') ?? '',
    ...(value('DOSSIER_OIDC_CLIENT_SECRET') === undefined ? {} : { clientSecret: value('DOSSIER_OIDC_CLIENT_SECRET') }),
    publicUrl: value('DOSSIER_PUBLIC_URL') ?? '',
  };
  const parsed = OidcConfigSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const key = issue?.path[0] as keyof OidcConfig | undefined;
  const variable = key === undefined ? 'DOSSIER_OIDC_*' : VARIABLES[key];
  const missing = key !== undefined && key !== 'clientSecret' && raw[key] === '';
  throw invalidInput(
    `${variable} ${missing ? 'is required when DOSSIER_OIDC_ISSUER is set (single sign-on)' : (issue?.message ?? 'is not valid')}`,
    { field: variable },
  );
}
