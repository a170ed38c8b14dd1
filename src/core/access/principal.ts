import type { Permission, RoleGrant } from './permissions.js';

/**
 * Who is acting (21 CFR 11.10(d), (g)): the account the audit trail names, how it proved who it is, and what it
 * may do. Use-cases never read a free-text actor; `execute` derives the audit actor from the principal.
 */
export interface Principal {
  /** The username: unique, never reused; what the audit trail records as the actor. */
  readonly id: string;
  /** The user's row, or null for the local operator and for anonymous callers. */
  readonly userId: number | null;
  /** The full name as printed beside the user's actions and, later, signatures. */
  readonly printedName: string;
  /**
   * `user`: logged in with a session; `token`: an API token; `local`: the operator of a local store (whoever can
   * open the database file can change it anyway, so the CLI on a local store acts with every permission);
   * `anonymous`: nobody has proved who they are.
   */
  readonly kind: 'user' | 'token' | 'local' | 'anonymous';
  readonly grants: readonly RoleGrant[];
  /** An API token's permissions: the principal may use only these (and only those its roles grant). */
  readonly scope?: readonly Permission[];
  /** The session or token ID, for the log; null when there is none. */
  readonly sessionId: string | null;
  /** When the principal last proved who it is (ISO UTC); null when it never did. */
  readonly authenticatedAt: string | null;
  /**
   * The user must choose a new password first (a reset was issued, or the password aged out): until then the
   * principal holds no role, and may only change its password, ask who it is and log out.
   */
  readonly mustChangePassword?: boolean;
}

/** The operator of a local store: every permission, under the name they gave (`--actor`) or their OS user. */
export function localPrincipal(name: string): Principal {
  return {
    id: name,
    userId: null,
    printedName: name,
    kind: 'local',
    grants: [{ productKey: '*', role: 'admin' }],
    sessionId: null,
    authenticatedAt: null,
  };
}

/** Nobody: may only call use-cases that need no permission (health, login). */
export const ANONYMOUS: Principal = {
  id: 'anonymous',
  userId: null,
  printedName: 'anonymous',
  kind: 'anonymous',
  grants: [],
  sessionId: null,
  authenticatedAt: null,
};
