import { describe, expect, it } from 'vitest';
import { isProviderUrl, REAUTH_SKEW_SECONDS, staleReauthentication } from './sso.js';

const T = Date.parse('2026-06-01T12:00:00.000Z');
const at = (seconds: number): string => new Date(T + seconds * 1000).toISOString();

describe('staleReauthentication', () => {
  it('P11-19: accepts a credential entry after the request and at most five minutes old', () => {
    expect(staleReauthentication(at(5), at(0), at(10))).toBeUndefined();
    expect(staleReauthentication(at(0), at(0), at(300))).toBeUndefined();
    // auth_time is in whole seconds from the provider's clock: a little skew is allowed.
    expect(staleReauthentication(at(-REAUTH_SKEW_SECONDS), at(0), at(10))).toBeUndefined();
  });

  it('P11-19: refuses one from before the request (a provider answering from its own session)', () => {
    expect(staleReauthentication(at(-REAUTH_SKEW_SECONDS - 1), at(0), at(10))).toMatch(/before the re-authentication was asked for/);
    expect(staleReauthentication(at(-3600), at(0), at(10))).toMatch(/before/);
  });

  it('P11-19: refuses one more than five minutes old, one in the future, and a missing time [DOSSIER-SRS-35]', () => {
    expect(staleReauthentication(at(0), at(0), at(301))).toMatch(/more than 5 minutes old/);
    expect(staleReauthentication(at(60), at(0), at(10))).toMatch(/in the future/);
    expect(staleReauthentication('not a time', at(0), at(10))).toMatch(/no valid auth_time/);
  });
});

describe('isProviderUrl', () => {
  it('takes https URLs, and http only on this machine', () => {
    expect(['https://accounts.google.com', 'https://login.microsoftonline.com/t/v2.0', 'http://127.0.0.1:9000', 'http://localhost:3000'].map(isProviderUrl)).toEqual([true, true, true, true]);
    expect(['http://login.example.com', 'ftp://x.example.com', 'accounts.google.com', ''].map(isProviderUrl)).toEqual([false, false, false, false]);
  });
});
