import { Alert, Badge, Button, Code, FileInput, Group, Paper, SimpleGrid, Stack, Table, Text, Textarea, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useMemo, useState, type ReactNode } from 'react';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { call, type ApiOutput } from '../../api/client';
import { useApi } from '../../api/hooks';
import { useProductKey } from '../../app/product';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Loading } from '../../components/Loading';
import { PageHeader } from '../../components/PageHeader';
import { RecordLink } from '../../components/RecordLink';
import { guessDelimiter, parseDelimited } from './delimited';
import { checkColumnMap, exampleMap, sheetToPlan, type CatalogTypes } from './import-map';

type Report = ApiOutput<'record.import'>;

/** Input descriptions dark enough to read (the default dimmed grey is below contrast). */
const DESCRIPTION = { description: { color: 'var(--mantine-color-gray-7)' } };
type Plan = ReturnType<typeof sheetToPlan>['plan'];

/** `import`: a CSV and its column map → the dry-run report (created, changed, unchanged, problems by row and column) → apply. */
export function ImportPage(): ReactNode {
  const productKey = useProductKey();
  const qc = useQueryClient();
  const catalog = useApi('catalog.show', {}, { staleTime: Infinity });
  const [file, setFile] = useState<File | null>(null);
  const [mapText, setMapText] = useState(exampleMap('SRS', 'priority', 'derives_from'));
  const [mapErrors, setMapErrors] = useState<string[]>([]);
  const [fileError, setFileError] = useState<string | undefined>(undefined);
  const [planned, setPlanned] = useState<{ plan: Plan; source: string; rows: number; localProblems: Report['problems'] } | undefined>(undefined);
  const [report, setReport] = useState<Report | undefined>(undefined);
  const [phase, setPhase] = useState<'idle' | 'checking' | 'applying'>('idle');
  const [error, setError] = useState<unknown>(undefined);

  const types = useMemo<CatalogTypes | undefined>(
    () => (catalog.data === undefined ? undefined : { recordTypes: catalog.data.recordTypes.map((t) => ({ key: t.key, name: t.name, fields: t.fields })), linkTypes: catalog.data.linkTypes }),
    [catalog.data],
  );

  const dryRun = async (): Promise<void> => {
    setError(undefined);
    setReport(undefined);
    setPlanned(undefined);
    setMapErrors([]);
    setFileError(undefined);
    if (types === undefined) return;
    if (file === null) {
      setFileError('Choose a CSV file');
      return;
    }
    if (/\.xlsx?$/i.test(file.name)) {
      setFileError('This page reads CSV files: save the sheet as CSV (File → Save as / Download → CSV), or import the XLSX with dossier import xlsx.');
      return;
    }
    let value: unknown;
    try {
      value = parseYaml(mapText);
    } catch (e) {
      setMapErrors([e instanceof YAMLParseError ? `line ${e.linePos?.[0].line ?? '?'}: ${e.message.split('\n')[0] ?? ''}` : String(e)]);
      return;
    }
    const checked = checkColumnMap(value, types);
    if ('errors' in checked) {
      setMapErrors(checked.errors);
      return;
    }
    const text = await file.text();
    const rows = parseDelimited(text.replace(/^\uFEFF/, ''), guessDelimiter(text));
    const source = `${file.name} (web import)`;
    setPhase('checking');
    try {
      // Rows that update records keep their bodies when the map has no body column (as the CLI does).
      const bodies = new Map<string, string>();
      if (checked.map.key !== undefined && checked.map.body === undefined) {
        for (const r of (await call('record.export', { productKey })).records) bodies.set(r.key, r.body);
      }
      const { plan, problems } = sheetToPlan(rows, checked.map, types, file.name, bodies);
      setPlanned({ plan, source, rows: rows.length, localProblems: problems });
      const r = await call('record.import', { productKey, plan, dryRun: true, source });
      setReport(r);
    } catch (e) {
      setError(e);
    } finally {
      setPhase('idle');
    }
  };

  const apply = async (): Promise<void> => {
    if (planned === undefined) return;
    setError(undefined);
    setPhase('applying');
    try {
      const r = await call('record.import', { productKey, plan: planned.plan, dryRun: false, source: planned.source });
      setReport(r);
      await qc.invalidateQueries();
    } catch (e) {
      setError(e);
    } finally {
      setPhase('idle');
    }
  };

  const problems = [...(planned?.localProblems ?? []), ...(report?.problems ?? [])];
  const blocked = problems.length > 0 || (report?.conflicts.length ?? 0) > 0;

  return (
    <>
      <PageHeader title="Import from a spreadsheet" description="Read records and links from a CSV file with a column map; check it with a dry run, then apply it in one transaction." />
      {catalog.isPending && <Loading label="Loading the catalog" />}
      <ErrorAlert error={catalog.error} />
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="lg">
        <Stack gap="sm">
          <FileInput
            label="CSV file"
            description="Comma, semicolon or tab separated, with a header row; UTF-8."
            placeholder="Choose a file"
            accept=".csv,.tsv,.txt,text/csv"
            value={file}
            onChange={(f) => {
              setFile(f);
              setReport(undefined);
              setPlanned(undefined);
            }}
            error={fileError}
            styles={DESCRIPTION}
          />
          <Textarea
            label="Column map (YAML)"
            description="Which column holds each row's ID, title, body, fields and links, as for dossier import csv --map."
            value={mapText}
            onChange={(e) => {
              setMapText(e.currentTarget.value);
              setReport(undefined);
              setPlanned(undefined);
            }}
            autosize
            minRows={10}
            styles={{ ...DESCRIPTION, input: { fontFamily: 'var(--mantine-font-family-monospace)', fontSize: 13 } }}
            error={mapErrors.length === 0 ? undefined : mapErrors.join('; ')}
            spellCheck={false}
          />
          <Group>
            <Button onClick={() => void dryRun()} loading={phase === 'checking'} disabled={types === undefined || phase !== 'idle'}>
              Dry run
            </Button>
            <Button onClick={() => void apply()} loading={phase === 'applying'} disabled={report === undefined || !report.dryRun || blocked || phase !== 'idle' || (report.created.length === 0 && report.changed.length === 0 && report.linksAdded.length === 0)}>
              Apply import
            </Button>
          </Group>
          <ErrorAlert error={error} title="The import was refused; nothing was written" />
        </Stack>
        <Stack gap="sm" aria-live="polite">
          {phase === 'checking' && <Loading label="Checking the import (dry run)" />}
          {report === undefined && phase === 'idle' && (
            <Paper withBorder p="md" bg="white">
              <Text size="sm" c="gray.7">
                Choose a CSV file and run a dry run: the report lists what would be created, changed and left alone, and every problem with its row and column. Nothing is written until you apply it.
              </Text>
            </Paper>
          )}
          {report !== undefined && <ImportReportView report={report} problems={problems} productKey={productKey} rows={planned?.rows ?? 0} />}
        </Stack>
      </SimpleGrid>
    </>
  );
}

function ImportReportView({ report, problems, productKey, rows }: { report: Report; problems: Report['problems']; productKey: string; rows: number }): ReactNode {
  const stat = (label: string, n: number, color: string): ReactNode => (
    <Paper withBorder p="sm" bg="white">
      <Text size="xs" c="gray.7">
        {label}
      </Text>
      <Text size="xl" fw={700} c={color}>
        {n}
      </Text>
    </Paper>
  );
  return (
    <Stack gap="sm">
      <Group gap="xs">
        <Title order={2} size="h4">
          {report.dryRun ? 'Dry-run report' : 'Import applied'}
        </Title>
        <Badge variant="filled" color={problems.length + report.conflicts.length > 0 ? 'red.9' : 'teal.9'}>{problems.length + report.conflicts.length > 0 ? 'cannot be applied' : report.dryRun ? 'ready to apply' : 'saved'}</Badge>
      </Group>
      <Text size="sm" c="gray.7">
        {rows} lines read. {report.dryRun ? 'Nothing has been written yet.' : 'Written in one transaction, each change with its audit event.'}
      </Text>
      <SimpleGrid cols={{ base: 2, sm: 5 }} spacing="xs">
        {stat('Created', report.created.length, 'green.9')}
        {stat('Updated', report.changed.length, 'blue.9')}
        {stat('Unchanged', report.unchanged, 'gray.8')}
        {stat('Links added', report.linksAdded.length, 'gray.9')}
        {stat('Problems', problems.length + report.conflicts.length, problems.length + report.conflicts.length > 0 ? 'red.9' : 'gray.8')}
      </SimpleGrid>
      {(problems.length > 0 || report.conflicts.length > 0) && (
        <Alert color="red" variant="light" title="Problems (fix the file or the map and run again)" role="alert">
          <Table withRowBorders={false} verticalSpacing={2} fz="sm" aria-label="Import problems">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Where</Table.Th>
                <Table.Th>Problem</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {problems.map((p, i) => (
                <Table.Tr key={i}>
                  <Table.Td>
                    <Code>{p.where}</Code>
                  </Table.Td>
                  <Table.Td>{p.message}</Table.Td>
                </Table.Tr>
              ))}
              {report.conflicts.map((c) => (
                <Table.Tr key={c.ref}>
                  <Table.Td>
                    <Code>{c.where}</Code>
                  </Table.Td>
                  <Table.Td>
                    {c.key} changed since the file was made (revision {c.latestRevision} by {c.changedBy}; the file has {c.baseRevision})
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Alert>
      )}
      {(report.created.length > 0 || report.changed.length > 0) && (
        <Table striped withTableBorder fz="sm" aria-label="Records in the import" bg="white">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Row ID</Table.Th>
              <Table.Th>Record</Table.Th>
              <Table.Th>What</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {report.created.slice(0, 200).map((c) => (
              <Table.Tr key={`c-${c.ref}`}>
                <Table.Td>{c.ref}</Table.Td>
                <Table.Td>{report.dryRun ? <Code>{c.key}</Code> : <RecordLink productKey={productKey} record={c.key} />}</Table.Td>
                <Table.Td>
                  {report.dryRun ? 'would be created' : 'created'}: {c.title}
                </Table.Td>
              </Table.Tr>
            ))}
            {report.changed.slice(0, 200).map((c) => (
              <Table.Tr key={`u-${c.ref}`}>
                <Table.Td>{c.ref}</Table.Td>
                <Table.Td>
                  <RecordLink productKey={productKey} record={c.key} />
                </Table.Td>
                <Table.Td>
                  revision {c.fromRevision} → {c.toRevision}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}
