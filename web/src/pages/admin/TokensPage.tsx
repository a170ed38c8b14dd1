import { Badge, Button, Checkbox, Group, Modal, MultiSelect, Paper, Select, Stack, Table, Text, TextInput } from '@mantine/core';
import { useState, type FormEvent, type ReactNode } from 'react';
import { useSearchParams } from 'react-router';
import { PERMISSIONS, ROLE_PERMISSIONS, type Permission } from '../../../../src/core/access/permissions';
import type { ApiOutput } from '../../api/client';
import { useApi, useApiMutation } from '../../api/hooks';
import { rolesOn, useSession } from '../../app/session';
import { EmptyState } from '../../components/EmptyState';
import { ErrorAlert, fieldError } from '../../components/ErrorAlert';
import { Loading } from '../../components/Loading';
import { PageHeader } from '../../components/PageHeader';
import { SecretOnce } from './SecretOnce';

type Token = ApiOutput<'token.list'>[number];

const when = (iso: string | null): string => (iso === null ? '—' : new Date(iso).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short' }));

/** The product permissions the user holds on a product, in the table's order (a token never gets more). */
function heldOn(roles: readonly string[]): Permission[] {
  const held = new Set(roles.flatMap((r) => ROLE_PERMISSIONS[r as keyof typeof ROLE_PERMISSIONS] ?? []));
  return (Object.keys(PERMISSIONS) as Permission[]).filter((p) => PERMISSIONS[p].scope === 'product' && held.has(p));
}

/** `/admin/tokens`: API tokens for CI and scripts: create (the secret shown once), list, revoke. `?all=1`: everyone's (admins). */
export function TokensPage(): ReactNode {
  const [params, setParams] = useSearchParams();
  const session = useSession();
  const isAdmin = session.roles.some((r) => r.productKey === '*' && r.role === 'admin');
  const all = isAdmin && params.get('all') === '1';
  const showRevoked = params.get('revoked') === '1';
  const tokens = useApi('token.list', { all });
  const [created, setCreated] = useState<{ name: string; token: string }>();
  const [creating, setCreating] = useState(false);
  const [revoking, setRevoking] = useState<Token>();

  const toggle = (key: string, on: boolean): void => {
    const next = new URLSearchParams(params);
    if (on) next.set(key, '1');
    else next.delete(key);
    setParams(next, { replace: true });
  };
  const list = (tokens.data ?? []).filter((t) => showRevoked || t.revokedAt === null);
  return (
    <>
      <PageHeader
        title="API tokens"
        description="Tokens let CI jobs and scripts call Dossier as you, limited to one product and the permissions you choose. Only a hash of each token is kept."
        actions={<Button onClick={() => setCreating(true)}>Create token</Button>}
      />
      {created !== undefined && (
        <Stack mb="md">
          <SecretOnce
            label="API token"
            secret={created.token}
            warning={`Token “${created.name}” was created. Copy it now and store it in your CI's secret store: Dossier keeps only its hash and will never show it again. Anyone holding it acts as you within its scope.`}
          >
            <Group>
              <Button variant="subtle" size="xs" onClick={() => setCreated(undefined)}>
                I have stored it: hide it
              </Button>
            </Group>
          </SecretOnce>
        </Stack>
      )}
      <Group mb="sm">
        {isAdmin && <Checkbox label="Everyone's tokens" checked={all} onChange={(e) => toggle('all', e.currentTarget.checked)} />}
        <Checkbox label="Show revoked tokens" checked={showRevoked} onChange={(e) => toggle('revoked', e.currentTarget.checked)} />
      </Group>
      {tokens.isPending ? (
        <Loading label="Loading tokens" />
      ) : tokens.isError ? (
        <ErrorAlert error={tokens.error} />
      ) : list.length === 0 ? (
        <EmptyState title="No API tokens">Create one for a CI job that imports test results or checks a release.</EmptyState>
      ) : (
        <Paper withBorder radius="md" bg="white" style={{ overflowX: 'auto' }}>
          <Table striped verticalSpacing="xs" aria-label="API tokens">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Name</Table.Th>
                <Table.Th>Owner</Table.Th>
                <Table.Th>Product</Table.Th>
                <Table.Th>Permissions</Table.Th>
                <Table.Th>Created</Table.Th>
                <Table.Th>Last used</Table.Th>
                <Table.Th>State</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.map((t) => (
                <Table.Tr key={t.id} data-token={t.name}>
                  <Table.Td>{t.name}</Table.Td>
                  <Table.Td>{t.username}</Table.Td>
                  <Table.Td>{t.productKey}</Table.Td>
                  <Table.Td>
                    <Group gap={4}>
                      {t.permissions.map((p) => (
                        <Badge key={p} variant="outline" color="gray" tt="none" size="sm">
                          {p}
                        </Badge>
                      ))}
                    </Group>
                  </Table.Td>
                  <Table.Td>
                    <Text size="xs">{when(t.createdAt)}</Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="xs">{when(t.lastUsedAt)}</Text>
                  </Table.Td>
                  <Table.Td>
                    {t.revokedAt === null ? (
                      <Button size="xs" variant="light" color="red" onClick={() => setRevoking(t)} aria-label={`Revoke token ${t.name}`}>
                        Revoke
                      </Button>
                    ) : (
                      <Badge color="gray" variant="light">
                        Revoked {when(t.revokedAt)}
                      </Badge>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Paper>
      )}
      <CreateTokenModal
        opened={creating}
        onClose={() => setCreating(false)}
        onCreated={(c) => {
          setCreated(c);
          setCreating(false);
        }}
        rolesFor={(key) => rolesOn(session, key)}
      />
      <RevokeModal token={revoking} onClose={() => setRevoking(undefined)} />
    </>
  );
}

function CreateTokenModal({
  opened,
  onClose,
  onCreated,
  rolesFor,
}: {
  opened: boolean;
  onClose: () => void;
  onCreated: (c: { name: string; token: string }) => void;
  rolesFor: (productKey: string) => string[];
}): ReactNode {
  const products = useApi('product.list', {}, { enabled: opened });
  const create = useApiMutation('token.create');
  const [name, setName] = useState('');
  const [product, setProduct] = useState<string | null>(null);
  const [permissions, setPermissions] = useState<string[]>([]);
  const offered = product === null ? [] : heldOn(rolesFor(product));
  const submit = (e: FormEvent): void => {
    e.preventDefault();
    if (product === null) return;
    create.mutate(
      { name, productKey: product, permissions: permissions as Permission[] },
      {
        onSuccess: (out) => {
          onCreated({ name: out.name, token: out.token });
          setName('');
          setPermissions([]);
          create.reset();
        },
      },
    );
  };
  const fieldless = ['name', 'productKey', 'permissions'].some((f) => fieldError(create.error, f) !== undefined) ? undefined : create.error;
  return (
    <Modal closeButtonProps={{ 'aria-label': 'Close' }} opened={opened} onClose={onClose} title="Create API token" size="lg">
      <form onSubmit={submit}>
        <Stack>
          <TextInput label="Name" description="What it is for, e.g. “GitHub Actions: import test results”" value={name} onChange={(e) => setName(e.currentTarget.value)} error={fieldError(create.error, 'name')} required data-autofocus />
          <Select
            label="Product"
            data={(products.data ?? []).map((p) => ({ value: p.key, label: `${p.key} · ${p.name}` }))}
            value={product}
            onChange={(v) => {
              setProduct(v);
              setPermissions([]);
            }}
            placeholder={products.isPending ? 'Loading products…' : 'Choose a product'}
            error={fieldError(create.error, 'productKey')}
            required
          />
          <MultiSelect
            label="Permissions"
            description="Only what you hold on this product; the fewer the better"
            data={offered.map((p) => ({ value: p, label: `${p}: ${PERMISSIONS[p].summary}` }))}
            value={permissions}
            onChange={setPermissions}
            disabled={product === null}
            error={fieldError(create.error, 'permissions')}
            searchable
          />
          <ErrorAlert error={fieldless} title="Not created" />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={create.isPending} disabled={product === null || permissions.length === 0}>
              Create token
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function RevokeModal({ token, onClose }: { token: Token | undefined; onClose: () => void }): ReactNode {
  const revoke = useApiMutation('token.revoke');
  const close = (): void => {
    revoke.reset();
    onClose();
  };
  return (
    <Modal closeButtonProps={{ 'aria-label': 'Close' }} opened={token !== undefined} onClose={close} title={`Revoke token “${token?.name ?? ''}”?`}>
      <Stack>
        <Text size="sm">Whatever uses it (a CI job, a script) is refused from now on. A revoked token cannot be restored; create a new one instead.</Text>
        <ErrorAlert error={revoke.error} title="Not revoked" />
        <Group justify="flex-end">
          <Button variant="default" onClick={close}>
            Cancel
          </Button>
          <Button color="red" loading={revoke.isPending} onClick={() => token !== undefined && revoke.mutate({ id: token.id }, { onSuccess: close })}>
            Revoke
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
