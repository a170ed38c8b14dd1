/** A stored value as text: strings as they are, nothing as empty, anything else as JSON. */
export function valueText(v: unknown): string {
  return typeof v === 'string' ? v : v === undefined || v === null ? '' : JSON.stringify(v);
}
