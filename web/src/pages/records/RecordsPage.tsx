import { Anchor, Badge, Button, Checkbox, Group, Menu, Progress, Select, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useQuery, type UseQueryResult } from '@tanstack/react-query';
import type { ColumnDef } from '@tanstack/react-table';
import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { call, type ApiError, type ApiInput, type ApiOutput } from '../../api/client';
import { useApi } from '../../api/hooks';
import { productPath, useProductKey } from '../../app/product';
import { EmptyState } from '../../components/EmptyState';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Loading } from '../../components/Loading';
import { PageHeader } from '../../components/PageHeader';
import { RecordLink, StatusBadge } from '../../components/RecordLink';
import { VirtualTable } from '../../components/VirtualTable';
import { utcMinute } from './format';
import { filtersFrom, findingCounts, keyInSearch, paramsOf, restPages, type RecordFilters } from './listFilters';

type Page = ApiOutput<'record.list'>;
type Summary = Page['records'][number];
/** A row of the list: a record, and its findings when the findings filter is on. */
type Row = { readonly record: Summary; readonly findings: number };

/** The first page is small so the list paints at once; the rest follows in large pages. */
const FIRST_PAGE = 200;
const PAGE = 10_000;

/**
 * Every record matching the filters: the first page at once (the list paints from it), the rest read behind it in
 * large pages and handed to the table in one go when all are in (rebuilding the table's row model for every page
 * would cost far more than the one build), with the count read so far for a progress bar.
 */
function useAllRecords(input: ApiInput<'record.list'>): { first: UseQueryResult<Page, ApiError>; rest: UseQueryResult<Summary[], ApiError>; loaded: number } {
  const first = useApi('record.list', { ...input, offset: 0, limit: FIRST_PAGE });
  const total = first.data?.total ?? 0;
  const [progress, setProgress] = useState({ key: '', loaded: 0 });
  const key = JSON.stringify(input);
  const rest = useQuery<Summary[], ApiError>({
    queryKey: ['record.list', 'rest', input, total],
    enabled: first.data !== undefined && total > FIRST_PAGE,
    staleTime: 30_000,
    queryFn: async ({ signal }) => {
      const out: Summary[] = [];
      for (const p of restPages(total, FIRST_PAGE, PAGE)) {
        const page = await call('record.list', { ...input, ...p }, { signal });
        for (const r of page.records) out.push(r);
        setProgress({ key, loaded: FIRST_PAGE + out.length });
        if (page.records.length < p.limit) break;
      }
      return out;
    },
  });
  const loaded = first.data === undefined ? 0 : rest.data !== undefined ? first.data.records.length + rest.data.length : progress.key === key ? progress.loaded : first.data.records.length;
  return { first, rest, loaded };
}

/** `/p/:productKey/records`: every record of the product, filtered from the URL, in a virtualised table. */
export function RecordsPage(): ReactNode {
  const productKey = useProductKey();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const filters = filtersFrom(params);
  const setFilters = (f: RecordFilters): void => setParams(paramsOf(f), { replace: true });

  const [text, setText] = useState(filters.q ?? '');
  const [debounced] = useDebouncedValue(text, 300);
  useEffect(() => {
    const q = debounced.trim();
    if (q !== (filters.q ?? '')) setFilters({ ...filters, ...(q === '' ? { q: undefined } : { q }) });
    // Only the typed text drives this; the other filters are read as they are now.
  }, [debounced]);

  const catalog = useApi('catalog.show', {}, { staleTime: Infinity });
  const input: ApiInput<'record.list'> = {
    productKey,
    ...(filters.type === undefined ? {} : { type: filters.type }),
    ...(filters.status === undefined ? {} : { status: filters.status }),
    ...(filters.q === undefined ? {} : { text: filters.q }),
  };
  const { first, rest, loaded: loadedCount } = useAllRecords(input);
  const check = useApi('check.run', { productKey }, { enabled: filters.findings, staleTime: 5 * 60_000 });
  const counts = useMemo(() => (check.data === undefined ? undefined : findingCounts(check.data.findings)), [check.data]);

  const total = first.data?.total ?? 0;
  const rows = useMemo((): Row[] => {
    const records = first.data === undefined ? [] : rest.data === undefined ? first.data.records : [...first.data.records, ...rest.data];
    if (filters.findings) {
      if (counts === undefined) return [];
      return records.filter((r) => (counts.get(r.key) ?? 0) > 0).map((record) => ({ record, findings: counts.get(record.key) ?? 0 }));
    }
    return records.map((record) => ({ record, findings: 0 }));
  }, [first.data, rest.data, filters.findings, counts]);
  const shown = first.data === undefined ? 0 : rest.data === undefined ? first.data.records.length : total;

  const columns = useMemo((): ColumnDef<Row, unknown>[] => {
    const cols: ColumnDef<Row, unknown>[] = [
      { id: 'key', header: 'ID', size: 110, cell: ({ row }) => <RecordLink productKey={productKey} record={row.original.record.key} /> },
      { id: 'type', header: 'Type', size: 80, cell: ({ row }) => row.original.record.type },
      { id: 'title', header: 'Title', cell: ({ row }) => <span title={row.original.record.title}>{row.original.record.title}</span> },
      { id: 'status', header: 'Status', size: 120, cell: ({ row }) => <StatusBadge status={row.original.record.status} /> },
      { id: 'revision', header: 'Rev.', size: 64, cell: ({ row }) => row.original.record.latestRevision },
      { id: 'updated', header: 'Updated (UTC)', size: 160, cell: ({ row }) => utcMinute(row.original.record.updatedAt).replace(' UTC', '') },
    ];
    if (filters.findings) {
      cols.push({
        id: 'findings',
        header: 'Findings',
        size: 96,
        cell: ({ row }) => (
          <Anchor component={Link} to={`${productPath(productKey, 'records', row.original.record.key)}?tab=findings`} size="sm">
            {row.original.findings}
          </Anchor>
        ),
      });
    }
    return cols;
  }, [productKey, filters.findings]);

  const types = catalog.data?.recordTypes ?? [];
  const typeGroups = [...new Set(types.map((t) => t.group))];
  const keyHit = keyInSearch(filters.q);
  const filtered = filters.type !== undefined || filters.status !== undefined || filters.q !== undefined || filters.findings;

  return (
    <>
      <PageHeader
        title="Records"
        description="Every controlled record of the product: requirements, design, risk, tests and documents."
        actions={
          <Menu position="bottom-end" withinPortal>
            <Menu.Target>
              <Button>New record</Button>
            </Menu.Target>
            <Menu.Dropdown mah={420} style={{ overflowY: 'auto' }}>
              {typeGroups.map((g) => (
                <div key={g}>
                  <Menu.Label>{g}</Menu.Label>
                  {types
                    .filter((t) => t.group === g)
                    .map((t) => (
                      <Menu.Item key={t.key} component={Link} to={`${productPath(productKey, 'records', 'new')}?type=${encodeURIComponent(t.key)}`}>
                        {t.key} · {t.name}
                      </Menu.Item>
                    ))}
                </div>
              ))}
            </Menu.Dropdown>
          </Menu>
        }
      />
      <Group align="flex-end" gap="sm" mb="sm" wrap="wrap" component="form" role="search" aria-label="Filter records" onSubmit={(e) => e.preventDefault()}>
        <Select
          label="Type"
          placeholder="All types"
          clearable
          searchable
          w={240}
          data={types.map((t) => ({ value: t.key, label: `${t.key} · ${t.name}` }))}
          value={filters.type ?? null}
          onChange={(v) => setFilters({ ...filters, type: v ?? undefined })}
        />
        <Select
          label="Status"
          placeholder="Any status"
          clearable
          w={160}
          data={[
            { value: 'draft', label: 'Draft' },
            { value: 'in_review', label: 'In review' },
            { value: 'approved', label: 'Approved' },
            { value: 'obsolete', label: 'Obsolete' },
          ]}
          value={filters.status ?? null}
          onChange={(v) => setFilters({ ...filters, status: v ?? undefined })}
        />
        <TextInput label="Title contains" placeholder="Search titles" w={260} type="search" value={text} onChange={(e) => setText(e.currentTarget.value)} />
        <Checkbox label="Only records with findings" checked={filters.findings} onChange={(e) => setFilters({ ...filters, findings: e.currentTarget.checked })} mb={8} />
        {filtered && (
          <Button
            variant="subtle"
            onClick={() => {
              setText('');
              setFilters({ findings: false });
            }}
          >
            Clear filters
          </Button>
        )}
      </Group>
      {keyHit !== undefined && (
        <Text size="sm" mb="xs">
          Looking for a record by its ID? <RecordLink productKey={productKey} record={keyHit}>Open {keyHit}</RecordLink>
        </Text>
      )}
      <ErrorAlert error={first.error ?? rest.error} />
      <ErrorAlert error={check.error} title="The rule check did not run" />
      {first.isPending || (filters.findings && check.isPending) ? (
        <Loading label={filters.findings && check.isPending ? 'Running the rule check' : 'Loading records'} />
      ) : rows.length === 0 && !first.isError ? (
        filtered ? (
          <EmptyState title="No records match these filters">Change or clear the filters to see more records.</EmptyState>
        ) : (
          <EmptyState title="No records yet">Start with the user needs and requirements: choose New record and a type.</EmptyState>
        )
      ) : (
        <>
          <Group justify="space-between" mb={6} gap="sm">
            <Text size="sm" c="gray.7" aria-live="polite">
              {filters.findings
                ? `${rows.length.toLocaleString('en')} records with findings${shown < total ? ` among the first ${shown.toLocaleString('en')} (the rest are loading)` : ''}`
                : `${total.toLocaleString('en')} records`}
              {filters.findings && check.data !== undefined && (
                <Badge ml="xs" variant="outline" color="gray.8">
                  {check.data.findings.length} findings in the product
                </Badge>
              )}
            </Text>
            {shown < total && !rest.isError && (
              <Group gap={6} w={300} wrap="nowrap">
                <Text size="xs" c="gray.7" style={{ whiteSpace: 'nowrap' }}>
                  Showing the first {shown.toLocaleString('en')}; loading {loadedCount.toLocaleString('en')} of {total.toLocaleString('en')}
                </Text>
                <Progress value={(100 * loadedCount) / Math.max(1, total)} w={100} aria-label="Records loaded" />
              </Group>
            )}
          </Group>
          <VirtualTable<Row>
            data={rows}
            columns={columns}
            label="Records"
            height={620}
            getRowId={(r) => r.record.key}
            onActivate={(r) => void navigate(productPath(productKey, 'records', r.record.key))}
          />
        </>
      )}
    </>
  );
}
