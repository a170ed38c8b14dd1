import { Alert, Anchor, Badge, Button, Code, FileInput, Group, Modal, Paper, SimpleGrid, Stack, Switch, Table, Text, TextInput, Textarea, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { ColumnDef } from '@tanstack/react-table';
import { useState, type FormEvent, type ReactNode } from 'react';
import { Link, useSearchParams } from 'react-router';
import { isApiError, upload, type ApiError, type ApiOutput } from '../../api/client';
import { useApi, useApiMutation } from '../../api/hooks';
import { productPath, useProductKey } from '../../app/product';
import { EmptyState } from '../../components/EmptyState';
import { ErrorAlert, fieldError } from '../../components/ErrorAlert';
import { QueryView } from '../../components/Loading';
import { PageHeader } from '../../components/PageHeader';
import { RecordLink } from '../../components/RecordLink';
import { VirtualTable } from '../../components/VirtualTable';
import { errorLocation, isFailure, metaText, runTotals, TEST_RUN_UPLOAD, uploadContentHash } from './evidence-logic';
import { OutcomeBadge, Totals, useCan, When } from './parts';

type Run = ApiOutput<'evidence.list'>[number];
type Item = ApiOutput<'evidence.items'>['items'][number];
type Summary = ApiOutput<'evidence.tests'>;

/** `evidence/tests`: the product's test runs, one run's results (`?run=`), and a JUnit upload. */
export function TestRunsPage(): ReactNode {
  const productKey = useProductKey();
  const [params, setParams] = useSearchParams();
  const runs = useApi('evidence.list', { productKey, kind: 'test_run' });
  const selected = Number(params.get('run') ?? '') || undefined;
  const canImport = useCan(productKey, 'evidence.import');
  return (
    <>
      <PageHeader
        title="Test evidence"
        description="Test runs imported from JUnit XML, each result tied to the test record it verifies (IEC 62304 5.5.5, 5.6.7, 5.7.5)."
        actions={
          <Group gap="xs">
            <Button component={Link} to={productPath(productKey, 'evidence', 'commits')} variant="default">
              Commits and reviews
            </Button>
            <Button component={Link} to={productPath(productKey, 'evidence', 'soup')} variant="default">
              SOUP
            </Button>
          </Group>
        }
      />
      {canImport && <UploadPanel productKey={productKey} onUploaded={(id) => setParams({ run: String(id) })} />}
      <QueryView query={runs} label="Loading test runs">
        {(data) => (data.length === 0 ? <EmptyState title="No test run yet">Upload a JUnit XML report above, or send one from CI with <code>dossier evidence tests</code>.</EmptyState> : <RunList runs={data} selected={selected} />)}
      </QueryView>
      {selected !== undefined && runs.data !== undefined && <RunDetails productKey={productKey} run={runs.data.find((r) => r.id === selected)} id={selected} />}
    </>
  );
}

function RunList({ runs, selected }: { runs: readonly Run[]; selected: number | undefined }): ReactNode {
  const [params] = useSearchParams();
  const sorted = [...runs].reverse();
  const linkTo = (id: number): string => {
    const p = new URLSearchParams(params);
    p.set('run', String(id));
    return `?${p.toString()}`;
  };
  return (
    <Paper withBorder radius="md" p="md" my="md" bg="white">
      <Title order={2} size="h4" mb="sm">
        Test runs
      </Title>
      <Table.ScrollContainer minWidth={760}>
        <Table striped highlightOnHover aria-label="Test runs">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Run</Table.Th>
              <Table.Th>Source</Table.Th>
              <Table.Th>Version</Table.Th>
              <Table.Th>Build</Table.Th>
              <Table.Th>Started</Table.Th>
              <Table.Th>Results</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {sorted.map((r) => (
              <Table.Tr key={r.id} bg={r.id === selected ? 'blue.0' : undefined} aria-current={r.id === selected ? 'true' : undefined}>
                <Table.Td>
                  <Anchor component={Link} to={linkTo(r.id)} aria-label={`Run ${r.id}: ${r.source}`}>
                    Run {r.id}
                  </Anchor>
                  {r.voidedAt !== null && (
                    <Badge ml={6} color="gray.7" variant="filled" radius="sm">
                      void
                    </Badge>
                  )}
                </Table.Td>
                <Table.Td>
                  <Text size="sm" style={{ wordBreak: 'break-all' }}>
                    {r.source}
                  </Text>
                </Table.Td>
                <Table.Td>{r.version ?? <Text span size="sm" c="gray.7">none</Text>}</Table.Td>
                <Table.Td>{metaText(r.meta['build'])}</Table.Td>
                <Table.Td>
                  <When at={typeof r.meta['startedAt'] === 'string' ? r.meta['startedAt'] : r.importedAt} />
                </Table.Td>
                <Table.Td>
                  <Totals totals={runTotals(r.meta)} />
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Paper>
  );
}

function RunDetails({ productKey, run, id }: { productKey: string; run: Run | undefined; id: number }): ReactNode {
  const [params, setParams] = useSearchParams();
  const failuresOnly = params.get('failures') === '1';
  const items = useApi('evidence.items', { productKey, importId: id, kind: 'test_result', limit: 5000 });
  const canCorrect = useCan(productKey, 'evidence.correct');
  if (run === undefined) return <ErrorAlert error={new Error(`This product has no test run ${id}.`)} title="No such run" />;
  const totals = runTotals(run.meta);
  const facts: [string, ReactNode][] = [
    ['Source', run.source],
    ['Version', run.version ?? 'none (relabel it to count for a release)'],
    ['Build', metaText(run.meta['build'])],
    ['Commit', <Code key="c">{metaText(run.meta['commit'])}</Code>],
    ['Environment', metaText(run.meta['environment'])],
    ['Runner', metaText(run.meta['runner'])],
    ['Host', metaText(run.meta['host'])],
    ['Started', <When key="s" at={typeof run.meta['startedAt'] === 'string' ? run.meta['startedAt'] : null} />],
    ['Imported', <span key="i"><When at={run.importedAt} /> by {run.importedBy}</span>],
  ];
  const toggle = (on: boolean): void => {
    const p = new URLSearchParams(params);
    if (on) p.set('failures', '1');
    else p.delete('failures');
    setParams(p, { replace: true });
  };
  return (
    <Paper withBorder radius="md" p="md" my="md" bg="white" component="section" aria-labelledby="run-title">
      <Group justify="space-between" align="flex-start" mb="sm">
        <Stack gap={4}>
          <Title order={2} size="h4" id="run-title">
            Run {run.id}: {run.source}
          </Title>
          <Totals totals={totals} />
        </Stack>
        {canCorrect && run.voidedAt === null && (
          <Group gap="xs">
            <RelabelButton productKey={productKey} run={run} />
            <VoidButton productKey={productKey} run={run} />
          </Group>
        )}
      </Group>
      {run.voidedAt !== null && (
        <Alert color="gray" variant="light" title="This run is void" my="sm">
          Voided <When at={run.voidedAt} /> by {run.voidedBy}: {run.voidReason}. It counts for no verdict and no release.
        </Alert>
      )}
      <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} spacing="xs" mb="md">
        {facts.map(([k, v]) => (
          <div key={k}>
            <Text size="xs" c="gray.7" fw={600}>
              {k}
            </Text>
            <Text size="sm" style={{ wordBreak: 'break-word' }}>
              {v}
            </Text>
          </div>
        ))}
      </SimpleGrid>
      <Switch label="Failures only" checked={failuresOnly} onChange={(e) => toggle(e.currentTarget.checked)} mb="sm" />
      <QueryView query={items} label="Loading results">
        {(page) => <Results productKey={productKey} items={failuresOnly ? page.items.filter((i) => isFailure(i.outcome)) : page.items} more={page.nextAfterId !== null} failuresOnly={failuresOnly} />}
      </QueryView>
    </Paper>
  );
}

function Results({ productKey, items, more, failuresOnly }: { productKey: string; items: readonly Item[]; more: boolean; failuresOnly: boolean }): ReactNode {
  const columns: ColumnDef<Item>[] = [
    { id: 'outcome', header: 'Outcome', size: 110, cell: ({ row }) => <OutcomeBadge outcome={row.original.outcome} /> },
    {
      id: 'test',
      header: 'Test',
      cell: ({ row }) => (
        <Text size="sm" title={row.original.key} truncate>
          {row.original.key}
        </Text>
      ),
    },
    {
      id: 'records',
      header: 'Verifies',
      size: 170,
      cell: ({ row }) =>
        row.original.refs.length === 0 ? (
          <Text span size="sm" c="#c2410c">
            unmapped
          </Text>
        ) : (
          <Group gap={6} wrap="nowrap">
            {row.original.refs.map((r) => (
              <RecordLink key={`${r.record}-${r.role}`} productKey={productKey} record={r.record} />
            ))}
          </Group>
        ),
    },
    {
      id: 'message',
      header: 'Message',
      size: 320,
      cell: ({ row }) => {
        const m = typeof row.original.data['message'] === 'string' ? row.original.data['message'] : '';
        return (
          <Text size="sm" c={m === '' ? 'gray.7' : 'red.9'} title={m} truncate>
            {m === '' ? '—' : (m.split('\n')[0] ?? '')}
          </Text>
        );
      },
    },
    {
      id: 'time',
      header: 'Time',
      size: 90,
      cell: ({ row }) => (typeof row.original.data['durationMs'] === 'number' ? `${(row.original.data['durationMs'] / 1000).toFixed(2)} s` : '—'),
    },
  ];
  if (items.length === 0) return <EmptyState title={failuresOnly ? 'No failures in this run' : 'This run has no results'} />;
  return (
    <>
      <VirtualTable
        data={items}
        columns={columns}
        label="Test results"
        height={Math.min(520, 40 + items.length * 37)}
        getRowId={(r) => String(r.id)}
        rowTone={(r) => (isFailure(r.outcome) ? 'danger' : r.refs.length === 0 ? 'warning' : undefined)}
      />
      {more && (
        <Text size="xs" c="gray.7" mt={4}>
          Showing the first 5,000 results of this run.
        </Text>
      )}
    </>
  );
}

/** The JUnit upload: the files, the run's facts, then the server's summary or its error (file, line, column). */
function UploadPanel({ productKey, onUploaded }: { productKey: string; onUploaded: (runId: number) => void }): ReactNode {
  const qc = useQueryClient();
  const [files, setFiles] = useState<File[]>([]);
  const [version, setVersion] = useState('');
  const [build, setBuild] = useState('');
  const [commit, setCommit] = useState('');
  const [environment, setEnvironment] = useState('');
  const send = useMutation<Summary, ApiError | Error, void>({
    mutationFn: async () => {
      if (files.length === 0) throw new Error('Choose one or more JUnit XML files first.');
      const bytes = await Promise.all(files.map((f) => f.arrayBuffer()));
      const form = new FormData();
      form.append('contentHash', await uploadContentHash(bytes));
      form.append('source', files.map((f) => f.name).join(', '));
      for (const [k, v] of [['version', version], ['build', build], ['commit', commit], ['environment', environment]] as const) if (v.trim() !== '') form.append(k, v.trim());
      files.forEach((f, i) => form.append('file', new Blob([bytes[i] ?? new ArrayBuffer(0)], { type: 'application/xml' }), f.name));
      return upload<Summary>(TEST_RUN_UPLOAD.replace(':productKey', encodeURIComponent(productKey)), form);
    },
    onSuccess: async (s) => {
      await qc.invalidateQueries();
      onUploaded(s.run.id);
    },
  });
  const error = send.error;
  const where = error === null ? undefined : errorLocation(error.message);
  const fileErr = where !== undefined ? `${where.file}, line ${where.line}, column ${where.column}: ${where.what}` : (fieldError(error, 'file') ?? fieldError(error, 'contentHash'));
  const otherError = error !== null && fileErr === undefined && fieldError(error, 'version') === undefined && fieldError(error, 'commit') === undefined ? error : null;
  const submit = (e: FormEvent): void => {
    e.preventDefault();
    send.mutate();
  };
  return (
    <Paper withBorder radius="md" p="md" mb="md" bg="white" component="form" onSubmit={submit} aria-labelledby="upload-title">
      <Title order={2} size="h4" id="upload-title" mb="xs">
        Upload a test run
      </Title>
      <Text size="sm" c="gray.7" mb="sm">
        JUnit XML from any runner. Results are tied to records by IDs in brackets in the test name (<Code>[TC-4] …</Code>), <Code>verifies</Code> properties, or a test record&apos;s automation ID.
      </Text>
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
        <FileInput
          label="JUnit XML files"
          placeholder="Choose files"
          multiple
          accept=".xml,application/xml,text/xml"
          value={files}
          onChange={(f) => {
            setFiles(f);
            send.reset();
          }}
          aria-invalid={fileErr !== undefined}
          required
        />
        <TextInput label="Version under test" placeholder="1.2.0" value={version} onChange={(e) => setVersion(e.currentTarget.value)} error={fieldError(error, 'version')} />
        <TextInput label="Build" placeholder="CI pipeline or build number" value={build} onChange={(e) => setBuild(e.currentTarget.value)} error={fieldError(error, 'build')} />
        <TextInput label="Commit" placeholder="7 to 64 hex digits" value={commit} onChange={(e) => setCommit(e.currentTarget.value)} error={fieldError(error, 'commit')} />
      </SimpleGrid>
      <Textarea label="Environment" placeholder="OS, runtime, devices" autosize minRows={1} mt="sm" value={environment} onChange={(e) => setEnvironment(e.currentTarget.value)} error={fieldError(error, 'environment')} />
      <Group mt="md" gap="sm">
        <Button type="submit" loading={send.isPending}>
          Upload test run
        </Button>
        {send.isPending && (
          <Text size="sm" c="gray.7" role="status">
            Hashing and sending {files.length} file{files.length === 1 ? '' : 's'}…
          </Text>
        )}
      </Group>
      {where !== undefined && error !== null && (
        <Alert color="red" variant="light" title="The server refused the file" role="alert" mt="sm">
          <Text size="sm">
            <strong>{where.file}</strong>, line {where.line}, column {where.column}: {where.what}
          </Text>
          <Text size="xs" c="red.9" mt={4}>
            Nothing was recorded. {isApiError(error) ? `(${error.code.toLowerCase().replaceAll('_', ' ')})` : ''}
          </Text>
        </Alert>
      )}
      {where === undefined && fileErr !== undefined && <ErrorAlert error={error} title="The server refused the upload" />}
      {otherError !== null && <ErrorAlert error={otherError} />}
      {send.data !== undefined && <UploadResult summary={send.data} productKey={productKey} />}
    </Paper>
  );
}

function UploadResult({ summary: s, productKey }: { summary: Summary; productKey: string }): ReactNode {
  return (
    <Alert color={s.duplicate ? '#1864ab' : '#237032'} variant="light" title={s.duplicate ? `These files are run ${s.run.id} already` : `Recorded as run ${s.run.id}`} role="status" mt="sm">
      <Stack gap={4}>
        <Totals totals={runTotals({ totals: s.totals })} />
        {!s.duplicate && (
          <Text size="sm">
            {s.mapped} result{s.mapped === 1 ? '' : 's'} tied to records, {s.unmapped} unmapped{s.unmappedSample.length > 0 ? ` (e.g. ${s.unmappedSample.slice(0, 3).join('; ')})` : ''}.
          </Text>
        )}
        {s.relabelled && <Text size="sm">It had no version; it is now labelled {s.run.version}.</Text>}
        {s.unresolved.length > 0 && (
          <Text size="sm" c="#c2410c">
            Not tied: {s.unresolved.map((u) => `${u.id} (${u.why})`).join('; ')}
          </Text>
        )}
        <Text size="sm">
          Its results are listed below, each linked to the record it verifies.{' '}
          <Anchor component={Link} to={`${productPath(productKey, 'evidence', 'tests')}?run=${s.run.id}&failures=1`} underline="always">
            Show its failures only
          </Anchor>
        </Text>
      </Stack>
    </Alert>
  );
}

function RelabelButton({ productKey, run }: { productKey: string; run: Run }): ReactNode {
  const [open, setOpen] = useState(false);
  const [version, setVersion] = useState(run.version ?? '');
  const [reason, setReason] = useState('');
  const m = useApiMutation('evidence.relabel');
  return (
    <>
      <Button variant="default" onClick={() => setOpen(true)}>
        Relabel
      </Button>
      <Modal opened={open} onClose={() => setOpen(false)} title={`Relabel run ${run.id}`}>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            m.mutate({ productKey, run: run.id, version, reason }, { onSuccess: () => setOpen(false) });
          }}
        >
          <Stack gap="sm">
            <Text size="sm">A release takes the runs of its version. The change and its reason go to the audit trail.</Text>
            <TextInput label="Version it tested" value={version} onChange={(e) => setVersion(e.currentTarget.value)} required error={fieldError(m.error, 'version')} data-autofocus />
            <Textarea label="Reason" value={reason} onChange={(e) => setReason(e.currentTarget.value)} required error={fieldError(m.error, 'reason')} />
            {m.error !== null && fieldError(m.error, 'version') === undefined && fieldError(m.error, 'reason') === undefined && <ErrorAlert error={m.error} />}
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setOpen(false)}>
                Cancel
              </Button>
              <Button type="submit" loading={m.isPending}>
                Relabel
              </Button>
            </Group>
          </Stack>
        </form>
      </Modal>
    </>
  );
}

function VoidButton({ productKey, run }: { productKey: string; run: Run }): ReactNode {
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const m = useApiMutation('evidence.void');
  return (
    <>
      <Button color="red.8" variant="outline" onClick={() => setOpen(true)}>
        Void run
      </Button>
      <Modal opened={open} onClose={() => setOpen(false)} title={`Void run ${run.id}`}>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            m.mutate({ productKey, run: run.id, reason }, { onSuccess: () => setOpen(false) });
          }}
        >
          <Stack gap="sm">
            <Text size="sm">A void run is kept, but counts for no verdict and no release. This cannot be undone: import a correct run instead.</Text>
            <Textarea label="Why the run does not count" value={reason} onChange={(e) => setReason(e.currentTarget.value)} required error={fieldError(m.error, 'reason')} data-autofocus />
            {m.error !== null && fieldError(m.error, 'reason') === undefined && <ErrorAlert error={m.error} />}
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setOpen(false)}>
                Cancel
              </Button>
              <Button type="submit" color="red.8" loading={m.isPending}>
                Void run
              </Button>
            </Group>
          </Stack>
        </form>
      </Modal>
    </>
  );
}

