/** The zones a matrix cell can be in, from best to worst. */
export const ZONE_OPTIONS = [
  { value: 'acceptable', label: 'Acceptable' },
  { value: 'reduce', label: 'Reduce' },
  { value: 'unacceptable', label: 'Unacceptable' },
] as const;

/** The background of a matrix cell in each zone (dark text stays readable on all three). */
export const ZONE_BACKGROUND: Readonly<Record<string, string>> = {
  acceptable: 'var(--mantine-color-green-1)',
  reduce: 'var(--mantine-color-yellow-1)',
  unacceptable: 'var(--mantine-color-red-1)',
};

/** The part of the policy a server error's field is about (`policy.matrix.S3` → `matrix`), or undefined when it names none. */
export function policyPart(field: string | undefined): string | undefined {
  if (field === undefined || field === '') return undefined;
  const parts = field.split('.');
  const rest = parts[0] === 'policy' || parts[0] === 'fields' ? parts.slice(1) : parts;
  return rest[0];
}

/** Sets one matrix cell, returning a new policy (the old one untouched). */
export function withCell<P extends { readonly matrix: Readonly<Record<string, Readonly<Record<string, string>>>> }>(policy: P, severity: string, probability: string, zone: string): P {
  return { ...policy, matrix: { ...policy.matrix, [severity]: { ...(policy.matrix[severity] ?? {}), [probability]: zone } } };
}

/** Sets a field of one level of a scale (`severity`, index, `name`), returning a new policy. */
export function withLevel<P extends Record<string, unknown>>(policy: P, scale: string, index: number, key: 'name' | 'definition', value: string): P {
  const levels = policy[scale] as readonly Record<string, unknown>[] | undefined;
  if (levels === undefined) return policy;
  return { ...policy, [scale]: levels.map((l, i) => (i === index ? { ...l, [key]: value } : l)) };
}

/** Reads a policy typed as JSON: the value, or the parse error in words. */
export function parsePolicyJson(text: string): { value: unknown } | { error: string } {
  try {
    const value: unknown = JSON.parse(text);
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return { error: 'the policy must be a JSON object' };
    return { value };
  } catch (e) {
    return { error: `not valid JSON: ${e instanceof Error ? e.message : String(e)}` };
  }
}
