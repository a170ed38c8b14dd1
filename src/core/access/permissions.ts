/**
 * Who may do what, as data: a catalog of permissions and the roles that grant them. Authorization is checked in
 * one place (`app/execute.ts`) against this table; the server's permission-matrix test enumerates it.
 */

/** Whether a permission is held per product (a grant on that product or on every product) or only store-wide. */
export type PermissionScope = 'product' | 'store';

export interface PermissionDef {
  readonly scope: PermissionScope;
  /** What it allows, in a few words, for `dossier roles` and the API document. */
  readonly summary: string;
}

/** Every permission Dossier knows. Keys are stable: tokens and role tables name them. */
export const PERMISSIONS = {
  'product.read': { scope: 'product', summary: 'read a product: records, links, trace, checks, evidence, releases, risk' },
  'product.create': { scope: 'store', summary: 'create a product' },
  'product.edit': { scope: 'product', summary: "edit a product's name, intended use or safety class" },
  'record.create': { scope: 'product', summary: 'add records' },
  'record.edit': { scope: 'product', summary: 'write new revisions of records' },
  // An import adds records, revises them and adds or removes links in one go: it needs its own grant.
  'record.import': { scope: 'product', summary: 'import records and links from files (Markdown folders, spreadsheets, other tools, ReqIF)' },
  'record.submit': { scope: 'product', summary: 'send a record to review, or back to draft' },
  'record.approve': { scope: 'product', summary: 'approve a reviewed record' },
  'record.obsolete': { scope: 'product', summary: 'make a record obsolete' },
  // Who may sign which step is the workflow's to say (by role); this permission only opens the door to signing.
  'signature.sign': { scope: 'product', summary: 'sign records and releases electronically, as their workflow allows' },
  // Document control (ISO 13485 4.2.4): quality brings approved versions into force and keeps them reviewed.
  'document.control': { scope: 'product', summary: 'make approved document versions effective, record periodic reviews, assign training' },
  // Everyone must be trained on the documents of their job role (ISO 13485 6.2), whatever else they may do.
  'training.complete': { scope: 'product', summary: 'complete one’s own training on a document, by electronic signature' },
  'workflow.configure': { scope: 'product', summary: 'set the approval workflow (required signatures) of a record type or of releases' },
  'link.create': { scope: 'product', summary: 'add links between records' },
  'link.remove': { scope: 'product', summary: 'remove links' },
  'link.confirm': { scope: 'product', summary: 'confirm suspect links after review' },
  'rule.configure': { scope: 'product', summary: 'enable, disable, set the severity of rules and add rule packs' },
  'risk.policy': { scope: 'product', summary: "set the product's risk acceptability policy" },
  'risk.review': { scope: 'product', summary: 'record a risk review' },
  'evidence.import': { scope: 'product', summary: 'import test runs, commits, reviews, SBOMs and vulnerability reports' },
  'evidence.correct': { scope: 'product', summary: 'relabel or void an evidence import' },
  'release.create': { scope: 'product', summary: 'freeze a release baseline' },
  'release.mark': { scope: 'product', summary: 'mark a release as released' },
  'release.void': { scope: 'product', summary: 'void a release baseline made by mistake' },
  'audit.read': { scope: 'product', summary: "read a product's audit trail" },
  'audit.verify': { scope: 'store', summary: "verify the whole store's integrity and read the whole audit trail" },
  'store.export': { scope: 'store', summary: 'export the whole store' },
  'store.import': { scope: 'store', summary: 'import a store export into an empty store' },
  'user.manage': { scope: 'store', summary: 'create and deactivate users, grant roles, issue password resets' },
  // Per product: a token is scoped to one product, so an author may make one for CI on the products it writes.
  'token.create': { scope: 'product', summary: 'create API tokens (never beyond the creator’s own permissions)' },
} as const satisfies Record<string, PermissionDef>;

export type Permission = keyof typeof PERMISSIONS;

export const PERMISSION_KEYS = Object.keys(PERMISSIONS) as Permission[];

/** The roles a user can hold on one product (or on every product). */
export const ROLES = ['admin', 'quality', 'author', 'reviewer', 'approver', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

const READ: readonly Permission[] = ['product.read', 'audit.read', 'training.complete'];

/**
 * What each role grants. A store-wide permission is granted only by a role held on every product (`*`).
 * Quality owns the QMS side of a product (rules, risk policy, releases, corrections); author writes; reviewer sends
 * back or forward and confirms suspect links; approver approves and releases; admin can do everything.
 */
export const ROLE_PERMISSIONS: Readonly<Record<Role, readonly Permission[]>> = {
  viewer: READ,
  author: [...READ, 'signature.sign', 'record.create', 'record.edit', 'record.import', 'record.submit', 'link.create', 'link.remove', 'evidence.import', 'token.create'],
  reviewer: [...READ, 'signature.sign', 'record.submit', 'link.confirm', 'risk.review'],
  approver: [...READ, 'signature.sign', 'record.approve', 'risk.review', 'release.mark'],
  quality: [
    ...READ,
    'product.edit',
    'record.create',
    'record.edit',
    'record.import',
    'record.submit',
    'record.obsolete',
    'signature.sign',
    'document.control',
    'workflow.configure',
    'link.create',
    'link.remove',
    'link.confirm',
    'rule.configure',
    'risk.policy',
    'risk.review',
    'evidence.import',
    'evidence.correct',
    'release.create',
    'release.void',
    'audit.verify',
    'token.create',
  ],
  admin: PERMISSION_KEYS,
};

/** A role held on one product, or on every product (`*`). */
export interface RoleGrant {
  readonly productKey: string;
  readonly role: Role;
}

/** Every product. */
export const ALL_PRODUCTS = '*';

/**
 * True when the grants give `permission` (on `productKey` for a product permission). A store-wide permission needs
 * a role held on every product.
 * @param only - when set (an API token's scope), the permission must also be in this list
 */
export function grants(
  held: readonly RoleGrant[],
  permission: Permission,
  productKey: string | undefined,
  only?: readonly Permission[],
): boolean {
  if (only !== undefined && !only.includes(permission)) return false;
  const def: PermissionDef = PERMISSIONS[permission];
  return held.some(
    (g) =>
      (g.productKey === ALL_PRODUCTS || (def.scope === 'product' && productKey !== undefined && g.productKey === productKey)) &&
      ROLE_PERMISSIONS[g.role].includes(permission),
  );
}
