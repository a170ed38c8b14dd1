import { Alert, Anchor, Badge, Box, Button, Group, Paper, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { Link, useParams } from 'react-router';
import type { ApiOutput } from '../../api/client';
import { useApi } from '../../api/hooks';
import { productPath, useProductKey } from '../../app/product';
import { EmptyState } from '../../components/EmptyState';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Loading } from '../../components/Loading';
import { PageHeader } from '../../components/PageHeader';
import { RecordLink } from '../../components/RecordLink';
import { TONE } from '../../components/tones';
import { ZoneBadge } from './RiskHeatMap';
import { isZone, verificationOf, ZONE_LABEL } from './risk-data';

type RiskFile = ApiOutput<'risk.file'>;
type RiskRow = RiskFile['file']['rows'][number];
type Control = RiskRow['controls'][number];

/** Alert titles in dark text: the light variant's coloured title is too pale on its tinted background. */
const DARK_TITLE = { title: { color: 'var(--mantine-color-dark-9)' } };

const VERDICT_COLOR: Record<string, string> = { passed: TONE.green, failed: TONE.red, not_run: TONE.orange, untested: TONE.gray };
const STATUS_TONE: Record<string, string> = { draft: TONE.gray, in_review: TONE.amber, approved: TONE.green, obsolete: TONE.gray };

/** A record's lifecycle status (the shared StatusBadge's approved green is too light for its white text). */
function StatusBadge({ status }: { status: string }): ReactNode {
  return (
    <Badge color={STATUS_TONE[status] ?? TONE.blue} variant="filled" radius="sm">
      {status.replaceAll('_', ' ')}
    </Badge>
  );
}

function Verdict({ v }: { v: string }): ReactNode {
  return (
    <Badge color={VERDICT_COLOR[v] ?? 'gray.7'} variant="filled" radius="sm">
      {v.replaceAll('_', ' ')}
    </Badge>
  );
}

/** Records of one step of the chain, each with its title and a link to its page. */
function Records({ productKey, keys, titles, none = 'None recorded' }: { productKey: string; keys: readonly string[]; titles: Readonly<Record<string, string>>; none?: string }): ReactNode {
  if (keys.length === 0) {
    return (
      <Text size="sm" c="red.9">
        {none}
      </Text>
    );
  }
  return (
    <Stack gap={2} component="ul" style={{ listStyle: 'none', margin: 0, padding: 0 }}>
      {keys.map((k) => (
        <Group key={k} gap="xs" component="li" wrap="nowrap" align="baseline">
          <RecordLink productKey={productKey} record={k} />
          {titles[k] !== undefined && <Text size="sm">{titles[k]}</Text>}
        </Group>
      ))}
    </Stack>
  );
}

function Step({ n, title, children }: { n: number; title: string; children: ReactNode }): ReactNode {
  return (
    <Paper withBorder p="sm" bg="white" component="li" style={{ listStyle: 'none' }}>
      <Text size="xs" c="gray.7" fw={600} tt="uppercase">
        {`${n}. ${title}`}
      </Text>
      <Box mt={4}>{children}</Box>
    </Paper>
  );
}

function ControlCard({ productKey, control, titles }: { productKey: string; control: Control; titles: Readonly<Record<string, string>> }): ReactNode {
  const headingId = `control-${control.key}`;
  return (
    <Paper withBorder p="md" bg="white" component="section" aria-labelledby={headingId}>
      <Group justify="space-between" wrap="wrap" gap="xs">
        <Group gap="xs" wrap="nowrap">
          <Title order={3} size="h5" id={headingId}>
            <Anchor component={Link} to={productPath(productKey, 'records', control.key)} ff="monospace">
              {control.key}
            </Anchor>{' '}
            {control.title}
          </Title>
        </Group>
        <Group gap={6}>
          <StatusBadge status={control.status} />
          <Badge variant="outline" color={TONE.gray} radius="sm">
            {control.option.replaceAll('_', ' ')}
          </Badge>
          <Text size="sm" fw={600}>
            Verification:
          </Text>
          <Verdict v={control.verification} />
        </Group>
      </Group>
      <SimpleGrid cols={{ base: 1, sm: 2 }} mt="sm" spacing="md">
        <div>
          <Text size="sm" fw={600} mb={4}>
            Implemented by
          </Text>
          <Records productKey={productKey} keys={control.implementedBy} titles={titles} none="No requirement implements this control" />
        </div>
        <div>
          <Text size="sm" fw={600} mb={4} id={`${headingId}-tests`}>
            Verified by (latest result)
          </Text>
          {control.tests.length === 0 ? (
            <Text size="sm" c="red.9">
              No test verifies this control
            </Text>
          ) : (
            <Table aria-labelledby={`${headingId}-tests`} withRowBorders={false} verticalSpacing={2}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Test</Table.Th>
                  <Table.Th>Latest result</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {control.tests.map((t) => (
                  <Table.Tr key={t.key}>
                    <Table.Td>
                      <RecordLink productKey={productKey} record={t.key} />
                    </Table.Td>
                    <Table.Td>
                      <Verdict v={t.verdict} />
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
        </div>
      </SimpleGrid>
      {(control.effectiveness.length > 0 || control.introduces.length > 0) && (
        <SimpleGrid cols={{ base: 1, sm: 2 }} mt="sm" spacing="md">
          {control.effectiveness.length > 0 && (
            <div>
              <Text size="sm" fw={600} mb={4}>
                Effectiveness shown by
              </Text>
              <Records productKey={productKey} keys={control.effectiveness} titles={titles} />
            </div>
          )}
          {control.introduces.length > 0 && (
            <div>
              <Text size="sm" fw={600} mb={4}>
                Introduces new risks
              </Text>
              <Stack gap={2}>
                {control.introduces.map((k) => (
                  <Anchor key={k} component={Link} to={productPath(productKey, 'risk', k)} ff="monospace" size="sm">
                    {k}
                  </Anchor>
                ))}
              </Stack>
            </div>
          )}
        </SimpleGrid>
      )}
    </Paper>
  );
}

function Estimates({ file, row }: { file: RiskFile; row: RiskRow }): ReactNode {
  const p = file.file.policy.policy;
  const sev = (k: string): string => p.severity.find((l) => l.key === k)?.name ?? k;
  const prob = (k: string): string => p.probability.find((l) => l.key === k)?.name ?? k;
  return (
    <Table withTableBorder aria-label="Risk estimates" maw={720}>
      <Table.Thead>
        <Table.Tr>
          <Table.Th scope="col">Estimate</Table.Th>
          <Table.Th scope="col">Severity</Table.Th>
          <Table.Th scope="col">Probability</Table.Th>
          <Table.Th scope="col">Basis</Table.Th>
          <Table.Th scope="col">Zone</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {(['initial', 'residual'] as const).map((stage) => {
          const e = row[stage];
          return (
            <Table.Tr key={stage}>
              <Table.Th scope="row">{stage === 'initial' ? 'Before controls' : 'After controls'}</Table.Th>
              <Table.Td>{e === null ? '—' : `${sev(e.severity)} (${e.severity})`}</Table.Td>
              <Table.Td>{e === null ? '—' : `${prob(e.probability)} (${e.probability})`}</Table.Td>
              <Table.Td>{e?.basis ?? '—'}</Table.Td>
              <Table.Td>
                <ZoneBadge zone={e?.zone} />
              </Table.Td>
            </Table.Tr>
          );
        })}
      </Table.Tbody>
    </Table>
  );
}

function Acceptability({ row }: { row: RiskRow }): ReactNode {
  const z = row.residual?.zone;
  const v = verificationOf(row);
  if (!isZone(z)) {
    return (
      <Alert styles={DARK_TITLE} color="orange" variant="light" title="Residual risk not estimated">
        This risk has no estimate after its controls, so its residual acceptability is not judged yet.
      </Alert>
    );
  }
  const color = z === 'acceptable' ? 'green' : z === 'reduce' ? 'yellow' : 'red';
  const verified = v === 'passed' ? 'every control is verified' : v === 'no controls' ? 'it has no control' : v === 'failed' ? 'a control failed its verification' : 'not every control is verified yet';
  return (
    <Alert styles={DARK_TITLE} color={color} variant="light" title={`Residual risk: ${ZONE_LABEL[z]}`}>
      {`After controls the risk sits in the ${ZONE_LABEL[z].toLowerCase()} zone of the policy, and ${verified}.`}
      {z === 'reduce' ? ' A risk in this zone needs a benefit-risk analysis or further reduction where practicable.' : ''}
    </Alert>
  );
}

/** `risk/:record`: one risk's whole chain, from its causes to its verified controls and residual acceptability. */
export function RiskChainPage(): ReactNode {
  const productKey = useProductKey();
  const { record = '' } = useParams();
  const key = record.toUpperCase();
  const file = useApi('risk.file', { productKey });
  const row = file.data?.file.rows.find((r) => r.key === key);
  const titles = file.data?.file.titles ?? {};
  return (
    <>
      <PageHeader
        title={row === undefined ? key : `${row.key} ${row.title}`}
        description="The risk from its cause to its verified controls (ISO 14971 5.4–7.6)."
        actions={
          <>
            <Button component={Link} to={productPath(productKey, 'records', key)} variant="default">
              Open the record
            </Button>
            <Button component={Link} to={productPath(productKey, 'risk')} variant="default">
              Risk table
            </Button>
          </>
        }
      />
      {file.isPending ? (
        <Loading label="Loading the risk file" />
      ) : file.isError ? (
        <ErrorAlert error={file.error} title="The risk file could not be read" />
      ) : row === undefined ? (
        <EmptyState title={`${key} is not a risk of ${productKey}`}>Only RISK records with an estimate are in the risk file. Pick one from the risk table.</EmptyState>
      ) : (
        <Stack gap="lg">
          <Group gap="xs">
            <StatusBadge status={row.status} />
            <Text size="sm">Review:</Text>
            <Badge color={row.review.state === 'current' ? TONE.green : row.review.state === 'overdue' ? TONE.red : TONE.orange} variant="filled" radius="sm">
              {row.review.state}
            </Badge>
            <Text size="sm" c="gray.7">
              {`last assessed ${row.review.lastAssessed.slice(0, 10)}, due ${row.review.due.slice(0, 10)}`}
            </Text>
            {row.review.newInformation.length > 0 && (
              <Text size="sm" c={TONE.orange}>
                {`new information: ${row.review.newInformation.join(', ')}`}
              </Text>
            )}
          </Group>
          {row.problems.length > 0 && (
            <Alert styles={DARK_TITLE} color="red" variant="light" title="Problems in this risk's chain">
              <Stack gap={2} component="ul" m={0}>
                {row.problems.map((p) => (
                  <li key={p}>{p}</li>
                ))}
              </Stack>
            </Alert>
          )}
          <section aria-labelledby="chain-heading">
            <Title order={2} size="h4" id="chain-heading" mb="xs">
              From cause to harm
            </Title>
            <Stack gap="xs" component="ol" p={0} m={0}>
              <Step n={1} title="Causes">
                {row.causes.length === 0 ? (
                  <Text size="sm" c="gray.7">
                    No cause linked
                  </Text>
                ) : (
                  <Stack gap={2}>
                    {row.causes.map((c) => (
                      <Group key={c.key} gap="xs" wrap="nowrap" align="baseline">
                        <RecordLink productKey={productKey} record={c.key} />
                        <Text size="sm">{c.title}</Text>
                        <Badge size="sm" variant="outline" color={TONE.gray} radius="sm">
                          {c.kind.replaceAll('_', ' ')}
                        </Badge>
                      </Group>
                    ))}
                  </Stack>
                )}
              </Step>
              <Step n={2} title="Hazard">
                <Records productKey={productKey} keys={row.hazards} titles={titles} />
              </Step>
              <Step n={3} title="Sequence of events">
                <Records productKey={productKey} keys={row.sequences} titles={titles} />
              </Step>
              <Step n={4} title="Hazardous situation">
                <Records productKey={productKey} keys={row.situations} titles={titles} />
              </Step>
              <Step n={5} title="Harm">
                <Records productKey={productKey} keys={row.harms} titles={titles} />
              </Step>
            </Stack>
          </section>
          <section aria-labelledby="estimates-heading">
            <Title order={2} size="h4" id="estimates-heading" mb="xs">
              Estimates
            </Title>
            <Estimates file={file.data} row={row} />
          </section>
          <section aria-labelledby="controls-heading">
            <Title order={2} size="h4" id="controls-heading" mb="xs">
              {`Risk controls (${row.controls.length})`}
            </Title>
            {row.controls.length === 0 ? (
              <EmptyState title="No risk control">Link a risk control (RC) to this risk, implemented by a requirement and verified by a test.</EmptyState>
            ) : (
              <Stack gap="sm">
                {row.controls.map((c) => (
                  <ControlCard key={c.key} productKey={productKey} control={c} titles={titles} />
                ))}
              </Stack>
            )}
          </section>
          <section aria-labelledby="residual-heading">
            <Title order={2} size="h4" id="residual-heading" mb="xs">
              Residual acceptability
            </Title>
            <Acceptability row={row} />
            {row.benefitRisk.length > 0 && (
              <Stack gap={2} mt="xs">
                {row.benefitRisk.map((b) => (
                  <Group key={b.key} gap="xs">
                    <RecordLink productKey={productKey} record={b.key} />
                    <Text size="sm">{b.conclusion.replaceAll('_', ' ')}</Text>
                  </Group>
                ))}
              </Stack>
            )}
          </section>
        </Stack>
      )}
    </>
  );
}
