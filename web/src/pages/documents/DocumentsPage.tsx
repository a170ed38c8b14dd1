import { downloadText } from '../../components/download';
import { Alert, Anchor, Badge, Button, Code, Group, List, Paper, Progress, Select, Stack, Table, Text, Title } from '@mantine/core';
import DOMPurify from 'dompurify';
import { useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { useSearchParams } from 'react-router';
import type { GeneratedDocument, TechnicalFile } from '../../../../src/core/documents/model.js';
import { buildRequest, call } from '../../api/client';
import { useApi } from '../../api/hooks';
import { productPath, useProductKey } from '../../app/product';
import { EmptyState } from '../../components/EmptyState';
import { ErrorAlert } from '../../components/ErrorAlert';
import { QueryView } from '../../components/Loading';
import { PageHeader } from '../../components/PageHeader';
import { documentHtml, standaloneHtml } from './doc-html';
import './documents.css';

/** The steps of a build, as the page can tell them: the server's generation is one request. */
const STEPS = ['Reading the baseline and generating every document on the server', 'Receiving the technical file', 'Laying out the preview'] as const;


/** `documents?release=1.0.0&doc=srs`: the technical file's documents with their gaps, built and previewed. */
export function DocumentsPage(): ReactNode {
  const productKey = useProductKey();
  const [params, setParams] = useSearchParams();
  const release = params.get('release') ?? undefined;
  const selected = params.get('doc') ?? undefined;
  const releases = useApi('release.list', { productKey });
  const input = { productKey, ...(release === undefined ? {} : { release }) };
  const list = useApi('docs.list', input);
  const [build, setBuild] = useState<{ state: 'running'; started: number; step: number } | { state: 'done'; file: TechnicalFile; seconds: number; forRelease: string | undefined } | { state: 'failed'; error: unknown } | undefined>(undefined);
  const [now, setNow] = useState(Date.now());
  const abort = useRef<AbortController | undefined>(undefined);

  useEffect(() => {
    if (build?.state !== 'running') return;
    const t = setInterval(() => setNow(Date.now()), 250);
    return () => clearInterval(t);
  }, [build?.state]);
  useEffect(() => () => abort.current?.abort(), []);

  const setParam = (k: string, v: string | undefined): void => {
    const next = new URLSearchParams(params);
    if (v === undefined) next.delete(k);
    else next.set(k, v);
    setParams(next);
  };

  const runBuild = async (): Promise<void> => {
    abort.current?.abort();
    const ctl = new AbortController();
    abort.current = ctl;
    const started = Date.now();
    setNow(started);
    setBuild({ state: 'running', started, step: 0 });
    try {
      const file: TechnicalFile = await call('docs.build', input, { signal: ctl.signal });
      setBuild({ state: 'running', started, step: 2 });
      await new Promise((r) => setTimeout(r, 0));
      setBuild({ state: 'done', file, seconds: (Date.now() - started) / 1000, forRelease: release });
    } catch (e) {
      if (ctl.signal.aborted) setBuild(undefined);
      else setBuild({ state: 'failed', error: e });
    }
  };

  const releaseOptions = [{ value: '', label: 'Current state (not released)' }, ...(releases.data ?? []).map((r) => ({ value: r.version, label: `Release ${r.version}` }))];
  const built = build?.state === 'done' && build.forRelease === release ? build.file : undefined;
  const preview = built?.documents.find((d) => d.id === selected) ?? built?.documents[0];

  return (
    <>
      <PageHeader
        title="Documents"
        description="The technical file generated from the records: each document with the clauses it answers and what it still lacks."
        actions={
          <Button onClick={() => void runBuild()} loading={build?.state === 'running'} disabled={list.isError}>
            Build technical file
          </Button>
        }
      />
      <Group mb="md" align="flex-end">
        <Select
          label="Baseline"
          data={releaseOptions}
          value={release ?? ''}
          onChange={(v) => {
            const next = new URLSearchParams(params);
            if (v === null || v === '') next.delete('release');
            else next.set('release', v);
            next.delete('doc');
            setParams(next);
          }}
          allowDeselect={false}
          w={300}
        />
        <ErrorAlert error={releases.error} />
      </Group>

      {build?.state === 'running' && (
        <Paper withBorder p="md" mb="md" bg="white" role="status" aria-label="Building the technical file">
          <Group justify="space-between" mb={6}>
            <Text size="sm" fw={600}>
              Building the technical file{release === undefined ? '' : ` of release ${release}`}…
            </Text>
            <Text size="sm" c="gray.8" ff="monospace">
              {((now - build.started) / 1000).toFixed(1)} s
            </Text>
          </Group>
          <Progress value={100} animated striped aria-label="Build progress (no estimate)" />
          <Text size="sm" c="gray.8" mt={6}>
            Step {build.step + 1} of {STEPS.length}: {STEPS[build.step]}
          </Text>
          <Button variant="default" size="compact-sm" mt={6} onClick={() => abort.current?.abort()}>
            Cancel
          </Button>
        </Paper>
      )}
      {build?.state === 'failed' && <ErrorAlert error={build.error} title="The build failed" />}

      <QueryView query={list} label="Listing the documents (each is generated to count its gaps)">
        {(data) =>
          data.documents.length === 0 ? (
            <EmptyState title="No documents">The catalog defines no generated documents for this product.</EmptyState>
          ) : (
            <Stack gap="xs">
              <Text size="sm" c="gray.7">
                {data.product.name} · {data.baseline.kind === 'release' ? `release ${data.baseline.label}` : data.baseline.label} · baseline <Code>{data.baseline.hash.slice(0, 12)}</Code> ·{' '}
                {data.documents.filter((d) => d.complete).length} of {data.documents.length} complete
              </Text>
              <Table striped withTableBorder bg="white" aria-label="Generated documents" verticalSpacing="xs">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Document</Table.Th>
                    <Table.Th>Clauses</Table.Th>
                    <Table.Th w={130}>Gaps</Table.Th>
                    <Table.Th w={150}>Files</Table.Th>
                    {built !== undefined && <Table.Th w={150}>Built</Table.Th>}
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {data.documents.map((d) => {
                    const doc = built?.documents.find((x) => x.id === d.id);
                    return (
                      <Table.Tr key={d.id}>
                        <Table.Td>
                          <Text size="sm" fw={600}>
                            {d.title}
                          </Text>
                          <Text size="xs" c="gray.7" ff="monospace">
                            {d.id}
                          </Text>
                        </Table.Td>
                        <Table.Td>
                          <Text size="xs">{d.clauses.join(', ')}</Text>
                        </Table.Td>
                        <Table.Td>
                          {d.complete ? (
                            <Badge variant="filled" color="teal.9">complete</Badge>
                          ) : (
                            <details>
                              <summary style={{ cursor: 'pointer', whiteSpace: 'nowrap' }}>
                                <Badge variant="filled" color="red.9" component="span">
                                  {d.gaps.length} gap{d.gaps.length === 1 ? '' : 's'}
                                </Badge>
                              </summary>
                              <List size="xs" mt={4}>
                                {d.gaps.map((g, i) => (
                                  <List.Item key={i}>{g}</List.Item>
                                ))}
                              </List>
                            </details>
                          )}
                        </Table.Td>
                        <Table.Td>
                          <Group gap={6} wrap="nowrap">
                            {(['pdf', 'docx', ...(doc !== undefined && doc.blocks.some((b) => b.kind === 'table' && b.sheet !== undefined) ? (['xlsx'] as const) : [])] as const).map((format) => (
                              <Anchor
                                key={format}
                                href={buildRequest('docs.file', { ...input, document: d.id, format }).url}
                                download
                                size="sm"
                                aria-label={`Download ${d.title} as ${format.toUpperCase()}`}
                              >
                                {format.toUpperCase()}
                              </Anchor>
                            ))}
                          </Group>
                        </Table.Td>
                        {built !== undefined && (
                          <Table.Td>
                            {doc === undefined ? (
                              '—'
                            ) : (
                              <Group gap={4} wrap="nowrap">
                                <Button size="compact-xs" variant={preview?.id === doc.id ? 'filled' : 'light'} onClick={() => setParam('doc', doc.id)} aria-label={`Preview ${doc.title}`}>
                                  Preview
                                </Button>
                                <Button size="compact-xs" variant="default" onClick={() => downloadText(`${doc.id}.html`, standaloneHtml(doc, window.location.origin), 'text/html')} aria-label={`Download ${doc.title} as HTML`}>
                                  HTML
                                </Button>
                              </Group>
                            )}
                          </Table.Td>
                        )}
                      </Table.Tr>
                    );
                  })}
                </Table.Tbody>
              </Table>
            </Stack>
          )
        }
      </QueryView>

      {built !== undefined && build?.state === 'done' && (
        <Paper withBorder p="md" mt="lg" bg="white">
          <Group justify="space-between" wrap="wrap">
            <Stack gap={2}>
              <Title order={2} size="h4">
                Technical file built
              </Title>
              <Text size="sm" c="gray.7">
                {built.documents.length} documents and {built.records.length} record pages in {build.seconds.toFixed(1)} s · generated {built.generatedAt} · baseline <Code>{built.baseline.hash.slice(0, 12)}</Code>
              </Text>
            </Stack>
            <Group gap="xs">
              <Button variant="default" onClick={() => downloadText(`technical-file-${productKey}-${release ?? 'current'}.json`, JSON.stringify(built, null, 2), 'application/json')}>
                Download all (JSON)
              </Button>
            </Group>
          </Group>
          <Text size="xs" c="gray.7" mt={4}>
            Each document downloads as PDF or DOCX from the list (XLSX for those with tables); the static HTML site of the whole file is written by <Code>dossier docs build</Code>.
          </Text>
          {preview !== undefined && <DocumentPreview doc={preview} productKey={productKey} />}
        </Paper>
      )}
    </>
  );
}

function DocumentPreview({ doc, productKey }: { doc: GeneratedDocument; productKey: string }): ReactNode {
  const html = useMemo(
    () =>
      DOMPurify.sanitize(
        documentHtml(doc, {
          record: (key) => productPath(productKey, 'records', key),
          document: (id) => `?doc=${encodeURIComponent(id)}`,
        }),
        { USE_PROFILES: { html: true }, FORBID_TAGS: ['style', 'form', 'input', 'button'], FORBID_ATTR: ['style'] },
      ),
    [doc, productKey],
  );
  return (
    <Stack gap="xs" mt="md">
      {doc.gaps.length > 0 && (
        <Alert color="orange" variant="light" title={`${doc.title}: ${doc.gaps.length} gap${doc.gaps.length === 1 ? '' : 's'}`}>
          The document shows each gap where it belongs.
        </Alert>
      )}
      <section aria-label={`Preview of ${doc.title}`} className="doc-preview" tabIndex={0}>
        {/* Built from the model with every text escaped, then sanitized. */}
        <div dangerouslySetInnerHTML={{ __html: html.replace(/<h1>/, '<h2 class="doc-title">').replace(/<\/h1>/, '</h2>') }} />
      </section>
    </Stack>
  );
}
