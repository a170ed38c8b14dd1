import { Box, Table, Text } from '@mantine/core';
import { createRow, flexRender, getCoreRowModel, useReactTable, type ColumnDef, type Row } from '@tanstack/react-table';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useMemo, useRef, type KeyboardEvent, type ReactNode } from 'react';

export interface VirtualTableProps<T> {
  readonly data: readonly T[];
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- TanStack's column type is heterogeneous by design
  readonly columns: ColumnDef<T, any>[];
  /** What the table lists (its accessible name). */
  readonly label: string;
  /** Height of the scrolling area in pixels (default 600). */
  readonly height?: number;
  /** Estimated row height (default 36). */
  readonly rowHeight?: number;
  readonly getRowId?: (row: T, index: number) => string;
  /** Enter on a focused row, or a click: open it. */
  readonly onActivate?: (row: T) => void;
  /** Marks rows (a gap, a failure) with a background. */
  readonly rowTone?: (row: T) => 'danger' | 'warning' | undefined;
}

const NO_ROWS: never[] = [];

const TONE: Record<string, string> = { danger: 'var(--mantine-color-red-0)', warning: 'var(--mantine-color-yellow-0)' };

/**
 * A real `<table>` that renders only the rows in view (TanStack Table for the model, TanStack Virtual for the
 * window), so 100,000 rows scroll without lag. The scroll area is focusable; rows are reached with the arrow keys
 * and opened with Enter.
 */
export function VirtualTable<T>({ data, columns, label, height = 600, rowHeight = 36, getRowId, onActivate, rowTone }: VirtualTableProps<T>): ReactNode {
  // The table model holds the columns only: a TanStack row is made for a row when it comes into view (making one
  // for each of 100,000 rows up front costs seconds of main thread).
  const table = useReactTable({ data: NO_ROWS, columns, getCoreRowModel: getCoreRowModel() });
  const made = useMemo(() => new Map<number, Row<T>>(), [data, columns, getRowId]);
  const rowAt = (i: number): Row<T> | undefined => {
    const original = data[i];
    if (original === undefined) return undefined;
    let row = made.get(i);
    if (row === undefined) {
      row = createRow(table, getRowId === undefined ? String(i) : getRowId(original, i), original, i, 0);
      made.set(i, row);
    }
    return row;
  };
  const rows = { length: data.length };
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({ count: rows.length, getScrollElement: () => scrollRef.current, estimateSize: () => rowHeight, overscan: 12 });
  const items = virtualizer.getVirtualItems();
  const top = items[0]?.start ?? 0;
  const bottom = virtualizer.getTotalSize() - (items.at(-1)?.end ?? 0);
  const colCount = table.getVisibleLeafColumns().length;

  const onKey = (e: KeyboardEvent<HTMLTableRowElement>, row: Row<T>, index: number): void => {
    if (e.key === 'Enter' && onActivate !== undefined) {
      e.preventDefault();
      onActivate(row.original);
    } else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      const next = Math.max(0, Math.min(rows.length - 1, index + (e.key === 'ArrowDown' ? 1 : -1)));
      virtualizer.scrollToIndex(next);
      requestAnimationFrame(() => scrollRef.current?.querySelector<HTMLElement>(`[data-index="${next}"]`)?.focus());
    }
  };

  if (rows.length === 0) {
    return (
      <Text size="sm" c="gray.7" p="md">
        Nothing to show.
      </Text>
    );
  }
  return (
    <Box ref={scrollRef} style={{ height, overflow: 'auto', border: '1px solid var(--mantine-color-gray-3)', borderRadius: 4, background: 'white' }} tabIndex={0} role="region" aria-label={label} onKeyDown={(e) => {
        // From the scroll area itself, the arrow keys step into the rows.
        if (e.target === scrollRef.current && e.key === 'ArrowDown') {
          e.preventDefault();
          scrollRef.current.querySelector<HTMLElement>('tr.vt-row')?.focus();
        }
      }}>
      <Table stickyHeader aria-label={label} aria-rowcount={rows.length + 1} style={{ tableLayout: 'fixed' }}>
        <Table.Thead>
          {table.getHeaderGroups().map((hg) => (
            <Table.Tr key={hg.id} aria-rowindex={1}>
              {hg.headers.map((h) => (
                <Table.Th key={h.id} style={{ width: h.getSize() === 150 ? undefined : h.getSize() }}>
                  {h.isPlaceholder ? null : flexRender(h.column.columnDef.header, h.getContext())}
                </Table.Th>
              ))}
            </Table.Tr>
          ))}
        </Table.Thead>
        <Table.Tbody>
          {top > 0 && (
            <tr aria-hidden="true">
              <td colSpan={colCount} style={{ height: top, padding: 0, border: 0 }} />
            </tr>
          )}
          {items.map((vi) => {
            const row = rowAt(vi.index);
            if (row === undefined) return null;
            const tone = rowTone?.(row.original);
            return (
              <Table.Tr
                key={row.id}
                data-index={vi.index}
                aria-rowindex={vi.index + 2}
                className="vt-row"
                tabIndex={-1}
                onKeyDown={(e) => onKey(e, row, vi.index)}
                onDoubleClick={onActivate === undefined ? undefined : () => onActivate(row.original)}
                style={{ height: rowHeight, ...(tone === undefined ? {} : { background: TONE[tone] }) }}
              >
                {row.getVisibleCells().map((c) => (
                  <Table.Td key={c.id} style={{ overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }}>
                    {flexRender(c.column.columnDef.cell, c.getContext())}
                  </Table.Td>
                ))}
              </Table.Tr>
            );
          })}
          {bottom > 0 && (
            <tr aria-hidden="true">
              <td colSpan={colCount} style={{ height: bottom, padding: 0, border: 0 }} />
            </tr>
          )}
        </Table.Tbody>
      </Table>
    </Box>
  );
}
