import { Badge, Group, Text } from '@mantine/core';
import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useRef, type ReactNode } from 'react';
import { RecordLink } from '../../components/RecordLink';
import { pathText, type MatrixRowData } from './matrix';

const ROW_HEIGHT = 40;

/** One matrix row: the key links to the record; a gap says so in words, not only in red. */
const MatrixRow = memo(function MatrixRow({ r, index, productKey, to }: { r: MatrixRowData; index: number; productKey: string; to: string }): ReactNode {
  return (
    <tr data-index={index} aria-rowindex={index + 2} className="tm-row" data-gap={r.covered ? undefined : 'true'} style={{ height: ROW_HEIGHT, background: r.covered ? undefined : 'var(--mantine-color-red-0)' }}>
      <td style={{ ...CELL, borderLeft: r.covered ? '4px solid transparent' : '4px solid var(--mantine-color-red-9)' }}>
        <RecordLink productKey={productKey} record={r.key} />
      </td>
      <td style={CELL} title={r.title}>
        {r.title}
      </td>
      <td style={CELL}>
        {r.status.replaceAll('_', ' ')}
      </td>
      <td style={CELL}>
        {r.covered ? (
          <Text size="sm" c="dark.6" component="span">
            ✓ Covered ({r.targets.length})
          </Text>
        ) : (
          <Badge color="red.9" variant="filled" radius="sm">
            ✗ Gap: no {to}
          </Badge>
        )}
      </td>
      <td style={CELL}>
        {r.targets.length === 0 ? (
          <Text size="sm" c="red.9" component="span">
            none
          </Text>
        ) : (
          <Group gap={6} wrap="nowrap">
            {r.targets.slice(0, 12).map((t) => (
              <span key={t.key} title={`${t.title}: ${pathText(r.key, t.path)}`}>
                <RecordLink productKey={productKey} record={t.key} />
              </span>
            ))}
            {r.targets.length > 12 && (
              <Text size="sm" component="span">
                +{r.targets.length - 12} more
              </Text>
            )}
          </Group>
        )}
      </td>
    </tr>
  );
});

const CELL = { overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap', padding: '6px 10px', borderBottom: '1px solid var(--mantine-color-gray-2)', fontSize: 14 } as const;
const HEAD = { ...CELL, position: 'sticky', top: 0, background: 'var(--mantine-color-gray-1)', zIndex: 1, textAlign: 'left', fontWeight: 700, borderBottom: '1px solid var(--mantine-color-gray-4)' } as const;

/**
 * The matrix rows in a real `<table>` that renders only the rows in view (TanStack Virtual over the rows as they
 * came, with no per-row model built up front), so 100,000 rows paint at once and scroll smoothly. Tab reaches the
 * scroll area (arrows and Page keys scroll) and each record link.
 */
export function MatrixTable({ rows, productKey, from, to, height }: { rows: readonly MatrixRowData[]; productKey: string; from: string; to: string; height: number }): ReactNode {
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({ count: rows.length, getScrollElement: () => scrollRef.current, estimateSize: () => ROW_HEIGHT, overscan: 10 });
  const items = virtualizer.getVirtualItems();
  const top = items[0]?.start ?? 0;
  const bottom = virtualizer.getTotalSize() - (items.at(-1)?.end ?? 0);
  const label = `Trace matrix ${from} to ${to}`;
  return (
    <div ref={scrollRef} role="region" aria-label={label} tabIndex={0} style={{ height, overflow: 'auto', border: '1px solid var(--mantine-color-gray-3)', borderRadius: 4, background: 'white' }}>
      <table aria-label={label} aria-rowcount={rows.length + 1} style={{ width: '100%', borderCollapse: 'separate', borderSpacing: 0, tableLayout: 'fixed', minWidth: 760 }}>
        <colgroup>
          <col style={{ width: 110 }} />
          <col />
          <col style={{ width: 120 }} />
          <col style={{ width: 160 }} />
          <col style={{ width: '30%' }} />
        </colgroup>
        <thead>
          <tr aria-rowindex={1}>
            <th style={HEAD} scope="col">
              {from}
            </th>
            <th style={HEAD} scope="col">
              Title
            </th>
            <th style={HEAD} scope="col">
              Status
            </th>
            <th style={HEAD} scope="col">
              Coverage
            </th>
            <th style={HEAD} scope="col">
              {to} records
            </th>
          </tr>
        </thead>
        <tbody>
          {top > 0 && (
            <tr aria-hidden="true">
              <td colSpan={5} style={{ height: top, padding: 0, border: 0 }} />
            </tr>
          )}
          {items.map((vi) => {
            const r = rows[vi.index];
            return r === undefined ? null : <MatrixRow key={r.key} r={r} index={vi.index} productKey={productKey} to={to} />;
          })}
          {bottom > 0 && (
            <tr aria-hidden="true">
              <td colSpan={5} style={{ height: bottom, padding: 0, border: 0 }} />
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}
