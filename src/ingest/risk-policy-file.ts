import { checkPolicy, RiskPolicySchema, type RiskPolicy } from '../core/risk/policy.js';
import { parseYamlAs, readTextFile } from './yaml-file.js';

/**
 * Parses a risk policy written in YAML (or JSON): the scales, the matrix and the criteria. Every problem names the
 * file, line and column: malformed YAML, a value of the wrong shape, an incomplete or non-monotone matrix.
 * @throws AppError INVALID_INPUT with `file`, `line`, `column`
 */
export function parseRiskPolicy(text: string, file: string): RiskPolicy {
  const { value, fail } = parseYamlAs(text, file, RiskPolicySchema);
  const first = checkPolicy(value)[0];
  if (first !== undefined) fail(first.path, first.message);
  return value;
}

/**
 * @throws AppError INVALID_INPUT when the file cannot be read or is not a sound policy
 */
export function readRiskPolicyFile(file: string): RiskPolicy {
  return parseRiskPolicy(readTextFile(file, 'risk policy'), file);
}
