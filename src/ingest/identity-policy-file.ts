import { DEFAULT_IDENTITY_POLICY, IdentityPolicySchema, type IdentityPolicy } from '../core/identity/policy.js';
import { parseYamlAs, readTextFile } from './yaml-file.js';

/** A policy file names only what it changes; every other setting keeps its default. */
const PolicyFileSchema = IdentityPolicySchema.partial();

/**
 * Parses an identity policy written in YAML (or JSON): password length and classes, ageing, lockout, session
 * lifetimes, reset secrets. Settings left out keep their defaults. Every problem names the file, line and column.
 * @throws AppError INVALID_INPUT with `file`, `line`, `column`
 */
export function parseIdentityPolicy(text: string, file: string): IdentityPolicy {
  const { value, fail } = parseYamlAs(text, file, PolicyFileSchema);
  const policy = { ...DEFAULT_IDENTITY_POLICY, ...value };
  if (policy.passwordMaxLength < policy.passwordMinLength) {
    fail(['passwordMaxLength'], `${policy.passwordMaxLength} is below passwordMinLength (${policy.passwordMinLength})`);
  }
  return policy;
}

/**
 * @throws AppError INVALID_INPUT when the file cannot be read or is not a valid policy
 */
export function readIdentityPolicyFile(file: string): IdentityPolicy {
  return parseIdentityPolicy(readTextFile(file, 'identity policy'), file);
}
