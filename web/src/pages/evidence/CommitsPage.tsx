import { Anchor, Code, Group, Paper, SegmentedControl, Switch, Table, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { useSearchParams } from 'react-router';
import type { ApiOutput } from '../../api/client';
import { useApi } from '../../api/hooks';
import { useProductKey } from '../../app/product';
import { EmptyState } from '../../components/EmptyState';
import { QueryView } from '../../components/Loading';
import { PageHeader } from '../../components/PageHeader';
import { RecordLink } from '../../components/RecordLink';
import { OutcomeBadge, When } from './parts';

type Item = ApiOutput<'evidence.items'>['items'][number];

/** What a commit's or review's outcome means, when it is a finding (IEC 62304 5.5, 8.2.4; ISO 13485 7.3.9). */
export const FINDING_TEXT: Readonly<Record<string, string>> = {
  unreferenced: 'Changes code but names no record (no Implements/Fixes/Refs trailer).',
  self_approved: 'Approved only by its own author.',
  unapproved: 'Merged without an approval.',
  approved_after_merge: 'Approved only after it was merged.',
  approved_earlier_commit: 'Approved on an earlier commit than the one merged.',
  approval_commit_unknown: 'The approval does not say which commit it was for.',
  review_data_missing: 'The forge gave no review data for it.',
  open: 'Still open: not merged.',
  closed: 'Closed without merging.',
};

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** `evidence/commits`: imported commits and code reviews, with what the import found wrong in them. */
export function CommitsPage(): ReactNode {
  const productKey = useProductKey();
  const [params, setParams] = useSearchParams();
  const tab = params.get('tab') === 'reviews' ? 'reviews' : 'commits';
  const findingsOnly = params.get('findings') === '1';
  const commits = useApi('evidence.items', { productKey, kind: 'commit', limit: 5000 });
  const reviews = useApi('evidence.items', { productKey, kind: 'review', limit: 5000 });
  const set = (k: string, v: string | null): void => {
    const p = new URLSearchParams(params);
    if (v === null) p.delete(k);
    else p.set(k, v);
    setParams(p, { replace: true });
  };
  const count = (items: readonly Item[] | undefined): string => (items === undefined ? '' : ` (${items.filter((i) => i.outcome !== null && i.outcome in FINDING_TEXT).length} findings)`);
  return (
    <>
      <PageHeader title="Commits and code reviews" description="Commits with the records they implement, fix or verify, and the pull requests that reviewed them (IEC 62304 5.5, 8.2.4)." />
      <Group gap="md" mb="md" wrap="wrap">
        <SegmentedControl
          aria-label="Show"
          value={tab}
          onChange={(v) => set('tab', v === 'reviews' ? 'reviews' : null)}
          data={[
            { value: 'commits', label: `Commits${count(commits.data?.items)}` },
            { value: 'reviews', label: `Code reviews${count(reviews.data?.items)}` },
          ]}
        />
        <Switch label="Findings only" checked={findingsOnly} onChange={(e) => set('findings', e.currentTarget.checked ? '1' : null)} />
      </Group>
      <Paper withBorder radius="md" p="md" bg="white">
        <Title order={2} size="h4" mb="sm">
          {tab === 'commits' ? 'Commits' : 'Code reviews'}
        </Title>
        <QueryView query={tab === 'commits' ? commits : reviews} label={`Loading ${tab}`}>
          {(page) => {
            const items = findingsOnly ? page.items.filter((i) => i.outcome !== null && i.outcome in FINDING_TEXT) : [...page.items];
            if (items.length === 0) {
              return findingsOnly ? (
                <EmptyState title="No findings">Every {tab === 'commits' ? 'commit names a record' : 'review was approved by someone other than its author before merging'}.</EmptyState>
              ) : (
                <EmptyState title={`No ${tab} imported yet`}>
                  Import them from CI with <code>dossier evidence {tab}</code>.
                </EmptyState>
              );
            }
            return tab === 'commits' ? <CommitTable items={items} productKey={productKey} /> : <ReviewTable items={items} productKey={productKey} />;
          }}
        </QueryView>
      </Paper>
    </>
  );
}

function Refs({ item, productKey }: { item: Item; productKey: string }): ReactNode {
  if (item.refs.length === 0) return <Text span size="sm" c="gray.7">—</Text>;
  return (
    <Group gap={6}>
      {item.refs.map((r) => (
        <span key={`${r.record}-${r.role}`}>
          <Text span size="xs" c="gray.7">
            {r.role.replaceAll('_', ' ')}{' '}
          </Text>
          <RecordLink productKey={productKey} record={r.record} />
        </span>
      ))}
    </Group>
  );
}

function Finding({ outcome }: { outcome: string | null }): ReactNode {
  const text = outcome === null ? undefined : FINDING_TEXT[outcome];
  return (
    <>
      <OutcomeBadge outcome={outcome} />
      {text !== undefined && (
        <Text size="xs" c="red.9" mt={2}>
          {text}
        </Text>
      )}
    </>
  );
}

function CommitTable({ items, productKey }: { items: readonly Item[]; productKey: string }): ReactNode {
  return (
    <Table.ScrollContainer minWidth={800}>
      <Table striped aria-label="Commits" verticalSpacing="xs">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Commit</Table.Th>
            <Table.Th>Subject</Table.Th>
            <Table.Th>Author</Table.Th>
            <Table.Th>When</Table.Th>
            <Table.Th>Records</Table.Th>
            <Table.Th>Finding</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {[...items].reverse().map((c) => (
            <Table.Tr key={c.id} bg={c.outcome !== null && c.outcome in FINDING_TEXT ? 'yellow.0' : undefined}>
              <Table.Td>
                <Code title={c.key}>{c.key.slice(0, 10)}</Code>
              </Table.Td>
              <Table.Td>
                <Text size="sm">{str(c.data['subject'])}</Text>
              </Table.Td>
              <Table.Td>
                <Text size="sm">{str(c.data['author'])}</Text>
              </Table.Td>
              <Table.Td>
                <When at={str(c.data['committedAt'])} />
              </Table.Td>
              <Table.Td>
                <Refs item={c} productKey={productKey} />
              </Table.Td>
              <Table.Td>
                <Finding outcome={c.outcome} />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

function ReviewTable({ items, productKey }: { items: readonly Item[]; productKey: string }): ReactNode {
  return (
    <Table.ScrollContainer minWidth={800}>
      <Table striped aria-label="Code reviews" verticalSpacing="xs">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Review</Table.Th>
            <Table.Th>Title</Table.Th>
            <Table.Th>Author</Table.Th>
            <Table.Th>Approved by</Table.Th>
            <Table.Th>Merged</Table.Th>
            <Table.Th>Records</Table.Th>
            <Table.Th>Finding</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map((r) => {
            const url = str(r.data['url']);
            const approvers = Array.isArray(r.data['approvers']) ? (r.data['approvers'] as unknown[]).map(String) : [];
            return (
              <Table.Tr key={r.id} bg={r.outcome !== null && r.outcome in FINDING_TEXT ? 'yellow.0' : undefined}>
                <Table.Td>
                  {/^https:\/\//.test(url) ? (
                    <Anchor href={url} target="_blank" rel="noopener noreferrer" size="sm">
                      #{typeof r.data['number'] === 'number' ? r.data['number'] : r.key}
                    </Anchor>
                  ) : (
                    <Text size="sm">{r.key}</Text>
                  )}
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{str(r.data['title'])}</Text>
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{str(r.data['author'])}</Text>
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{approvers.length === 0 ? '—' : approvers.join(', ')}</Text>
                </Table.Td>
                <Table.Td>
                  <When at={str(r.data['mergedAt'])} />
                </Table.Td>
                <Table.Td>
                  <Refs item={r} productKey={productKey} />
                </Table.Td>
                <Table.Td>
                  <Finding outcome={r.outcome} />
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
