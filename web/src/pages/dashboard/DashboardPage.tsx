import { Anchor, Badge, Box, Button, Group, Paper, Progress, ScrollArea, Select, SimpleGrid, Stack, Table, Text, Title, UnstyledButton } from '@mantine/core';
import { LineChart } from '@mantine/charts';
import { useQueries } from '@tanstack/react-query';
import { useMemo, type ReactNode } from 'react';
import { Link, useSearchParams } from 'react-router';
import { call, type ApiError, type ApiOutput } from '../../api/client';
import { apiKey, useApi } from '../../api/hooks';
import { productPath, useProductKey } from '../../app/product';
import { EmptyState } from '../../components/EmptyState';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Loading } from '../../components/Loading';
import { PageHeader } from '../../components/PageHeader';
import { RecordLink } from '../../components/RecordLink';
import { RiskHeatMap } from '../risk/RiskHeatMap';
import { isControlled } from '../risk/risk-data';
import { TONE } from '../../components/tones';
import { auditRecordKey, bareKey, countBySeverity, countingReleases, filterFindings, groupByClause, humanAction, ratio, SEVERITIES, verifiedInRelease, type Ratio } from './dashboard-data';

type Finding = ApiOutput<'check.run'>['findings'][number];

function Card({ id, title, action, children, span }: { id: string; title: string; action?: ReactNode; children: ReactNode; span?: boolean }): ReactNode {
  return (
    <Paper withBorder p="md" radius="md" bg="white" component="section" aria-labelledby={`${id}-title`} style={span === true ? { gridColumn: '1 / -1' } : undefined}>
      <Group justify="space-between" mb="sm" wrap="wrap" gap="xs">
        <Title order={2} size="h4" id={`${id}-title`}>
          {title}
        </Title>
        {action}
      </Group>
      {children}
    </Paper>
  );
}

function useParam(name: string): [string | undefined, (v: string | undefined) => void] {
  const [params, setParams] = useSearchParams();
  const v = params.get(name) ?? undefined;
  return [
    v,
    (next) =>
      setParams(
        (prev) => {
          const p = new URLSearchParams(prev);
          if (next === undefined) p.delete(name);
          else p.set(name, next);
          return p;
        },
        { replace: true, preventScrollReset: true },
      ),
  ];
}

/** A finding's severity (the shared SeverityBadge's orange is too light for its white text). */
function SeverityBadge({ severity }: { severity: string }): ReactNode {
  return (
    <Badge color={severity === 'error' ? TONE.red : severity === 'warning' ? TONE.orange : TONE.blue} variant="filled" radius="sm">
      {severity}
    </Badge>
  );
}

const SEVERITY_LABEL: Record<string, string> = { error: 'Errors', warning: 'Warnings', info: 'Notes' };

/** Release readiness: the rule check on the working records, or the release gate of a chosen release. */
function Readiness({ productKey }: { productKey: string }): ReactNode {
  const [source, setSource] = useParam('check');
  const [severity, setSeverity] = useParam('severity');
  const [clause, setClause] = useParam('clause');
  const releases = useApi('release.list', { productKey });
  const version = source === undefined || source === 'now' ? undefined : source;
  const now = useApi('check.run', { productKey }, { enabled: version === undefined });
  const gate = useApi('release.check', { productKey, version: version ?? '' }, { enabled: version !== undefined });
  const q = version === undefined ? now : gate;
  const findings: readonly Finding[] = q.data?.findings ?? [];
  const counts = countBySeverity(findings);
  const clauses = useMemo(() => groupByClause(findings), [findings]);
  const shown = filterFindings(findings, { severity, clause });
  const options = [
    { value: 'now', label: 'Working records now (rule check)' },
    ...countingReleases(releases.data ?? [])
      .reverse()
      .map((r) => ({ value: r.version, label: `Release ${r.version} gate (${r.status}, baseline ${r.baseline})` })),
  ];
  const gateData = version === undefined ? undefined : gate.data;
  return (
    <Card
      id="readiness"
      title="Release readiness"
      span
      action={
        <Select
          label="Check"
          data={options}
          value={version ?? 'now'}
          onChange={(v) => {
            setSource(v === null || v === 'now' ? undefined : v);
          }}
          allowDeselect={false}
          w={340}
          size="xs"
          error={releases.isError ? releases.error.message : undefined}
        />
      }
    >
      {q.isPending ? (
        <Loading label="Running the check" />
      ) : q.isError ? (
        <ErrorAlert error={q.error} title={version === undefined ? 'The rule check could not run' : `The release gate of ${version} could not run`} />
      ) : (
        <Stack gap="sm">
          <Group gap="sm" wrap="wrap">
            {gateData !== undefined && (
              <Badge size="lg" color={gateData.passed ? TONE.green : TONE.red} variant="filled" radius="sm">
                {gateData.passed ? `Gate passes (fails on ${gateData.failOn})` : `Gate fails (fails on ${gateData.failOn})`}
              </Badge>
            )}
            {SEVERITIES.map((s) => (
              <Button
                key={s}
                size="xs"
                variant={severity === s ? 'filled' : 'default'}
                color={s === 'error' ? TONE.red : s === 'warning' ? TONE.orange : TONE.blue}
                aria-pressed={severity === s}
                onClick={() => setSeverity(severity === s ? undefined : s)}
              >
                {`${counts[s]} ${SEVERITY_LABEL[s]?.toLowerCase() ?? s}`}
              </Button>
            ))}
            <Text size="xs" c="gray.7">
              {version === undefined
                ? `${now.data?.rulesRun ?? 0} rules over ${now.data?.recordsChecked ?? 0} records (${(now.data?.packs ?? []).join(', ')})`
                : `${gate.data?.rules.rulesRun ?? 0} rules over ${gate.data?.rules.recordsChecked ?? 0} records of the frozen baseline, plus the gate's own checks`}
            </Text>
          </Group>
          {findings.length === 0 ? (
            <EmptyState title="No findings">Every rule in force passes{version === undefined ? ' on the working records' : ` on release ${version}`}.</EmptyState>
          ) : (
            <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
              <Box>
                <Text size="sm" fw={600} mb={4} id="by-clause">
                  Findings by standard clause
                </Text>
                <ScrollArea.Autosize mah={340} type="auto">
                  <Table aria-labelledby="by-clause" stickyHeader verticalSpacing={4} highlightOnHover>
                    <Table.Thead>
                      <Table.Tr>
                        <Table.Th scope="col">Clause</Table.Th>
                        <Table.Th scope="col" ta="right">
                          Errors
                        </Table.Th>
                        <Table.Th scope="col" ta="right">
                          Warnings
                        </Table.Th>
                        <Table.Th scope="col" ta="right">
                          Notes
                        </Table.Th>
                      </Table.Tr>
                    </Table.Thead>
                    <Table.Tbody>
                      {clauses.map((c) => (
                        <Table.Tr key={c.clause} bg={clause === c.clause ? 'blue.0' : undefined}>
                          <Table.Td>
                            <UnstyledButton
                              onClick={() => setClause(clause === c.clause ? undefined : c.clause)}
                              aria-pressed={clause === c.clause}
                              style={{ textDecoration: 'underline', color: 'var(--mantine-color-blue-9)', fontSize: 'var(--mantine-font-size-sm)' }}
                            >
                              {c.clause}
                            </UnstyledButton>
                          </Table.Td>
                          <Table.Td ta="right" fw={c.counts.error > 0 ? 700 : 400} c={c.counts.error > 0 ? 'red.9' : undefined}>
                            {c.counts.error}
                          </Table.Td>
                          <Table.Td ta="right">{c.counts.warning}</Table.Td>
                          <Table.Td ta="right">{c.counts.info}</Table.Td>
                        </Table.Tr>
                      ))}
                    </Table.Tbody>
                  </Table>
                </ScrollArea.Autosize>
              </Box>
              <Box>
                <Group justify="space-between" mb={4} gap="xs">
                  <Text size="sm" fw={600} id="finding-list">
                    {`Findings${severity === undefined ? '' : ` · ${severity}`}${clause === undefined ? '' : ` · ${clause}`} (${shown.length})`}
                  </Text>
                  {(severity !== undefined || clause !== undefined) && (
                    <Button
                      size="compact-xs"
                      variant="subtle"
                      onClick={() => {
                        setSeverity(undefined);
                        setClause(undefined);
                      }}
                    >
                      Clear filters
                    </Button>
                  )}
                </Group>
                <ScrollArea.Autosize mah={340} type="auto">
                  {shown.length === 0 ? (
                    <Text size="sm" c="gray.7">
                      No finding matches these filters.
                    </Text>
                  ) : (
                    <Table aria-labelledby="finding-list" verticalSpacing={4} data-testid="findings">
                      <Table.Thead>
                        <Table.Tr>
                          <Table.Th scope="col">Severity</Table.Th>
                          <Table.Th scope="col">Record</Table.Th>
                          <Table.Th scope="col">Finding</Table.Th>
                        </Table.Tr>
                      </Table.Thead>
                      <Table.Tbody>
                        {shown.map((f) => (
                          <Table.Tr key={f.id}>
                            <Table.Td>
                              <SeverityBadge severity={f.severity} />
                            </Table.Td>
                            <Table.Td>
                              {f.record === null ? (
                                <Text size="xs" c="gray.7">
                                  product
                                </Text>
                              ) : (
                                <Anchor component={Link} to={`${productPath(productKey, 'records', bareKey(f.record))}#finding-${encodeURIComponent(f.ruleId)}`} ff="monospace" size="sm">
                                  {bareKey(f.record)}
                                </Anchor>
                              )}
                            </Table.Td>
                            <Table.Td>
                              <Text size="sm">{f.message}</Text>
                              <Text size="xs" c="gray.7">
                                {f.clause}
                              </Text>
                            </Table.Td>
                          </Table.Tr>
                        ))}
                      </Table.Tbody>
                    </Table>
                  )}
                </ScrollArea.Autosize>
              </Box>
            </SimpleGrid>
          )}
        </Stack>
      )}
    </Card>
  );
}

function CoverageLine({ label, r, to, detail }: { label: string; r: Ratio; to: string; detail: string }): ReactNode {
  const pct = r.percent;
  return (
    <Box>
      <Group justify="space-between" gap="xs" wrap="nowrap">
        <Anchor component={Link} to={to} size="sm" fw={600}>
          {label}
        </Anchor>
        <Text size="sm" fw={700} data-testid={`coverage-${label}`}>
          {pct === null ? 'nothing to cover' : `${pct}% (${r.covered} of ${r.total})`}
        </Text>
      </Group>
      <Progress value={pct ?? 0} color={pct === 100 ? 'green.8' : pct !== null && pct >= 80 ? 'yellow.7' : 'red.7'} aria-label={`${label}: ${pct ?? 0}%`} mt={4} />
      <Text size="xs" c="gray.7" mt={2}>
        {detail}
      </Text>
    </Box>
  );
}

function Coverage({ productKey }: { productKey: string }): ReactNode {
  const un = useApi('trace.matrix', { productKey, from: 'UN', to: 'VAL' });
  const srs = useApi('trace.matrix', { productKey, from: 'SRS', to: 'TC' });
  const risks = useApi('risk.table', { productKey });
  const all = [un, srs, risks];
  const failed = all.find((q) => q.isError);
  return (
    <Card id="coverage" title="Trace coverage">
      {all.some((q) => q.isPending) ? (
        <Loading label="Working out coverage" />
      ) : failed !== undefined ? (
        <ErrorAlert error={failed.error} title="Coverage could not be worked out" />
      ) : un.data === undefined || srs.data === undefined || risks.data === undefined ? null : un.data.rows.length + srs.data.rows.length + risks.data.rows.length === 0 ? (
        <EmptyState title="Nothing to trace yet">User needs, software requirements and risks appear here with how far they are validated, verified and controlled.</EmptyState>
      ) : (
        <Stack gap="md">
          <CoverageLine
            label="User needs validated"
            r={ratio(un.data.coveredRows, un.data.rows.length)}
            to={`${productPath(productKey, 'trace', 'matrix')}?from=UN&to=VAL`}
            detail="User needs (UN) that reach a validation (VAL) through the trace."
          />
          <CoverageLine
            label="Requirements verified"
            r={ratio(srs.data.coveredRows, srs.data.rows.length)}
            to={`${productPath(productKey, 'trace', 'matrix')}?from=SRS&to=TC`}
            detail="Software requirements (SRS) that reach a test case (TC)."
          />
          <CoverageLine
            label="Risks controlled"
            r={ratio(risks.data.rows.filter(isControlled).length, risks.data.rows.length)}
            to={productPath(productKey, 'risk')}
            detail="Risks whose every control passed its verification."
          />
        </Stack>
      )}
    </Card>
  );
}

/** Coverage per release, from what the API can compute on each frozen baseline. */
function Trend({ productKey }: { productKey: string }): ReactNode {
  const releases = useApi('release.list', { productKey });
  const list = countingReleases(releases.data ?? []).slice(-8);
  const checks = useQueries({
    queries: list.map((r) => {
      const input = { productKey, version: r.version };
      return { queryKey: apiKey('release.check', input), queryFn: ({ signal }: { signal: AbortSignal }) => call('release.check', input, { signal }) };
    }),
  });
  const tables = useQueries({
    queries: list.map((r) => {
      const input = { productKey, release: r.version };
      return { queryKey: apiKey('risk.table', input), queryFn: ({ signal }: { signal: AbortSignal }) => call('risk.table', input, { signal }) };
    }),
  });
  const pending = releases.isPending || checks.some((q) => q.isPending) || tables.some((q) => q.isPending);
  const error = (releases.error ?? checks.find((q) => q.isError)?.error ?? tables.find((q) => q.isError)?.error) as ApiError | null | undefined;
  const points = list.map((r, i) => {
    const verified = verifiedInRelease(checks[i]?.data?.gate.verdicts ?? {});
    const rows = tables[i]?.data?.rows ?? [];
    const controlled = ratio(rows.filter(isControlled).length, rows.length);
    return { release: r.version, verified, controlled };
  });
  const data = points.map((p) => ({ release: p.release, 'Requirements verified': p.verified.percent, 'Risks controlled': p.controlled.percent }));
  return (
    <Card id="trend" title="Coverage over releases">
      {pending ? (
        <Loading label="Checking each release" />
      ) : error !== undefined && error !== null ? (
        <ErrorAlert error={error} title="The releases could not be checked" />
      ) : list.length === 0 ? (
        <EmptyState title="No release yet">Freeze a release (dossier release create) to follow coverage from one release to the next.</EmptyState>
      ) : (
        <Stack gap="xs">
          <LineChart
            h={200}
            data={data}
            dataKey="release"
            yAxisProps={{ domain: [0, 100] }}
            unit="%"
            withLegend
            connectNulls
            series={[
              { name: 'Requirements verified', color: 'blue.8' },
              { name: 'Risks controlled', color: 'teal.8' },
            ]}
          />
          <Table aria-label="Coverage per release" verticalSpacing={2} fz="sm">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">Release</Table.Th>
                <Table.Th scope="col">Requirements verified</Table.Th>
                <Table.Th scope="col">Risks controlled</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {points.map((p) => (
                <Table.Tr key={p.release}>
                  <Table.Th scope="row">{p.release}</Table.Th>
                  <Table.Td>{p.verified.percent === null ? '—' : `${p.verified.percent}% (${p.verified.covered} of ${p.verified.total})`}</Table.Td>
                  <Table.Td>{p.controlled.percent === null ? '—' : `${p.controlled.percent}% (${p.controlled.covered} of ${p.controlled.total})`}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          <Text size="xs" c="gray.7">
            Per release: requirements with a passing result in that release&apos;s own test runs (release gate), and risks whose controls all passed, on its
            frozen baseline. User-need validation is not shown per release: the trace matrix reads the records as they are now, not a baseline.
            {list.length === 1 ? ' One release so far.' : ''}
          </Text>
        </Stack>
      )}
    </Card>
  );
}

function Approvals({ productKey }: { productKey: string }): ReactNode {
  const inbox = useApi('signature.inbox', {});
  const mine = inbox.data?.items.filter((i) => i.productKey === productKey) ?? [];
  const elsewhere = (inbox.data?.count ?? 0) - mine.length;
  return (
    <Card
      id="approvals"
      title="Waiting for my signature"
      action={
        <Anchor component={Link} to="/approvals" size="sm">
          Open approvals
        </Anchor>
      }
    >
      {inbox.isPending ? (
        <Loading label="Loading your inbox" />
      ) : inbox.isError ? (
        <ErrorAlert error={inbox.error} title="Your inbox could not be read" />
      ) : mine.length === 0 ? (
        <EmptyState title="Nothing to sign">{elsewhere > 0 ? `${elsewhere} waiting on other products.` : 'Records in review that need your signature appear here.'}</EmptyState>
      ) : (
        <Stack gap={6} component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
          {mine.slice(0, 8).map((i) => (
            <Group key={`${i.record}@${i.revision}`} component="li" gap="xs" wrap="wrap" justify="space-between">
              <Group gap="xs" wrap="nowrap" style={{ minWidth: 0, flex: '1 1 200px' }}>
                <span style={{ whiteSpace: 'nowrap' }}>
                  <RecordLink productKey={productKey} record={i.key} revision={i.revision} />
                </span>
                <Text size="sm" lineClamp={1}>
                  {i.title}
                </Text>
              </Group>
              <Group gap={4} wrap="nowrap">
                <Badge variant="outline" color={TONE.gray} radius="sm" style={{ flexShrink: 0, overflow: 'visible' }}>
                  {i.meaning}
                </Badge>
                <Text size="xs" c="gray.7" style={{ whiteSpace: 'nowrap' }}>
                  {`since ${i.since.slice(0, 10)}`}
                </Text>
              </Group>
            </Group>
          ))}
          {mine.length > 8 && (
            <Text size="sm" c="gray.7">
              {`and ${mine.length - 8} more`}
            </Text>
          )}
        </Stack>
      )}
    </Card>
  );
}

function Activity({ productKey }: { productKey: string }): ReactNode {
  const log = useApi('audit.log', { productKey, limit: 15, newestFirst: true });
  return (
    <Card
      id="activity"
      title="Recent activity"
      action={
        <Anchor component={Link} to={`/admin/audit?productKey=${encodeURIComponent(productKey)}`} size="sm">
          Audit trail
        </Anchor>
      }
    >
      {log.isPending ? (
        <Loading label="Loading recent activity" />
      ) : log.isError ? (
        <ErrorAlert error={log.error} title="Recent activity could not be read" />
      ) : log.data.events.length === 0 ? (
        <EmptyState title="No activity yet">Every change to this product is recorded in its audit trail and the latest appear here.</EmptyState>
      ) : (
        <ScrollArea.Autosize mah={360} type="auto">
          <Table aria-label="Recent activity" verticalSpacing={3} fz="sm">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">When (UTC)</Table.Th>
                <Table.Th scope="col">Who</Table.Th>
                <Table.Th scope="col">What</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {log.data.events.map((e) => {
                const key = auditRecordKey(e.entityType, e.entityId);
                return (
                  <Table.Tr key={e.seq}>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>
                      <time dateTime={e.occurredAt}>{e.occurredAt.slice(0, 16).replace('T', ' ')}</time>
                    </Table.Td>
                    <Table.Td>{e.actor}</Table.Td>
                    <Table.Td>
                      {humanAction(e.action)}{' '}
                      {key === undefined ? (
                        <Text span size="sm" c="gray.7" ff="monospace">
                          {e.entityId}
                        </Text>
                      ) : (
                        <RecordLink productKey={productKey} record={key} />
                      )}
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </ScrollArea.Autosize>
      )}
    </Card>
  );
}

/** `dashboard`: a product at a glance — readiness, coverage and its trend, the risk matrix, signatures, activity. */
export function DashboardPage(): ReactNode {
  const productKey = useProductKey();
  const product = useApi('product.get', { productKey });
  return (
    <>
      <PageHeader title={product.data === undefined ? `${productKey} dashboard` : `${product.data.name} dashboard`} description="Release readiness, trace coverage, risk and what waits for you." />
      <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="md">
        <Readiness productKey={productKey} />
        <Coverage productKey={productKey} />
        <Trend productKey={productKey} />
        <Card
          id="risk-matrix"
          title="Risk matrix"
          span
          action={
            <Anchor component={Link} to={productPath(productKey, 'risk', 'matrix')} size="sm">
              Open the risk matrix
            </Anchor>
          }
        >
          <RiskHeatMap productKey={productKey} />
        </Card>
        <Approvals productKey={productKey} />
        <Activity productKey={productKey} />
      </SimpleGrid>
    </>
  );
}
