import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { redactSecrets } from './redact.js';

describe('redactSecrets', () => {
  it('hides the password of a URL anywhere in a message, valid URL or not', () => {
    expect(redactSecrets(`database URL 'postgres://postgres:S3cretPw@h:99999/x' is not a valid URL`)).toBe(
      `database URL 'postgres://postgres:***@h:99999/x' is not a valid URL`,
    );
    expect(redactSecrets('postgresql://u:p%40ss@[::1]:5432/db?schema=q and postgres://a:b@c')).toBe('postgresql://u:***@[::1]:5432/db?schema=q and postgres://a:***@c');
    expect(redactSecrets('postgres://u@h/db, ./dossier.db, me@example.com')).toBe('postgres://u@h/db, ./dossier.db, me@example.com');
  });

  it('never lets a password through', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z0-9]{1,12}$/), fc.stringMatching(/^[A-Za-z0-9%!$&*+,;=~-]{6,20}$/), fc.string(), (user, password, around) => {
        const out = redactSecrets(`${around} postgres://${user}:${password}@db.example:5432/qms ${around}`);
        expect(out).toContain(`postgres://${user}:***@db.example`);
        expect(out).not.toContain(`${user}:${password}@db.example`);
      }),
    );
  });
});
