import type { Command } from 'commander';
import { invalidInput } from '../../core/errors.js';
import type { CliContext } from '../context.js';
import { collect, formatOption, positiveInt, type Kit } from '../command-kit.js';
import type { AccessReview } from '../../app/use-cases/get-access-review.js';
import { table } from '../output.js';
import { promptHidden, readStdin } from '../read-password.js';

/**
 * The password for a new account: from standard input (`--password-stdin`), or asked twice on a terminal; never
 * from the command line, where other users of the machine and the shell history would see it. Undefined when
 * there is no terminal to ask on: a one-time reset secret is issued instead.
 */
async function newPassword(ctx: CliContext, fromStdin: boolean): Promise<string | undefined> {
  if (fromStdin) return readStdin(ctx);
  if (process.stdin.isTTY !== true) return undefined;
  const first = await promptHidden(ctx, 'password: ');
  const again = await promptHidden(ctx, 'password again: ');
  if (first !== again) throw invalidInput('the two passwords differ', { field: 'password' });
  return first;
}

/** The access review for people: one line per user, the policy it was judged by, and recent lockouts. */
function accessReviewText(r: AccessReview): string {
  const p = r.policy;
  const never = (t: string | null): string => t ?? 'never';
  const ageing = p.passwordMaxAgeDays === 0 ? 'do not age' : `age after ${p.passwordMaxAgeDays} days`;
  const lines = [
    `access review at ${r.generatedAt}; passwords ${ageing}; ` +
      `${p.lockoutAttempts} failed logins lock an account for ${p.lockoutMinutes} min; sessions end after ${p.sessionIdleMinutes} min idle`,
    table(
      ['USERNAME', 'NAME', 'STATE', 'ROLES', 'LAST LOGIN', 'PASSWORD AGE', 'TOKENS'],
      r.users.map((u) => [
        u.username,
        u.printedName,
        u.state === 'locked' ? `locked until ${u.lockedUntil ?? '?'}` : u.state.replaceAll('_', ' '),
        u.roles.map((g) => `${g.role}@${g.productKey}`).join(' '),
        never(u.lastLoginAt),
        u.passwordAgeDays === null ? 'none set' : `${u.passwordAgeDays} d${u.passwordExpired ? ' (expired)' : ''}`,
        u.tokens
          .filter((t) => t.revokedAt === null)
          .map((t) => `${t.id}:${t.name}@${t.productKey} (last used ${never(t.lastUsedAt)})`)
          .join(' '),
      ]),
    ),
    r.lockouts.length === 0
      ? `no lockouts since ${r.lockoutsSince}`
      : [
          `lockouts since ${r.lockoutsSince}:`,
          ...r.lockouts.map((l) => `  ${l.occurredAt} ${l.username} locked until ${l.lockedUntil ?? '?'}`),
        ].join('\n'),
  ];
  return lines.join('\n');
}

/** A role grant's product: `*` for every product, else the named (or only) product. */
async function grantProduct(ctx: CliContext, flag: string | undefined): Promise<string> {
  return flag === '*' ? '*' : ctx.productKey(flag);
}

/** How a user's single sign-on link is shown: `subject @ issuer`, or `-`. */
function ssoText(sso: { readonly issuer: string; readonly subject: string } | null): string {
  return sso === null ? '-' : `${sso.subject} @ ${sso.issuer}`;
}

/** `dossier user create|list|show|grant|revoke|deactivate|reset|link-sso` and `dossier token create|list|revoke`. */
export function registerUserCommands(program: Command, kit: Kit): void {
  const user = program.command('user').description('users and their roles (passwords are never shown or set by an administrator)');

  user
    .command('create')
    .description('create a user; --admin for the first administrator of a store')
    .argument('<username>', 'unique, never reused: lower-case letters, digits, dots, hyphens, underscores')
    .requiredOption('--name <full name>', 'full name, as printed beside the user’s actions')
    .option('--admin', 'grant the admin role on every product')
    .option('--password-stdin', 'read the password from standard input (otherwise it is asked for on a terminal)')
    .action(
      kit.action(async (ctx, username: string, o: { name: string; admin?: boolean; passwordStdin?: boolean }) => {
        const { createUserUseCase } = await import('../../app/use-cases/create-user.js');
        const password = await newPassword(ctx, o.passwordStdin === true);
        const r = await ctx.run(createUserUseCase, {
          username,
          printedName: o.name,
          admin: o.admin === true,
          ...(password === undefined ? {} : { password }),
        });
        ctx.print(r, () =>
          [
            `created user ${r.user.username} (${r.user.printedName})${o.admin === true ? ', admin on every product' : ''}`,
            ...(r.resetSecret === undefined
              ? []
              : [`one-time secret to set a password (valid until ${r.resetExpiresAt ?? '?'}; shown once): ${r.resetSecret}`]),
          ].join('\n'),
        );
      }),
    );

  user
    .command('list')
    .description('list users with their roles, lockouts and deactivation')
    .action(
      kit.action(async (ctx) => {
        const { listUsersUseCase } = await import('../../app/use-cases/list-users.js');
        const users = await ctx.run(listUsersUseCase, {});
        ctx.print(users, () =>
          users.length === 0
            ? 'no users yet; create the first administrator with `dossier user create <username> --name "Full Name" --admin`'
            : table(
                ['USERNAME', 'NAME', 'ROLES', 'SINGLE SIGN-ON', 'STATE'],
                users.map((u) => [
                  u.username,
                  u.printedName,
                  u.roles.map((g) => `${g.role}@${g.productKey}`).join(' '),
                  ssoText(u.sso),
                  u.deactivatedAt !== null
                    ? `deactivated ${u.deactivatedAt}`
                    : u.lockedUntil !== null && u.lockedUntil > new Date().toISOString()
                      ? `locked until ${u.lockedUntil}`
                      : u.mustChangePassword
                        ? 'must change password'
                        : 'active',
                ]),
              ),
        );
      }),
    );

  user
    .command('access-review')
    .description('periodic access review: roles per product, last login, password age, lockouts and API tokens of every user')
    .option('--format <table|json>', 'table (default) or json')
    .option('--lockout-days <N>', 'list lockouts of the last N days (default 30)')
    .action(
      kit.action(async (ctx, o: { format?: string; lockoutDays?: string }) => {
        const format = formatOption(o.format, ['table', 'json']);
        const { getAccessReviewUseCase } = await import('../../app/use-cases/get-access-review.js');
        const lockoutDays = positiveInt('--lockout-days', o.lockoutDays);
        const review = await ctx.run(getAccessReviewUseCase, lockoutDays === undefined ? {} : { lockoutDays });
        if (format === 'json') {
          ctx.io.out(`${JSON.stringify(review, null, 2)}\n`);
          return;
        }
        ctx.print(review, () => accessReviewText(review));
      }),
    );

  user
    .command('show')
    .description('show one user: roles, state, single sign-on link')
    .argument('<username>', 'the user')
    .action(
      kit.action(async (ctx, username: string) => {
        const { getUserUseCase } = await import('../../app/use-cases/get-user.js');
        const u = await ctx.run(getUserUseCase, { username });
        ctx.print(u, () =>
          [
            `user ${u.username} (${u.printedName})`,
            `created: ${u.createdAt} by ${u.createdBy}`,
            `roles: ${u.roles.length === 0 ? 'none' : u.roles.map((g) => `${g.role}@${g.productKey}`).join(' ')}`,
            `password: ${u.passwordSetAt === null ? 'never set' : `set ${u.passwordSetAt}`}${u.mustChangePassword ? ' (must change)' : ''}`,
            `single sign-on: ${ssoText(u.sso)}`,
            `state: ${u.deactivatedAt === null ? 'active' : `deactivated ${u.deactivatedAt} by ${u.deactivatedBy ?? '?'}`}`,
          ].join('\n'),
        );
      }),
    );

  user
    .command('link-sso')
    .description('link a user to an account at the single sign-on provider (it may then log in through it)')
    .argument('<username>', 'the user')
    .requiredOption('--issuer <URL>', "the provider's issuer URL, e.g. https://accounts.google.com")
    .requiredOption('--subject <SUB>', "the account's subject (sub) at the provider: its stable ID, not an e-mail address")
    .action(
      kit.action(async (ctx, username: string, o: { issuer: string; subject: string }) => {
        const { linkSsoUseCase } = await import('../../app/use-cases/link-sso.js');
        const u = await ctx.run(linkSsoUseCase, { username, issuer: o.issuer, subject: o.subject });
        ctx.print(u, () => `linked ${u.username} to ${ssoText(u.sso)}; roles are still granted in Dossier`);
      }),
    );

  for (const [verb, description] of [
    ['grant', 'grant a user a role on a product (or on every product: --product "*")'],
    ['revoke', 'revoke a role a user holds (the grant is kept, marked revoked)'],
  ] as const) {
    user
      .command(verb)
      .description(description)
      .argument('<username>', 'the user')
      .argument('<role>', 'admin, quality, author, reviewer, approver or viewer')
      .option('--product <KEY|*>', 'product key, or * for every product (default: the only product)')
      .action(
        kit.action(async (ctx, username: string, role: string, o: { product?: string }) => {
          const { grantRoleUseCase } = await import('../../app/use-cases/grant-role.js');
          const { revokeRoleUseCase } = await import('../../app/use-cases/revoke-role.js');
          const input = {
            username,
            role: role as 'viewer',
            productKey: await grantProduct(ctx, o.product),
          }; // role checked by the use-case
          const u = await ctx.run(verb === 'grant' ? grantRoleUseCase : revokeRoleUseCase, input);
          ctx.print(
            u,
            () =>
              verb === 'grant'
                ? `granted ${input.role} on ${input.productKey} to ${u.username}`
                : `revoked ${input.role} on ${input.productKey} from ${u.username}`,
          );
        }),
      );
  }

  user
    .command('deactivate')
    .description('deactivate a user for good (never deleted; the username stays taken)')
    .argument('<username>', 'the user')
    .option('--reason <text>', 'why, for the audit trail')
    .action(
      kit.action(async (ctx, username: string, o: { reason?: string }) => {
        const { deactivateUserUseCase } = await import('../../app/use-cases/deactivate-user.js');
        const u = await ctx.run(deactivateUserUseCase, { username, ...(o.reason === undefined ? {} : { reason: o.reason }) });
        ctx.print(u, () => `deactivated ${u.username}; its sessions ended and its tokens no longer work`);
      }),
    );

  user
    .command('reset')
    .description('issue a one-time password reset secret; the user sets a new password with it')
    .argument('<username>', 'the user')
    .action(
      kit.action(async (ctx, username: string) => {
        const { issuePasswordResetUseCase } = await import('../../app/use-cases/issue-password-reset.js');
        const r = await ctx.run(issuePasswordResetUseCase, { username });
        ctx.print(r, () => `one-time reset secret for ${r.username} (valid until ${r.expiresAt}; shown once): ${r.resetSecret}`);
      }),
    );

  const token = program.command('token').description('API tokens for CI: scoped to one product and some permissions');

  token
    .command('create')
    .description('create an API token for the user named by --actor (shown once)')
    .requiredOption('--name <name>', 'what the token is for, e.g. "GitLab CI"')
    .option('--product <KEY>', 'the product it may act on (default: the only product)')
    .requiredOption('--permission <permission>', 'a permission it may use (repeatable), e.g. evidence.import', collect)
    .action(
      kit.action(async (ctx, o: { name: string; product?: string; permission: string[] }) => {
        const { createTokenUseCase } = await import('../../app/use-cases/create-token.js');
        const t = await ctx.run(
          createTokenUseCase,
          { name: o.name, productKey: await ctx.productKey(o.product), permissions: o.permission as ['product.read'] },
        );
        ctx.print(
          t,
          () =>
            `created API token ${t.id} (${t.name}) for ${t.username} on ${t.productKey}: ${t.permissions.join(', ')}\n` +
            `${t.token}\n(shown once: store it now)`,
        );
      }),
    );

  token
    .command('list')
    .description('list API tokens (never their secrets)')
    .action(
      kit.action(async (ctx) => {
        const { listTokensUseCase } = await import('../../app/use-cases/list-tokens.js');
        const ts = await ctx.run(listTokensUseCase, { all: true });
        ctx.print(ts, () =>
          ts.length === 0
            ? 'no API tokens'
            : table(
                ['ID', 'NAME', 'USER', 'PRODUCT', 'PERMISSIONS', 'LAST USED', 'STATE'],
                ts.map((t) => [
                  t.id,
                  t.name,
                  t.username,
                  t.productKey,
                  t.permissions.join(' '),
                  t.lastUsedAt ?? 'never',
                  t.revokedAt === null ? 'active' : `revoked ${t.revokedAt}`,
                ]),
              ),
        );
      }),
    );

  token
    .command('revoke')
    .description('revoke an API token: it stops working at once')
    .argument('<id>', 'token ID (see `dossier token list`)')
    .action(
      kit.action(async (ctx, id: string) => {
        const { revokeTokenUseCase } = await import('../../app/use-cases/revoke-token.js');
        const t = await ctx.run(revokeTokenUseCase, { id: positiveInt('token ID', id) ?? 0 });
        ctx.print(t, () => `revoked API token ${t.id} (${t.name})`);
      }),
    );
}
