/** Compares IDs and clause numbers so that SRS-2 < SRS-10 and 5.2 < 5.10. One collator, made once. */
export const naturalCompare: (a: string, b: string) => number = new Intl.Collator('en', { numeric: true }).compare;
