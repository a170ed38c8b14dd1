import { Alert, Anchor, Badge, Button, Checkbox, Group, Select, Table, Text, TextInput, VisuallyHidden } from '@mantine/core';
import { useMemo, useState, type ReactNode } from 'react';
import { Link, useSearchParams } from 'react-router';
import type { ApiOutput } from '../../api/client';
import { useApi } from '../../api/hooks';
import { productPath } from '../../app/product';
import { EmptyState } from '../../components/EmptyState';
import { PageHeader } from '../../components/PageHeader';
import { QueryView } from '../../components/Loading';
import { SignDialog, type SignTarget } from '../../components/SignDialog';
import { batchOf, filterInbox, formatSelection, parseSelection, waitedFor, type InboxItemLike } from './inbox';
import { meaningLabel } from './signing';

interface DialogState {
  readonly target: SignTarget;
  readonly meanings: readonly string[];
  readonly titles: Record<string, string>;
}

/** `/approvals`: what waits for my signature, on every product; sign one record, or several in one go. */
export function ApprovalsPage(): ReactNode {
  const inbox = useApi('signature.inbox', {});
  const [params, setParams] = useSearchParams();
  const [dialog, setDialog] = useState<DialogState | undefined>();
  const set = (key: string, value: string | null): void => {
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
  const selected = parseSelection(params.get('selected'));

  const open = (items: readonly (InboxItemLike & { productKey: string })[], meaning: string, productKey: string): void => {
    setDialog({
      target: { kind: 'records', productKey, records: items.map((i) => ({ record: i.key, revision: i.revision })) },
      meanings: [meaning],
      titles: Object.fromEntries(items.map((i) => [i.key, i.title])),
    });
  };

  return (
    <>
      <PageHeader title="Approvals" description="Records waiting for your electronic signature, on every product where you hold a role." />
      <QueryView query={inbox} label="Loading your approvals">
        {(data) => <Inbox data={data} params={params} set={set} selected={selected} open={open} />}
      </QueryView>
      {dialog !== undefined && (
        <SignDialog
          opened
          onClose={() => setDialog(undefined)}
          target={dialog.target}
          meanings={dialog.meanings}
          titles={dialog.titles}
          onSigned={() => set('selected', null)}
        />
      )}
    </>
  );
}

type InboxData = ApiOutput<'signature.inbox'>;

function Inbox({
  data,
  params,
  set,
  selected,
  open,
}: {
  data: InboxData;
  params: URLSearchParams;
  set: (key: string, value: string | null) => void;
  selected: string[];
  open: (items: readonly InboxData['items'][number][], meaning: string, productKey: string) => void;
}): ReactNode {
  const now = useMemo(() => new Date().toISOString(), []);
  const products = [...new Set(data.items.map((i) => i.productKey))].sort();
  const meanings = [...new Set(data.items.map((i) => i.meaning))];
  const shown = filterInbox(data.items, { product: params.get('product'), meaning: params.get('meaning'), q: params.get('q') });
  const batch = batchOf(data.items, selected);
  const live = selected.filter((s) => data.items.some((i) => i.record === s));
  const toggle = (record: string, on: boolean): void => set('selected', formatSelection(on ? [...live, record] : live.filter((s) => s !== record)));
  const allShown = shown.length > 0 && shown.every((i) => live.includes(i.record));

  if (data.items.length === 0) {
    return (
      <EmptyState title="Nothing waits for your signature">
        When a record you may review or approve is sent for review, it appears here with the revision and the meaning your signature would give.
      </EmptyState>
    );
  }
  return (
    <>
      <Group justify="space-between" align="flex-end" mb="sm" wrap="wrap">
        <Group align="flex-end" wrap="wrap" gap="sm">
          <TextInput label="Search" placeholder="Key or title" value={params.get('q') ?? ''} onChange={(e) => set('q', e.currentTarget.value)} w={220} />
          <Select label="Product" placeholder="All products" data={products} value={params.get('product')} onChange={(v) => set('product', v)} clearable w={160} />
          <Select
            label="Meaning"
            placeholder="Any meaning"
            data={meanings.map((m) => ({ value: m, label: meaningLabel(m) }))}
            value={params.get('meaning')}
            onChange={(v) => set('meaning', v)}
            clearable
            w={170}
          />
        </Group>
        <Group gap="xs" align="center">
          <Text size="sm" c="gray.7" aria-live="polite">
            {live.length === 0 ? `${data.count} waiting` : `${live.length} of ${data.count} selected`}
          </Text>
          <Button
            disabled={!batch.ok}
            onClick={() => {
              if (batch.ok) open(batch.items, batch.meaning, batch.productKey);
            }}
            title={batch.ok ? undefined : batch.reason}
          >
            {batch.ok ? `Sign ${batch.items.length} selected as ${meaningLabel(batch.meaning).toLowerCase()}` : 'Sign selected'}
          </Button>
        </Group>
      </Group>
      {!batch.ok && live.length > 1 && (
        <Alert color="orange" variant="light" mb="sm" styles={{ message: { color: '#9a3f00' } }}>
          {batch.reason}
        </Alert>
      )}
      {shown.length === 0 ? (
        <EmptyState title="No approval matches these filters">Clear the search or the filters to see everything that waits for you.</EmptyState>
      ) : (
        <Table.ScrollContainer minWidth={760}>
          <Table striped highlightOnHover withTableBorder aria-label="Records waiting for your signature" bg="white">
            <Table.Thead>
              <Table.Tr>
                <Table.Th w={44}>
                  <Checkbox
                    aria-label="Select every record shown"
                    checked={allShown}
                    indeterminate={!allShown && shown.some((i) => live.includes(i.record))}
                    onChange={(e) => set('selected', formatSelection(e.currentTarget.checked ? [...live, ...shown.map((i) => i.record)] : live.filter((s) => !shown.some((i) => i.record === s))))}
                  />
                </Table.Th>
                <Table.Th>Record</Table.Th>
                <Table.Th>Title</Table.Th>
                <Table.Th>Revision</Table.Th>
                <Table.Th>Your signature</Table.Th>
                <Table.Th>Author</Table.Th>
                <Table.Th>Waiting since</Table.Th>
                <Table.Th>
                  <VisuallyHidden>Actions</VisuallyHidden>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {shown.map((i) => (
                <Table.Tr key={i.record}>
                  <Table.Td>
                    <Checkbox aria-label={`Select ${i.record}`} checked={live.includes(i.record)} onChange={(e) => toggle(i.record, e.currentTarget.checked)} />
                  </Table.Td>
                  <Table.Td>
                    <Anchor component={Link} to={productPath(i.productKey, 'records', i.key)} ff="monospace" size="sm" style={{ whiteSpace: 'nowrap' }}>
                      {i.record}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" lineClamp={2}>
                      {i.title}
                    </Text>
                  </Table.Td>
                  <Table.Td>{i.revision}</Table.Td>
                  <Table.Td>
                    <Badge miw="max-content" variant="filled" color="#1f4f99" radius="sm">
                      {meaningLabel(i.meaning)}
                    </Badge>
                    <Text size="xs" c="gray.7">
                      step {i.step + 1} of {i.steps}
                    </Text>
                  </Table.Td>
                  <Table.Td>{i.author}</Table.Td>
                  <Table.Td>
                    <Text size="sm" title={i.since} style={{ whiteSpace: 'nowrap' }}>
                      {i.since.slice(0, 10)}
                    </Text>
                    <Text size="xs" c="gray.7">
                      {waitedFor(i.since, now)}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Button size="xs" onClick={() => open([i], i.meaning, i.productKey)} aria-label={`Sign ${i.record} revision ${i.revision}`}>
                      Sign
                    </Button>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </>
  );
}
