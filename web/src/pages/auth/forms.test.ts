import { describe, expect, it } from 'vitest';
import { formatSetupCode, repeatError, resetLink } from './forms';

describe('auth form helpers', () => {
  it('says when the repeated password differs, not while it is empty', () => {
    expect(repeatError('abc', '')).toBeUndefined();
    expect(repeatError('abc', 'abc')).toBeUndefined();
    expect(repeatError('abc', 'abd')).toBe('the two passwords differ');
  });
  it('builds a reset link with the username encoded and no secret', () => {
    expect(resetLink('https://qms.example.com', 'bob.o+1')).toBe('https://qms.example.com/reset-password?username=bob.o%2B1');
  });
  it('formats a set-up code as XXXX-XXXX however it is typed', () => {
    expect(formatSetupCode('abcd2345')).toBe('ABCD-2345');
    expect(formatSetupCode('ab c')).toBe('ABC');
    expect(formatSetupCode('abcd-23456789')).toBe('ABCD-2345');
  });
});
