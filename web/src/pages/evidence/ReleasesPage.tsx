import { Anchor, Badge, Button, Group, Loader, Paper, Select, Table, Text, TextInput, Title } from '@mantine/core';
import { useState, type FormEvent, type ReactNode } from 'react';
import { Link, useNavigate } from 'react-router';
import type { ApiOutput } from '../../api/client';
import { useApi, useApiMutation } from '../../api/hooks';
import { productPath, useProductKey } from '../../app/product';
import { EmptyState } from '../../components/EmptyState';
import { ErrorAlert, fieldError } from '../../components/ErrorAlert';
import { QueryView } from '../../components/Loading';
import { PageHeader } from '../../components/PageHeader';
import { compareVersions } from './evidence-logic';
import { useCan, When } from './parts';

type Release = ApiOutput<'release.list'>[number];

const STATUS_COLOR: Record<string, string> = { draft: 'gray.7', released: '#237032', void: 'dark.5' };

export function ReleaseStatus({ status }: { status: string }): ReactNode {
  return (
    <Badge color={STATUS_COLOR[status] ?? 'blue.8'} variant="filled" radius="sm">
      {status}
    </Badge>
  );
}

/** `releases`: the product's release baselines, newest first, each with its release gate's result. */
export function ReleasesPage(): ReactNode {
  const productKey = useProductKey();
  const releases = useApi('release.list', { productKey });
  const canCreate = useCan(productKey, 'release.create');
  return (
    <>
      <PageHeader title="Releases" description="Release baselines: the records, links and evidence frozen for a version, and the release gate on them (IEC 62304 5.8; ISO 13485 7.3.7)." />
      {canCreate && <FreezeForm productKey={productKey} />}
      <QueryView query={releases} label="Loading releases">
        {(list) => {
          if (list.length === 0) return <EmptyState title="No release yet">Freeze a baseline for a version above, or from CI with <code>dossier release create</code>.</EmptyState>;
          const sorted = [...list].sort((a, b) => compareVersions(b.version, a.version) || b.baseline - a.baseline);
          return (
            <>
              <Paper withBorder radius="md" p="md" my="md" bg="white">
                <Title order={2} size="h4" mb="sm">
                  Baselines
                </Title>
                <Table.ScrollContainer minWidth={760}>
                  <Table striped aria-label="Releases" verticalSpacing="xs">
                    <Table.Thead>
                      <Table.Tr>
                        <Table.Th>Version</Table.Th>
                        <Table.Th>Baseline</Table.Th>
                        <Table.Th>Status</Table.Th>
                        <Table.Th>Frozen</Table.Th>
                        <Table.Th>Released</Table.Th>
                        <Table.Th>Release gate</Table.Th>
                      </Table.Tr>
                    </Table.Thead>
                    <Table.Tbody>
                      {sorted.map((r) => (
                        <Table.Tr key={r.id}>
                          <Table.Td>
                            <Anchor component={Link} to={productPath(productKey, 'releases', r.version)} fw={600}>
                              {r.version}
                            </Anchor>
                          </Table.Td>
                          <Table.Td>{r.baseline}</Table.Td>
                          <Table.Td>
                            <ReleaseStatus status={r.status} />
                          </Table.Td>
                          <Table.Td>
                            <When at={r.createdAt} /> <Text span size="xs" c="gray.7">by {r.createdBy}</Text>
                          </Table.Td>
                          <Table.Td>{r.releasedAt === null ? '—' : <When at={r.releasedAt} />}</Table.Td>
                          <Table.Td>{r.status === 'void' ? <Text span size="sm" c="gray.7">void: {r.voidReason}</Text> : <GateCell productKey={productKey} release={r} />}</Table.Td>
                        </Table.Tr>
                      ))}
                    </Table.Tbody>
                  </Table>
                </Table.ScrollContainer>
              </Paper>
              <CompareForm productKey={productKey} versions={[...new Set(sorted.filter((r) => r.status !== 'void').map((r) => r.version))]} />
            </>
          );
        }}
      </QueryView>
    </>
  );
}

/** One release's gate result, checked when the row shows (a read; nothing is written). */
function GateCell({ productKey, release }: { productKey: string; release: Release }): ReactNode {
  const check = useApi('release.check', { productKey, version: release.version }, { staleTime: 60_000 });
  if (check.isPending) {
    return (
      <Group gap={6} role="status" aria-label={`Checking ${release.version}`}>
        <Loader size="xs" />
        <Text span size="sm" c="gray.7">
          checking…
        </Text>
      </Group>
    );
  }
  if (check.isError) return <Text span size="sm" c="red.9">{check.error.message}</Text>;
  const errors = check.data.findings.filter((f) => f.severity === 'error').length;
  const warnings = check.data.findings.filter((f) => f.severity === 'warning').length;
  return (
    <Group gap={6}>
      <Badge color={check.data.passed ? '#237032' : 'red.8'} variant="filled" radius="sm">
        {check.data.passed ? 'passes' : 'fails'}
      </Badge>
      <Text span size="sm">
        {errors} errors, {warnings} warnings
      </Text>
    </Group>
  );
}

function CompareForm({ productKey, versions }: { productKey: string; versions: readonly string[] }): ReactNode {
  const navigate = useNavigate();
  const [from, setFrom] = useState<string | null>(versions[1] ?? null);
  const [to, setTo] = useState<string | null>(versions[0] ?? null);
  if (versions.length < 2) return null;
  return (
    <Paper withBorder radius="md" p="md" my="md" bg="white" component="form" aria-labelledby="compare-title" onSubmit={(e: FormEvent) => {
        e.preventDefault();
        if (from !== null && to !== null) void navigate(`${productPath(productKey, 'releases', 'diff')}?${new URLSearchParams({ from, to }).toString()}`);
      }}>
      <Title order={2} size="h4" id="compare-title" mb="sm">
        Compare two releases
      </Title>
      <Group align="flex-end" gap="sm">
        <Select label="From" data={[...versions]} value={from} onChange={setFrom} w={160} allowDeselect={false} />
        <Select label="To" data={[...versions]} value={to} onChange={setTo} w={160} allowDeselect={false} />
        <Button type="submit" variant="default" disabled={from === null || to === null || from === to}>
          Compare
        </Button>
      </Group>
    </Paper>
  );
}

/** Freezes a baseline for a version (release.create): the records, links and that version's test runs. */
function FreezeForm({ productKey }: { productKey: string }): ReactNode {
  const [version, setVersion] = useState('');
  const [reason, setReason] = useState('');
  const m = useApiMutation('release.create');
  const navigate = useNavigate();
  return (
    <Paper withBorder radius="md" p="md" mb="md" bg="white" component="form" aria-labelledby="freeze-title" onSubmit={(e: FormEvent) => {
        e.preventDefault();
        m.mutate({ productKey, version: version.trim(), ...(reason.trim() === '' ? {} : { reason: reason.trim() }) }, { onSuccess: (r) => void navigate(productPath(productKey, 'releases', r.release.version)) });
      }}>
      <Title order={2} size="h4" id="freeze-title" mb="xs">
        Freeze a baseline
      </Title>
      <Text size="sm" c="gray.7" mb="sm">
        Freezing takes every record at its current revision, the links, and the test runs labelled with this version. Freezing a draft version again makes a new baseline.
      </Text>
      <Group align="flex-start" gap="sm" wrap="wrap">
        <TextInput label="Version" placeholder="1.3.0" value={version} onChange={(e) => setVersion(e.currentTarget.value)} required error={fieldError(m.error, 'version')} w={160} />
        <TextInput label="Reason" placeholder="Release candidate 1" value={reason} onChange={(e) => setReason(e.currentTarget.value)} error={fieldError(m.error, 'reason')} w={320} />
        <Button type="submit" mt={25} loading={m.isPending}>
          Freeze baseline
        </Button>
      </Group>
      {m.error !== null && fieldError(m.error, 'version') === undefined && fieldError(m.error, 'reason') === undefined && <ErrorAlert error={m.error} />}
    </Paper>
  );
}
