import { Alert, Anchor, Badge, Button, Checkbox, Group, Menu, Modal, Paper, Progress, Select, SimpleGrid, Stack, Table, Tabs, Text, Textarea, Title, Loader, VisuallyHidden } from '@mantine/core';
import { useState, type ReactNode } from 'react';
import { Link, useSearchParams } from 'react-router';
import type { ApiOutput } from '../../api/client';
import { useApi, useApiMutation } from '../../api/hooks';
import { productPath, useProductKey } from '../../app/product';
import { EmptyState } from '../../components/EmptyState';
import { ErrorAlert, fieldError } from '../../components/ErrorAlert';
import { QueryView } from '../../components/Loading';
import { PageHeader } from '../../components/PageHeader';
import { RecordLink } from '../../components/RecordLink';
import { nextStates, processInfo, stateColor, stateLabel, tabOf, TABS, TONE, type ProcessInfo } from './processes';
import { readinessColor, readinessLabel } from './readiness';

type Params = URLSearchParams;
type SetParam = (key: string, value: string | null) => void;

/** `/p/:productKey/qms`: the quality processes, ISO 13485 readiness and document control, one tab each (`?tab=`). */
export function QmsPage(): ReactNode {
  const productKey = useProductKey();
  const [params, setParams] = useSearchParams();
  const tab = tabOf(params.get('tab'));
  const set: SetParam = (key, value) => {
    setParams(
      (p) => {
        const next = new URLSearchParams(p);
        if (value === null || value === '') next.delete(key);
        else next.set(key, value);
        return next;
      },
      { replace: true },
    );
  };
  const info = processInfo(tab);
  return (
    <>
      <PageHeader title="Quality processes" description="CAPA, complaints, nonconformances, changes, audits and reviews; ISO 13485 readiness; controlled documents in force." />
      <Tabs
        value={tab}
        onChange={(v) => {
          // A new tab starts without the last tab's filters.
          setParams(v === null || v === 'capa' ? {} : { tab: v });
        }}
        keepMounted={false}
      >
        <Tabs.List mb="md">
          {TABS.map((t) => (
            <Tabs.Tab key={t.value} value={t.value}>
              {t.label}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        {TABS.map((t) => (
          <Tabs.Panel key={t.value} value={t.value}>
            {t.value === tab &&
              (info !== undefined ? (
                <ProcessTab productKey={productKey} info={info} params={params} set={set} />
              ) : tab === 'readiness' ? (
                <ReadinessTab productKey={productKey} params={params} set={set} />
              ) : (
                <DocumentsTab productKey={productKey} />
              ))}
          </Tabs.Panel>
        ))}
      </Tabs>
    </>
  );
}

type ProcessRow = ApiOutput<'qms.list'>['records'][number];

function ProcessTab({ productKey, info, params, set }: { productKey: string; info: ProcessInfo; params: Params; set: SetParam }): ReactNode {
  const state = params.get('state') ?? undefined;
  const overdue = params.get('overdue') === 'true';
  const list = useApi('qms.list', { productKey, kind: info.kind, ...(state === undefined ? {} : { state }), ...(overdue ? { overdue: true } : {}) });
  const [moving, setMoving] = useState<{ row: ProcessRow; to: string } | undefined>();
  // The states a row may show, as the server defines the process (known once its first answer came).
  const states = list.data?.listStates ?? (state === undefined ? [] : [state]);
  return (
    <Stack gap="sm">
      <Group align="flex-end" gap="sm" wrap="wrap">
        <Select
          label="State"
          placeholder="Any state"
          data={[...new Set(states)].map((s) => ({ value: s, label: stateLabel(s) }))}
          value={state ?? null}
          onChange={(v) => set('state', v)}
          clearable
          w={220}
          error={fieldError(list.error, 'state')}
        />
        <Checkbox label="Overdue only" checked={overdue} onChange={(e) => set('overdue', e.currentTarget.checked ? 'true' : null)} mb={8} />
      </Group>
      <QueryView query={list} label={`Loading the ${info.label.toLowerCase()}`}>
        {(data) =>
          data.records.length === 0 ? (
            <EmptyState title={state !== undefined || overdue ? `No ${info.noun} matches these filters` : `No ${info.noun} records yet`}>
              {state !== undefined || overdue
                ? 'Clear the filters to see every record of the process.'
                : `A ${info.noun} is a ${info.type} record: add one from the Records page or with dossier record add ${info.type}.`}
            </EmptyState>
          ) : (
            <Table.ScrollContainer minWidth={720}>
              <Table striped withTableBorder aria-label={`${info.label} of ${productKey}, as of ${data.asOf}`} bg="white">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th w={110}>Record</Table.Th>
                    <Table.Th>Title</Table.Th>
                    <Table.Th w={170}>State</Table.Th>
                    <Table.Th w={140}>Owner</Table.Th>
                    <Table.Th w={130}>Due</Table.Th>
                    <Table.Th w={70}>Age</Table.Th>
                    <Table.Th w={120}>
                      <VisuallyHidden>Actions</VisuallyHidden>
                    </Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {data.records.map((r) => {
                    const next = nextStates(data, r.state);
                    return (
                      <Table.Tr key={r.key} style={r.overdue ? { background: 'var(--mantine-color-red-0)' } : undefined}>
                        <Table.Td>
                          <RecordLink productKey={productKey} record={r.key} />
                        </Table.Td>
                        <Table.Td>
                          <Text size="sm" lineClamp={2}>
                            {r.title}
                          </Text>
                        </Table.Td>
                        <Table.Td>
                          <Badge miw="max-content" color={stateColor(r.state)} variant="filled" radius="sm">
                            {stateLabel(r.state)}
                          </Badge>
                        </Table.Td>
                        <Table.Td>{r.owner ?? <Text span size="sm" c="gray.7">none</Text>}</Table.Td>
                        <Table.Td style={{ whiteSpace: 'nowrap' }}>
                          {r.due ?? <Text span size="sm" c="gray.7">none</Text>}
                          {r.overdue && (
                            <Badge miw="max-content" color={TONE.bad} variant="filled" radius="sm" ml={4}>
                              overdue
                            </Badge>
                          )}
                        </Table.Td>
                        <Table.Td>{r.ageDays === null ? '' : `${r.ageDays} d`}</Table.Td>
                        <Table.Td>
                          {next.length > 0 && (
                            <Menu position="bottom-end" withinPortal>
                              <Menu.Target>
                                <Button size="xs" variant="light" aria-label={`Move ${r.key} to another state`}>
                                  Move
                                </Button>
                              </Menu.Target>
                              <Menu.Dropdown>
                                {next.map((s) => (
                                  <Menu.Item key={s} onClick={() => setMoving({ row: r, to: s })}>
                                    {stateLabel(s)}
                                  </Menu.Item>
                                ))}
                              </Menu.Dropdown>
                            </Menu>
                          )}
                        </Table.Td>
                      </Table.Tr>
                    );
                  })}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )
        }
      </QueryView>
      {info.kind === 'complaint' && list.data !== undefined && list.data.records.length > 0 && <ComplaintDeadlines productKey={productKey} records={list.data.records.slice(0, 20)} />}
      {moving !== undefined && <AdvanceDialog productKey={productKey} info={info} row={moving.row} to={moving.to} onClose={() => setMoving(undefined)} />}
    </Stack>
  );
}

/** Moving a process record to another state: shows the revision the move is based on, asks why, sends it. */
function AdvanceDialog({ productKey, info, row, to, onClose }: { productKey: string; info: ProcessInfo; row: ProcessRow; to: string; onClose: () => void }): ReactNode {
  const record = useApi('record.get', { productKey, record: row.key });
  const advance = useApiMutation('qms.advance');
  const [reason, setReason] = useState('');
  return (
    <Modal opened onClose={onClose} title={<Text fw={700}>{`Move ${row.key} to ${stateLabel(to)}`}</Text>} size="lg" centered closeButtonProps={{ 'aria-label': 'Close the dialog' }}>
      {advance.isSuccess ? (
        <Stack>
          <Alert color="green" variant="light" title="Moved" role="status" styles={{ title: { color: TONE.good }, label: { color: TONE.good } }}>
            {row.key} moved from {stateLabel(advance.data.from)} to {stateLabel(advance.data.to)} (revision {advance.data.record.latestRevision}); the {info.noun} now stands at{' '}
            {stateLabel(advance.data.processState)}.
            {advance.data.created.length > 0 && ` Also written: ${advance.data.created.join(', ')}.`}
          </Alert>
          <Group justify="flex-end">
            <Button onClick={onClose} data-autofocus>
              Close
            </Button>
          </Group>
        </Stack>
      ) : (
        <QueryView query={record} label={`Loading ${row.key}`}>
          {(r) => (
            <form
              onSubmit={(e) => {
                e.preventDefault();
                advance.mutate({ productKey, record: row.key, state: to, baseRevision: r.head.latestRevision, ...(reason.trim() === '' ? {} : { reason: reason.trim() }) });
              }}
            >
              <Stack>
                <Text size="sm">
                  {r.revision.title}: from <strong>{stateLabel(row.state)}</strong> to <strong>{stateLabel(to)}</strong>, as a new revision after revision {r.head.latestRevision}. What the new
                  state needs (a root cause, a decision) is checked by the server; fill missing fields on the record page.
                </Text>
                <Textarea label="Reason (for the audit trail)" value={reason} onChange={(e) => setReason(e.currentTarget.value)} autosize minRows={2} error={fieldError(advance.error, 'reason')} />
                <ErrorAlert error={advance.error} title={`Not moved`} />
                <Group justify="space-between">
                  <Anchor component={Link} to={productPath(productKey, 'records', row.key)} size="sm">
                    Open {row.key}
                  </Anchor>
                  <Group gap="xs">
                    <Button variant="default" onClick={onClose}>
                      Cancel
                    </Button>
                    <Button type="submit" loading={advance.isPending}>
                      Move to {stateLabel(to)}
                    </Button>
                  </Group>
                </Group>
              </Stack>
            </form>
          )}
        </QueryView>
      )}
    </Modal>
  );
}

const REPORT_COLOR: Record<string, string> = {
  overdue: TONE.bad,
  reported_late: TONE.warn,
  due: TONE.pending,
  reported_on_time: TONE.good,
  not_reportable: TONE.neutral,
  undecided: TONE.info,
  no_awareness_date: TONE.warn,
};

/** Each complaint's vigilance report deadlines (FDA, EU). */
function ComplaintDeadlines({ productKey, records }: { productKey: string; records: readonly ProcessRow[] }): ReactNode {
  return (
    <Stack gap="xs" mt="md">
      <Title order={2} size="h4">
        Vigilance report deadlines
      </Title>
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        {records.map((r) => (
          <ComplaintDeadline key={r.key} productKey={productKey} record={r.key} />
        ))}
      </SimpleGrid>
    </Stack>
  );
}

function ComplaintDeadline({ productKey, record }: { productKey: string; record: string }): ReactNode {
  const q = useApi('qms.complaint-deadlines', { productKey, record });
  return (
    <Paper withBorder p="sm" radius="md" bg="white">
      <QueryView query={q} label={`Loading the deadlines of ${record}`}>
        {(d) => (
          <Stack gap={6}>
            <Group gap="xs">
              <RecordLink productKey={productKey} record={d.record} />
              <Text size="sm" fw={600} lineClamp={1}>
                {d.title}
              </Text>
            </Group>
            <Text size="xs" c="gray.7">
              Aware on {d.awareOn ?? 'not recorded'} · state {stateLabel(d.state)} · as of {d.asOf}
            </Text>
            <Table withRowBorders={false} aria-label={`Report deadlines of ${d.record}`}>
              <Table.Tbody>
                {d.reports.map((rep) => (
                  <Table.Tr key={rep.jurisdiction}>
                    <Table.Th w={50}>{rep.jurisdiction}</Table.Th>
                    <Table.Td style={{ whiteSpace: 'nowrap', width: '1%' }}>
                      <Badge miw="max-content" color={REPORT_COLOR[rep.status] ?? TONE.neutral} variant="filled" radius="sm">
                        {stateLabel(rep.status)}
                      </Badge>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{rep.text}</Text>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Stack>
        )}
      </QueryView>
    </Paper>
  );
}

function ReadinessTab({ productKey, params, set }: { productKey: string; params: Params; set: SetParam }): ReactNode {
  const q = useApi('qms.readiness', { productKey });
  const status = params.get('status');
  return (
    <QueryView query={q} label="Judging the quality system against ISO 13485">
      {(r) => {
        const clauses = status === null ? r.clauses : r.clauses.filter((c) => c.status === status);
        return (
          <Stack gap="md">
            <Paper withBorder p="md" radius="md" bg="white">
              <Group justify="space-between" align="flex-start" wrap="wrap">
                <Stack gap={4} maw={640}>
                  <Text fw={700} size="xl">
                    {r.score.percent}% ready
                  </Text>
                  <Text size="sm">
                    {r.score.met} of {r.score.applicable} applicable clauses met, judged on {r.today}.
                  </Text>
                  <Text size="xs" c="gray.7">
                    Score: {r.score.method}.
                  </Text>
                </Stack>
                <Group gap="xs">
                  <Badge miw="max-content" color={TONE.good} variant="filled" radius="sm">{`${r.counts.met} met`}</Badge>
                  <Badge miw="max-content" color={TONE.bad} variant="filled" radius="sm">{`${r.counts.overdue} overdue`}</Badge>
                  <Badge miw="max-content" color={TONE.pending} variant="filled" radius="sm">{`${r.counts.draftOnly} draft only`}</Badge>
                  <Badge miw="max-content" color={TONE.warn} variant="filled" radius="sm">{`${r.counts.missing} missing`}</Badge>
                  <Badge miw="max-content" color={TONE.neutral} variant="filled" radius="sm">{`${r.counts.notApplicable} not applicable`}</Badge>
                </Group>
              </Group>
              <Progress value={r.score.percent} mt="sm" aria-label={`Readiness ${r.score.percent} percent`} />
            </Paper>
            <Select
              label="Clauses"
              placeholder="Every clause"
              data={['met', 'overdue', 'draft_only', 'missing', 'not_applicable'].map((s) => ({ value: s, label: readinessLabel(s) }))}
              value={status}
              onChange={(v) => set('status', v)}
              clearable
              w={220}
            />
            {clauses.length === 0 ? (
              <EmptyState title="No clause in this state" />
            ) : (
              <Table.ScrollContainer minWidth={760}>
                <Table withTableBorder striped aria-label="ISO 13485 clauses with their evidence and gaps" bg="white" verticalSpacing="xs">
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th w={70}>Clause</Table.Th>
                      <Table.Th w={220}>Subject</Table.Th>
                      <Table.Th w={150}>Status</Table.Th>
                      <Table.Th>Evidence</Table.Th>
                      <Table.Th>Gaps</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {clauses.map((c) => (
                      <Table.Tr key={c.number}>
                        <Table.Td ff="monospace">{c.number}</Table.Td>
                        <Table.Td>
                          <Text size="sm">{c.title}</Text>
                          {c.procedureRequired && (
                            <Text size="xs" c="gray.7">
                              documented procedure required
                            </Text>
                          )}
                        </Table.Td>
                        <Table.Td>
                          <Badge miw="max-content" color={readinessColor(c.status)} variant="filled" radius="sm">
                            {readinessLabel(c.status)}
                          </Badge>
                        </Table.Td>
                        <Table.Td>
                          {c.notApplicable !== null ? (
                            <Text size="sm" c="gray.7">
                              {c.notApplicable}
                            </Text>
                          ) : (
                            <Stack gap={2}>
                              {c.documents.map((d) => (
                                <Text size="sm" key={d.key}>
                                  <RecordLink productKey={productKey} record={d.key} /> {d.number ?? ''} {d.title}{' '}
                                  <Text span size="xs" c={d.inForce ? TONE.good : TONE.warn}>
                                    ({d.inForce ? `in force${d.version === null ? '' : `, v${d.version}`}` : d.status.replaceAll('_', ' ')})
                                  </Text>
                                </Text>
                              ))}
                              {c.records.length > 0 && (
                                <Text size="xs" c="gray.7">
                                  Records: {c.records.map((x) => `${x.count} ${x.type}`).join(', ')}
                                </Text>
                              )}
                              {c.documents.length === 0 && c.records.length === 0 && (
                                <Text size="sm" c="gray.7">
                                  none
                                </Text>
                              )}
                            </Stack>
                          )}
                        </Table.Td>
                        <Table.Td>
                          <Stack gap={2}>
                            {c.missing.map((m) => (
                              <Text size="sm" key={m} c={TONE.warn}>
                                {m}
                              </Text>
                            ))}
                            {c.overdue.map((o) => (
                              <Text size="sm" key={`${o.record}-${o.kind}`} c={TONE.bad}>
                                <RecordLink productKey={productKey} record={o.record} /> {o.what} (due {o.dueOn})
                              </Text>
                            ))}
                          </Stack>
                        </Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
            )}
          </Stack>
        );
      }}
    </QueryView>
  );
}

type DocumentRow = ApiOutput<'document.list'>['documents'][number];

function DocumentsTab({ productKey }: { productKey: string }): ReactNode {
  const q = useApi('document.list', { productKey });
  return (
    <QueryView query={q} label="Loading the document register">
      {(d) =>
        d.documents.length === 0 ? (
          <EmptyState title="No controlled documents yet">Procedures and work instructions are DOC records; one is in force once made effective.</EmptyState>
        ) : (
          <Table.ScrollContainer minWidth={820}>
            <Table withTableBorder striped aria-label={`Controlled documents of ${productKey}, as of ${d.today}`} bg="white">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th w={90}>Record</Table.Th>
                  <Table.Th w={100}>Number</Table.Th>
                  <Table.Th>Title</Table.Th>
                  <Table.Th w={110}>Status</Table.Th>
                  <Table.Th w={110}>In force</Table.Th>
                  <Table.Th w={110}>Effective</Table.Th>
                  <Table.Th w={130}>Next review</Table.Th>
                  <Table.Th w={150}>Training</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {d.documents.map((doc) => (
                  <Table.Tr key={doc.document}>
                    <Table.Td>
                      <RecordLink productKey={productKey} record={doc.document} />
                    </Table.Td>
                    <Table.Td ff="monospace">{doc.number ?? ''}</Table.Td>
                    <Table.Td>
                      <Text size="sm" lineClamp={2}>
                        {doc.title}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Badge miw="max-content" color={stateColor(doc.obsolete ? 'obsolete' : doc.status)} variant="filled" radius="sm">
                        {stateLabel(doc.obsolete ? 'obsolete' : doc.status)}
                      </Badge>
                    </Table.Td>
                    <Table.Td>{doc.version === null ? <Text span size="sm" c="gray.7">not yet</Text> : `v${doc.version} (rev. ${doc.revision ?? '?'})`}</Table.Td>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>{doc.effectiveOn ?? ''}</Table.Td>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>
                      {doc.nextReviewDue ?? ''}
                      {doc.overdue && (
                        <Badge miw="max-content" color={TONE.bad} variant="filled" radius="sm" ml={4}>
                          overdue
                        </Badge>
                      )}
                    </Table.Td>
                    <Table.Td>
                      <TrainingCell productKey={productKey} doc={doc} />
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )
      }
    </QueryView>
  );
}

/** Who is trained on the version in force: `3 of 5 trained`, with the overdue ones counted. */
function TrainingCell({ productKey, doc }: { productKey: string; doc: DocumentRow }): ReactNode {
  const inForce = doc.version !== null && !doc.obsolete;
  const q = useApi('training.status', { productKey, record: doc.document }, { enabled: inForce });
  if (!inForce) return <Text span size="sm" c="gray.7">none</Text>;
  if (q.isPending) return <Loader size="xs" role="status" aria-label={`Loading the training on ${doc.document}`} />;
  if (q.isError) return <Text span size="sm" c={TONE.bad}>{q.error.message}</Text>;
  const current = q.data.people.filter((p) => p.status !== 'superseded');
  const done = current.filter((p) => p.status === 'completed').length;
  const late = current.filter((p) => p.status === 'overdue').length;
  if (current.length === 0) return <Text span size="sm" c="gray.7">nobody assigned</Text>;
  return (
    <Text size="sm" title={current.map((p) => `${p.username}: ${p.status}`).join('\n')}>
      {done} of {current.length} trained
      {late > 0 && (
        <Badge miw="max-content" color={TONE.bad} variant="filled" radius="sm" ml={4}>
          {`${late} overdue`}
        </Badge>
      )}
    </Text>
  );
}
