/** One entry of the side navigation: a product page (`/p/:productKey/<path>`) or a page of its own. */
export interface NavItem {
  readonly label: string;
  /** Under the current product (`dashboard` → `/p/RPM/dashboard`), or absolute when it starts with `/`. */
  readonly path: string;
  readonly group: 'Product' | 'Quality system' | 'Work' | 'Administration';
}

/** The side navigation, in order. Every page is also reachable by URL (deep links from CI output). */
export const NAV: readonly NavItem[] = [
  { label: 'Dashboard', path: 'dashboard', group: 'Product' },
  { label: 'Records', path: 'records', group: 'Product' },
  { label: 'Grid editor', path: 'grid', group: 'Product' },
  { label: 'Trace matrix', path: 'trace/matrix', group: 'Product' },
  { label: 'Suspect links', path: 'trace/suspects', group: 'Product' },
  { label: 'Risk', path: 'risk', group: 'Product' },
  { label: 'Evidence', path: 'evidence/tests', group: 'Product' },
  { label: 'SOUP', path: 'evidence/soup', group: 'Product' },
  { label: 'Releases', path: 'releases', group: 'Product' },
  { label: 'Documents', path: 'documents', group: 'Product' },
  { label: 'Import', path: 'import', group: 'Product' },
  { label: 'Quality processes', path: 'qms', group: 'Quality system' },
  { label: 'Approvals', path: '/approvals', group: 'Work' },
  { label: 'Users', path: '/admin/users', group: 'Administration' },
  { label: 'API tokens', path: '/admin/tokens', group: 'Administration' },
  { label: 'Risk policy', path: 'admin/risk-policy', group: 'Administration' },
  { label: 'Rules', path: 'admin/rules', group: 'Administration' },
  { label: 'Audit trail', path: '/admin/audit', group: 'Administration' },
];
