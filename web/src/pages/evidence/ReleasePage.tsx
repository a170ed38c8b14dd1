import { Alert, Anchor, Badge, Button, Code, Group, Paper, Progress, SegmentedControl, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import type { ApiOutput } from '../../api/client';
import { useApi } from '../../api/hooks';
import { productPath, useProductKey } from '../../app/product';
import { EmptyState } from '../../components/EmptyState';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Loading, QueryView } from '../../components/Loading';
import { PageHeader } from '../../components/PageHeader';
import { RecordLink, SeverityBadge } from '../../components/RecordLink';
import { SignButton } from '../../components/SignDialog';
import { bySeverity, findingAnchor, runTotals } from './evidence-logic';
import { Totals, When } from './parts';
import { ReleaseStatus } from './ReleasesPage';

type Check = ApiOutput<'release.check'>;
type Finding = Check['findings'][number];

/** `releases/:version`: a release baseline, its release gate, its signatures and signing it. */
export function ReleasePage(): ReactNode {
  const productKey = useProductKey();
  const version = useParams()['version'] ?? '';
  const show = useApi('release.show', { productKey, version });
  const check = useApi('release.check', { productKey, version }, { staleTime: 60_000 });
  return (
    <>
      <PageHeader
        title={`Release ${version}`}
        description="The frozen baseline, the release gate on it, and the signatures that release it."
        actions={
          <Group gap="xs">
            <Button component={Link} to={productPath(productKey, 'releases')} variant="default">
              All releases
            </Button>
            <Button onClick={() => void check.refetch()} loading={check.isFetching} loaderProps={{ type: 'dots' }}>
              Run release check
            </Button>
          </Group>
        }
      />
      <QueryView query={show} label="Loading the release">
        {(s) => (
          <>
            <BaselinePanel release={s.release} productKey={productKey} />
            <SignaturesPanel show={s} productKey={productKey} />
          </>
        )}
      </QueryView>
      <Paper withBorder radius="md" p="md" my="md" bg="white" component="section" aria-labelledby="gate-title">
        <Title order={2} size="h4" id="gate-title" mb="sm">
          Release gate
        </Title>
        {check.isFetching && (
          <Stack gap={4} mb="sm" role="status" aria-live="polite">
            <Text size="sm">Checking the baseline against the rule packs and the gate…</Text>
            <Progress value={100} animated striped aria-label="Release check in progress" />
          </Stack>
        )}
        {check.isError && <ErrorAlert error={check.error} title="The release check failed" />}
        {check.data === undefined ? !check.isFetching && !check.isError && <Loading label="Loading the release gate" /> : <GateResult check={check.data} productKey={productKey} />}
      </Paper>
    </>
  );
}

function BaselinePanel({ release: r, productKey }: { release: ApiOutput<'release.show'>['release']; productKey: string }): ReactNode {
  const facts: [string, ReactNode][] = [
    ['Status', <ReleaseStatus key="s" status={r.status} />],
    ['Baseline', `${r.baseline}`],
    ['Frozen', <span key="f"><When at={r.createdAt} /> by {r.createdBy}</span>],
    ['Released', r.releasedAt === null ? 'not yet' : <span key="r"><When at={r.releasedAt} /> by {r.releasedBy}</span>],
    ['Baseline hash', <Code key="h" title={r.baselineHash}>{r.baselineHash.slice(0, 16)}…</Code>],
    ['Audit trail anchor', `event ${r.auditSeq}`],
  ];
  return (
    <Paper withBorder radius="md" p="md" mb="md" bg="white" component="section" aria-labelledby="baseline-title">
      <Group justify="space-between" mb="sm">
        <Title order={2} size="h4" id="baseline-title">
          Baseline
        </Title>
        <Anchor component={Link} to={`${productPath(productKey, 'releases', 'diff')}?to=${encodeURIComponent(r.version)}`} size="sm">
          Compare with another release
        </Anchor>
      </Group>
      {r.voidedAt !== null && (
        <Alert color="gray" variant="light" title="This baseline is void" mb="sm">
          Voided <When at={r.voidedAt} /> by {r.voidedBy}: {r.voidReason}
        </Alert>
      )}
      <SimpleGrid cols={{ base: 2, md: 3 }} spacing="xs">
        {facts.map(([k, v]) => (
          <div key={k}>
            <Text size="xs" c="gray.7" fw={600}>
              {k}
            </Text>
            <Text size="sm" component="div">
              {v}
            </Text>
          </div>
        ))}
      </SimpleGrid>
    </Paper>
  );
}

function SignaturesPanel({ show, productKey }: { show: ApiOutput<'release.show'>; productKey: string }): ReactNode {
  const r = show.release;
  return (
    <Paper withBorder radius="md" p="md" mb="md" bg="white" component="section" aria-labelledby="signatures-title">
      <Group justify="space-between" mb="sm">
        <Title order={2} size="h4" id="signatures-title">
          Signatures
        </Title>
        {r.status !== 'void' && <SignButton target={{ kind: 'release', productKey, version: r.version }} label="Sign this release" />}
      </Group>
      {show.waitingFor !== '' && (
        <Text size="sm" mb="sm">
          <strong>Waiting for:</strong> {show.waitingFor}
        </Text>
      )}
      {show.signatures.length === 0 ? (
        <Text size="sm" c="gray.7">
          Nobody has signed this release yet.
        </Text>
      ) : (
        <Stack gap={6}>
          {show.signatures.map((s) => (
            <Group key={s.id} gap="xs" wrap="nowrap" align="flex-start">
              <Badge color={s.superseded ? 'gray.7' : '#237032'} variant={s.superseded ? 'outline' : 'filled'} radius="sm">
                {s.superseded ? 'superseded' : s.meaning}
              </Badge>
              <Text size="sm" td={s.superseded ? 'line-through' : undefined}>
                {s.manifestation}
              </Text>
            </Group>
          ))}
        </Stack>
      )}
    </Paper>
  );
}

function GateResult({ check, productKey }: { check: Check; productKey: string }): ReactNode {
  const [params, setParams] = useSearchParams();
  const groups = bySeverity(check.findings);
  const severity = params.get('severity') ?? 'all';
  const shown = severity === 'all' ? check.findings : check.findings.filter((f) => f.severity === severity);
  const failedVerdicts = Object.entries(check.gate.verdicts).filter(([, v]) => v !== 'passed');
  return (
    <Stack gap="md">
      <Group gap="sm">
        <Badge size="lg" color={check.passed ? '#237032' : 'red.8'} variant="filled" radius="sm">
          {check.passed ? 'Gate passes' : 'Gate fails'}
        </Badge>
        <Text size="sm">
          {check.findings.length} finding{check.findings.length === 1 ? '' : 's'} ({groups.map((g) => `${g.findings.length} ${g.severity}`).join(', ') || 'none'}); it fails on {check.failOn} and above. {check.rules.rulesRun} rules over {check.rules.recordsChecked} records ({check.rules.packs.join(', ')}).
        </Text>
      </Group>
      <SimpleGrid cols={{ base: 1, md: 3 }} spacing="sm">
        <div>
          <Text size="xs" c="gray.7" fw={600}>
            Test results in this release
          </Text>
          <Totals totals={runTotals({ totals: check.gate.totals })} />
          <Text size="xs" c="gray.7" mt={4}>
            {check.evidence.testRuns.length} run{check.evidence.testRuns.length === 1 ? '' : 's'}:{' '}
            {check.evidence.testRuns.map((t, i) => (
              <span key={t.id}>
                {i > 0 && ', '}
                <Anchor component={Link} to={`${productPath(productKey, 'evidence', 'tests')}?run=${t.id}`} size="xs" underline="always">
                  run {t.id}
                </Anchor>
              </span>
            ))}
          </Text>
        </div>
        <div>
          <Text size="xs" c="gray.7" fw={600}>
            Requirements not passed
          </Text>
          {failedVerdicts.length === 0 ? (
            <Text size="sm">none</Text>
          ) : (
            <Group gap={6}>
              {failedVerdicts.map(([rec, v]) => (
                <span key={rec}>
                  <RecordLink productKey={productKey} record={rec} />{' '}
                  <Text span size="xs" c={v === 'failed' ? 'red.9' : 'gray.7'}>
                    {v.replaceAll('_', ' ')}
                  </Text>
                </span>
              ))}
            </Group>
          )}
        </div>
        <div>
          <Text size="xs" c="gray.7" fw={600}>
            Residual anomalies
          </Text>
          {check.gate.residualAnomalies.length === 0 ? (
            <Text size="sm">none</Text>
          ) : (
            check.gate.residualAnomalies.map((a) => (
              <Text size="sm" key={a.record}>
                <RecordLink productKey={productKey} record={a.record} /> {a.title} ({a.criticality})
              </Text>
            ))
          )}
        </div>
      </SimpleGrid>
      {check.findings.length > 0 && (
        <SegmentedControl
          aria-label="Severity"
          value={severity}
          onChange={(v) => {
            const p = new URLSearchParams(params);
            if (v === 'all') p.delete('severity');
            else p.set('severity', v);
            setParams(p, { replace: true });
          }}
          data={[{ value: 'all', label: `All (${check.findings.length})` }, ...groups.map((g) => ({ value: g.severity, label: `${g.severity[0]?.toUpperCase() ?? ''}${g.severity.slice(1)} (${g.findings.length})` }))]}
          w="fit-content"
        />
      )}
      {check.findings.length === 0 ? <EmptyState title="No findings">The baseline meets every rule the gate runs.</EmptyState> : <FindingsTable findings={shown} productKey={productKey} />}
    </Stack>
  );
}

function FindingsTable({ findings, productKey }: { findings: readonly Finding[]; productKey: string }): ReactNode {
  return (
    <Table.ScrollContainer minWidth={860}>
      <Table striped aria-label="Release gate findings" verticalSpacing="xs">
        <Table.Thead>
          <Table.Tr>
            <Table.Th w={120}>Severity</Table.Th>
            <Table.Th w={110}>Record</Table.Th>
            <Table.Th>Finding</Table.Th>
            <Table.Th w={190}>Clause</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {findings.map((f) => (
            <Table.Tr key={f.id}>
              <Table.Td>
                <SeverityBadge severity={f.severity} />
              </Table.Td>
              <Table.Td>
                {f.record === null ? (
                  <Text span size="sm" c="gray.7">
                    product
                  </Text>
                ) : (
                  <Anchor component={Link} to={`${productPath(productKey, 'records', f.record)}#${findingAnchor(f.ruleId)}`} ff="monospace" size="sm">
                    {f.record}
                  </Anchor>
                )}
              </Table.Td>
              <Table.Td>
                <Text size="sm" fw={600}>
                  {f.message}
                </Text>
                <Text size="xs" c="gray.7">
                  {f.title}. {f.hint}
                </Text>
              </Table.Td>
              <Table.Td>
                <Text size="xs">{f.clause}</Text>
                <Text size="xs" c="gray.7" ff="monospace" style={{ wordBreak: 'break-all' }}>
                  {f.ruleId}
                </Text>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
