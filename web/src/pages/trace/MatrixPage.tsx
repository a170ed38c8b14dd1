import { downloadText } from '../../components/download';
import { Button, Group, Loader, NativeSelect, Paper, Stack, Switch, Text } from '@mantine/core';
import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { useApi } from '../../api/hooks';
import { EmptyState } from '../../components/EmptyState';
import { ErrorAlert, fieldError } from '../../components/ErrorAlert';
import { Loading } from '../../components/Loading';
import { PageHeader } from '../../components/PageHeader';
import { useProductKey } from '../../app/product';
import { useSearchUpdate } from '../../app/search-params';
import { matrixCsv, percent, readMatrixParams, visibleRows, writeMatrixParams } from './matrix';
import { MatrixTable } from './MatrixTable';


/** Rows in the first answer: enough to fill the screen at once. */
const FIRST_ROWS = 200;

/** The trace matrix between two record types (`?rows=UN&cols=VAL&gaps=1`): coverage, gaps, CSV export. */
export function MatrixPage(): ReactNode {
  const productKey = useProductKey();
  const [search, updateSearch] = useSearchUpdate();
  const fromUrl = readMatrixParams(search);
  // The switch answers at once; the URL (`gaps=1`) follows it, and a change of URL (back, a link) wins.
  const [gapsOnly, setGapsOnly] = useState(fromUrl.gapsOnly);
  useEffect(() => setGapsOnly(fromUrl.gapsOnly), [fromUrl.gapsOnly]);
  const params = { ...fromUrl, gapsOnly };
  const catalog = useApi('catalog.show', {}, { staleTime: Infinity });
  // No structural sharing: comparing 100,000 rows with the previous answer costs more than it saves.
  // The first rows paint at once; the whole matrix (tens of thousands of rows on a large product) follows.
  const first = useApi('trace.matrix', { productKey, from: params.rows, to: params.cols, limit: FIRST_ROWS }, { retry: false, structuralSharing: false });
  const full = useApi('trace.matrix', { productKey, from: params.rows, to: params.cols }, { retry: false, structuralSharing: false });
  const matrix = full.data !== undefined || full.isError || first.data === undefined ? full : first;
  const complete = full.data !== undefined;
  const shown = useMemo(() => (matrix.data === undefined ? [] : visibleRows(matrix.data.rows, params.gapsOnly)), [matrix.data, params.gapsOnly]);

  const types = catalog.data?.recordTypes.map((t) => ({ value: t.key, label: `${t.key} · ${t.name}` })) ?? [
    { value: params.rows, label: params.rows },
    ...(params.cols === params.rows ? [] : [{ value: params.cols, label: params.cols }]),
  ];
  const set = (p: Partial<typeof params>): void => {
    if (p.gapsOnly !== undefined) setGapsOnly(p.gapsOnly);
    // From the params last asked for: two quick changes (rows, then columns) both land.
    updateSearch((prev) => writeMatrixParams(prev, { ...readMatrixParams(prev), ...p }));
  };
  const typeError = fieldError(matrix.error, 'type');
  const gaps = matrix.data === undefined ? 0 : matrix.data.totalRows - matrix.data.coveredRows;

  return (
    <>
      <PageHeader
        title="Trace matrix"
        description="Which records of one type reach records of another through the trace chains; rows without coverage are gaps."
        actions={
          <Button
            variant="default"
            disabled={!complete || shown.length === 0}
            onClick={() => downloadText(`${productKey}-trace-${params.rows}-${params.cols}${params.gapsOnly ? '-gaps' : ''}.csv`, matrixCsv(params.rows, params.cols, shown), 'text/csv;charset=utf-8')}
          >
            Export CSV
          </Button>
        }
      />
      <Paper withBorder p="sm" mb="md" bg="white">
        <Group align="flex-end" gap="md" wrap="wrap">
          <NativeSelect label="Rows (record type)" data={types} value={params.rows} onChange={(e) => set({ rows: e.currentTarget.value })} w={240} error={typeError} />
          <NativeSelect label="Columns (record type)" data={types} value={params.cols} onChange={(e) => set({ cols: e.currentTarget.value })} w={240} />
          <Switch label="Gaps only" checked={params.gapsOnly} onChange={(e) => set({ gapsOnly: e.currentTarget.checked })} mb={8} />
        </Group>
        {catalog.isError && <ErrorAlert error={catalog.error} title="The record types could not be loaded" />}
      </Paper>
      {matrix.isPending ? (
        <Loading label="Building the trace matrix" />
      ) : matrix.isError ? (
        typeError === undefined ? <ErrorAlert error={matrix.error} /> : null
      ) : (
        <Stack gap="sm">
          <Group gap="lg" role="status" aria-live="polite">
            <Text size="sm">
              <b>{percent(matrix.data.coverage)}</b> of {matrix.data.totalRows.toLocaleString('en')} {params.rows} records reach a {params.cols} record ({matrix.data.direction})
            </Text>
            <Text size="sm" c={gaps > 0 ? 'red.9' : 'dark.6'} fw={600}>
              {gaps === 0 ? 'No gaps' : `${gaps.toLocaleString('en')} ${gaps === 1 ? 'gap' : 'gaps'}`}
            </Text>
            {params.gapsOnly && complete && <Text size="sm">Showing gaps only ({shown.length.toLocaleString('en')} rows)</Text>}
          </Group>
          {!complete && (
            <Group gap="xs" role="status" aria-label="Loading the rest of the matrix">
              <Loader size="xs" />
              <Text size="sm" c="gray.7">
                Showing the first {matrix.data.rows.length.toLocaleString('en')} rows; loading all {matrix.data.totalRows.toLocaleString('en')}…
              </Text>
            </Group>
          )}
          {matrix.data.totalRows === 0 ? (
            <EmptyState title={`No ${params.rows} records yet`}>Add {params.rows} records and link them to see their coverage here.</EmptyState>
          ) : shown.length === 0 ? (
            <EmptyState title="No gaps">Every {params.rows} record reaches at least one {params.cols} record.</EmptyState>
          ) : (
            <MatrixTable rows={shown} productKey={productKey} from={params.rows} to={params.cols} height={Math.min(640, 44 + shown.length * 40)} />
          )}
        </Stack>
      )}
    </>
  );
}
