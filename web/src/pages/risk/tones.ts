/**
 * Badge colours dark enough for white 11 px text (WCAG AA 4.5:1): Mantine's green.9 and yellow.9 are not. Each
 * badge also says what it means in words.
 */
export const TONE = {
  green: '#1e6b30',
  amber: '#855000',
  orange: '#983f00',
  red: '#ad2323',
  gray: '#495057',
  blue: '#1f4e96',
} as const;
