import { createTheme } from '@mantine/core';

/** One theme: a calm blue, system fonts, compact tables (a QA manager reads many rows). */
export const theme = createTheme({
  primaryColor: 'indigo',
  // Users who ask their system for less motion get dialogs and menus without transitions.
  respectReducedMotion: true,
  primaryShade: 8,
  defaultRadius: 'sm',
  fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif',
  fontFamilyMonospace: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace',
  headings: { fontWeight: '600' },
  components: {
    Table: { defaultProps: { verticalSpacing: 6, horizontalSpacing: 'sm', striped: false, highlightOnHover: true } },
    Badge: { defaultProps: { variant: 'light' } },
  },
});
