import { Alert, Badge, Button, Group, NumberInput, Paper, Select, SimpleGrid, Stack, Switch, Table, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useState, type FormEvent, type ReactNode } from 'react';
import { useSearchParams } from 'react-router';
import { isApiError, type ApiInput, type ApiOutput } from '../../api/client';
import { useApi, useApiMutation } from '../../api/hooks';
import { useProductKey } from '../../app/product';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Loading } from '../../components/Loading';
import { PageHeader } from '../../components/PageHeader';
import { RecordLink } from '../../components/RecordLink';
import { parsePolicyJson, policyPart, withCell, withLevel, ZONE_BACKGROUND, ZONE_OPTIONS } from './risk-policy-form';

type Policy = ApiOutput<'risk.table'>['policy']['policy'];
type Change = ApiOutput<'risk.policy'>;

/** `/p/:productKey/admin/risk-policy`: the risk policy in force (ISO 14971 4.2, 5.5), and a new version of it. `?json=1`: edit all of it as JSON. */
export function RiskPolicyPage(): ReactNode {
  const productKey = useProductKey();
  const table = useApi('risk.table', { productKey });
  const [last, setLast] = useState<Change>();
  return (
    <>
      <PageHeader
        title="Risk policy"
        description={`How ${productKey} judges risks: the severity and probability scales, the acceptability of each cell, and the review interval. A change re-evaluates every estimate and is a new revision of the policy record.`}
      />
      {last !== undefined && (
        <Alert color="green" variant="light" mb="md" role="status" title={`Policy saved as ${last.record.key} revision ${last.revision}`}>
          {last.evaluated} estimates re-evaluated; {last.moves.length === 0 ? 'none changed zone.' : `${last.moves.length} changed zone: ${last.moves.map((m) => `${m.risk} ${m.estimate} ${m.from} → ${m.to}`).join('; ')}.`}
        </Alert>
      )}
      {table.isPending ? (
        <Loading label="Loading the risk policy" />
      ) : table.isError ? (
        <ErrorAlert error={table.error} />
      ) : (
        <>
          <Group mb="md" gap="xs">
            <Text size="sm">In force:</Text>
            {table.data.policy.record === null ? (
              <Badge color="yellow" variant="light">
                Dossier's built-in default (no policy record yet)
              </Badge>
            ) : (
              <Text size="sm">
                <RecordLink productKey={productKey} record={table.data.policy.record} revision={table.data.policy.revision} /> revision {table.data.policy.revision}
              </Text>
            )}
          </Group>
          <PolicyEditor key={`${table.data.policy.record ?? ''}:${table.data.policy.revision}`} productKey={productKey} policy={table.data.policy.policy} onSaved={setLast} />
        </>
      )}
    </>
  );
}

function PolicyEditor({ productKey, policy, onSaved }: { productKey: string; policy: Policy; onSaved: (c: Change) => void }): ReactNode {
  const [params, setParams] = useSearchParams();
  const asJson = params.get('json') === '1';
  const [draft, setDraft] = useState<Policy>(policy);
  const [json, setJson] = useState(() => JSON.stringify(policy, null, 2));
  const [jsonError, setJsonError] = useState<string>();
  const [reason, setReason] = useState('');
  const save = useApiMutation('risk.policy');
  const part = isApiError(save.error) ? policyPart(save.error.field) : undefined;
  const errorAt = (p: string): string | undefined => (part === p && save.error !== null ? save.error.message : undefined);
  const shownNextToField = part !== undefined && (asJson || ['matrix', 'severity', 'probability', 'reviewIntervalDays', 'overallCriteria', 'reason'].includes(part));

  const submit = (e: FormEvent): void => {
    e.preventDefault();
    let value: unknown = draft;
    if (asJson) {
      const parsed = parsePolicyJson(json);
      if ('error' in parsed) {
        setJsonError(parsed.error);
        return;
      }
      value = parsed.value;
    }
    setJsonError(undefined);
    const input = { productKey, policy: value, ...(reason.trim() === '' ? {} : { reason }) } as ApiInput<'risk.policy'>;
    save.mutate(input, { onSuccess: onSaved });
  };
  const toggleJson = (on: boolean): void => {
    if (on) setJson(JSON.stringify(draft, null, 2));
    else {
      const parsed = parsePolicyJson(json);
      if ('value' in parsed) setDraft(parsed.value as Policy);
    }
    const next = new URLSearchParams(params);
    if (on) next.set('json', '1');
    else next.delete('json');
    setParams(next, { replace: true });
  };

  return (
    <form onSubmit={submit} aria-label="Risk policy">
      <Stack>
        <Switch label="Edit the whole policy as JSON (scales, P1 × P2, exploitability)" checked={asJson} onChange={(e) => toggleJson(e.currentTarget.checked)} />
        {asJson ? (
          <Textarea
            label="Policy (JSON)"
            value={json}
            onChange={(e) => setJson(e.currentTarget.value)}
            autosize
            minRows={16}
            maxRows={40}
            styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)', fontSize: 12 } }}
            error={jsonError ?? (part !== undefined && save.error !== null ? `${save.error.field ?? ''}: ${save.error.message}` : undefined)}
          />
        ) : (
          <>
            <Paper withBorder p="md" radius="md" bg="white" component="section" aria-labelledby="matrix-title">
              <Title order={2} size="h4" id="matrix-title" mb="xs">
                Acceptability matrix
              </Title>
              <Text size="sm" c="gray.7" mb="sm">
                Each cell: the zone of a risk with that severity (row) and probability (column). Reduce: reduce as far as possible, then weigh benefit against risk. A cell may never be better than one of lower severity or probability.
              </Text>
              <div style={{ overflowX: 'auto' }}>
                <Table withTableBorder withColumnBorders aria-label="Acceptability matrix">
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>Severity \ probability</Table.Th>
                      {draft.probability.map((p) => (
                        <Table.Th key={p.key}>
                          {p.key} · {p.name}
                        </Table.Th>
                      ))}
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {[...draft.severity].reverse().map((s) => (
                      <Table.Tr key={s.key}>
                        <Table.Th scope="row">
                          {s.key} · {s.name}
                        </Table.Th>
                        {draft.probability.map((p) => (
                          <Table.Td key={p.key} miw={150}>
                            <Select
                              aria-label={`Zone of ${s.key} × ${p.key}`}
                              data={ZONE_OPTIONS.map((z) => ({ ...z }))}
                              value={draft.matrix[s.key]?.[p.key] ?? null}
                              onChange={(v) => v !== null && setDraft(withCell(draft, s.key, p.key, v as 'acceptable'))}
                              allowDeselect={false}
                              size="xs"
                              styles={{ input: { background: ZONE_BACKGROUND[draft.matrix[s.key]?.[p.key] ?? ''] } }}
                            />
                          </Table.Td>
                        ))}
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </div>
              {errorAt('matrix') !== undefined && (
                <Text size="sm" c="red.8" mt="xs" role="alert">
                  {errorAt('matrix')}
                </Text>
              )}
            </Paper>
            <SimpleGrid cols={{ base: 1, md: 2 }}>
              <Scale title="Severity levels" scale="severity" levels={draft.severity} error={errorAt('severity')} onChange={(i, k, v) => setDraft(withLevel(draft, 'severity', i, k, v))} />
              <Scale title="Probability bands" scale="probability" levels={draft.probability} error={errorAt('probability')} onChange={(i, k, v) => setDraft(withLevel(draft, 'probability', i, k, v))} />
            </SimpleGrid>
            <Paper withBorder p="md" radius="md" bg="white">
              <Stack>
                <NumberInput
                  label="Review interval (days)"
                  description="How often each risk is reviewed (ISO 14971 10)"
                  value={draft.reviewIntervalDays}
                  onChange={(v) => setDraft({ ...draft, reviewIntervalDays: typeof v === 'number' ? v : Number(v) })}
                  min={1}
                  max={3650}
                  error={errorAt('reviewIntervalDays')}
                  maw={260}
                />
                <Textarea
                  label="Overall residual risk criteria"
                  description="How the overall residual risk is judged acceptable (ISO 14971 8)"
                  value={draft.overallCriteria}
                  onChange={(e) => setDraft({ ...draft, overallCriteria: e.currentTarget.value })}
                  error={errorAt('overallCriteria')}
                  autosize
                  minRows={3}
                />
              </Stack>
            </Paper>
          </>
        )}
        <TextInput label="Reason for the change" description="Kept with the new revision in the audit trail" value={reason} onChange={(e) => setReason(e.currentTarget.value)} error={errorAt('reason')} />
        <ErrorAlert error={shownNextToField ? undefined : save.error} title="Policy not saved" />
        <Group>
          <Button type="submit" loading={save.isPending}>
            Save as a new revision
          </Button>
          <Button
            variant="subtle"
            onClick={() => {
              setDraft(policy);
              setJson(JSON.stringify(policy, null, 2));
              save.reset();
            }}
          >
            Discard changes
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function Scale({
  title,
  scale,
  levels,
  error,
  onChange,
}: {
  title: string;
  scale: string;
  levels: readonly { key: string; name: string; definition: string }[];
  error: string | undefined;
  onChange: (index: number, key: 'name' | 'definition', value: string) => void;
}): ReactNode {
  return (
    <Paper withBorder p="md" radius="md" bg="white" component="section" aria-label={title}>
      <Title order={2} size="h4" mb="xs">
        {title}
      </Title>
      <Text size="xs" c="gray.7" mb="xs">
        From {scale === 'severity' ? 'least to most severe' : 'least to most likely'}. Keys and the number of levels: edit as JSON.
      </Text>
      <Stack gap="xs">
        {levels.map((l, i) => (
          <Group key={l.key} align="flex-start" wrap="nowrap" gap="xs">
            <Badge variant="outline" color="gray" mt={6} miw={44}>
              {l.key}
            </Badge>
            <TextInput aria-label={`${l.key} name`} value={l.name} onChange={(e) => onChange(i, 'name', e.currentTarget.value)} w={140} size="xs" />
            <TextInput aria-label={`${l.key} definition`} value={l.definition} onChange={(e) => onChange(i, 'definition', e.currentTarget.value)} style={{ flex: 1 }} size="xs" />
          </Group>
        ))}
      </Stack>
      {error !== undefined && (
        <Text size="sm" c="red.8" mt="xs" role="alert">
          {error}
        </Text>
      )}
    </Paper>
  );
}
