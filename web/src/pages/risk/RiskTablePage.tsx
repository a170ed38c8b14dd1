import { downloadText } from '../../components/download';
import { Anchor, Badge, Button, Group, SegmentedControl, Select, Stack, Text } from '@mantine/core';
import { createColumnHelper } from '@tanstack/react-table';
import { useMemo, type ReactNode } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import type { ApiOutput } from '../../api/client';
import { useApi } from '../../api/hooks';
import { productPath, useProductKey } from '../../app/product';
import { EmptyState } from '../../components/EmptyState';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Loading } from '../../components/Loading';
import { PageHeader } from '../../components/PageHeader';
import { VirtualTable } from '../../components/VirtualTable';
import { ZoneBadge } from './RiskHeatMap';
import { TONE } from '../../components/tones';
import { filterByZone, isZone, riskCsv, verificationOf, ZONE_SHORT, type Stage } from './risk-data';

type RiskRow = ApiOutput<'risk.file'>['file']['rows'][number];

const VERIFICATION_COLOR: Record<string, string> = { passed: TONE.green, failed: TONE.red, incomplete: TONE.orange, 'no controls': TONE.gray };

/** Keys with their titles, for a cell that must stay one line (the full text is in the tooltip). */
function Named({ keys, titles }: { keys: readonly string[]; titles: Readonly<Record<string, string>> }): ReactNode {
  if (keys.length === 0) return <Text size="sm" c="gray.7">—</Text>;
  const full = keys.map((k) => (titles[k] === undefined ? k : `${k} ${titles[k]}`)).join('; ');
  return (
    <Text size="sm" title={full} lineClamp={2} lh={1.3} style={{ whiteSpace: 'normal' }}>
      {full}
    </Text>
  );
}

function Estimate({ e }: { e: RiskRow['initial'] }): ReactNode {
  if (e === null) return <ZoneBadge zone={null} />;
  return (
    <Stack gap={2} align="flex-start">
      <Text size="sm" ff="monospace" lh={1.2}>{`${e.severity}·${e.probability}`}</Text>
      <ZoneBadge zone={e.zone} />
    </Stack>
  );
}

/** `risk`: the FMEA-style risk table, one row per risk, filterable by zone, exported as CSV. */
export function RiskTablePage(): ReactNode {
  const productKey = useProductKey();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const zoneParam = params.get('zone');
  const zone = isZone(zoneParam) ? zoneParam : undefined;
  const stage: Stage = params.get('stage') === 'initial' ? 'initial' : 'residual';
  const file = useApi('risk.file', { productKey });
  const setParam = (k: string, v: string | undefined): void =>
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        if (v === undefined) next.delete(k);
        else next.set(k, v);
        return next;
      },
      { replace: true },
    );

  const titles = file.data?.file.titles ?? {};
  const columns = useMemo(() => {
    const c = createColumnHelper<RiskRow>();
    return [
      c.accessor('key', {
        header: 'Risk',
        size: 170,
        cell: (i) => (
          <Stack gap={0} style={{ whiteSpace: 'normal' }}>
            <Anchor component={Link} to={productPath(productKey, 'risk', i.getValue())} ff="monospace" size="sm" lh={1.3}>
              {i.getValue()}
            </Anchor>
            <Text size="xs" c="gray.7" lineClamp={2} lh={1.25} title={i.row.original.title}>
              {i.row.original.title}
            </Text>
          </Stack>
        ),
      }),
      c.accessor('hazards', { header: 'Hazard', cell: (i) => <Named keys={i.getValue()} titles={titles} /> }),
      c.accessor('sequences', { header: 'Sequence of events', cell: (i) => <Named keys={i.getValue()} titles={titles} /> }),
      c.accessor('situations', { header: 'Hazardous situation', cell: (i) => <Named keys={i.getValue()} titles={titles} /> }),
      c.accessor('harms', { header: 'Harm', cell: (i) => <Named keys={i.getValue()} titles={titles} /> }),
      c.accessor('initial', { header: 'Initial S·P', size: 145, cell: (i) => <Estimate e={i.getValue()} /> }),
      c.accessor('controls', {
        header: 'Controls',
        cell: (i) => <Named keys={i.getValue().map((x) => x.key)} titles={Object.fromEntries(i.getValue().map((x) => [x.key, x.title]))} />,
      }),
      c.display({
        id: 'verification',
        header: 'Verification',
        size: 120,
        cell: (i) => {
          const v = verificationOf(i.row.original);
          return (
            <Badge color={VERIFICATION_COLOR[v]} variant="filled" radius="sm">
              {v}
            </Badge>
          );
        },
      }),
      c.accessor('residual', { header: 'Residual S·P', size: 145, cell: (i) => <Estimate e={i.getValue()} /> }),
    ];
  }, [productKey, titles]);

  const rows = useMemo(() => filterByZone(file.data?.file.rows ?? [], zone, stage), [file.data, zone, stage]);

  return (
    <>
      <PageHeader
        title="Risk table"
        description="Each risk from hazard to harm, its estimates before and after controls, and whether its controls are verified (ISO 14971 5–7)."
        actions={
          <>
            <Button component={Link} to={productPath(productKey, 'risk', 'matrix')} variant="default">
              Risk matrix
            </Button>
            <Button
              disabled={file.data === undefined || rows.length === 0}
              onClick={() => downloadText(`${productKey}-risk-table${zone === undefined ? '' : `-${stage}-${zone}`}.csv`, riskCsv(rows, titles), 'text/csv;charset=utf-8')}
            >
              Export CSV
            </Button>
          </>
        }
      />
      <Group gap="md" mb="sm" align="flex-end" wrap="wrap">
        <Select
          label="Zone"
          data={[
            { value: 'all', label: 'All zones' },
            ...(['unacceptable', 'reduce', 'acceptable'] as const).map((z) => ({ value: z, label: ZONE_SHORT[z] })),
          ]}
          value={zone ?? 'all'}
          onChange={(v) => setParam('zone', v === null || v === 'all' ? undefined : v)}
          allowDeselect={false}
          w={200}
        />
        <div>
          <Text size="sm" fw={500} mb={2} id="risk-stage-label">
            Zone judged
          </Text>
          <SegmentedControl
            aria-labelledby="risk-stage-label"
            data={[
              { value: 'residual', label: 'After controls' },
              { value: 'initial', label: 'Before controls' },
            ]}
            value={stage}
            onChange={(v) => setParam('stage', v === 'initial' ? 'initial' : undefined)}
          />
        </div>
        {file.data !== undefined && (
          <Text size="sm" c="gray.7" role="status">
            {`${rows.length} of ${file.data.file.rows.length} risks`}
          </Text>
        )}
      </Group>
      {file.isPending ? (
        <Loading label="Loading the risk table" />
      ) : file.isError ? (
        <ErrorAlert error={file.error} title="The risk table could not be read" />
      ) : file.data.file.rows.length === 0 ? (
        <EmptyState title="No risk recorded yet">Add RISK records linked to their hazard, sequence of events, hazardous situation and harm; they are listed here with their controls.</EmptyState>
      ) : rows.length === 0 ? (
        <EmptyState title="No risk in this zone">Choose another zone, or all zones.</EmptyState>
      ) : (
        <VirtualTable
          data={rows}
          columns={columns}
          label="Risk table"
          height={Math.min(680, 64 + rows.length * 64)}
          rowHeight={64}
          getRowId={(r) => r.key}
          onActivate={(r) => void navigate(productPath(productKey, 'risk', r.key))}
          rowTone={(r) => (r.residual?.zone === 'unacceptable' ? 'danger' : verificationOf(r) === 'failed' ? 'warning' : undefined)}
        />
      )}
    </>
  );
}
