import type { z } from 'zod';
import { localPrincipal, type Principal } from '../core/access/principal.js';
import type { Role } from '../core/access/permissions.js';
import type { Deps } from '../core/ports.js';
import { execute } from '../app/execute.js';
import type { UseCase } from '../app/use-case.js';
import { createUserUseCase } from '../app/use-cases/create-user.js';
import { grantRoleUseCase } from '../app/use-cases/grant-role.js';
import { acceptSignatureStatementUseCase } from '../app/use-cases/accept-signature-statement.js';
import { signRecordsUseCase } from '../app/use-cases/sign-records.js';
import type { WorkflowMeaning } from '../core/signatures/model.js';
import { TEST_SERVICES } from './services.js';

/** The test team: an author, a reviewer (quality), an approver and a viewer, each with a password. */
export const SIGNERS = {
  dana: { username: 'dana.engineer', printedName: 'Dana Engineer', role: 'author', password: 'dana-writes-requirements' },
  quinn: { username: 'quinn.qa', printedName: 'Quinn Quality', role: 'quality', password: 'quinn-reviews-everything' },
  avery: { username: 'avery.approver', printedName: 'Avery Approver', role: 'approver', password: 'avery-approves-carefully' },
  vic: { username: 'vic.viewer', printedName: 'Vic Viewer', role: 'viewer', password: 'vic-only-looks-around' },
} as const satisfies Record<string, { username: string; printedName: string; role: Role; password: string }>;

/** Runs a use-case as a principal, output checked against its schema. */
export function runAs<I extends z.ZodType, O extends z.ZodType>(deps: Deps, uc: UseCase<I, O>, p: Principal, input: z.input<I>): Promise<z.output<O>> {
  return execute(uc, { deps, principal: p, services: TEST_SERVICES }, input, { checkOutput: true });
}

/**
 * Creates the test team on a product (roles on `productKey`), each having accepted the accountability statement
 * unless `accept` is false. Runs as the local operator `ops`.
 */
export async function aSigningTeam(deps: Deps, productKey: string, accept = true): Promise<void> {
  const ops = localPrincipal('ops');
  for (const s of Object.values(SIGNERS)) {
    await runAs(deps, createUserUseCase, ops, { username: s.username, printedName: s.printedName, password: s.password });
    await runAs(deps, grantRoleUseCase, ops, { username: s.username, productKey, role: s.role });
    if (accept) await runAs(deps, acceptSignatureStatementUseCase, ops, { username: s.username, password: s.password });
  }
}

/**
 * One of the test team signs records of `RPM` (each at `revision`) with this meaning, through the signing use-case
 * run by the local operator with the signer's username and password.
 */
export function signAs(deps: Deps, who: keyof typeof SIGNERS, meaning: WorkflowMeaning, records: readonly string[] = ['SRS-1'], revision = 1) {
  return runAs(deps, signRecordsUseCase, localPrincipal('ops'), {
    productKey: 'RPM',
    records: records.map((record) => ({ record, revision })),
    meaning,
    username: SIGNERS[who].username,
    password: SIGNERS[who].password,
  });
}
