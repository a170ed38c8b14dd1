/**
 * Calendar arithmetic on ISO days (`2026-03-01`), in UTC: the due dates and ages of the quality processes.
 */

const MS_PER_DAY = 86_400_000;

const toMs = (day: string): number => Date.parse(`${day.slice(0, 10)}T00:00:00.000Z`);
const toDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/** The day `n` calendar days after `day`. */
export function addDays(day: string, n: number): string {
  return toDay(toMs(day) + n * MS_PER_DAY);
}

/**
 * The day `n` work days after `day` (Monday to Friday; public holidays are not known here, so a deadline over a
 * holiday comes out a day early, never late).
 */
export function addWorkDays(day: string, n: number): string {
  let ms = toMs(day);
  let left = n;
  while (left > 0) {
    ms += MS_PER_DAY;
    const weekday = new Date(ms).getUTCDay();
    if (weekday !== 0 && weekday !== 6) left--;
  }
  return toDay(ms);
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((toMs(to) - toMs(from)) / MS_PER_DAY);
}

/** True for a string that is an ISO day. */
export function isDay(v: unknown): v is string {
  return typeof v === 'string' && /^\d{4}-\d\d-\d\d$/.test(v) && !Number.isNaN(toMs(v));
}
