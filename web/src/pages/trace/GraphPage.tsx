import { Alert, Button, Group, NativeSelect, Paper, Table, Text, TextInput } from '@mantine/core';
import ELK from 'elkjs/lib/elk.bundled.js';
import { useEffect, useMemo, useState, type FormEvent, type MouseEvent, type ReactNode } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { useApi } from '../../api/hooks';
import { productPath, useProductKey } from '../../app/product';
import { EmptyState } from '../../components/EmptyState';
import { ErrorAlert, errorText } from '../../components/ErrorAlert';
import { Loading } from '../../components/Loading';
import { PageHeader } from '../../components/PageHeader';
import { RecordLink } from '../../components/RecordLink';
import { edgeLabel, layOut, MAX_HOPS, MIN_HOPS, neighbourhood, readHops, type Drawing, type PlacedNode } from './graph';

const elk = new ELK();

const SIDE_FILL: Record<PlacedNode['side'], string> = { centre: '#e7f0ff', upstream: '#ffffff', downstream: '#ffffff' };

/** A node title cut to fit its box. */
const cut = (s: string, n: number): string => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

/** The SVG drawing: boxes are links to the records (Tab reaches each; Enter opens it). */
function GraphSvg({ d, productKey, centre }: { d: Drawing; productKey: string; centre: string }): ReactNode {
  const navigate = useNavigate();
  const open = (e: MouseEvent, to: string): void => {
    if (e.metaKey || e.ctrlKey || e.shiftKey || e.button !== 0) return;
    e.preventDefault();
    void navigate(to);
  };
  return (
    <svg width={d.width} height={d.height} viewBox={`0 0 ${d.width} ${d.height}`} role="group" aria-label={`Trace graph around ${centre}`} style={{ display: 'block', maxWidth: 'none' }}>
      <style>{`.tg-node:focus { outline: none; } .tg-node:focus-visible rect.tg-box, .tg-node:hover rect.tg-box { stroke: #1c4fa8; stroke-width: 3; }`}</style>
      <defs>
        <marker id="tg-arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
          <path d="M 0 0 L 10 5 L 0 10 z" fill="#495057" />
        </marker>
        <marker id="tg-arrow-suspect" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
          <path d="M 0 0 L 10 5 L 0 10 z" fill="#c92a2a" />
        </marker>
      </defs>
      {d.edges.map((e) => (
        <g key={e.id} data-edge={e.id} data-suspect={e.suspect ? 'true' : 'false'}>
          <title>{`${e.from} ${e.type.replaceAll('_', ' ')} ${e.to}${e.suspect ? ` — suspect (changed: ${e.cause ?? '?'})` : ''}`}</title>
          {/* Laid out from the upstream record down; the arrow points as the link reads (TC-1 verifies → SRS-1). */}
          <path
            d={e.d}
            fill="none"
            stroke={e.suspect ? '#c92a2a' : '#495057'}
            strokeWidth={e.suspect ? 2 : 1.4}
            strokeDasharray={e.suspect ? '6 4' : undefined}
            {...{ [e.to === e.up ? 'markerStart' : 'markerEnd']: `url(#${e.suspect ? 'tg-arrow-suspect' : 'tg-arrow'})` }}
          />
          <rect x={e.label.x - 2} y={e.label.y - 1} width={e.label.width + 4} height={e.label.height + 2} rx={3} fill="white" opacity={0.92} />
          <text x={e.label.x + e.label.width / 2} y={e.label.y + e.label.height - 4} textAnchor="middle" fontSize={11} fill={e.suspect ? '#a51111' : '#343a40'} fontWeight={e.suspect ? 700 : 400}>
            {e.label.text}
          </text>
        </g>
      ))}
      {d.nodes.map((n) => {
        const to = productPath(productKey, 'records', n.key);
        return (
          <a key={n.key} href={to} className="tg-node" data-node={n.key} onClick={(e) => open(e, to)}>
            {/* The accessible name is the visible text: key, title, status. */}
            <rect className="tg-box" x={n.x} y={n.y} width={n.width} height={n.height} rx={6} fill={SIDE_FILL[n.side]} stroke={n.side === 'centre' ? '#1c4fa8' : '#868e96'} strokeWidth={n.side === 'centre' ? 2.5 : 1.2} />
            <text x={n.x + 10} y={n.y + 22} fontSize={13} fontWeight={700} fill="#1c4fa8" fontFamily="ui-monospace, monospace">
              {n.key}
            </text>
            <text x={n.x + 10} y={n.y + 42} fontSize={11.5} fill="#212529">
              {cut(n.title, 27)}
            </text>
            {n.status !== '' && (
              <text x={n.x + n.width - 10} y={n.y + 22} fontSize={10} textAnchor="end" fill="#495057">
                {n.status.replaceAll('_', ' ')}
              </text>
            )}
          </a>
        );
      })}
    </svg>
  );
}

/** `trace/graph/:record?hops=2`: the records and links around a record, laid out in layers, suspect links marked. */
export function GraphPage(): ReactNode {
  const productKey = useProductKey();
  const record = (useParams().record ?? '').toUpperCase();
  const [search, setSearch] = useSearchParams();
  const hops = readHops(search.get('hops'));
  const navigate = useNavigate();
  const [jump, setJump] = useState('');

  const impact = useApi('trace.impact', { productKey, record }, { retry: false, enabled: record !== '' });
  const suspects = useApi('trace.suspects', { productKey }, { enabled: record !== '' });
  const catalog = useApi('catalog.show', {}, { staleTime: Infinity });

  const ready = impact.data !== undefined && suspects.data !== undefined && catalog.data !== undefined;
  const model = useMemo(() => {
    if (impact.data === undefined || suspects.data === undefined || catalog.data === undefined) return undefined;
    const ends = new Map(catalog.data.linkTypes.map((l) => [l.key, l.upstream]));
    const labels = new Map(catalog.data.linkTypes.map((l) => [l.key, l.label]));
    return { n: neighbourhood(impact.data, suspects.data, ends, hops), labels };
  }, [impact.data, suspects.data, catalog.data, hops]);

  const [layout, setLayout] = useState<{ for: unknown; drawing?: Drawing; error?: unknown }>({ for: undefined });
  useEffect(() => {
    if (model === undefined) return;
    let live = true;
    layOut(elk, model.n, model.labels).then(
      (drawing) => live && setLayout({ for: model, drawing }),
      (error: unknown) => live && setLayout({ for: model, error }),
    );
    return () => {
      live = false;
    };
  }, [model]);

  const onJump = (e: FormEvent): void => {
    e.preventDefault();
    const k = jump.trim().toUpperCase();
    if (k !== '') void navigate({ pathname: productPath(productKey, 'trace', 'graph', k), search: search.toString() });
  };
  const suspectCount = model?.n.edges.filter((e) => e.suspect).length ?? 0;

  return (
    <>
      <PageHeader
        title={record === '' ? 'Trace graph' : `Trace graph: ${record}`}
        description="The records linked to this one, upstream above and downstream below; each box opens its record."
        actions={
          record === '' ? undefined : (
            <Button variant="default" component={Link} to={productPath(productKey, 'records', record)}>
              Open {record}
            </Button>
          )
        }
      />
      <Paper withBorder p="sm" mb="md" bg="white">
        <Group align="flex-end" gap="md" wrap="wrap">
          <NativeSelect
            label="Hop depth (links away)"
            data={Array.from({ length: MAX_HOPS - MIN_HOPS + 1 }, (_, i) => String(i + MIN_HOPS))}
            value={String(hops)}
            onChange={(e) => {
              const next = new URLSearchParams(search);
              next.set('hops', e.currentTarget.value);
              setSearch(next, { replace: true });
            }}
            w={200}
          />
          <form onSubmit={onJump} style={{ display: 'flex', gap: 8, alignItems: 'flex-end' }}>
            <TextInput label="Another record" placeholder="SRS-3" value={jump} onChange={(e) => setJump(e.currentTarget.value)} w={160} />
            <Button type="submit" variant="default">
              Show graph
            </Button>
          </form>
        </Group>
      </Paper>
      {record === '' ? (
        <EmptyState title="Choose a record">Type a record ID above (such as SRS-3) to see the records linked to it, or open the graph from a record or a suspect link.</EmptyState>
      ) : impact.isError ? (
        <ErrorAlert error={impact.error} title={`No trace graph for ${record}`} />
      ) : suspects.isError || catalog.isError ? (
        <ErrorAlert error={suspects.error ?? catalog.error} />
      ) : !ready || layout.for !== model ? (
        <Loading label="Laying out the trace graph" />
      ) : layout.error !== undefined || layout.drawing === undefined ? (
        <Alert color="red" role="alert" title="The graph could not be laid out">
          {errorText(layout.error)}
        </Alert>
      ) : (
        <>
          <Group gap="lg" mb="xs" role="status">
            <Text size="sm">
              {model?.n.nodes.length ?? 0} records, {model?.n.edges.length ?? 0} links within {hops} {hops === 1 ? 'hop' : 'hops'}
              {model?.n.truncated === true ? ' (more lie further out: raise the hop depth)' : ''}
            </Text>
            <Text size="sm" c={suspectCount > 0 ? 'red.9' : 'gray.7'} fw={suspectCount > 0 ? 600 : 400}>
              {suspectCount === 0 ? 'No suspect links here' : `${suspectCount} suspect ${suspectCount === 1 ? 'link' : 'links'} (dashed red, labelled “suspect”)`}
            </Text>
          </Group>
          {model?.n.edges.length === 0 ? (
            <Text size="sm" c="gray.7" mb="sm">
              {record} has no links yet.
            </Text>
          ) : null}
          <Paper withBorder bg="#f8f9fa" style={{ overflow: 'auto', maxHeight: 640 }}>
            <GraphSvg d={layout.drawing} productKey={productKey} centre={record} />
          </Paper>
          {model !== undefined && model.n.edges.length > 0 && (
            <details style={{ marginTop: 12 }}>
              <summary style={{ cursor: 'pointer', fontSize: 14 }}>The links in the graph as a table</summary>
              <Table mt="xs" withTableBorder fz="sm" aria-label="Links in the graph">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>From</Table.Th>
                    <Table.Th>Link</Table.Th>
                    <Table.Th>To</Table.Th>
                    <Table.Th>State</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {model.n.edges.map((e) => (
                    <Table.Tr key={e.id}>
                      <Table.Td>
                        <RecordLink productKey={productKey} record={e.from} />
                      </Table.Td>
                      <Table.Td>{edgeLabel({ type: e.type, suspect: false }, model.labels)}</Table.Td>
                      <Table.Td>
                        <RecordLink productKey={productKey} record={e.to} />
                      </Table.Td>
                      <Table.Td>{e.suspect ? `suspect (changed: ${e.cause ?? '?'})` : 'confirmed'}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </details>
          )}
        </>
      )}
    </>
  );
}
