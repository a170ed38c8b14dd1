import { Alert, Anchor, Badge, Button, Group, Modal, Paper, Select, Stack, Table, Tabs, Text, Textarea, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { Link, useLocation, useParams, useSearchParams } from 'react-router';
import { isApiError, type ApiOutput } from '../../api/client';
import { useApi, useApiMutation } from '../../api/hooks';
import { productPath, useProductKey } from '../../app/product';
import { EmptyState } from '../../components/EmptyState';
import { ErrorAlert, fieldError } from '../../components/ErrorAlert';
import { Loading } from '../../components/Loading';
import { Markdown } from '../../components/Markdown';
import { PageHeader } from '../../components/PageHeader';
import { RecordLink, SeverityBadge, StatusBadge } from '../../components/RecordLink';
import { SignButton } from '../../components/SignDialog';
import { RevisionDiff } from './DiffView';
import { actionText, findingAnchors, statusText, utcSecond } from './format';
import { groupLinks } from './links';
import { fieldLabel } from './recordForm';
import { compareRevisions, fieldText } from './revisionDiff';
import './records.css';

type RecordView = ApiOutput<'record.get'>;
type Catalog = ApiOutput<'catalog.show'>;
type History = ApiOutput<'record.history'>;
type Finding = ApiOutput<'check.run'>['findings'][number];

const TABS = ['overview', 'links', 'findings', 'revisions', 'signatures', 'history'] as const;
type Tab = (typeof TABS)[number];

/** `/p/:productKey/records/:record`: one record with its fields, body, links, findings, revisions, signatures and history. */
export function RecordPage(): ReactNode {
  const productKey = useProductKey();
  const record = useParams().record ?? '';
  const [params, setParams] = useSearchParams();
  const location = useLocation();
  const revisionParam = Number(params.get('revision'));
  const revision = Number.isInteger(revisionParam) && revisionParam > 0 ? revisionParam : undefined;
  const hashFinding = location.hash.startsWith('#finding-');
  const tabParam = params.get('tab');
  const tab: Tab = TABS.includes(tabParam as Tab) ? (tabParam as Tab) : hashFinding ? 'findings' : 'overview';

  const rec = useApi('record.get', { productKey, record, ...(revision === undefined ? {} : { revision }) });
  const catalog = useApi('catalog.show', {}, { staleTime: Infinity });
  const history = useApi('record.history', { productKey, record });
  const check = useApi('check.run', { productKey }, { staleTime: 5 * 60_000 });
  const suspects = useApi('trace.suspects', { productKey }, { staleTime: 5 * 60_000, enabled: tab === 'links' });

  const key = rec.data?.key ?? record.toUpperCase();
  const findings = useMemo(() => (check.data?.findings ?? []).filter((f) => f.record === key || f.record === `${productKey}/${key}`), [check.data, key, productKey]);

  useEffect(() => {
    if (!hashFinding || tab !== 'findings' || check.data === undefined) return;
    document.getElementById(decodeURIComponent(location.hash.slice(1)))?.scrollIntoView({ block: 'center' });
  }, [hashFinding, tab, check.data, location.hash]);

  if (rec.isPending) return <Loading label={`Loading ${record}`} />;
  if (rec.isError) {
    return (
      <>
        <PageHeader title={record} />
        <ErrorAlert error={rec.error} title={isApiError(rec.error, 'NOT_FOUND') ? 'No such record' : undefined} />
        <Anchor component={Link} to={productPath(productKey, 'records')}>
          Back to the records
        </Anchor>
      </>
    );
  }
  const v = rec.data;
  const type = catalog.data?.recordTypes.find((t) => t.key === v.head.type);
  const latest = v.revision.revision === v.latestRevision;
  const setTab = (t: string | null): void => {
    const next = new URLSearchParams(params);
    if (t === null || t === 'overview') next.delete('tab');
    else next.set('tab', t);
    setParams(next, { replace: true });
  };

  return (
    <>
      <PageHeader
        title={`${v.key} · ${v.revision.title}`}
        description={
          <Group gap="xs" component="span">
            <StatusBadge status={v.head.status} />
            <span>
              {type?.name ?? v.head.type} · revision {v.revision.revision}
              {latest ? '' : ` of ${v.latestRevision}`}
            </span>
            {v.approval !== null && (
              <Badge variant="filled" color={v.approval === 'electronic' ? '#2b7a3b' : '#a64b00'} radius="sm">
                approved {v.approval === 'electronic' ? 'with electronic signatures' : 'without electronic signature'}
              </Badge>
            )}
            {v.head.approvedRevision !== null && v.head.status !== 'approved' && <span>· approved revision {v.head.approvedRevision}</span>}
          </Group>
        }
        actions={
          <>
            <Button component={Link} to={productPath(productKey, 'trace', 'graph', v.key)} variant="default">
              Trace graph
            </Button>
            <Button component={Link} to={productPath(productKey, 'records', v.key, 'edit')} variant="filled" disabled={v.head.status === 'obsolete'}>
              Edit
            </Button>
          </>
        }
      />
      {!latest && (
        <Alert color="yellow" variant="light" mb="md" title={`You are reading revision ${v.revision.revision}`}>
          The latest is revision {v.latestRevision}.{' '}
          <RecordLink productKey={productKey} record={v.key}>
            Show the latest revision
          </RecordLink>
        </Alert>
      )}
      <StatusActions view={v} />
      <Tabs value={tab} onChange={setTab} keepMounted={false} mt="md">
        <Tabs.List>
          <Tabs.Tab value="overview">Overview</Tabs.Tab>
          <Tabs.Tab value="links">Links ({v.links.length})</Tabs.Tab>
          <Tabs.Tab value="findings">Findings{check.data === undefined ? '' : ` (${findings.length})`}</Tabs.Tab>
          <Tabs.Tab value="revisions">Revisions ({v.latestRevision})</Tabs.Tab>
          <Tabs.Tab value="signatures">Signatures ({v.signatures.length})</Tabs.Tab>
          <Tabs.Tab value="history">Audit history</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="overview" pt="md">
          <Overview view={v} catalog={catalog.data} />
        </Tabs.Panel>
        <Tabs.Panel value="links" pt="md">
          <LinksPanel view={v} catalog={catalog.data} suspects={suspects.data} suspectsError={suspects.error} />
        </Tabs.Panel>
        <Tabs.Panel value="findings" pt="md">
          {check.isPending ? <Loading label="Running the rule check" /> : check.isError ? <ErrorAlert error={check.error} /> : <FindingsPanel findings={findings} />}
        </Tabs.Panel>
        <Tabs.Panel value="revisions" pt="md">
          {history.isPending ? <Loading label="Loading revisions" /> : history.isError ? <ErrorAlert error={history.error} /> : <RevisionsPanel history={history.data} fieldOrder={type?.fields.map((f) => f.name) ?? []} />}
        </Tabs.Panel>
        <Tabs.Panel value="signatures" pt="md">
          <SignaturesPanel view={v} />
        </Tabs.Panel>
        <Tabs.Panel value="history" pt="md">
          {history.isPending ? <Loading label="Loading the audit history" /> : history.isError ? <ErrorAlert error={history.error} /> : <HistoryPanel history={history.data} productKey={productKey} />}
        </Tabs.Panel>
      </Tabs>
    </>
  );
}

/** The moves the record's lifecycle allows from its status, and signing (which is how a record is approved). */
function StatusActions({ view }: { view: RecordView }): ReactNode {
  const qc = useQueryClient();
  const status = useApiMutation('record.status');
  const [obsoleting, setObsoleting] = useState(false);
  const [reason, setReason] = useState('');
  const s = view.head.status;
  const move = (to: 'draft' | 'in_review' | 'obsolete', why?: string): void => {
    status.mutate(
      { productKey: view.product.key, record: view.key, to, baseRevision: view.latestRevision, ...(why === undefined ? {} : { reason: why }) },
      {
        onSuccess: () => {
          setObsoleting(false);
          setReason('');
        },
      },
    );
  };
  if (s === 'obsolete') return <Text size="sm" c="gray.7">This record is obsolete: it is kept, and can no longer be edited or moved.</Text>;
  return (
    <Paper withBorder p="sm" radius="md" bg="white">
      <Group gap="xs" wrap="wrap">
        <Text size="sm" fw={600} mr="xs">
          Lifecycle
        </Text>
        {s === 'draft' && (
          <Button size="xs" onClick={() => move('in_review')} loading={status.isPending && status.variables.to === 'in_review'}>
            Submit for review
          </Button>
        )}
        {s === 'in_review' && (
          <>
            <SignButton
              target={{ kind: 'records', productKey: view.product.key, records: [{ record: view.key, revision: view.latestRevision }] }}
              meanings={['reviewed', 'approved']}
              label="Sign…"
              onSigned={() => void qc.invalidateQueries()}
            />
            <Button size="xs" variant="default" onClick={() => move('draft')} loading={status.isPending && status.variables.to === 'draft'}>
              Return to draft
            </Button>
          </>
        )}
        <Button size="xs" variant="default" onClick={() => setObsoleting(true)}>
          Make obsolete…
        </Button>
        <Text size="xs" c="gray.7">
          Acts on revision {view.latestRevision}, the latest.
        </Text>
      </Group>
      {!obsoleting && <ErrorAlert error={status.error} title="The status did not change" />}
      <Modal className="rec-form" opened={obsoleting} onClose={() => setObsoleting(false)} title={`Make ${view.key} obsolete`}>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            move('obsolete', reason);
          }}
        >
          <Stack>
            <Text size="sm">An obsolete record is kept with its history but can no longer be edited. Say why, for the audit trail.</Text>
            <Textarea label="Reason" required value={reason} onChange={(e) => setReason(e.currentTarget.value)} error={fieldError(status.error, 'reason')} autosize minRows={2} />
            {fieldError(status.error, 'reason') === undefined && <ErrorAlert error={status.error} />}
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setObsoleting(false)}>
                Cancel
              </Button>
              <Button type="submit" color="red.9" loading={status.isPending}>
                Make obsolete
              </Button>
            </Group>
          </Stack>
        </form>
      </Modal>
    </Paper>
  );
}

function Overview({ view, catalog }: { view: RecordView; catalog: Catalog | undefined }): ReactNode {
  const type = catalog?.recordTypes.find((t) => t.key === view.head.type);
  const declared = type?.fields ?? [];
  const extra = Object.keys(view.revision.fields).filter((n) => !declared.some((f) => f.name === n));
  return (
    <Stack gap="md">
      <Paper withBorder p="md" radius="md" bg="white">
        <Title order={2} size="h4" mb="sm">
          Fields
        </Title>
        {declared.length + extra.length === 0 ? (
          <Text size="sm" c="gray.7">
            This record type has no typed fields.
          </Text>
        ) : (
          <Table className="rec-fields" aria-label="Fields">
            <Table.Tbody>
              {declared.map((f) => (
                <Table.Tr key={f.name}>
                  <Table.Th scope="row">
                    {fieldLabel(f.name)}
                    {f.required && (
                      <Text component="span" c="red.9" aria-label="required">
                        {' '}
                        *
                      </Text>
                    )}
                  </Table.Th>
                  <Table.Td style={{ overflowWrap: 'anywhere' }}>{fieldText(view.revision.fields[f.name])}</Table.Td>
                </Table.Tr>
              ))}
              {extra.map((n) => (
                <Table.Tr key={n}>
                  <Table.Th scope="row">{fieldLabel(n)}</Table.Th>
                  <Table.Td style={{ overflowWrap: 'anywhere' }}>{fieldText(view.revision.fields[n])}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Paper>
      <Paper withBorder p="md" radius="md" bg="white">
        <Title order={2} size="h4" mb="sm">
          Description
        </Title>
        {view.revision.body.trim() === '' ? (
          <Text size="sm" c="gray.7">
            No description.
          </Text>
        ) : (
          <Markdown text={view.revision.body} />
        )}
      </Paper>
      <Text size="xs" c="gray.7">
        Revision {view.revision.revision} written by {view.revision.createdBy} on {utcSecond(view.revision.createdAt)} · content hash{' '}
        <Text span ff="monospace" size="xs">
          {view.revision.hash.slice(0, 16)}…
        </Text>
      </Text>
    </Stack>
  );
}

function LinksPanel({ view, catalog, suspects, suspectsError }: { view: RecordView; catalog: Catalog | undefined; suspects: ApiOutput<'trace.suspects'> | undefined; suspectsError: unknown }): ReactNode {
  const productKey = view.product.key;
  const groups = useMemo(
    () =>
      groupLinks(
        view.key,
        view.links,
        catalog?.linkTypes ?? [],
        (suspects ?? []).map((s) => ({ linkId: s.linkId, cause: `${statusText(s.reason)}: ${s.cause.replace('@', ' revision ')} (${s.changedAt.slice(0, 10)})` })),
      ),
    [view, catalog, suspects],
  );
  if (view.links.length === 0) return <EmptyState title="No links">This record is not traced to any other record yet.</EmptyState>;
  return (
    <Stack gap="md">
      <ErrorAlert error={suspectsError} title="Suspect links could not be worked out" />
      {(['upstream', 'downstream'] as const).map((dir) => (
        <Paper key={dir} withBorder p="md" radius="md" bg="white">
          <Title order={2} size="h4" mb="xs">
            {dir === 'upstream' ? 'Upstream (what this record comes from)' : 'Downstream (what comes from this record)'}
          </Title>
          {groups[dir].length === 0 ? (
            <Text size="sm" c="gray.7">
              None.
            </Text>
          ) : (
            groups[dir].map((g) => (
              <div key={g.label}>
                <Title order={3} size="h6" mt="xs" mb={4}>
                  {g.label}
                </Title>
                <Table aria-label={`${dir}: ${g.label}`}>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th w={120}>Record</Table.Th>
                      <Table.Th w={80}>Type</Table.Th>
                      <Table.Th>State</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {g.links.map((l) => (
                      <Table.Tr key={l.id}>
                        <Table.Td>
                          <RecordLink productKey={productKey} record={l.other} />
                        </Table.Td>
                        <Table.Td>{l.otherType}</Table.Td>
                        <Table.Td>
                          {l.suspect === undefined ? (
                            <Text size="sm" c="gray.7">
                              {l.confirmedAt === null ? 'linked' : `confirmed ${utcSecond(l.confirmedAt)}`}
                            </Text>
                          ) : (
                            <Group gap={6} wrap="nowrap">
                              <Badge color="#a64b00" variant="filled" radius="sm">
                                suspect
                              </Badge>
                              <Text size="sm">{l.suspect}</Text>
                            </Group>
                          )}
                        </Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </div>
            ))
          )}
        </Paper>
      ))}
      <Text size="sm">
        <Anchor component={Link} to={productPath(productKey, 'trace', 'suspects')}>
          Review suspect links
        </Anchor>
      </Text>
    </Stack>
  );
}

function FindingsPanel({ findings }: { findings: readonly Finding[] }): ReactNode {
  if (findings.length === 0) return <EmptyState title="No findings">The rule check finds nothing to fix on this record.</EmptyState>;
  const anchors = findingAnchors(findings);
  return (
    <Stack gap="sm">
      {findings.map((f, i) => (
        <Paper key={f.id} id={anchors[i]} withBorder p="md" radius="md" bg="white" className="rec-anchor-target" component="section" aria-labelledby={`${anchors[i] ?? ''}-title`}>
          <Group gap="xs" mb={4}>
            <SeverityBadge severity={f.severity} />
            <Text id={`${anchors[i] ?? ''}-title`} fw={600} size="sm">
              {f.title}
            </Text>
          </Group>
          <Text size="sm">{f.message}</Text>
          <Text size="sm" c="gray.7" mt={4}>
            {f.hint}
          </Text>
          <Group gap="md" mt={6}>
            <Text size="xs" ff="monospace">
              {f.ruleId}
            </Text>
            <Text size="xs" c="gray.7">
              {f.clause} · {f.pack}
            </Text>
            <Anchor href={`#${anchors[i] ?? ''}`} size="xs">
              Link to this finding
            </Anchor>
          </Group>
        </Paper>
      ))}
    </Stack>
  );
}

function RevisionsPanel({ history, fieldOrder }: { history: History; fieldOrder: readonly string[] }): ReactNode {
  const [params, setParams] = useSearchParams();
  const revs = history.revisions;
  const latest = revs.at(-1)?.revision ?? 1;
  const num = (name: string, fallback: number): number => {
    const n = Number(params.get(name));
    return revs.some((r) => r.revision === n) ? n : fallback;
  };
  const to = num('to', latest);
  const from = num('from', Math.max(1, to - 1));
  const set = (name: 'from' | 'to', value: string | null): void => {
    const next = new URLSearchParams(params);
    next.set('tab', 'revisions');
    if (value === null) next.delete(name);
    else next.set(name, value);
    setParams(next, { replace: true });
  };
  const a = revs.find((r) => r.revision === from);
  const b = revs.find((r) => r.revision === to);
  const options = revs.map((r) => ({ value: String(r.revision), label: `Revision ${r.revision} · ${r.createdAt.slice(0, 10)}` }));
  return (
    <Stack gap="md">
      <Table withTableBorder bg="white" aria-label="Revisions">
        <Table.Thead>
          <Table.Tr>
            <Table.Th w={90}>Revision</Table.Th>
            <Table.Th>Title</Table.Th>
            <Table.Th w={200}>Written</Table.Th>
            <Table.Th w={140}>By</Table.Th>
            <Table.Th w={110}>Signatures</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {[...revs].reverse().map((r) => (
            <Table.Tr key={r.revision}>
              <Table.Td>
                <RecordLink productKey={history.productKey} record={history.key} revision={r.revision}>
                  {String(r.revision)}
                </RecordLink>
              </Table.Td>
              <Table.Td style={{ overflowWrap: 'anywhere' }}>{r.title}</Table.Td>
              <Table.Td>{utcSecond(r.createdAt)}</Table.Td>
              <Table.Td>{r.createdBy}</Table.Td>
              <Table.Td>{r.signatures.length}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {revs.length < 2 ? (
        <Text size="sm" c="gray.7">
          There is one revision: nothing to compare yet.
        </Text>
      ) : (
        <Paper withBorder p="md" radius="md" bg="white">
          <Title order={2} size="h4" mb="sm">
            Compare revisions
          </Title>
          <Group gap="sm" mb="md">
            <Select label="From revision" data={options} value={String(from)} onChange={(v) => set('from', v)} allowDeselect={false} w={240} />
            <Select label="To revision" data={options} value={String(to)} onChange={(v) => set('to', v)} allowDeselect={false} w={240} />
          </Group>
          {a !== undefined && b !== undefined && <RevisionDiff comparison={compareRevisions(a, b, fieldOrder)} from={from} to={to} />}
        </Paper>
      )}
    </Stack>
  );
}

function SignaturesPanel({ view }: { view: RecordView }): ReactNode {
  if (view.signatures.length === 0) return <EmptyState title="No signatures">Nobody has signed a revision of this record yet.</EmptyState>;
  return (
    <Table withTableBorder bg="white" aria-label="Signatures" style={{ tableLayout: 'fixed' }}>
      <Table.Thead>
        <Table.Tr>
          <Table.Th w={110}>Meaning</Table.Th>
          <Table.Th>Printed name</Table.Th>
          <Table.Th w={200}>Signed (date, time, zone)</Table.Th>
          <Table.Th w={84}>Revision</Table.Th>
          <Table.Th w={90}>Method</Table.Th>
          <Table.Th w={150}>Standing</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {view.signatures.map((s) => (
          <Table.Tr key={s.id} title={s.manifestation}>
            <Table.Td>{statusText(s.meaning)}</Table.Td>
            <Table.Td>
              {s.printedName}{' '}
              <Text span size="xs" c="gray.7">
                ({s.username})
              </Text>
            </Table.Td>
            <Table.Td>{s.signedAtText}</Table.Td>
            <Table.Td>{s.revision}</Table.Td>
            <Table.Td>{s.method}</Table.Td>
            <Table.Td>
              {s.superseded ? (
                <Badge color="gray.7" variant="filled" radius="sm">
                  superseded
                </Badge>
              ) : (
                <Badge color="#2b7a3b" variant="filled" radius="sm">
                  current
                </Badge>
              )}
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

function HistoryPanel({ history, productKey }: { history: History; productKey: string }): ReactNode {
  const events = [...history.events].reverse();
  return (
    <Stack gap="sm">
      <Group justify="space-between">
        <Text size="sm" c="gray.7">
          {events.length} audit events, newest first. Times are UTC.
        </Text>
        <Anchor href={`/api/v1/products/${encodeURIComponent(productKey)}/records/${encodeURIComponent(history.key)}/history?format=csv`} size="sm" download>
          Download as CSV
        </Anchor>
      </Group>
      <Table withTableBorder bg="white" aria-label="Audit history" style={{ tableLayout: 'fixed' }}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th w={200}>When</Table.Th>
            <Table.Th w={140}>Who</Table.Th>
            <Table.Th w={200}>What</Table.Th>
            <Table.Th>Details</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {events.map((e) => (
            <Table.Tr key={e.seq}>
              <Table.Td>{utcSecond(e.occurredAt)}</Table.Td>
              <Table.Td>{e.actor}</Table.Td>
              <Table.Td>{actionText(e.action)}</Table.Td>
              <Table.Td>
                <Text size="xs" style={{ overflowWrap: 'anywhere' }} lineClamp={3}>
                  {e.reason === null ? '' : `Reason: ${e.reason}. `}
                  {e.entityId !== `${productKey}/${history.key}` ? `${e.entityId} ` : ''}
                  {e.newValue ?? ''}
                </Text>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Stack>
  );
}
