import { Anchor, Badge, Group, Paper, Select, SimpleGrid, Stack, Switch, Table, Text, TextInput } from '@mantine/core';
import { useQueries } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { Link, useSearchParams } from 'react-router';
import { call } from '../../api/client';
import { apiKey, useApi } from '../../api/hooks';
import { productPath, useProductKey } from '../../app/product';
import { EmptyState } from '../../components/EmptyState';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Loading } from '../../components/Loading';
import { PageHeader } from '../../components/PageHeader';
import { RecordLink, SeverityBadge, StatusBadge } from '../../components/RecordLink';
import { advisorySoup, filterSoup, isOpenVulnerability, licences, soupRows, type SbomComponent, type SoupRecord, type SoupRow } from './evidence-logic';
import { OutcomeBadge, When } from './parts';

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

/**
 * `evidence/soup`: the SOUP list (IEC 62304 8.1.2): every SOUP record with the latest SBOM's facts, the SBOM's
 * components no record covers, and each one's known vulnerabilities with their triage state. Filters in the URL.
 */
export function SoupPage(): ReactNode {
  const productKey = useProductKey();
  const [params, setParams] = useSearchParams();
  const soup = useApi('record.list', { productKey, type: 'SOUP', limit: 'all' });
  const vulnRecords = useApi('record.list', { productKey, type: 'VULN', limit: 'all' });
  const sboms = useApi('evidence.list', { productKey, kind: 'sbom' });
  const latestSbom = sboms.data?.filter((s) => s.voidedAt === null).at(-1);
  const components = useApi('evidence.items', { productKey, importId: latestSbom?.id ?? 0, kind: 'component', limit: 5000 }, { enabled: latestSbom !== undefined });
  const advisories = useApi('evidence.items', { productKey, kind: 'advisory', limit: 5000 });
  // Each SOUP and vulnerability record's fields (licence, version, triage): one read per record, cached.
  const keys = [...(soup.data?.records ?? []), ...(vulnRecords.data?.records ?? [])].map((r) => r.key);
  const details = useQueries({
    queries: keys.map((record) => ({ queryKey: apiKey('record.get', { productKey, record }), queryFn: () => call('record.get', { productKey, record }) })),
  });
  const fieldsOf = new Map<string, Readonly<Record<string, unknown>>>();
  details.forEach((d, i) => {
    const k = keys[i];
    if (d.data !== undefined && k !== undefined) fieldsOf.set(k, d.data.revision.fields);
  });
  const detailsPending = details.filter((d) => d.isPending).length;
  const detailsError = details.find((d) => d.isError)?.error;

  const rows = ((): SoupRow[] | undefined => {
    if (soup.data === undefined || vulnRecords.data === undefined || advisories.data === undefined) return undefined;
    const records: SoupRecord[] = soup.data.records.map((r) => ({ key: r.key, title: r.title, status: r.status, ...(fieldsOf.has(r.key) ? { fields: fieldsOf.get(r.key) } : {}) }));
    const comps: SbomComponent[] = (components.data?.items ?? []).map((i) => ({
      name: str(i.data['name']) ?? i.key,
      version: str(i.data['version']),
      licence: str(i.data['licence']),
      purl: str(i.data['purl']),
      direct: i.data['direct'] === true,
      record: i.refs.find((r) => r.role === 'component_of')?.record ?? null,
    }));
    // A vulnerability per VULN record: the advisory item that created it says which SOUP it affects.
    const vulns = advisories.data.items.flatMap((a) => {
      const soupKey = advisorySoup(a.key);
      const vuln = a.refs.find((r) => r.record.startsWith('VULN-'))?.record;
      if (soupKey === null || vuln === undefined) return [];
      const f = fieldsOf.get(vuln) ?? {};
      return [{ record: vuln, advisory: str(f['advisory']) ?? str(a.data['advisory']) ?? a.key, severity: str(f['severity']) ?? str(a.data['severity']) ?? 'unknown', triage: str(f['triage']) ?? 'untriaged', soup: soupKey }];
    });
    return soupRows(records, comps, vulns);
  })();

  const licence = params.get('licence') ?? '';
  const vulnerable = params.get('vulnerable') === '1';
  const text = params.get('q') ?? '';
  const set = (k: string, v: string | null): void => {
    const p = new URLSearchParams(params);
    if (v === null || v === '') p.delete(k);
    else p.set(k, v);
    setParams(p, { replace: true });
  };

  const error = soup.error ?? vulnRecords.error ?? sboms.error ?? components.error ?? advisories.error ?? detailsError;
  return (
    <>
      <PageHeader
        title="SOUP"
        description="Software of unknown provenance: the SOUP records with the latest SBOM's facts, and their known vulnerabilities (IEC 62304 5.3.3, 7.1.3, 8.1.2)."
      />
      <ErrorAlert error={error} />
      {rows === undefined ? (
        error === null || error === undefined ? <Loading label="Loading the SOUP list" /> : null
      ) : (
        <>
          <SoupSummary rows={rows} sbom={latestSbom} productKey={productKey} />
          <Paper withBorder radius="md" p="md" bg="white" my="md">
            <Group align="flex-end" gap="md" wrap="wrap" mb="sm">
              <TextInput label="Search" placeholder="Name, record or purl" value={text} onChange={(e) => set('q', e.currentTarget.value)} w={260} />
              <Select
                label="Licence"
                placeholder="Any licence"
                data={licences(rows).map((l) => ({ value: l.value, label: `${l.value === 'none' ? 'No licence stated' : l.value} (${l.count})` }))}
                value={licence === '' ? null : licence}
                onChange={(v) => set('licence', v)}
                clearable
                w={240}
              />
              <Switch label="Open vulnerabilities only" checked={vulnerable} onChange={(e) => set('vulnerable', e.currentTarget.checked ? '1' : null)} mb={6} />
              {detailsPending > 0 && (
                <Text size="xs" c="gray.7" role="status" mb={8}>
                  Reading {detailsPending} record{detailsPending === 1 ? '' : 's'}…
                </Text>
              )}
            </Group>
            <SoupTable rows={filterSoup(rows, { licence, vulnerable, text })} productKey={productKey} filtered={licence !== '' || vulnerable || text !== ''} />
          </Paper>
        </>
      )}
    </>
  );
}

function SoupSummary({ rows, sbom, productKey }: { rows: readonly SoupRow[]; sbom: { id: number; source: string; importedAt: string } | undefined; productKey: string }): ReactNode {
  const open = rows.flatMap((r) => r.vulnerabilities).filter(isOpenVulnerability).length;
  const noRecord = rows.filter((r) => r.record === null).length;
  const noLicence = rows.filter((r) => r.licence === null).length;
  const stat = (label: string, value: ReactNode, hint: ReactNode): ReactNode => (
    <Paper withBorder radius="md" p="sm" bg="white">
      <Text size="xs" c="gray.7" fw={600}>
        {label}
      </Text>
      <Text size="xl" fw={700}>
        {value}
      </Text>
      <Text size="xs" c="gray.7">
        {hint}
      </Text>
    </Paper>
  );
  return (
    <SimpleGrid cols={{ base: 2, md: 4 }} spacing="sm">
      {stat('Components', rows.length, `${rows.filter((r) => r.record !== null).length} with a SOUP record`)}
      {stat('Open vulnerabilities', open, 'untriaged or affecting the product')}
      {stat('Without a record', noRecord, 'in the SBOM, not yet assessed as SOUP')}
      {stat(
        'Latest SBOM',
        sbom === undefined ? 'none' : `#${sbom.id}`,
        sbom === undefined ? (
          'import one with dossier evidence sbom'
        ) : (
          <>
            {sbom.source}, <When at={sbom.importedAt} />
            {noLicence > 0 ? ` · ${noLicence} without licence` : ''}
          </>
        ),
      )}
      <Text size="xs" c="gray.7" style={{ gridColumn: '1 / -1' }}>
        Triage a vulnerability by editing its record (state <em>affected</em> or <em>not affected</em>, with a justification), then have it approved.{' '}
        <Anchor component={Link} to={`${productPath(productKey, 'records')}?type=VULN`} size="xs" underline="always">
          All vulnerability records
        </Anchor>
      </Text>
    </SimpleGrid>
  );
}

function SoupTable({ rows, productKey, filtered }: { rows: readonly SoupRow[]; productKey: string; filtered: boolean }): ReactNode {
  if (rows.length === 0) {
    return filtered ? <EmptyState title="Nothing matches these filters">Clear a filter to see more components.</EmptyState> : <EmptyState title="No SOUP yet">Import an SBOM (<code>dossier evidence sbom</code>) or add SOUP records.</EmptyState>;
  }
  return (
    <Table.ScrollContainer minWidth={980}>
      <Table striped aria-label="SOUP components" verticalSpacing="xs">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Component</Table.Th>
            <Table.Th>Version</Table.Th>
            <Table.Th>Licence</Table.Th>
            <Table.Th w={120}>Record</Table.Th>
            <Table.Th w={220}>Package URL</Table.Th>
            <Table.Th w={260}>Known vulnerabilities</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((r) => (
            <Table.Tr key={`${r.record ?? ''}|${r.name}|${r.version ?? ''}`} bg={r.vulnerabilities.some(isOpenVulnerability) ? 'red.0' : undefined}>
              <Table.Td>
                <Stack gap={2}>
                  <Text size="sm" fw={600}>
                    {r.name}
                  </Text>
                  <Group gap={4}>
                    {r.direct === false && (
                      <Badge size="xs" variant="outline" color="gray.7">
                        transitive
                      </Badge>
                    )}
                    {!r.inSbom && (
                      <Badge size="xs" variant="outline" color="gray.7">
                        not in SBOM
                      </Badge>
                    )}
                  </Group>
                </Stack>
              </Table.Td>
              <Table.Td>{r.version ?? <Text span size="sm" c="red.9">none</Text>}</Table.Td>
              <Table.Td>{r.licence ?? <Text span size="sm" c="#c2410c">not stated</Text>}</Table.Td>
              <Table.Td>
                {r.record === null ? (
                  <Text span size="sm" c="#c2410c">
                    no record
                  </Text>
                ) : (
                  <Stack gap={2} align="flex-start">
                    <RecordLink productKey={productKey} record={r.record} />
                    {r.status !== null && <StatusBadge status={r.status} />}
                  </Stack>
                )}
              </Table.Td>
              <Table.Td>
                <Text size="xs" ff="monospace" style={{ wordBreak: 'break-all' }}>
                  {r.purl ?? '—'}
                </Text>
              </Table.Td>
              <Table.Td>
                {r.vulnerabilities.length === 0 ? (
                  <Text span size="sm" c="gray.7">
                    none known
                  </Text>
                ) : (
                  <Stack gap={4}>
                    {r.vulnerabilities.map((v) => (
                      <Group key={v.record} gap={6}>
                        <RecordLink productKey={productKey} record={v.record}>
                          {v.advisory}
                        </RecordLink>
                        <SeverityBadge severity={v.severity} />
                        <OutcomeBadge outcome={v.triage} />
                        {v.triage === 'untriaged' && (
                          <Anchor component={Link} to={productPath(productKey, 'records', v.record)} size="xs" aria-label={`Triage ${v.advisory} (${v.record})`}>
                            Triage
                          </Anchor>
                        )}
                      </Group>
                    ))}
                  </Stack>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
