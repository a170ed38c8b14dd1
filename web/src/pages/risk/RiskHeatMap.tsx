import { Anchor, Badge, Box, Group, Paper, SimpleGrid, Stack, Table, Text, Title, UnstyledButton, VisuallyHidden } from '@mantine/core';
import type { ReactNode } from 'react';
import { Link, useSearchParams } from 'react-router';
import type { ApiOutput } from '../../api/client';
import { useApi } from '../../api/hooks';
import { productPath } from '../../app/product';
import { EmptyState } from '../../components/EmptyState';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Loading } from '../../components/Loading';
import { TONE } from '../../components/tones';
import { cellParam, isZone, parseCell, risksInCell, ZONE_SHORT, type Cell, type Stage, type Zone } from './risk-data';

type RiskMatrix = ApiOutput<'risk.matrix'>;
type RiskRow = ApiOutput<'risk.table'>['rows'][number];

/** Light backgrounds with dark text (readable, and the zone is also written in the cell). */
const ZONE_BG: Record<Zone, string> = {
  acceptable: 'var(--mantine-color-green-1)',
  reduce: 'var(--mantine-color-yellow-2)',
  unacceptable: 'var(--mantine-color-red-2)',
};
const ZONE_BADGE: Record<Zone, string> = { acceptable: TONE.green, reduce: TONE.amber, unacceptable: TONE.red };

/** A zone as a coloured badge with its name (colour is never the only cue). */
export function ZoneBadge({ zone }: { zone: string | null | undefined }): ReactNode {
  if (!isZone(zone)) {
    return (
      <Badge color={TONE.gray} variant="outline" radius="sm">
        not estimated
      </Badge>
    );
  }
  return (
    <Badge color={ZONE_BADGE[zone]} variant="filled" radius="sm">
      {ZONE_SHORT[zone]}
    </Badge>
  );
}

const STAGE_LABEL: Record<Stage, string> = { initial: 'Before controls (initial)', residual: 'After controls (residual)' };

function MatrixTable({ matrix, stage, selected, onSelect }: { matrix: RiskMatrix; stage: Stage; selected: Cell | undefined; onSelect: (c: Cell) => void }): ReactNode {
  const counts = matrix[stage];
  const severities = [...matrix.severity].reverse();
  const notEstimated = matrix.notEstimated[stage];
  const captionId = `heatmap-${stage}`;
  return (
    <Box>
      <Title order={3} size="h5" id={captionId} mb={4}>
        {STAGE_LABEL[stage]}
      </Title>
      <Box style={{ overflowX: 'auto' }}>
        <Table withTableBorder withColumnBorders aria-labelledby={captionId} style={{ tableLayout: 'fixed', minWidth: 360 }} data-stage={stage}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col" style={{ width: 96 }}>
                <Text size="xs" fw={600}>
                  Severity ↓ / Probability →
                </Text>
              </Table.Th>
              {matrix.probability.map((p) => (
                <Table.Th key={p.key} scope="col" ta="center" px={2} style={{ overflowWrap: 'anywhere' }}>
                  <Text size="xs" fw={600}>
                    {p.name}
                  </Text>
                  <Text size="xs" c="gray.7">
                    {p.key}
                  </Text>
                </Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {severities.map((s) => (
              <Table.Tr key={s.key}>
                <Table.Th scope="row">
                  <Text size="xs" fw={600}>
                    {s.name}
                  </Text>
                  <Text size="xs" c="gray.7">
                    {s.key}
                  </Text>
                </Table.Th>
                {matrix.probability.map((p) => {
                  const zone = matrix.zones[s.key]?.[p.key];
                  const n = counts[s.key]?.[p.key] ?? 0;
                  const cell: Cell = { stage, severity: s.key, probability: p.key };
                  const isSelected = selected !== undefined && cellParam(selected) === cellParam(cell);
                  return (
                    <Table.Td key={p.key} p={0} style={{ background: isZone(zone) ? ZONE_BG[zone] : undefined }}>
                      <UnstyledButton
                        onClick={() => onSelect(cell)}
                        aria-pressed={isSelected}
                        data-cell={cellParam(cell)}
                        w="100%"
                        px={2}
                        py={6}
                        style={{ display: 'block', textAlign: 'center', outline: isSelected ? '3px solid var(--mantine-color-blue-9)' : undefined, outlineOffset: -3 }}
                      >
                        <VisuallyHidden>{`${STAGE_LABEL[stage]}: ${s.name} × ${p.name}, `}</VisuallyHidden>
                        <Text span display="block" fw={n > 0 ? 700 : 400} size={n > 0 ? 'lg' : 'sm'} c="dark.9" lh={1.2}>
                          {n}
                        </Text>
                        <VisuallyHidden>{n === 1 ? ' risk, ' : ' risks, '}</VisuallyHidden>
                        <Text span display="block" size="10px" c="dark.7" lh={1.1} style={{ overflowWrap: 'anywhere' }}>
                          {isZone(zone) ? ZONE_SHORT[zone] : 'no zone'}
                        </Text>
                      </UnstyledButton>
                    </Table.Td>
                  );
                })}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Box>
      <Text size="xs" c="gray.7" mt={4}>
        {`Acceptable ${matrix.totals[stage].acceptable} · Reduce ${matrix.totals[stage].reduce} · Unacceptable ${matrix.totals[stage].unacceptable}`}
        {notEstimated > 0 ? ` · ${notEstimated} not estimated` : ''}
      </Text>
    </Box>
  );
}

/** The risks of the selected cell, each linking to its chain. */
function CellRisks({ productKey, matrix, rows, cell }: { productKey: string; matrix: RiskMatrix; rows: readonly RiskRow[]; cell: Cell }): ReactNode {
  const list = risksInCell(rows, cell);
  const sev = matrix.severity.find((l) => l.key === cell.severity)?.name ?? cell.severity;
  const prob = matrix.probability.find((l) => l.key === cell.probability)?.name ?? cell.probability;
  const headingId = `cell-risks-${cellParam(cell).replaceAll(':', '-')}`;
  return (
    <Paper withBorder p="sm" mt="sm" bg="white" role="region" aria-labelledby={headingId}>
      <Title order={3} size="h5" id={headingId} mb={6}>
        {`${cell.stage === 'initial' ? 'Before controls' : 'After controls'}: ${sev} × ${prob} — ${list.length} ${list.length === 1 ? 'risk' : 'risks'}`}
      </Title>
      {list.length === 0 ? (
        <Text size="sm" c="gray.7">
          No risk falls in this cell.
        </Text>
      ) : (
        <Stack gap={4} component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
          {list.map((r) => (
            <Group key={r.key} gap="xs" component="li" wrap="nowrap">
              <Anchor component={Link} to={productPath(productKey, 'risk', r.key)} ff="monospace" size="sm">
                {r.key}
              </Anchor>
              <Text size="sm" lineClamp={1}>
                {r.title}
              </Text>
              <ZoneBadge zone={(cell.stage === 'initial' ? r.residual : r.initial)?.zone} />
              <Text size="xs" c="gray.7">
                {cell.stage === 'initial' ? 'after controls' : 'before controls'}
              </Text>
            </Group>
          ))}
        </Stack>
      )}
    </Paper>
  );
}

/**
 * The risk matrix as two heat maps side by side (before and after controls): real tables with the count in each
 * cell, the zone in colour and in words. A cell is a button (click or Enter): it lists the cell's risks below,
 * each linking to its chain; the selection lives in the URL (`?cell=initial:S3:P4`).
 */
export function RiskHeatMap({ productKey, release }: { productKey: string; release?: string }): ReactNode {
  const input = { productKey, ...(release === undefined ? {} : { release }) };
  const matrix = useApi('risk.matrix', input);
  const table = useApi('risk.table', input);
  const [params, setParams] = useSearchParams();
  const selected = parseCell(params.get('cell'));
  const select = (c: Cell): void => {
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        if (selected !== undefined && cellParam(selected) === cellParam(c)) next.delete('cell');
        else next.set('cell', cellParam(c));
        return next;
      },
      { replace: true, preventScrollReset: true },
    );
  };
  if (matrix.isPending) return <Loading label="Loading the risk matrix" />;
  if (matrix.isError) return <ErrorAlert error={matrix.error} title="The risk matrix could not be read" />;
  const m = matrix.data;
  const total = m.totals.initial.acceptable + m.totals.initial.reduce + m.totals.initial.unacceptable + m.notEstimated.initial;
  if (total === 0) {
    return <EmptyState title="No risk estimated yet">Risks (RISK records) with a severity and a probability appear here, before and after their controls.</EmptyState>;
  }
  return (
    <Box>
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="lg">
        <MatrixTable matrix={m} stage="initial" selected={selected} onSelect={select} />
        <MatrixTable matrix={m} stage="residual" selected={selected} onSelect={select} />
      </SimpleGrid>
      <Text size="xs" c="gray.7" mt={6}>
        {`Policy ${m.policy.record ?? 'built-in default'}${m.policy.record === null ? '' : ` revision ${m.policy.revision}`}. Select a cell to list its risks.`}
      </Text>
      {selected !== undefined &&
        (table.isPending ? (
          <Loading label="Loading the risks of the cell" />
        ) : table.isError ? (
          <ErrorAlert error={table.error} title="The risks of this cell could not be read" />
        ) : (
          <CellRisks productKey={productKey} matrix={m} rows={table.data.rows} cell={selected} />
        ))}
    </Box>
  );
}
