import { describe, expect, it } from 'vitest';
import { DEFAULT_IDENTITY_POLICY } from '../core/identity/policy.js';
import { parseIdentityPolicy } from './identity-policy-file.js';

describe('identity policy files', () => {
  it('changes only the settings the file names', () => {
    expect(parseIdentityPolicy('passwordMinLength: 16\nlockoutAttempts: 3\n', 'policy.yaml')).toEqual({
      ...DEFAULT_IDENTITY_POLICY,
      passwordMinLength: 16,
      lockoutAttempts: 3,
    });
    expect(parseIdentityPolicy('{}', 'policy.json')).toEqual(DEFAULT_IDENTITY_POLICY);
  });

  it('refuses an unknown setting, a value out of range and contradicting lengths, naming file and line', () => {
    expect(() => parseIdentityPolicy('passwordMinLength: 16\npasswordMinLenght: 20\n', 'p.yaml')).toThrow(/^p\.yaml:\d+:\d+: .*passwordMinLenght/);
    expect(() => parseIdentityPolicy('lockoutAttempts: 0\n', 'p.yaml')).toThrow(/^p\.yaml:1:\d+: .*lockoutAttempts/);
    expect(() => parseIdentityPolicy('passwordMinLength: 100\npasswordMaxLength: 50\n', 'p.yaml')).toThrow(
      /^p\.yaml:2:\d+: passwordMaxLength: 50 is below passwordMinLength \(100\)/,
    );
  });
});
