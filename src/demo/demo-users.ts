import type { Role } from '../core/access/permissions.js';
import { localPrincipal } from '../core/access/principal.js';
import type { PasswordHasher } from '../core/identity/ports.js';
import { DEFAULT_IDENTITY_POLICY } from '../core/identity/policy.js';
import type { Deps } from '../core/ports.js';
import { execute } from '../app/execute.js';
import { randomSecret } from '../app/identity-services.js';
import type { AppServices, UseCaseContext } from '../app/use-case.js';
import { acceptSignatureStatementUseCase } from '../app/use-cases/accept-signature-statement.js';
import { createUserUseCase } from '../app/use-cases/create-user.js';
import { grantRoleUseCase } from '../app/use-cases/grant-role.js';
import { argon2Hasher } from '../shared/argon2-hasher.js';

/** One demo user per role. */
export interface DemoUser {
  readonly username: string;
  readonly printedName: string;
  readonly role: Role;
  /** Public on purpose (README): only the demo ever has default passwords. */
  readonly password: string;
}

/**
 * The demo's users, one per role, with the demo's published passwords. The admin holds its role on every product
 * (so it can manage users); the others on the demo product. The author and quality users are the demo's existing
 * people (`DEMO_AUTHOR`, `DEMO_REVIEWER` in seed-demo.ts), so the records they wrote are theirs.
 */
export const DEMO_USERS: readonly DemoUser[] = [
  { username: 'ada.admin', printedName: 'Ada Admin', role: 'admin', password: 'demo-admin-pass' },
  { username: 'quinn.qa', printedName: 'Quinn Quality', role: 'quality', password: 'demo-quality-pass' },
  { username: 'dana.engineer', printedName: 'Dana Engineer', role: 'author', password: 'demo-author-pass' },
  { username: 'riley.reviewer', printedName: 'Riley Reviewer', role: 'reviewer', password: 'demo-reviewer-pass' },
  { username: 'avery.approver', printedName: 'Avery Approver', role: 'approver', password: 'demo-approver-pass' },
  { username: 'vic.viewer', printedName: 'Vic Viewer', role: 'viewer', password: 'demo-viewer-pass' },
];

/** The demo passwords are public, so their hashes may be reused within a process (a demo run is then quick). */
function cachingHasher(inner: PasswordHasher): PasswordHasher {
  const hashes = new Map<string, Promise<string>>();
  return {
    hash(password) {
      let h = hashes.get(password);
      if (h === undefined) {
        h = inner.hash(password);
        hashes.set(password, h);
      }
      return h;
    },
    verify: (stored, password) => inner.verify(stored, password),
  };
}

let demoHasher: PasswordHasher | undefined;

/** The demo's use-case context: the local operator, with the demo's quick (caching) password hasher. */
export function demoContext(deps: Deps): UseCaseContext {
  demoHasher ??= cachingHasher(argon2Hasher());
  const hasher = demoHasher;
  const services: AppServices = {
    builtinPacks: () => [],
    identity: () => ({ hasher, policy: DEFAULT_IDENTITY_POLICY, newSecret: randomSecret }),
  };
  return { deps, principal: localPrincipal(deps.actor.id), services };
}

/** A demo user by username. @throws Error for a name that is not a demo user (a mistake in the demo's code) */
export function demoUser(username: string): DemoUser {
  const u = DEMO_USERS.find((x) => x.username === username);
  if (u === undefined) throw new Error(`${username} is not a demo user`);
  return u;
}

/** The people who sign in the demo: they accept the accountability statement before their first signature. */
export const DEMO_SIGNERS = ['quinn.qa', 'avery.approver', 'riley.reviewer'] as const;

/**
 * Creates the demo users through the same use-cases an administrator would use, as the local operator; the demo's
 * users then accept the accountability statement (21 CFR 11.100(c)), proving it with their password.
 * @param productKey - the demo product the roles (but admin's) are granted on
 */
export async function seedDemoUsers(deps: Deps, productKey: string): Promise<void> {
  const ctx = demoContext(deps);
  for (const u of DEMO_USERS) {
    await execute(
      createUserUseCase,
      ctx,
      { username: u.username, printedName: u.printedName, admin: u.role === 'admin', password: u.password },
    );
    if (u.role !== 'admin') await execute(grantRoleUseCase, ctx, { username: u.username, role: u.role, productKey });
  }
  // Everyone signs something: the signers their approvals, and every user their trainings (a signature too).
  for (const u of DEMO_USERS) {
    await execute(acceptSignatureStatementUseCase, ctx, { username: u.username, password: u.password });
  }
}
