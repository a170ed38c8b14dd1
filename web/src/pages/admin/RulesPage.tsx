import { Badge, Button, Group, Modal, Paper, Radio, Select, Stack, Table, Text, Textarea, TextInput } from '@mantine/core';
import { useState, type FormEvent, type ReactNode } from 'react';
import { useSearchParams } from 'react-router';
import type { ApiOutput } from '../../api/client';
import { useApi, useApiMutation } from '../../api/hooks';
import { useProductKey } from '../../app/product';
import { EmptyState } from '../../components/EmptyState';
import { ErrorAlert, fieldError } from '../../components/ErrorAlert';
import { Loading } from '../../components/Loading';
import { PageHeader } from '../../components/PageHeader';
import { SeverityBadge } from '../../components/RecordLink';
import { matchesRule } from './rule-filter';

type ProductRule = ApiOutput<'rule.list'>[number];

/** `/p/:productKey/admin/rules`: the rules checked on the product, their severity and the product's overrides; configure one with a justification. */
export function RulesPage(): ReactNode {
  const productKey = useProductKey();
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const open = params.get('rule');
  const rules = useApi('rule.list', { productKey });
  const setParam = (k: string, v: string | null): void => {
    const next = new URLSearchParams(params);
    if (v === null || v === '') next.delete(k);
    else next.set(k, v);
    setParams(next, { replace: k === 'q' });
  };
  const list = (rules.data ?? []).filter((r) => matchesRule(r, q));
  return (
    <>
      <PageHeader title="Rules" description={`The checks run on ${productKey}: each rule's clause, severity, and this product's overrides. Every change needs a justification and is audit-trailed.`} />
      <TextInput label="Find a rule" placeholder="ID, clause or title" value={q} onChange={(e) => setParam('q', e.currentTarget.value)} maw={420} mb="sm" />
      {rules.isPending ? (
        <Loading label="Loading rules" />
      ) : rules.isError ? (
        <ErrorAlert error={rules.error} />
      ) : list.length === 0 ? (
        <EmptyState title={q === '' ? 'No rules' : 'No rule matches'}>{q === '' ? 'This product has no rule packs.' : 'Try part of an ID or a clause number.'}</EmptyState>
      ) : (
        <Paper withBorder radius="md" bg="white" style={{ overflowX: 'auto' }}>
          <Table striped verticalSpacing="xs" aria-label="Rules">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Rule</Table.Th>
                <Table.Th>Clause</Table.Th>
                <Table.Th>Pack</Table.Th>
                <Table.Th>Severity</Table.Th>
                <Table.Th>This product</Table.Th>
                <Table.Th>Configure</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.map((r) => (
                <Table.Tr key={r.rule.id} data-rule={r.rule.id}>
                  <Table.Td>
                    <Text size="sm" fw={600}>
                      {r.rule.title}
                    </Text>
                    <Text size="xs" c="gray.7" ff="monospace">
                      {r.rule.id}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="xs">{r.rule.clause}</Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="xs">{r.pack}</Text>
                  </Table.Td>
                  <Table.Td>
                    <SeverityBadge severity={r.severity} />
                    {r.severity !== r.rule.severity && (
                      <Text size="xs" c="gray.7">
                        overridden (pack: {r.rule.severity})
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    {r.disabled !== null ? (
                      <Stack gap={2}>
                        <Badge color="gray" variant="light">
                          Disabled
                        </Badge>
                        <Text size="xs" c="gray.7">
                          {r.disabled}
                        </Text>
                      </Stack>
                    ) : !r.applies ? (
                      <Badge color="gray" variant="outline">
                        Not for this safety class
                      </Badge>
                    ) : (
                      <Badge color="green" variant="light">
                        Checked
                      </Badge>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Button size="xs" variant="default" onClick={() => setParam('rule', r.rule.id)} aria-label={`Configure ${r.rule.id}`}>
                      Configure
                    </Button>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Paper>
      )}
      <ConfigureModal key={open ?? ''} productKey={productKey} rule={rules.data?.find((r) => r.rule.id === open)} ruleId={open} onClose={() => setParam('rule', null)} />
    </>
  );
}

function ConfigureModal({ productKey, rule, ruleId, onClose }: { productKey: string; rule: ProductRule | undefined; ruleId: string | null; onClose: () => void }): ReactNode {
  const configure = useApiMutation('rule.configure');
  const [action, setAction] = useState<'disable' | 'enable' | 'severity'>(rule?.disabled !== null && rule !== undefined ? 'enable' : 'severity');
  const [severity, setSeverity] = useState<string | null>(rule?.severity ?? 'warning');
  const [justification, setJustification] = useState('');
  const short = justification.trim().length < 10;
  const submit = (e: FormEvent): void => {
    e.preventDefault();
    if (ruleId === null || short) return;
    configure.mutate(
      { productKey, ruleId, action, justification, ...(action === 'severity' && severity !== null ? { severity: severity as 'error' | 'warning' | 'info' } : {}) },
      { onSuccess: onClose },
    );
  };
  const known = ['justification', 'severity', 'action'].some((f) => fieldError(configure.error, f) !== undefined);
  return (
    <Modal closeButtonProps={{ 'aria-label': 'Close' }} opened={ruleId !== null} onClose={onClose} title={`Configure ${ruleId ?? ''}`} size="lg">
      {rule === undefined ? (
        <Text size="sm">No rule {ruleId} on {productKey}.</Text>
      ) : (
        <form onSubmit={submit}>
          <Stack>
            <Text size="sm">
              {rule.rule.title} ({rule.rule.clause}). Now: {rule.disabled !== null ? 'disabled' : rule.severity}.
            </Text>
            <Radio.Group label="Change" value={action} onChange={(v) => setAction(v)} error={fieldError(configure.error, 'action')}>
              <Group mt={4}>
                <Radio value="severity" label="Set the severity" />
                {rule.disabled === null ? <Radio value="disable" label="Disable for this product" /> : <Radio value="enable" label="Enable again" />}
              </Group>
            </Radio.Group>
            {action === 'severity' && (
              <Select label="Severity" data={['error', 'warning', 'info']} value={severity} onChange={setSeverity} allowDeselect={false} error={fieldError(configure.error, 'severity')} />
            )}
            <Textarea
              label="Justification"
              description="Why, for the auditor who will ask (at least 10 characters); kept in the audit trail"
              value={justification}
              onChange={(e) => setJustification(e.currentTarget.value)}
              error={fieldError(configure.error, 'justification') ?? (justification !== '' && short ? 'write at least 10 characters' : undefined)}
              autosize
              minRows={3}
              required
            />
            <ErrorAlert error={known ? undefined : configure.error} title="Not changed" />
            <Group justify="flex-end">
              <Button variant="default" onClick={onClose}>
                Cancel
              </Button>
              <Button type="submit" loading={configure.isPending} disabled={short}>
                Save
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}
