import { Badge, Button, Group, Paper, Select, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { Link, useSearchParams } from 'react-router';
import type { ApiOutput } from '../../api/client';
import { useApi } from '../../api/hooks';
import { productPath, useProductKey } from '../../app/product';
import { EmptyState } from '../../components/EmptyState';
import { QueryView } from '../../components/Loading';
import { PageHeader } from '../../components/PageHeader';
import { RecordLink, SeverityBadge } from '../../components/RecordLink';
import { compareVersions, findingAnchor } from './evidence-logic';
import { OutcomeBadge } from './parts';

type Diff = ApiOutput<'release.diff'>;

/** `releases/diff?from=&to=`: what changed between two release baselines (versions chosen in the URL). */
export function ReleaseDiffPage(): ReactNode {
  const productKey = useProductKey();
  const [params, setParams] = useSearchParams();
  const releases = useApi('release.list', { productKey });
  const versions = [...new Set((releases.data ?? []).filter((r) => r.status !== 'void').map((r) => r.version))].sort((a, b) => compareVersions(b, a));
  const from = params.get('from') ?? '';
  const to = params.get('to') ?? '';
  const ready = from !== '' && to !== '' && from !== to;
  const diff = useApi('release.diff', { productKey, from, to }, { enabled: ready });
  const set = (k: 'from' | 'to', v: string | null): void => {
    const p = new URLSearchParams(params);
    if (v === null) p.delete(k);
    else p.set(k, v);
    setParams(p, { replace: true });
  };
  return (
    <>
      <PageHeader
        title={ready ? `Changes from ${from} to ${to}` : 'Compare releases'}
        description="What changed between two release baselines: records, links, SOUP versions and test verdicts (IEC 62304 6.2, 8.2)."
        actions={
          <Button component={Link} to={productPath(productKey, 'releases')} variant="default">
            All releases
          </Button>
        }
      />
      <Paper withBorder radius="md" p="md" mb="md" bg="white">
        <Group align="flex-end" gap="sm">
          <Select label="From release" placeholder="Older release" data={versions.includes(from) || from === '' ? versions : [from, ...versions]} value={from === '' ? null : from} onChange={(v) => set('from', v)} w={180} searchable />
          <Select label="To release" placeholder="Newer release" data={versions.includes(to) || to === '' ? versions : [to, ...versions]} value={to === '' ? null : to} onChange={(v) => set('to', v)} w={180} searchable />
          <Button
            variant="default"
            disabled={!ready}
            onClick={() => {
              const p = new URLSearchParams(params);
              p.set('from', to);
              p.set('to', from);
              setParams(p, { replace: true });
            }}
          >
            Swap
          </Button>
        </Group>
        {from !== '' && from === to && (
          <Text size="sm" c="red.9" mt="xs" role="alert">
            Choose two different releases.
          </Text>
        )}
      </Paper>
      {!ready ? (
        <EmptyState title="Choose two releases">Pick the release to compare from and the one to compare to; the choice stays in the address, to share.</EmptyState>
      ) : (
        <QueryView query={diff} label="Comparing the baselines">
          {(d) => <DiffView diff={d} productKey={productKey} />}
        </QueryView>
      )}
    </>
  );
}

function Section({ title, count, children }: { title: string; count: number; children: ReactNode }): ReactNode {
  return (
    <Paper withBorder radius="md" p="md" bg="white" component="section" aria-label={title}>
      <Group gap="xs" mb="sm">
        <Title order={2} size="h4">
          {title}
        </Title>
        <Badge variant="filled" color="gray.7" radius="sm">
          {count}
        </Badge>
      </Group>
      {count === 0 ? (
        <Text size="sm" c="gray.7">
          No change.
        </Text>
      ) : (
        children
      )}
    </Paper>
  );
}

function DiffView({ diff: d, productKey }: { diff: Diff; productKey: string }): ReactNode {
  const recordCount = d.records.added.length + d.records.removed.length + d.records.changed.length;
  return (
    <Stack gap="md">
      {d.findings.length > 0 && (
        <Section title="Findings" count={d.findings.length}>
          <Stack gap={6}>
            {d.findings.map((f) => (
              <Group key={f.id} gap="xs" wrap="nowrap" align="flex-start">
                <SeverityBadge severity={f.severity} />
                <Text size="sm">
                  {f.record !== null && (
                    <>
                      <Link to={`${productPath(productKey, 'records', f.record)}#${findingAnchor(f.ruleId)}`}>{f.record}</Link>:{' '}
                    </>
                  )}
                  {f.message} <Text span size="xs" c="gray.7">({f.clause})</Text>
                </Text>
              </Group>
            ))}
          </Stack>
        </Section>
      )}
      <Section title="Records" count={recordCount}>
        <SimpleGrid cols={{ base: 1, md: 3 }} spacing="md">
          <div>
            <Text size="sm" fw={600} c="#237032">
              Added ({d.records.added.length})
            </Text>
            <Group gap={6}>
              {d.records.added.map((r) => (
                <RecordLink key={r} productKey={productKey} record={r} />
              ))}
            </Group>
          </div>
          <div>
            <Text size="sm" fw={600} c="red.9">
              Removed ({d.records.removed.length})
            </Text>
            <Group gap={6}>
              {d.records.removed.map((r) => (
                <RecordLink key={r} productKey={productKey} record={r} />
              ))}
            </Group>
          </div>
          <div>
            <Text size="sm" fw={600}>
              Changed ({d.records.changed.length})
            </Text>
            <Stack gap={2}>
              {d.records.changed.map((c) => (
                <Text key={c.record} size="sm">
                  <RecordLink productKey={productKey} record={c.record} /> {c.from} → {c.to}
                </Text>
              ))}
            </Stack>
          </div>
        </SimpleGrid>
      </Section>
      <Section title="Links" count={d.links.added.length + d.links.removed.length}>
        <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
          <div>
            <Text size="sm" fw={600} c="#237032">
              Added ({d.links.added.length})
            </Text>
            {d.links.added.map((l) => (
              <Text key={l} size="sm" ff="monospace">
                {l}
              </Text>
            ))}
          </div>
          <div>
            <Text size="sm" fw={600} c="red.9">
              Removed ({d.links.removed.length})
            </Text>
            {d.links.removed.map((l) => (
              <Text key={l} size="sm" ff="monospace">
                {l}
              </Text>
            ))}
          </div>
        </SimpleGrid>
      </Section>
      <Section title="SOUP" count={d.soup.length}>
        <Table aria-label="SOUP changes" striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Record</Table.Th>
              <Table.Th>Package</Table.Th>
              <Table.Th>From</Table.Th>
              <Table.Th>To</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {d.soup.map((s) => (
              <Table.Tr key={`${s.record}-${s.package}`}>
                <Table.Td>
                  <RecordLink productKey={productKey} record={s.record} />
                </Table.Td>
                <Table.Td>{s.package}</Table.Td>
                <Table.Td>{s.from ?? 'not used'}</Table.Td>
                <Table.Td>{s.to ?? 'not used'}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Section>
      <Section title="Test verdicts" count={d.results.length}>
        <Table aria-label="Test verdict changes" striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Record or test</Table.Th>
              <Table.Th>{d.from}</Table.Th>
              <Table.Th>{d.to}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {d.results.map((r) => (
              <Table.Tr key={r.test}>
                <Table.Td>{/^[A-Z][A-Z0-9]*-\d+$/.test(r.test) ? <RecordLink productKey={productKey} record={r.test} /> : <Text size="sm">{r.test}</Text>}</Table.Td>
                <Table.Td>
                  <OutcomeBadge outcome={r.from} />
                </Table.Td>
                <Table.Td>
                  <OutcomeBadge outcome={r.to} />
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Section>
    </Stack>
  );
}
