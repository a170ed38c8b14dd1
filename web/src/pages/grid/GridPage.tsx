import { Alert, Badge, Box, Button, Group, List, Select, Text } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useMemo, useRef, useState, type ClipboardEvent, type KeyboardEvent, type ReactNode } from 'react';
import { useSearchParams } from 'react-router';
import { call, type ApiOutput } from '../../api/client';
import { useApi } from '../../api/hooks';
import { useProductKey } from '../../app/product';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Loading } from '../../components/Loading';
import { PageHeader } from '../../components/PageHeader';
import { RecordLink } from '../../components/RecordLink';
import { parseDelimited } from './delimited';
import './grid.css';
import {
  cellChanged,
  gridColumns,
  mainUpstreamLink,
  newRows,
  pasteBlock,
  planOf,
  problemsOf,
  rowChanged,
  rowsFromRecords,
  setCell,
  type CellProblem,
  type FieldInfo,
  type GridColumn,
  type GridRow,
} from './grid-model';

type Exported = ApiOutput<'record.export'>;
type Report = ApiOutput<'record.import'>;

const ROW_HEIGHT = 34;
const BLANK_ROWS = 20;

/** `grid?type=SRS&link=derives_from`: many records of one type edited as a spreadsheet, saved in one transaction. */
export function GridPage(): ReactNode {
  const productKey = useProductKey();
  const [params, setParams] = useSearchParams();
  const type = (params.get('type') ?? 'SRS').toUpperCase();
  const catalog = useApi('catalog.show', {}, { staleTime: Infinity });
  // The grid holds the user's edits: the records are read again only after a save (or a reload asked for).
  const exported = useApi('record.export', { productKey }, { staleTime: Infinity, refetchOnWindowFocus: false });
  const typeInfo = catalog.data?.recordTypes.find((t) => t.key === type);
  const defaultLink = catalog.data === undefined ? undefined : mainUpstreamLink(type, catalog.data.linkTypes);
  const linkOptions = (catalog.data?.linkTypes ?? []).filter((l) => l.from.includes(type)).map((l) => ({ value: l.key, label: l.label }));
  const linkParam = params.get('link');
  const linkType = linkParam === 'none' ? undefined : linkOptions.some((o) => o.value === linkParam) ? (linkParam ?? undefined) : defaultLink;
  // What the last save did: said again by the grid made anew from the records read after it.
  const [saved, setSaved] = useState<{ text: string; report: Report } | undefined>(undefined);
  const setParam = (k: string, v: string | null): void => {
    const next = new URLSearchParams(params);
    if (v === null) next.delete(k);
    else next.set(k, v);
    if (k === 'type') next.delete('link');
    setSaved(undefined);
    setParams(next, { replace: false });
  };

  return (
    <>
      <PageHeader
        title="Grid editor"
        description="Enter and change many records at once, as in a spreadsheet: paste rows from Excel or Sheets, check, then save them in one transaction."
      />
      <Group gap="md" align="flex-end" mb="sm" wrap="wrap">
        <Select
          label="Record type"
          data={(catalog.data?.recordTypes ?? []).map((t) => ({ value: t.key, label: `${t.key} · ${t.name}` }))}
          value={typeInfo === undefined ? null : type}
          onChange={(v) => v !== null && setParam('type', v)}
          allowDeselect={false}
          w={280}
          disabled={catalog.data === undefined}
        />
        <Select
          label="Links column"
          data={[{ value: 'none', label: 'No links column' }, ...linkOptions]}
          value={linkType ?? 'none'}
          onChange={(v) => setParam('link', v)}
          allowDeselect={false}
          w={220}
          disabled={catalog.data === undefined}
        />
      </Group>
      {catalog.isError && <ErrorAlert error={catalog.error} />}
      {exported.isError && <ErrorAlert error={exported.error} />}
      {catalog.data !== undefined && typeInfo === undefined && (
        <Alert color="red" role="alert" title="Unknown record type">
          {type} is not a record type of the catalog; choose one above.
        </Alert>
      )}
      {(catalog.isPending || exported.isPending) && <Loading label="Loading the records" />}
      {typeInfo !== undefined && exported.data !== undefined && (
        <GridEditor
          key={`${type}|${linkType ?? ''}|${exported.dataUpdatedAt}`}
          productKey={productKey}
          type={type}
          fields={typeInfo.fields}
          linkType={linkType}
          data={exported.data}
          saved={saved}
          reload={async (text, report) => {
            setSaved({ text, report });
            await exported.refetch();
          }}
        />
      )}
    </>
  );
}

interface Active {
  readonly row: number;
  readonly col: number;
}

function GridEditor({
  productKey,
  type,
  fields,
  linkType,
  data,
  saved,
  reload,
}: {
  productKey: string;
  type: string;
  fields: FieldInfo[];
  linkType: string | undefined;
  data: Exported;
  saved: { text: string; report: Report } | undefined;
  reload: (text: string, report: Report) => Promise<void>;
}): ReactNode {
  const qc = useQueryClient();
  const columns = useMemo<GridColumn[]>(() => gridColumns(fields, linkType), [fields, linkType]);
  const nextNew = useRef(BLANK_ROWS);
  const [rows, setRows] = useState<GridRow[]>(() => [...rowsFromRecords(data.records, data.links, type, columns, linkType), ...newRows(0, BLANK_ROWS)]);
  const [active, setActive] = useState<Active>({ row: 0, col: 1 });
  const [editing, setEditing] = useState<string | undefined>(undefined);
  const [problems, setProblems] = useState<CellProblem[]>([]);
  const [stale, setStale] = useState<Map<number, string>>(new Map());
  const [report, setReport] = useState<Report | undefined>(saved?.report);
  const [phase, setPhase] = useState<'idle' | 'checking' | 'saving'>('idle');
  const [error, setError] = useState<unknown>(undefined);
  const [status, setStatus] = useState(saved?.text ?? '');
  const scrollRef = useRef<HTMLDivElement>(null);
  const tableRef = useRef<HTMLTableElement>(null);

  const virtualizer = useVirtualizer({ count: rows.length, getScrollElement: () => scrollRef.current, estimateSize: () => ROW_HEIGHT, overscan: 10 });
  const items = virtualizer.getVirtualItems();
  const top = items[0]?.start ?? 0;
  const bottom = virtualizer.getTotalSize() - (items.at(-1)?.end ?? 0);
  const totalWidth = 64 + columns.reduce((s, c) => s + c.width, 0) + 320;

  const changedCount = useMemo(() => rows.filter((r) => rowChanged(r, columns)).length, [rows, columns]);
  const byRow = useMemo(() => {
    const m = new Map<number, CellProblem[]>();
    for (const p of problems) m.set(p.row, [...(m.get(p.row) ?? []), p]);
    return m;
  }, [problems]);

  const cellId = (r: number, c: number): string => `grid-cell-${r}-${c}`;
  const inView = items.some((i) => i.index === active.row);

  const move = useCallback(
    (row: number, col: number): void => {
      const r = Math.max(0, Math.min(rows.length - 1, row));
      const c = Math.max(0, Math.min(columns.length - 1, col));
      setActive({ row: r, col: c });
      virtualizer.scrollToIndex(r, { align: 'auto' });
    },
    [rows.length, columns.length, virtualizer],
  );

  // The active cell in view sideways too.
  useEffect(() => {
    document.getElementById(cellId(active.row, active.col))?.scrollIntoView({ block: 'nearest', inline: 'nearest' });
  }, [active]);

  const focusTable = (): void => {
    requestAnimationFrame(() => tableRef.current?.focus());
  };

  const commit = (value: string, then: 'down' | 'right' | 'left' | 'stay'): void => {
    const col = columns[active.col];
    if (col?.editable === true) setRows((rs) => rs.map((r, i) => (i === active.row ? setCell(r, col.id, value) : r)));
    setEditing(undefined);
    if (then === 'down') move(active.row + 1, active.col);
    else if (then === 'right') move(active.row, active.col + 1);
    else if (then === 'left') move(active.row, active.col - 1);
    focusTable();
  };

  const startEdit = (initial?: string): void => {
    const col = columns[active.col];
    if (col === undefined || !col.editable) {
      setStatus(`${col?.label ?? 'This column'} cannot be edited`);
      return;
    }
    setEditing(initial ?? rows[active.row]?.cells[col.id] ?? '');
  };

  const onKeyDown = (e: KeyboardEvent<HTMLTableElement>): void => {
    if (editing !== undefined || e.target !== tableRef.current) return;
    const { row, col } = active;
    const page = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? 400) / ROW_HEIGHT) - 1);
    const keys: Record<string, () => void> = {
      // Ctrl+Down: the first empty row after the data (where new rows are typed or pasted); Ctrl+Up: the top.
      ArrowDown: () => (e.ctrlKey || e.metaKey ? move(firstBlank(), col) : move(row + 1, col)),
      ArrowUp: () => (e.ctrlKey || e.metaKey ? move(0, col) : move(row - 1, col)),
      ArrowRight: () => move(row, col + 1),
      ArrowLeft: () => move(row, col - 1),
      PageDown: () => move(row + page, col),
      PageUp: () => move(row - page, col),
      Home: () => (e.ctrlKey ? move(0, 0) : move(row, 0)),
      End: () => (e.ctrlKey ? move(rows.length - 1, columns.length - 1) : move(row, columns.length - 1)),
      Enter: () => startEdit(),
      F2: () => startEdit(),
      Delete: () => clearCell(),
      Backspace: () => clearCell(),
    };
    if (e.key === 'Tab') {
      // Tab walks the cells of a row; past its ends it leaves the grid, as everywhere else.
      const next = col + (e.shiftKey ? -1 : 1);
      if (next >= 0 && next < columns.length) {
        e.preventDefault();
        move(row, next);
      }
      return;
    }
    const action = keys[e.key];
    if (action !== undefined) {
      e.preventDefault();
      action();
      return;
    }
    if (e.key.length === 1 && !e.ctrlKey && !e.metaKey && !e.altKey) {
      e.preventDefault();
      startEdit(e.key);
    }
  };

  const firstBlank = (): number => {
    let r = rows.length;
    while (r > 0 && rows[r - 1]?.key === undefined && !rowChanged(rows[r - 1]!, columns)) r--;
    return Math.min(r, rows.length - 1);
  };

  const clearCell = (): void => {
    const c = columns[active.col];
    if (c?.editable !== true) return;
    setRows((rs) => rs.map((r, i) => (i === active.row ? setCell(r, c.id, '') : r)));
  };

  const onPaste = (e: ClipboardEvent<HTMLTableElement>): void => {
    if (editing !== undefined) return;
    const text = e.clipboardData.getData('text/plain');
    if (text === '') return;
    e.preventDefault();
    const block = parseDelimited(text, '\t');
    const res = pasteBlock(rows, columns, active, block, nextNew.current);
    nextNew.current += res.added;
    setRows(res.rows);
    setStatus(`Pasted ${block.length} row${block.length === 1 ? '' : 's'} at row ${active.row + 1}, column ${columns[active.col]?.label ?? ''}`);
  };

  const onCopy = (e: ClipboardEvent<HTMLTableElement>): void => {
    if (editing !== undefined) return;
    const c = columns[active.col];
    if (c === undefined) return;
    e.preventDefault();
    e.clipboardData.setData('text/plain', rows[active.row]?.cells[c.id] ?? '');
  };

  const addRows = (n: number): void => {
    const start = nextNew.current;
    nextNew.current += n;
    setRows((rs) => [...rs, ...newRows(start, n)]);
    setStatus(`Added ${n} empty rows at the end`);
  };

  const discard = (): void => {
    setRows([...rowsFromRecords(data.records, data.links, type, columns, linkType), ...newRows(nextNew.current, BLANK_ROWS)]);
    nextNew.current += BLANK_ROWS;
    setProblems([]);
    setStale(new Map());
    setReport(undefined);
    setError(undefined);
    setStatus('Changes discarded');
  };

  const save = async (apply: boolean): Promise<void> => {
    const { plan } = planOf(rows, columns, type, linkType);
    setError(undefined);
    if ((plan.records ?? []).length === 0) {
      setStatus('Nothing to save: no row was changed');
      return;
    }
    const source = `grid editor (${type})`;
    setPhase('checking');
    try {
      const dry = await call('record.import', { productKey, plan, dryRun: true, source });
      const found = problemsOf(dry, columns);
      setProblems(found.cells);
      setStale(found.stale);
      setReport(dry);
      if (dry.problems.length > 0 || dry.conflicts.length > 0) {
        // To the first problem, so it is in view.
        const first = found.cells[0];
        const staleRow = [...found.stale.keys()][0];
        if (first !== undefined) move(first.row, Math.max(1, columns.findIndex((c) => c.id === first.column)));
        else if (staleRow !== undefined) move(staleRow, 1);
        setStatus(`Nothing was saved: ${dry.problems.length} problem${dry.problems.length === 1 ? '' : 's'}, ${dry.conflicts.length} stale row${dry.conflicts.length === 1 ? '' : 's'}`);
        return;
      }
      if (!apply) {
        setStatus(`Check passed: ${dry.created.length} to create, ${dry.changed.length} to change, ${dry.linksAdded.length} links to add`);
        return;
      }
      setPhase('saving');
      const done = await call('record.import', { productKey, plan, dryRun: false, source });
      const text = `Saved: ${done.created.length} created, ${done.changed.length} changed, ${done.linksAdded.length} links added`;
      setReport(done);
      setStatus(text);
      await qc.invalidateQueries({ predicate: (q) => q.queryKey[0] !== 'record.export' });
      await reload(text, done);
    } catch (e) {
      setError(e);
      setStatus('Nothing was saved');
    } finally {
      setPhase('idle');
    }
  };

  const editorCol = columns[active.col];

  return (
    <>
      <Group justify="space-between" mb="xs" wrap="wrap" gap="xs">
        <Group gap="xs">
          <Button onClick={() => void save(true)} loading={phase !== 'idle'} disabled={changedCount === 0}>
            Save {changedCount > 0 ? `${changedCount} row${changedCount === 1 ? '' : 's'}` : ''}
          </Button>
          <Button variant="default" onClick={() => void save(false)} disabled={changedCount === 0 || phase !== 'idle'}>
            Check only
          </Button>
          <Button variant="default" onClick={() => addRows(10)}>
            Add 10 rows
          </Button>
          <Button variant="default" onClick={discard} disabled={changedCount === 0 && problems.length === 0}>
            Discard changes
          </Button>
        </Group>
        <Text size="sm" c="gray.7">
          {rows.length - rows.filter((r) => r.key === undefined).length} records · {changedCount} changed · arrows to move, Ctrl+↓ to the first empty row, Enter or F2 to edit, Esc to cancel, Ctrl+V to paste rows
        </Text>
      </Group>
      <Text role="status" aria-live="polite" size="sm" c="gray.8" mb={4} mih={20}>
        {phase === 'checking' ? 'Checking the changed rows (dry run)…' : phase === 'saving' ? 'Saving in one transaction…' : status}
      </Text>
      <ErrorAlert error={error} title="The save was refused; nothing was written" />
      {report !== undefined && (report.problems.length > 0 || report.conflicts.length > 0) && (
        <Alert color="red" variant="light" title={`Nothing was saved: ${report.problems.length + report.conflicts.length} to fix`} mb="xs">
          <List size="sm" spacing={2}>
            {report.problems.slice(0, 8).map((p, i) => (
              <List.Item key={`p${i}`}>
                <ProblemJump where={p.where} onJump={(r, c) => move(r, c)} columns={columns} problem={problems.find((x) => `row ${x.row + 1}` === p.where.split(' column')[0])} />
                {p.message}
              </List.Item>
            ))}
            {report.conflicts.slice(0, 8).map((c) => (
              <List.Item key={`c${c.ref}`}>
                {c.where}: {c.key} changed since it was loaded (now revision {c.latestRevision}, by {c.changedBy}); reload the grid to edit its latest revision.
              </List.Item>
            ))}
          </List>
          {report.problems.length + report.conflicts.length > 16 && <Text size="sm">… and more, marked on their rows.</Text>}
        </Alert>
      )}
      <Box
        ref={scrollRef}
        style={{ height: 'max(360px, calc(100vh - 330px))', overflow: 'auto', border: '1px solid var(--mantine-color-gray-4)', borderRadius: 4, background: 'white' }}
      >
        <table
          ref={tableRef}
          role="grid"
          aria-label={`${type} records`}
          aria-rowcount={rows.length + 1}
          aria-colcount={columns.length + 2}
          tabIndex={0}
          aria-activedescendant={inView && editing === undefined ? cellId(active.row, active.col) : undefined}
          onKeyDown={onKeyDown}
          onPaste={onPaste}
          onCopy={onCopy}
          className="grid-editor"
          style={{ tableLayout: 'fixed', width: totalWidth, borderCollapse: 'separate', borderSpacing: 0 }}
        >
          <colgroup>
            <col style={{ width: 64 }} />
            {columns.map((c) => (
              <col key={c.id} style={{ width: c.width }} />
            ))}
            <col style={{ width: 320 }} />
          </colgroup>
          <thead>
            <tr aria-rowindex={1}>
              <th scope="col" className="ge-th">
                Row
              </th>
              {columns.map((c) => (
                <th key={c.id} scope="col" className="ge-th" title={c.field === undefined ? undefined : describeField(c.field)}>
                  {c.label}
                  {c.field?.required === true && <span aria-label=" (required)"> *</span>}
                </th>
              ))}
              <th scope="col" className="ge-th">
                Problems
              </th>
            </tr>
          </thead>
          <tbody>
            {top > 0 && (
              <tr aria-hidden="true">
                <td colSpan={columns.length + 2} style={{ height: top, padding: 0, border: 0 }} />
              </tr>
            )}
            {items.map((vi) => {
              const row = rows[vi.index];
              if (row === undefined) return null;
              const rowProblems = byRow.get(vi.index) ?? [];
              const staleMsg = stale.get(vi.index);
              const changed = rowChanged(row, columns);
              return (
                <tr key={row.id} aria-rowindex={vi.index + 2} data-row={vi.index + 1} style={{ height: ROW_HEIGHT }} className={rowProblems.length > 0 || staleMsg !== undefined ? 'ge-row-bad' : undefined}>
                  <th scope="row" className="ge-rowhead">
                    {vi.index + 1}
                    {row.key === undefined ? (changed ? <Badge variant="filled" size="xs" ml={4} color="blue.8">new</Badge> : null) : changed ? <Badge variant="filled" size="xs" ml={4} color="indigo.9">edited</Badge> : null}
                  </th>
                  {columns.map((c, ci) => {
                    const isActive = active.row === vi.index && active.col === ci;
                    const problem = rowProblems.find((p) => p.column === c.id);
                    const text = row.cells[c.id] ?? '';
                    const cls = ['ge-cell', isActive ? 'ge-active' : '', cellChanged(row, c.id) ? 'ge-changed' : '', problem !== undefined ? 'ge-error' : '', c.editable ? '' : 'ge-readonly'].join(' ');
                    return (
                      <td
                        key={c.id}
                        id={cellId(vi.index, ci)}
                        className={cls}
                        aria-selected={isActive}
                        aria-readonly={c.editable ? undefined : true}
                        aria-invalid={problem === undefined ? undefined : true}
                        title={problem?.message}
                        onMouseDown={(ev) => {
                          if (isActive && editing !== undefined) return;
                          ev.preventDefault();
                          if (editing !== undefined) commit(editing, 'stay');
                          setActive({ row: vi.index, col: ci });
                          tableRef.current?.focus();
                        }}
                        onDoubleClick={() => startEdit()}
                      >
                        {isActive && editing !== undefined && editorCol !== undefined ? (
                          <CellEditor
                            label={`${editorCol.label}, row ${vi.index + 1}`}
                            multiline={c.kind === 'body'}
                            value={editing}
                            onChange={setEditing}
                            onCommit={(then) => commit(editing, then)}
                            onCancel={() => {
                              setEditing(undefined);
                              focusTable();
                            }}
                            {...(c.field?.kind === 'choice' && c.field.values !== undefined ? { options: c.field.values } : {})}
                          />
                        ) : c.kind === 'key' && row.key !== undefined ? (
                          <RecordLink productKey={productKey} record={row.key} />
                        ) : (
                          text
                        )}
                      </td>
                    );
                  })}
                  <td className="ge-cell ge-problems">
                    {staleMsg !== undefined && <span className="ge-msg">Stale: {staleMsg}</span>}
                    {rowProblems.map((p, i) => (
                      <span key={i} className="ge-msg">
                        {p.column === undefined ? '' : `${columns.find((c) => c.id === p.column)?.label ?? p.column}: `}
                        {p.message}
                      </span>
                    ))}
                  </td>
                </tr>
              );
            })}
            {bottom > 0 && (
              <tr aria-hidden="true">
                <td colSpan={columns.length + 2} style={{ height: bottom, padding: 0, border: 0 }} />
              </tr>
            )}
          </tbody>
        </table>
      </Box>
      {report !== undefined && report.problems.length === 0 && report.conflicts.length === 0 && (
        <Text size="sm" mt="xs" c="gray.8">
          {report.dryRun ? 'Last check' : 'Last save'}: {report.created.length} created {report.created.length > 0 && `(${report.created.map((c) => c.key).join(', ')})`}, {report.changed.length} changed,{' '}
          {report.unchanged} unchanged, {report.linksAdded.length} links added.
        </Text>
      )}
      <Text size="xs" c="gray.7" mt={4}>
        Links are added from the links column; removing an ID there does not remove the link (use the record page). A row edited here and by someone else since it was loaded is refused as stale.
      </Text>
    </>
  );
}

function describeField(f: FieldInfo): string {
  const kind = f.kind === 'list' ? `list of ${f.itemKind ?? 'text'} (comma-separated)` : f.kind;
  return `${f.name}: ${kind}${f.values === undefined ? '' : ` — one of ${f.values.join(', ')}`}${f.required ? ' (required)' : ''}`;
}

function ProblemJump({ where, onJump, columns, problem }: { where: string; onJump: (row: number, col: number) => void; columns: readonly GridColumn[]; problem: CellProblem | undefined }): ReactNode {
  const m = /^row (\d+)/.exec(where);
  if (m === null) return <>{where}: </>;
  const row = Number(m[1]) - 1;
  const col = Math.max(1, columns.findIndex((c) => c.id === problem?.column));
  return (
    <>
      <Button variant="transparent" size="compact-sm" p={0} onClick={() => onJump(row, col)}>
        {where}
      </Button>
      {': '}
    </>
  );
}

/** The in-cell editor: Enter (or Tab) keeps the text and moves on, Escape drops it; a body takes Shift+Enter for new lines. */
function CellEditor({ label, value, onChange, multiline, options, onCommit, onCancel }: { label: string; value: string; onChange: (v: string) => void; multiline: boolean; options?: readonly string[]; onCommit: (then: 'down' | 'right' | 'left' | 'stay') => void; onCancel: () => void }): ReactNode {
  const ref = useRef<HTMLInputElement & HTMLTextAreaElement>(null);
  useEffect(() => {
    const el = ref.current;
    if (el === null) return;
    el.focus();
    el.setSelectionRange(el.value.length, el.value.length);
  }, []);
  const onKeyDown = (e: KeyboardEvent<HTMLElement>): void => {
    e.stopPropagation();
    if (e.key === 'Escape') {
      e.preventDefault();
      onCancel();
    } else if (e.key === 'Enter' && !(multiline && (e.shiftKey || e.altKey))) {
      e.preventDefault();
      onCommit('down');
    } else if (e.key === 'Tab') {
      e.preventDefault();
      onCommit(e.shiftKey ? 'left' : 'right');
    }
  };
  const listId = options === undefined ? undefined : `ge-options-${label.replace(/\W+/g, '-')}`;
  const common = { 'aria-label': label, value, className: 'ge-input', onKeyDown };
  return multiline ? (
    <textarea ref={ref} {...common} rows={3} onChange={(e) => onChange(e.target.value)} />
  ) : (
    <>
      <input ref={ref} {...common} onChange={(e) => onChange(e.target.value)} {...(listId === undefined ? {} : { list: listId })} />
      {options !== undefined && (
        <datalist id={listId}>
          {options.map((o) => (
            <option key={o} value={o} />
          ))}
        </datalist>
      )}
    </>
  );
}
