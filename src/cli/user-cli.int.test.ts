import { describe, expect, it } from 'vitest';
import { DIALECTS } from '../test-support/stores.js';
import { useCli } from '../test-support/cli.js';
import { listAuditEvents } from '../app/use-cases/list-audit-events.js';
import { testDeps } from '../test-support/stores.js';

describe.each(DIALECTS)('dossier user and token on %s', (dialect) => {
  const { dossier, t } = useCli(dialect);

  it('creates users, grants roles, issues resets and tokens; never prints or stores a password [DOSSIER-SRS-34]', async () => {
    expect((await dossier('product', 'create', '--key', 'RPM', '--name', 'VitalLink', '--intended-use', 'Monitoring.', '--class', 'B')).code).toBe(0);
    // No terminal and no --password-stdin: the user gets a one-time secret to set a password with.
    const created = await dossier('user', 'create', 'erin', '--name', 'Erin Example', '--admin');
    expect(created).toMatchObject({ code: 0, err: '' });
    expect(created.out).toMatch(/^created user erin \(Erin Example\), admin on every product\none-time secret to set a password \(valid until .*; shown once\): [\w-]{43}\n$/);
    expect((await dossier('user', 'create', 'erin', '--name', 'Erin Again')).code).toBe(3);
    expect((await dossier('user', 'create', 'dana', '--name', 'Dana Engineer')).code).toBe(0);
    expect(await dossier('user', 'grant', 'dana', 'author')).toMatchObject({ code: 0, out: 'granted author on RPM to dana\n' });
    expect(await dossier('user', 'grant', 'dana', 'viewer', '--product', '*')).toMatchObject({ code: 0, out: 'granted viewer on * to dana\n' });
    expect(await dossier('user', 'revoke', 'dana', 'viewer', '--product', '*')).toMatchObject({ code: 0, out: 'revoked viewer on * from dana\n' });
    const bad = await dossier('user', 'grant', 'dana', 'wizard');
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/role/);
    const list = await dossier('user', 'list');
    expect(list.out.split('\n').slice(0, 3)).toEqual([
      'USERNAME  NAME           ROLES       SINGLE SIGN-ON  STATE',
      'dana      Dana Engineer  author@RPM  -               must change password',
      'erin      Erin Example   admin@*     -               must change password',
    ]);
    const reset = await dossier('user', 'reset', 'dana');
    expect(reset.out).toMatch(/^one-time reset secret for dana \(valid until .*; shown once\): [\w-]{43}\n$/);
    const token = await dossier('--actor', 'dana', 'token', 'create', '--name', 'CI', '--permission', 'evidence.import', '--permission', 'product.read');
    expect(token.code).toBe(0);
    const secret = /\n(dossier_[\w-]+)\n/.exec(token.out)?.[1] ?? '';
    expect(secret).not.toBe('');
    const beyond = await dossier('--actor', 'dana', 'token', 'create', '--name', 'CI', '--permission', 'release.mark');
    expect(beyond).toMatchObject({ code: 5 });
    expect(beyond.err).toMatch(/cannot have more than its creator: dana does not hold release.mark on RPM/);
    expect((await dossier('token', 'list')).out).toMatch(/^ID\s+NAME\s+USER.*\n1\s+CI\s+dana\s+RPM\s+evidence.import product.read\s+never\s+active\n$/);
    expect(await dossier('token', 'revoke', '1')).toMatchObject({ code: 0, out: 'revoked API token 1 (CI)\n' });
    expect(await dossier('user', 'deactivate', 'dana', '--reason', 'left')).toMatchObject({ code: 0 });
    const actions = (await listAuditEvents(testDeps(t().store), {})).map((e) => e.action);
    expect(actions.filter((a) => a !== 'PRODUCT_CREATED')).toEqual([
      'USER_CREATED',
      'ROLE_GRANTED',
      'PASSWORD_RESET_ISSUED',
      'USER_CREATED',
      'PASSWORD_RESET_ISSUED',
      'ROLE_GRANTED',
      'ROLE_GRANTED',
      'ROLE_REVOKED',
      'PASSWORD_RESET_ISSUED',
      'TOKEN_CREATED',
      'ACCESS_DENIED',
      'TOKEN_REVOKED',
      'USER_DEACTIVATED',
    ]);
    expect((await dossier('audit', 'verify')).code).toBe(0);
  });

  it('P11-23: `dossier user access-review` shows each user: state, roles, last login, password age, tokens; JSON too', async () => {
    const product = ['product', 'create', '--key', 'RPM', '--name', 'VitalLink', '--intended-use', 'Monitoring.', '--class', 'B'];
    expect((await dossier(...product)).code).toBe(0);
    expect((await dossier('user', 'create', 'erin', '--name', 'Erin Example', '--admin')).code).toBe(0);
    expect((await dossier('user', 'create', 'dana', '--name', 'Dana Engineer')).code).toBe(0);
    expect((await dossier('user', 'grant', 'dana', 'author')).code).toBe(0);
    expect((await dossier('user', 'deactivate', 'erin', '--reason', 'left')).code).toBe(0);
    const text = await dossier('user', 'access-review');
    expect(text).toMatchObject({ code: 0, err: '' });
    const lines = text.out.split('\n');
    expect(lines[0]).toMatch(/^access review at \S+Z; passwords do not age; 5 failed logins lock an account for 15 min; /);
    expect(lines[0]).toMatch(/; sessions end after 30 min idle$/);
    expect(lines.slice(1, 4).map((l) => l.replace(/ +/g, ' ').trim())).toEqual([
      'USERNAME NAME STATE ROLES LAST LOGIN PASSWORD AGE TOKENS',
      'dana Dana Engineer no password author@RPM never none set',
      'erin Erin Example deactivated admin@* never none set',
    ]);
    expect(lines[4]).toMatch(/^no lockouts since \S+Z$/);
    const json = await dossier('user', 'access-review', '--format', 'json', '--lockout-days', '7');
    expect(json.code).toBe(0);
    const review = JSON.parse(json.out) as { users: { username: string; state: string }[]; lockouts: unknown[] };
    expect(review.users.map((u) => [u.username, u.state])).toEqual([
      ['dana', 'no_password'],
      ['erin', 'deactivated'],
    ]);
    expect((await dossier('user', 'access-review', '--format', 'xml')).code).toBe(2);
    expect((await dossier('user', 'access-review', '--lockout-days', '0')).code).toBe(2);
  });

  it('P11-04: links a user to a single sign-on account; show and list print the link', async () => {
    expect((await dossier('user', 'create', 'erin', '--name', 'Erin Example', '--admin')).code).toBe(0);
    const linked = await dossier('user', 'link-sso', 'erin', '--issuer', 'https://accounts.google.com', '--subject', '1098765');
    expect(linked).toMatchObject({ code: 0, err: '', out: 'linked erin to 1098765 @ https://accounts.google.com; roles are still granted in Dossier\n' });
    const shown = await dossier('user', 'show', 'erin');
    expect(shown.out).toContain('single sign-on: 1098765 @ https://accounts.google.com\n');
    expect((await dossier('user', 'list')).out.split('\n')[1]).toMatch(/^erin .* 1098765 @ https:\/\/accounts\.google\.com /);
    const events = await listAuditEvents(testDeps(t().store), {});
    expect(events.at(-1)).toMatchObject({ action: 'USER_SSO_LINKED', entityId: 'user/erin' });
    const bad = await dossier('user', 'link-sso', 'erin', '--issuer', 'accounts.google.com', '--subject', 'x');
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/issuer/);
  });
});
