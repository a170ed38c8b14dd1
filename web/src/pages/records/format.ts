/** An ISO 8601 UTC time to the minute, with its zone named: `2026-12-01 18:40 UTC`. */
export function utcMinute(iso: string): string {
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(iso) ? `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC` : iso;
}

/** An ISO 8601 UTC time to the second, with its zone named: `2026-12-01 18:40:12 UTC`. */
export function utcSecond(iso: string): string {
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}/.test(iso) ? `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC` : iso;
}

/** An audit action for people: `RECORD_STATUS_CHANGED` → `Record status changed`. */
export function actionText(action: string): string {
  const s = action.toLowerCase().replaceAll('_', ' ');
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** A status for people: `in_review` → `in review`. */
export const statusText = (s: string): string => s.replaceAll('_', ' ');

/** `finding-<rule>` anchors for a record's findings; a rule found twice on the record gets `-2`, `-3`. */
export function findingAnchors(findings: readonly { readonly ruleId: string }[]): string[] {
  const seen = new Map<string, number>();
  return findings.map((f) => {
    const n = (seen.get(f.ruleId) ?? 0) + 1;
    seen.set(f.ruleId, n);
    return `finding-${f.ruleId}${n === 1 ? '' : `-${n}`}`;
  });
}
