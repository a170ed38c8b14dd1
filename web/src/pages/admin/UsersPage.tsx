import { Anchor, Badge, Button, Group, Modal, Paper, SegmentedControl, Select, Stack, Table, Text, Textarea, TextInput, VisuallyHidden } from '@mantine/core';
import { useState, type FormEvent, type ReactNode } from 'react';
import { useSearchParams } from 'react-router';
import { ROLES } from '../../../../src/core/access/permissions';
import type { ApiOutput } from '../../api/client';
import { useApi, useApiMutation } from '../../api/hooks';
import { useSession } from '../../app/session';
import { EmptyState } from '../../components/EmptyState';
import { ErrorAlert, fieldError } from '../../components/ErrorAlert';
import { Loading } from '../../components/Loading';
import { PageHeader } from '../../components/PageHeader';
import { resetLink } from '../auth/forms';
import { SecretOnce } from './SecretOnce';
import { filterUsers, STATE_COLOR, STATE_LABEL, userState } from './user-state';

type User = ApiOutput<'user.list'>[number];

/** A secret just issued for a user (creation or reset), shown once at the top of the page. */
interface Issued {
  readonly username: string;
  readonly secret: string;
  readonly expiresAt: string | undefined;
  readonly why: 'created' | 'reset';
}

const when = (iso: string | null): string => (iso === null ? '—' : new Date(iso).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short' }));

/** `/admin/users`: every user with their state and roles; create, deactivate, unlock, issue a reset, grant and revoke roles. */
export function UsersPage(): ReactNode {
  const [params, setParams] = useSearchParams();
  const state = params.get('state') ?? 'all';
  const rolesOf = params.get('roles');
  const users = useApi('user.list', {});
  const [issued, setIssued] = useState<Issued>();
  const [creating, setCreating] = useState(false);
  const [deactivating, setDeactivating] = useState<User>();
  const unlock = useApiMutation('user.unlock');
  const issue = useApiMutation('user.issue-reset');
  const now = Date.now();

  const setParam = (key: string, value: string | null): void => {
    const next = new URLSearchParams(params);
    if (value === null) next.delete(key);
    else next.set(key, value);
    setParams(next, { replace: key === 'state' });
  };

  const list = users.data === undefined ? [] : filterUsers(users.data, state, now);
  return (
    <>
      <PageHeader
        title="Users"
        description="Who may log in, with which roles. Users are never deleted: a deactivated user's name stays on what they did."
        actions={<Button onClick={() => setCreating(true)}>Create user</Button>}
      />
      {issued !== undefined && (
        <Stack mb="md">
          <SecretOnce
            label="Reset secret"
            secret={issued.secret}
            warning={`${issued.why === 'created' ? `User ${issued.username} was created.` : `A new reset secret was issued for ${issued.username}.`} Give the user this one-time secret through a separate channel, with the link below. It is not stored and cannot be shown again${issued.expiresAt === undefined ? '' : `; it expires ${when(issued.expiresAt)}`}.`}
          >
            <Text size="sm">
              Reset link:{' '}
              <Anchor href={resetLink(window.location.origin, issued.username)} target="_blank" rel="noreferrer">
                {resetLink(window.location.origin, issued.username)}
              </Anchor>
            </Text>
            <Group>
              <Button variant="subtle" size="xs" onClick={() => setIssued(undefined)}>
                I have passed it on: hide it
              </Button>
            </Group>
          </SecretOnce>
        </Stack>
      )}
      <ErrorAlert error={unlock.error ?? issue.error} />
      <Group mb="sm" gap="sm">
        <Text size="sm" id="state-filter-label">
          Show
        </Text>
        <SegmentedControl
          aria-labelledby="state-filter-label"
          value={state}
          onChange={(v) => setParam('state', v === 'all' ? null : v)}
          data={[
            { value: 'all', label: 'All' },
            { value: 'active', label: 'Active' },
            { value: 'invited', label: 'No password yet' },
            { value: 'locked', label: 'Locked' },
            { value: 'deactivated', label: 'Deactivated' },
          ]}
        />
      </Group>
      {users.isPending ? (
        <Loading label="Loading users" />
      ) : users.isError ? (
        <ErrorAlert error={users.error} />
      ) : list.length === 0 ? (
        <EmptyState title={state === 'all' ? 'No users' : `No ${STATE_LABEL[state as keyof typeof STATE_LABEL]?.toLowerCase() ?? state} users`}>
          {state === 'all' ? 'Create the first user with the button above.' : 'Choose another filter to see the others.'}
        </EmptyState>
      ) : (
        <Paper withBorder radius="md" bg="white" style={{ overflowX: 'auto' }}>
          <Table striped highlightOnHover verticalSpacing="xs" aria-label="Users">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>User</Table.Th>
                <Table.Th>State</Table.Th>
                <Table.Th>Roles</Table.Th>
                <Table.Th>Password set</Table.Th>
                <Table.Th>Actions</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.map((u) => {
                const s = userState(u, now);
                return (
                  <Table.Tr key={u.username} data-username={u.username}>
                    <Table.Td>
                      <Text size="sm" fw={600}>
                        {u.printedName}
                      </Text>
                      <Text size="xs" c="gray.7">
                        {u.username}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Badge color={STATE_COLOR[s]} variant="light">
                        {STATE_LABEL[s]}
                      </Badge>
                      {s === 'locked' && (
                        <Text size="xs" c="gray.7">
                          until {when(u.lockedUntil)}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>
                      {u.roles.length === 0 ? (
                        <Text size="xs" c="gray.7">
                          none
                        </Text>
                      ) : (
                        <Group gap={4}>
                          {u.roles.map((r) => (
                            <Badge key={`${r.productKey}:${r.role}`} variant="outline" color="gray" tt="none">
                              {r.role} · {r.productKey === '*' ? 'every product' : r.productKey}
                            </Badge>
                          ))}
                        </Group>
                      )}
                    </Table.Td>
                    <Table.Td>
                      <Text size="xs">{when(u.passwordSetAt)}</Text>
                    </Table.Td>
                    <Table.Td>
                      {s !== 'deactivated' && (
                        <Group gap={4} wrap="wrap">
                          <Button size="xs" variant="default" onClick={() => setParam('roles', u.username)} aria-label={`Roles of ${u.username}`}>
                            Roles
                          </Button>
                          {s === 'locked' && (
                            <Button size="xs" variant="default" loading={unlock.isPending} onClick={() => unlock.mutate({ username: u.username })} aria-label={`Unlock ${u.username}`}>
                              Unlock
                            </Button>
                          )}
                          <Button
                            size="xs"
                            variant="default"
                            loading={issue.isPending && issue.variables.username === u.username}
                            onClick={() =>
                              issue.mutate(
                                { username: u.username },
                                { onSuccess: (out) => setIssued({ username: out.username, secret: out.resetSecret, expiresAt: out.expiresAt, why: 'reset' }) },
                              )
                            }
                            aria-label={`Issue a reset link for ${u.username}`}
                          >
                            Reset link
                          </Button>
                          <Button size="xs" variant="light" color="red" onClick={() => setDeactivating(u)} aria-label={`Deactivate ${u.username}`}>
                            Deactivate
                          </Button>
                        </Group>
                      )}
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Paper>
      )}
      <CreateUserModal
        opened={creating}
        onClose={() => setCreating(false)}
        onCreated={(i) => {
          setIssued(i);
          setCreating(false);
        }}
      />
      <DeactivateModal user={deactivating} onClose={() => setDeactivating(undefined)} />
      <RolesModal user={users.data?.find((u) => u.username === rolesOf)} username={rolesOf} onClose={() => setParam('roles', null)} />
    </>
  );
}

function CreateUserModal({ opened, onClose, onCreated }: { opened: boolean; onClose: () => void; onCreated: (i: Issued) => void }): ReactNode {
  const create = useApiMutation('user.create');
  const [username, setUsername] = useState('');
  const [printedName, setPrintedName] = useState('');
  const submit = (e: FormEvent): void => {
    e.preventDefault();
    create.mutate(
      { username, printedName },
      {
        onSuccess: (out) => {
          setUsername('');
          setPrintedName('');
          create.reset();
          if (out.resetSecret !== undefined) onCreated({ username: out.user.username, secret: out.resetSecret, expiresAt: out.resetExpiresAt, why: 'created' });
        },
      },
    );
  };
  const fieldless = fieldError(create.error, 'username') !== undefined || fieldError(create.error, 'printedName') !== undefined ? undefined : create.error;
  return (
    <Modal closeButtonProps={{ 'aria-label': 'Close' }} opened={opened} onClose={onClose} title="Create user">
      <form onSubmit={submit}>
        <Stack>
          <Text size="sm" c="gray.7">
            The user chooses their own password with a one-time reset secret, shown to you once after creation. Grant roles afterwards.
          </Text>
          <TextInput label="Username" description="Lower-case; never reused" value={username} onChange={(e) => setUsername(e.currentTarget.value)} error={fieldError(create.error, 'username')} required data-autofocus />
          <TextInput label="Printed name" description="Full name, as on signatures" value={printedName} onChange={(e) => setPrintedName(e.currentTarget.value)} error={fieldError(create.error, 'printedName')} required />
          <ErrorAlert error={fieldless} title="Not created" />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={create.isPending}>
              Create
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function DeactivateModal({ user, onClose }: { user: User | undefined; onClose: () => void }): ReactNode {
  const deactivate = useApiMutation('user.deactivate');
  const [reason, setReason] = useState('');
  const me = useSession();
  const close = (): void => {
    deactivate.reset();
    setReason('');
    onClose();
  };
  return (
    <Modal closeButtonProps={{ 'aria-label': 'Close' }} opened={user !== undefined} onClose={close} title={`Deactivate ${user?.username ?? ''}?`}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (user !== undefined) deactivate.mutate({ username: user.username, ...(reason.trim() === '' ? {} : { reason }) }, { onSuccess: close });
        }}
      >
        <Stack>
          <Text size="sm">
            {user?.printedName} can no longer log in; their sessions end and their API tokens stop working. This cannot be undone, and the username stays taken.
            {user?.username === me.username ? ' This is your own account.' : ''}
          </Text>
          <Textarea label="Reason (kept in the audit trail)" value={reason} onChange={(e) => setReason(e.currentTarget.value)} error={fieldError(deactivate.error, 'reason')} autosize minRows={2} />
          <ErrorAlert error={fieldError(deactivate.error, 'reason') === undefined ? deactivate.error : undefined} title="Not deactivated" />
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button type="submit" color="red" loading={deactivate.isPending}>
              Deactivate
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function RolesModal({ user, username, onClose }: { user: User | undefined; username: string | null; onClose: () => void }): ReactNode {
  const products = useApi('product.list', {}, { enabled: username !== null });
  const grant = useApiMutation('user.grant-role');
  const revoke = useApiMutation('user.revoke-role');
  const [role, setRole] = useState<string | null>('viewer');
  const [product, setProduct] = useState<string | null>(null);
  const productOptions = [{ value: '*', label: 'Every product' }, ...(products.data ?? []).map((p) => ({ value: p.key, label: `${p.key} · ${p.name}` }))];
  return (
    <Modal closeButtonProps={{ 'aria-label': 'Close' }} opened={username !== null} onClose={onClose} title={`Roles of ${username ?? ''}`} size="lg">
      {user === undefined ? (
        <Text size="sm">No user {username} here.</Text>
      ) : (
        <Stack>
          {user.roles.length === 0 ? (
            <Text size="sm" c="gray.7">
              No roles: {user.printedName} can log in but see no product.
            </Text>
          ) : (
            <Table aria-label={`Roles of ${user.username}`}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Role</Table.Th>
                  <Table.Th>Product</Table.Th>
                  <Table.Th>
                    <VisuallyHidden>Revoke</VisuallyHidden>
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {user.roles.map((r) => (
                  <Table.Tr key={`${r.productKey}:${r.role}`}>
                    <Table.Td>{r.role}</Table.Td>
                    <Table.Td>{r.productKey === '*' ? 'every product' : r.productKey}</Table.Td>
                    <Table.Td>
                      <Button size="xs" variant="light" color="red" loading={revoke.isPending} onClick={() => revoke.mutate({ username: user.username, role: r.role, productKey: r.productKey })}>
                        Revoke {r.role}
                      </Button>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
          <ErrorAlert error={revoke.error} title="Not revoked" />
          <form
            onSubmit={(e) => {
              e.preventDefault();
              if (role !== null && product !== null) grant.mutate({ username: user.username, role: role as (typeof ROLES)[number], productKey: product });
            }}
          >
            <Group align="flex-end" wrap="wrap">
              <Select label="Role" data={[...ROLES]} value={role} onChange={setRole} allowDeselect={false} w={160} />
              <Select label="Product" data={productOptions} value={product} onChange={setProduct} placeholder="Choose a product" w={240} error={fieldError(grant.error, 'productKey')} />
              <Button type="submit" disabled={role === null || product === null} loading={grant.isPending}>
                Grant
              </Button>
            </Group>
          </form>
          <ErrorAlert error={fieldError(grant.error, 'productKey') === undefined ? grant.error : undefined} title="Not granted" />
        </Stack>
      )}
    </Modal>
  );
}
