import { Alert, Box, Button, Checkbox, Code, Group, List, Paper, Stack, Table, Text, Textarea, TextInput } from '@mantine/core';
import { useMemo, useState, type FormEvent, type ReactNode } from 'react';
import { Link } from 'react-router';
import type { ApiOutput } from '../../api/client';
import { useApi, useApiMutation } from '../../api/hooks';
import { productPath, useProductKey } from '../../app/product';
import { EmptyState } from '../../components/EmptyState';
import { ErrorAlert, fieldError } from '../../components/ErrorAlert';
import { Loading, QueryView } from '../../components/Loading';
import { PageHeader } from '../../components/PageHeader';
import { RecordLink } from '../../components/RecordLink';
import { diffRange, keepListed, parseCause, readSelection, reasonTag, reasonText, suspectsOf, valueText, writeSelection, type PinnedLink, type Suspect } from './suspects';
import { useSearchUpdate } from '../../app/search-params';

type Confirmed = ApiOutput<'link.confirm'>;

/** What changed in the cause record between the revision the link was confirmed at and the latest. */
function ChangeView({ productKey, suspect, link }: { productKey: string; suspect: Suspect; link: PinnedLink | undefined }): ReactNode {
  const range = diffRange(suspect, link);
  const diff = useApi('record.diff', { productKey, record: range?.record ?? '', ...(range?.from === undefined ? {} : { from: range.from }) }, { enabled: range !== undefined });
  if (range === undefined) return <Text size="sm">The change ({suspect.cause}) cannot be shown.</Text>;
  return (
    <QueryView query={diff} label={`Loading the changes of ${range.record}`}>
      {(d) => (
        <Stack gap={6}>
          <Text size="sm" fw={600}>
            <RecordLink productKey={productKey} record={d.key} /> revision {d.from} → {d.to}
          </Text>
          {d.changes.length === 0 && <Text size="sm">No change to its title, fields or text between these revisions.</Text>}
          {d.changes.map((c, i) =>
            c.part === 'title' ? (
              <Text size="sm" key={i}>
                Title: <del>{c.from}</del> → <ins>{c.to}</ins>
              </Text>
            ) : c.part === 'field' ? (
              <Text size="sm" key={i}>
                Field <Code>{c.field}</Code>: <del>{valueText(c.from)}</del> → <ins>{valueText(c.to)}</ins>
              </Text>
            ) : (
              <Box key={i} component="pre" fz="xs" m={0} p="xs" style={{ background: 'white', border: '1px solid var(--mantine-color-gray-3)', borderRadius: 4, whiteSpace: 'pre-wrap', maxHeight: 260, overflow: 'auto' }} aria-label="Text changes">
                {c.lines.map((l, j) => (
                  <div key={j} style={{ background: l.op === '+' ? 'var(--mantine-color-green-0)' : l.op === '-' ? 'var(--mantine-color-red-0)' : undefined }}>
                    {l.op === '+' ? '+ ' : l.op === '-' ? '− ' : '  '}
                    {l.text}
                  </div>
                ))}
              </Box>
            ),
          )}
        </Stack>
      )}
    </QueryView>
  );
}

/** `trace/suspects`: links to review because a record on or above them changed; review the change and confirm. */
export function SuspectsPage(): ReactNode {
  const productKey = useProductKey();
  const [search, updateSearch] = useSearchUpdate();
  const suspects = useApi('trace.suspects', { productKey });
  const links = useApi('link.list', { productKey });
  const confirm = useApiMutation('link.confirm');
  const [reason, setReason] = useState('');
  const [open, setOpen] = useState<ReadonlySet<number>>(new Set());
  const [done, setDone] = useState<Confirmed | undefined>(undefined);

  const all = suspects.data ?? [];
  const recordFilter = search.get('record') ?? '';
  const list = suspectsOf(all, recordFilter);
  // The selection answers at once from local state, and is mirrored into the URL (`?selected=17,46`) for links.
  const [picked, setPicked] = useState<readonly number[]>(() => readSelection(search.get('selected')));
  const selected = suspects.data === undefined ? [] : keepListed(picked, list);
  const pinned = useMemo(() => new Map((links.data ?? []).map((l) => [l.id, l])), [links.data]);

  const select = (ids: readonly number[]): void => {
    setPicked(ids);
    const v = writeSelection(ids);
    updateSearch((next) => {
      if (v === null) next.delete('selected');
      else next.set('selected', v);
      return next;
    });
  };
  const setFilter = (value: string): void => {
    updateSearch((next) => {
      if (value.trim() === '') next.delete('record');
      else next.set('record', value);
      return next;
    });
  };
  const toggle = (id: number, on: boolean): void => select(on ? [...selected, id] : selected.filter((x) => x !== id));
  const toggleOpen = (id: number): void =>
    setOpen((s) => {
      const n = new Set(s);
      if (n.has(id)) n.delete(id);
      else n.add(id);
      return n;
    });

  const onConfirm = (e: FormEvent): void => {
    e.preventDefault();
    setDone(undefined);
    confirm.mutate(
      { productKey, linkIds: selected, reason },
      {
        onSuccess: (out) => {
          setDone(out);
          setReason('');
          select([]);
        },
      },
    );
  };
  const reasonError = fieldError(confirm.error, 'reason');
  const allOn = list.length > 0 && selected.length === list.length;

  return (
    <>
      <PageHeader
        title="Suspect links"
        description="Links to review because a record on them, or above them, changed after the link was last confirmed. Check what changed, then confirm the links that still hold."
      />
      {done !== undefined && (
        <Alert color="green" variant="light" title={`${done.length} ${done.length === 1 ? 'link' : 'links'} confirmed`} role="status" mb="md" styles={{ title: { color: 'var(--mantine-color-dark-7)' } }} withCloseButton onClose={() => setDone(undefined)} closeButtonLabel="Dismiss">
          <List size="sm">
            {done.map((s) => (
              <List.Item key={s.linkId}>
                Link {s.linkId}: {s.from} {s.type.replaceAll('_', ' ')} {s.to}
              </List.Item>
            ))}
          </List>
        </Alert>
      )}
      {suspects.isPending ? (
        <Loading label="Finding suspect links" />
      ) : suspects.isError ? (
        <ErrorAlert error={suspects.error} />
      ) : all.length === 0 ? (
        <EmptyState title="No suspect links">Every link was confirmed after the last change to the records on it. When a record changes, the links that rely on it appear here for review.</EmptyState>
      ) : (
        <Stack gap="md">
          {links.isError && <ErrorAlert error={links.error} title="The links' confirmed revisions could not be loaded; changes are shown from the previous revision" />}
          <Paper withBorder p="md" bg="white" component="form" onSubmit={onConfirm} aria-label="Confirm the selected links" style={{ position: 'sticky', top: 'calc(var(--app-shell-header-height, 56px) + 8px)', zIndex: 3 }} shadow="xs">
            <Stack gap="sm">
              <Text size="sm" c="gray.7" id="confirm-help">
                Kept in the audit trail with your name: say why the selected links still hold after the change.
              </Text>
              <Textarea
                label="What you reviewed"
                aria-describedby="confirm-help"
                required
                autosize
                minRows={1}
                maxLength={2000}
                value={reason}
                onChange={(e) => setReason(e.currentTarget.value)}
                error={reasonError}
              />
              {confirm.isError && reasonError === undefined && <ErrorAlert error={confirm.error} title="The links were not confirmed" />}
              <Group justify="space-between">
                <Text size="sm" role="status">
                  {selected.length === 0 ? `Select the links you reviewed (${all.length} suspect).` : `${selected.length} of ${all.length} selected`}
                </Text>
                <Button type="submit" disabled={selected.length === 0 || reason.trim() === ''} loading={confirm.isPending}>
                  {selected.length <= 1 ? 'Confirm link' : `Confirm ${selected.length} links`}
                </Button>
              </Group>
            </Stack>
          </Paper>
          <TextInput
            label="Only the links of a record"
            placeholder="SRS-3"
            value={recordFilter}
            onChange={(e) => setFilter(e.currentTarget.value)}
            w={260}
          />
          {list.length === 0 && <EmptyState title={`No suspect links of ${recordFilter.trim().toUpperCase()}`}>Clear the filter to see all {all.length} suspect links.</EmptyState>}
          <Paper withBorder bg="white" style={{ overflowX: 'auto', display: list.length === 0 ? 'none' : undefined }}>
            <Table aria-label="Suspect links" verticalSpacing="xs" highlightOnHover>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th w={44}>
                    <Checkbox aria-label="Select all suspect links shown" checked={allOn} indeterminate={selected.length > 0 && !allOn} onChange={(e) => select(e.currentTarget.checked ? list.map((s) => s.linkId) : [])} />
                  </Table.Th>
                  <Table.Th>Link</Table.Th>
                  <Table.Th>Why it is suspect</Table.Th>
                  <Table.Th>Changed</Table.Th>
                  <Table.Th>Review</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {list.map((s) => {
                  const cause = parseCause(s.cause);
                  const isOpen = open.has(s.linkId);
                  return [
                    <Table.Tr key={s.linkId} data-link={s.linkId}>
                      <Table.Td>
                        <Checkbox aria-label={`Select link ${s.linkId}: ${s.from} ${s.type.replaceAll('_', ' ')} ${s.to}`} checked={selected.includes(s.linkId)} onChange={(e) => toggle(s.linkId, e.currentTarget.checked)} />
                      </Table.Td>
                      <Table.Td>
                        <Group gap={6} wrap="nowrap">
                          <RecordLink productKey={productKey} record={s.from} />
                          <Text size="sm" c="gray.7">
                            {s.type.replaceAll('_', ' ')} →
                          </Text>
                          <RecordLink productKey={productKey} record={s.to} />
                        </Group>
                        <Text size="xs" c="gray.7">
                          link {s.linkId}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm" fw={600} c="dark.7" title={reasonText(s.reason)}>
                          ⚠ {reasonTag(s.reason)}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm">
                          {cause === undefined ? s.cause : <RecordLink productKey={productKey} record={cause.record} revision={cause.revision}>{s.cause}</RecordLink>}
                        </Text>
                        <Text size="xs" c="gray.7">
                          <time dateTime={s.changedAt}>{new Date(s.changedAt).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' })} UTC</time>
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        <Group gap={6} wrap="nowrap">
                          <Button size="xs" variant="default" aria-expanded={isOpen} aria-controls={`changes-${s.linkId}`} onClick={() => toggleOpen(s.linkId)}>
                            {isOpen ? 'Hide changes' : 'What changed'}
                          </Button>
                          <Button size="xs" variant="subtle" component={Link} to={productPath(productKey, 'trace', 'graph', s.to)}>
                            Graph
                          </Button>
                        </Group>
                      </Table.Td>
                    </Table.Tr>,
                    isOpen ? (
                      <Table.Tr key={`${s.linkId}-changes`} id={`changes-${s.linkId}`}>
                        <Table.Td />
                        <Table.Td colSpan={4} bg="var(--mantine-color-gray-0)">
                          <ChangeView productKey={productKey} suspect={s} link={pinned.get(s.linkId)} />
                        </Table.Td>
                      </Table.Tr>
                    ) : null,
                  ];
                })}
              </Table.Tbody>
            </Table>
          </Paper>
        </Stack>
      )}
    </>
  );
}
