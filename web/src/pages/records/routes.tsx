import type { RouteObject } from 'react-router';

/** Signed-in pages of this area outside any product (absolute paths, inside the frame). */
export const appRoutes: RouteObject[] = [];

/** Pages under `/p/:productKey/` (relative paths), each loaded when first opened. */
export const productRoutes: RouteObject[] = [
  { path: 'records', lazy: async () => ({ Component: (await import('./RecordsPage')).RecordsPage }) },
  { path: 'records/new', lazy: async () => ({ Component: (await import('./RecordFormPage')).NewRecordPage }) },
  { path: 'records/:record', lazy: async () => ({ Component: (await import('./RecordPage')).RecordPage }) },
  { path: 'records/:record/edit', lazy: async () => ({ Component: (await import('./RecordFormPage')).EditRecordPage }) },
];
