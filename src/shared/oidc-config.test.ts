import { describe, expect, it } from 'vitest';
import { isAppError } from '../core/errors.js';
import { loadOidcConfig } from './oidc-config.js';

const BASE = { DOSSIER_OIDC_ISSUER: 'https://login.example.com', DOSSIER_OIDC_CLIENT_ID: 'dossier', DOSSIER_PUBLIC_URL: 'https://dossier.example.com/' };

function refusal(env: NodeJS.ProcessEnv): string {
  try {
    loadOidcConfig(env);
  } catch (e) {
    if (isAppError(e, 'INVALID_INPUT')) return `${String(e.details.field)}: ${e.message}`;
    throw e;
  }
  return 'accepted';
}

describe('single sign-on configuration', () => {
  it('is off without DOSSIER_OIDC_ISSUER', () => {
    expect(loadOidcConfig({})).toBeUndefined();
    expect(loadOidcConfig({ DOSSIER_OIDC_ISSUER: '  ', DOSSIER_OIDC_CLIENT_ID: 'x' })).toBeUndefined();
  });

  it('reads a public client (no secret) and a confidential one; the public URL loses its trailing slash', () => {
    expect(loadOidcConfig(BASE)).toEqual({ issuer: 'https://login.example.com', clientId: 'dossier', publicUrl: 'https://dossier.example.com' });
    expect(loadOidcConfig({ ...BASE, DOSSIER_OIDC_CLIENT_SECRET: 's3cret' })).toMatchObject({ clientSecret: 's3cret' });
    expect(loadOidcConfig({ ...BASE, DOSSIER_OIDC_ISSUER: 'http://127.0.0.1:9000', DOSSIER_PUBLIC_URL: 'http://localhost:3000' })).toMatchObject({
      issuer: 'http://127.0.0.1:9000',
    });
  });

  it('names the variable that is missing or wrong', () => {
    expect(refusal({ ...BASE, DOSSIER_OIDC_CLIENT_ID: '' })).toBe('DOSSIER_OIDC_CLIENT_ID: DOSSIER_OIDC_CLIENT_ID is required when DOSSIER_OIDC_ISSUER is set (single sign-on)');
    expect(refusal({ ...BASE, DOSSIER_PUBLIC_URL: undefined })).toMatch(/^DOSSIER_PUBLIC_URL: DOSSIER_PUBLIC_URL is required/);
    expect(refusal({ ...BASE, DOSSIER_OIDC_ISSUER: 'login.example.com' })).toMatch(/^DOSSIER_OIDC_ISSUER: DOSSIER_OIDC_ISSUER must be a URL/);
    expect(refusal({ ...BASE, DOSSIER_OIDC_ISSUER: 'http://login.example.com' })).toMatch(/^DOSSIER_OIDC_ISSUER: .* must be an https URL/);
    expect(refusal({ ...BASE, DOSSIER_PUBLIC_URL: 'ftp://dossier.example.com' })).toMatch(/^DOSSIER_PUBLIC_URL: .* must be an https URL/);
  });
});
