import { Alert, Anchor, Autocomplete, Button, Code, Group, Paper, Progress, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import type { ColumnDef } from '@tanstack/react-table';
import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { useSearchParams } from 'react-router';
import type { ApiOutput } from '../../api/client';
import { useApi } from '../../api/hooks';
import { ErrorAlert, fieldError } from '../../components/ErrorAlert';
import { Loading } from '../../components/Loading';
import { EmptyState } from '../../components/EmptyState';
import { PageHeader } from '../../components/PageHeader';
import { VirtualTable } from '../../components/VirtualTable';
import { apiQuery, COMMON_ACTIONS, csvExportHref, filtersFromParams, paramsWithFilters, shortValue, type AuditFilters } from './audit-filters';

type AuditEvent = ApiOutput<'audit.log'>['events'][number];

/** How many events one page of the trail shows (newest first); the CSV export has them all. */
const PAGE = 2000;

const columns: ColumnDef<AuditEvent>[] = [
  { header: '#', accessorKey: 'seq', size: 60 },
  { header: 'Time (UTC)', accessorFn: (e) => e.occurredAt.replace('T', ' ').slice(0, 19), id: 'time' },
  { header: 'Actor', accessorKey: 'actor' },
  { header: 'Event', accessorKey: 'action' },
  { header: 'About', accessorKey: 'entityId' },
  { header: 'Reason', accessorFn: (e) => e.reason ?? '', id: 'reason' },
  { header: 'New value', accessorFn: (e) => shortValue(e.newValue, 80), id: 'newValue' },
];

/** `/admin/audit`: the audit trail, filtered by URL parameters, with its CSV export and the integrity verification. */
export function AuditPage(): ReactNode {
  const [params, setParams] = useSearchParams();
  const filters = filtersFromParams(params);
  const query = apiQuery(filters);
  const log = useApi('audit.log', { ...query, limit: PAGE, newestFirst: true });
  const selectedSeq = Number(params.get('seq') ?? NaN);
  const selected = log.data?.events.find((e) => e.seq === selectedSeq);

  return (
    <>
      <PageHeader
        title="Audit trail"
        description="Every change and refusal, sealed in a hash chain (21 CFR 11.10(e)). Newest first."
        actions={
          <Button component="a" href={csvExportHref(filters)} download variant="default">
            Export CSV
          </Button>
        }
      />
      <Verification />
      <FilterForm
        key={params.toString()}
        initial={filters}
        error={log.error}
        onApply={(f) => {
          const next = paramsWithFilters(params, f);
          next.delete('seq');
          setParams(next);
        }}
      />
      {log.isPending ? (
        <Loading label="Loading the audit trail" />
      ) : log.isError ? null : log.data.events.length === 0 ? (
        <EmptyState title="No events match">Loosen the filters: clear one, or widen the dates.</EmptyState>
      ) : (
        <Stack gap="xs">
          <Text size="sm" c="gray.7" role="status">
            {log.data.truncated ? `The newest ${log.data.events.length} of ${log.data.total} matching events; narrow the filters or export CSV for all.` : `${log.data.total} matching event${log.data.total === 1 ? '' : 's'}.`}
          </Text>
          <VirtualTable
            data={log.data.events}
            columns={columns}
            label="Audit events"
            height={480}
            getRowId={(e) => String(e.seq)}
            onActivate={(e) => {
              const next = new URLSearchParams(params);
              next.set('seq', String(e.seq));
              setParams(next, { replace: true });
            }}
          />
          {selected !== undefined && <EventDetail event={selected} />}
        </Stack>
      )}
    </>
  );
}

function FilterForm({ initial, error, onApply }: { initial: AuditFilters; error: unknown; onApply: (f: AuditFilters) => void }): ReactNode {
  const [f, setF] = useState<AuditFilters>(initial);
  const set = (k: keyof AuditFilters) => (v: string) => setF((old) => ({ ...old, [k]: v }));
  const submit = (e: FormEvent): void => {
    e.preventDefault();
    onApply(f);
  };
  const fieldless = ['actor', 'action', 'record', 'from', 'to', 'productKey'].some((k) => fieldError(error, k) !== undefined) ? undefined : error;
  return (
    <Paper withBorder p="md" radius="md" mb="md" bg="white">
      <form onSubmit={submit} aria-label="Filter the audit trail">
        <SimpleGrid cols={{ base: 2, md: 3, lg: 6 }} spacing="sm">
          <TextInput label="Actor" placeholder="username" value={f.actor ?? ''} onChange={(e) => set('actor')(e.currentTarget.value)} error={fieldError(error, 'actor')} />
          <Autocomplete label="Event type" placeholder="e.g. USER_CREATED" data={[...COMMON_ACTIONS]} value={f.action ?? ''} onChange={set('action')} error={fieldError(error, 'action')} />
          <TextInput label="Record" placeholder="RPM/SRS-12" value={f.record ?? ''} onChange={(e) => set('record')(e.currentTarget.value)} error={fieldError(error, 'record')} />
          <TextInput label="Product" placeholder="RPM" value={f.productKey ?? ''} onChange={(e) => set('productKey')(e.currentTarget.value)} error={fieldError(error, 'productKey')} />
          <TextInput label="From (date)" type="date" value={f.from ?? ''} onChange={(e) => set('from')(e.currentTarget.value)} error={fieldError(error, 'from')} />
          <TextInput label="Until (date, inclusive)" type="date" value={f.until ?? ''} onChange={(e) => set('until')(e.currentTarget.value)} error={fieldError(error, 'to')} />
        </SimpleGrid>
        <Group mt="sm" gap="xs">
          <Button type="submit">Apply filters</Button>
          <Button variant="subtle" onClick={() => onApply({})}>
            Clear
          </Button>
        </Group>
        <ErrorAlert error={fieldless} title="The trail could not be read" />
      </form>
    </Paper>
  );
}

function EventDetail({ event }: { event: AuditEvent }): ReactNode {
  return (
    <Paper withBorder p="md" radius="md" bg="white" aria-label={`Event ${event.seq}`} component="section">
      <Title order={2} size="h4" mb="xs">
        Event {event.seq}: {event.action}
      </Title>
      <Text size="sm">
        {event.actor} · {event.occurredAt} · {event.entityId}
        {event.reason === null ? '' : ` · reason: ${event.reason}`}
      </Text>
      <SimpleGrid cols={{ base: 1, md: 2 }} mt="sm">
        <div>
          <Text size="xs" fw={600}>
            Before
          </Text>
          <Code block>{event.oldValue ?? '—'}</Code>
        </div>
        <div>
          <Text size="xs" fw={600}>
            After
          </Text>
          <Code block>{event.newValue ?? '—'}</Code>
        </div>
      </SimpleGrid>
      <Text size="xs" c="gray.7" mt="xs" style={{ wordBreak: 'break-all' }}>
        Hash {event.hash} (follows {event.prevHash.slice(0, 16)}…)
      </Text>
    </Paper>
  );
}

/** The integrity verification of the whole store: run on request (it reads everything), with its progress and result. */
function Verification(): ReactNode {
  const [run, setRun] = useState(0);
  const verify = useApi('audit.verify', { anchors: [] }, { enabled: run > 0, staleTime: Infinity, gcTime: 0, retry: false });
  const [elapsed, setElapsed] = useState(0);
  const busy = run > 0 && verify.isFetching;
  useEffect(() => {
    if (!busy) return undefined;
    const start = Date.now();
    setElapsed(0);
    const t = setInterval(() => setElapsed(Math.floor((Date.now() - start) / 1000)), 500);
    return () => clearInterval(t);
  }, [busy]);
  const report = verify.data;
  return (
    <Paper withBorder p="md" radius="md" mb="md" bg="white" component="section" aria-labelledby="verify-title">
      <Group justify="space-between" align="flex-start">
        <div>
          <Title order={2} size="h4" id="verify-title">
            Integrity
          </Title>
          <Text size="sm" c="gray.7">
            Re-computes the hash chain and checks every revision, evidence file and state row against it.
          </Text>
        </div>
        <Button variant="default" onClick={() => (run > 0 ? void verify.refetch() : setRun(1))} loading={busy}>
          {report === undefined ? 'Verify integrity' : 'Verify again'}
        </Button>
      </Group>
      {busy && (
        <Stack gap={4} mt="sm" role="status" aria-label="Verifying">
          <Progress value={100} animated striped aria-label="Verification in progress" />
          <Text size="xs" c="gray.7">
            Verifying the whole store… {elapsed} s
          </Text>
        </Stack>
      )}
      <ErrorAlert error={verify.error} title="Verification did not run" />
      {!busy && report !== undefined && (
        <Alert mt="sm" color={report.ok ? 'green' : 'red'} variant="light" title={report.ok ? 'Verified: the trail is intact' : 'Integrity problems found'} role="status">
          <Text size="sm">
            {report.eventsChecked} events, {report.revisionsChecked} revisions, {report.evidenceChecked} evidence files, {report.stateRowsChecked} state rows checked
            {report.head === null ? '' : `; head #${report.head.seq} ${report.head.hash.slice(0, 16)}…`}.
          </Text>
          {report.problems.slice(0, 20).map((p, i) => (
            <Text size="sm" key={i}>
              {p.kind}
              {p.seq === undefined ? '' : ` at #${p.seq}`}: {p.message}
            </Text>
          ))}
          {report.problems.length > 20 && <Text size="sm">… and {report.problems.length - 20} more (run dossier verify for all).</Text>}
          {!report.ok && (
            <Anchor size="sm" href="/api/v1/audit/export?format=csv">
              Export the trail for the investigation
            </Anchor>
          )}
        </Alert>
      )}
    </Paper>
  );
}
