import { Anchor, Badge, Button, Checkbox, Group, Menu, Progress, Select, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useInfiniteQuery } from '@tanstack/react-query';
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
import { filtersFrom, findingCounts, keyInSearch, paramsOf, type RecordFilters } from './listFilters';

type Page = ApiOutput<'record.list'>;
type Summary = Page['records'][number];
/** A row of the list: a record, or a place held for one still loading. */
type Row = { readonly record: Summary; readonly findings: number } | { readonly pending: number };

/** The first page is small so the list paints at once; the rest follows in large pages. */
const FIRST_PAGE = 200;
const PAGE = 10_000;

/** Every record matching the filters: the first page fast, the rest streamed in behind it. */
function useRecordPages(input: ApiInput<'record.list'>) {
  const q = useInfiniteQuery<Page, ApiError, { pages: Page[] }, readonly unknown[], { offset: number; limit: number }>({
    queryKey: ['record.list', 'all-pages', input],
    initialPageParam: { offset: 0, limit: FIRST_PAGE },
    queryFn: ({ pageParam, signal }) => call('record.list', { ...input, ...pageParam }, { signal }),
    getNextPageParam: (last, pages) => {
      const loaded = pages.reduce((n, p) => n + p.records.length, 0);
      return loaded < last.total && last.records.length > 0 ? { offset: loaded, limit: PAGE } : undefined;
    },
  });
  const { hasNextPage, isFetchingNextPage, isError, fetchNextPage } = q;
  useEffect(() => {
    if (hasNextPage && !isFetchingNextPage && !isError) void fetchNextPage();
  }, [hasNextPage, isFetchingNextPage, isError, fetchNextPage]);
  return q;
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
  const pages = useRecordPages(input);
  const check = useApi('check.run', { productKey }, { enabled: filters.findings, staleTime: 5 * 60_000 });
  const counts = useMemo(() => (check.data === undefined ? undefined : findingCounts(check.data.findings)), [check.data]);

  const total = pages.data?.pages[0]?.total ?? 0;
  const rows = useMemo((): Row[] => {
    const loaded = pages.data?.pages.flatMap((p) => p.records) ?? [];
    if (filters.findings) {
      if (counts === undefined) return [];
      return loaded.filter((r) => (counts.get(r.key) ?? 0) > 0).map((record) => ({ record, findings: counts.get(record.key) ?? 0 }));
    }
    const out: Row[] = loaded.map((record) => ({ record, findings: 0 }));
    // Places for the records still loading, so the scroll bar has its final length from the first paint.
    for (let i = loaded.length; i < total; i++) out.push({ pending: i });
    return out;
  }, [pages.data, total, filters.findings, counts]);
  const loadedCount = pages.data?.pages.reduce((n, p) => n + p.records.length, 0) ?? 0;

  const columns = useMemo((): ColumnDef<Row, unknown>[] => {
    const cols: ColumnDef<Row, unknown>[] = [
      {
        id: 'key',
        header: 'ID',
        size: 110,
        cell: ({ row }) => ('record' in row.original ? <RecordLink productKey={productKey} record={row.original.record.key} /> : <Text size="sm" c="gray.7">…</Text>),
      },
      { id: 'type', header: 'Type', size: 80, cell: ({ row }) => ('record' in row.original ? row.original.record.type : '') },
      { id: 'title', header: 'Title', cell: ({ row }) => ('record' in row.original ? <span title={row.original.record.title}>{row.original.record.title}</span> : <Text size="sm" c="gray.7">Loading…</Text>) },
      { id: 'status', header: 'Status', size: 120, cell: ({ row }) => ('record' in row.original ? <StatusBadge status={row.original.record.status} /> : null) },
      { id: 'revision', header: 'Rev.', size: 64, cell: ({ row }) => ('record' in row.original ? row.original.record.latestRevision : null) },
      { id: 'updated', header: 'Updated (UTC)', size: 160, cell: ({ row }) => ('record' in row.original ? utcMinute(row.original.record.updatedAt).replace(' UTC', '') : null) },
    ];
    if (filters.findings) {
      cols.push({
        id: 'findings',
        header: 'Findings',
        size: 96,
        cell: ({ row }) =>
          'record' in row.original ? (
            <Anchor component={Link} to={`${productPath(productKey, 'records', row.original.record.key)}?tab=findings`} size="sm">
              {row.original.findings}
            </Anchor>
          ) : null,
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
      <ErrorAlert error={pages.error} />
      <ErrorAlert error={check.error} title="The rule check did not run" />
      {pages.isPending || (filters.findings && check.isPending) ? (
        <Loading label={filters.findings && check.isPending ? 'Running the rule check' : 'Loading records'} />
      ) : rows.length === 0 && !pages.isError ? (
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
                ? `${rows.length.toLocaleString('en')} records with findings${loadedCount < total ? ` among the ${loadedCount.toLocaleString('en')} loaded so far` : ''}`
                : `${total.toLocaleString('en')} records`}
              {filters.findings && check.data !== undefined && (
                <Badge ml="xs" variant="outline" color="gray.8">
                  {check.data.findings.length} findings in the product
                </Badge>
              )}
            </Text>
            {loadedCount < total && (
              <Group gap={6} w={260} wrap="nowrap">
                <Text size="xs" c="gray.7" style={{ whiteSpace: 'nowrap' }}>
                  Loading {loadedCount.toLocaleString('en')} of {total.toLocaleString('en')}
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
            getRowId={(r) => ('record' in r ? r.record.key : `pending-${r.pending}`)}
            onActivate={(r) => {
              if ('record' in r) void navigate(productPath(productKey, 'records', r.record.key));
            }}
          />
        </>
      )}
    </>
  );
}
