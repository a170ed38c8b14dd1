import { Table, Text, VisuallyHidden } from '@mantine/core';
import type { ReactNode } from 'react';
import { fieldLabel } from './recordForm';
import { foldUnchanged, type DiffRow, type RevisionComparison, type Side } from './revisionDiff';
import './records.css';

function Cell({ side }: { side: Side | null }): ReactNode {
  if (side === null) return <td colSpan={2} />;
  const cls = side.kind === 'same' ? undefined : side.kind;
  const words = side.segments?.map((s, i) => (s.changed ? side.kind === 'removed' ? <del key={i}>{s.text}</del> : <ins key={i}>{s.text}</ins> : <span key={i}>{s.text}</span>));
  return (
    <>
      <td className={`ln ${cls ?? ''}`}>{side.line}</td>
      <td className={cls}>
        {side.kind !== 'same' && <VisuallyHidden>{side.kind === 'removed' ? 'removed: ' : 'added: '}</VisuallyHidden>}
        {words ?? side.text}
      </td>
    </>
  );
}

/** The body of two revisions side by side, unchanged runs folded. */
export function BodyDiff({ rows, from, to }: { rows: readonly DiffRow[]; from: number; to: number }): ReactNode {
  const shown = foldUnchanged(rows, 3);
  return (
    <table className="rec-diff" aria-label={`Body, revision ${from} beside revision ${to}`}>
      <colgroup>
        <col style={{ width: 44 }} />
        <col />
        <col style={{ width: 44 }} />
        <col />
      </colgroup>
      <thead>
        <tr>
          <th colSpan={2} scope="col">
            Revision {from}
          </th>
          <th colSpan={2} scope="col">
            Revision {to}
          </th>
        </tr>
      </thead>
      <tbody>
        {shown.map((s, i) =>
          s.kind === 'gap' ? (
            <tr key={i}>
              <td className="gap" colSpan={4}>
                {s.count} unchanged {s.count === 1 ? 'line' : 'lines'}
              </td>
            </tr>
          ) : (
            <tr key={i}>
              <Cell side={s.row.left} />
              <Cell side={s.row.right} />
            </tr>
          ),
        )}
      </tbody>
    </table>
  );
}

/** Two revisions compared: title and fields as a table of old and new values, then the body side by side. */
export function RevisionDiff({ comparison, from, to }: { comparison: RevisionComparison; from: number; to: number }): ReactNode {
  const c = comparison;
  if (c.changes === 0) return <Text size="sm">Revisions {from} and {to} have the same content.</Text>;
  const fieldRows = [{ field: 'Title', from: c.title.from, to: c.title.to, changed: c.title.changed }, ...c.fields].filter((f) => f.changed);
  return (
    <>
      {fieldRows.length > 0 && (
        <Table withTableBorder bg="white" mb="md" aria-label={`Changed title and fields, revision ${from} to ${to}`} style={{ tableLayout: 'fixed' }}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th w="22%">Part</Table.Th>
              <Table.Th>Revision {from}</Table.Th>
              <Table.Th>Revision {to}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {fieldRows.map((f) => (
              <Table.Tr key={f.field}>
                <Table.Th scope="row">{f.field === 'Title' ? f.field : fieldLabel(f.field)}</Table.Th>
                <Table.Td bg="red.0" style={{ overflowWrap: 'anywhere' }}>
                  <del style={{ textDecoration: 'none' }}>{f.from}</del>
                </Table.Td>
                <Table.Td bg="green.0" style={{ overflowWrap: 'anywhere' }}>
                  <ins style={{ textDecoration: 'none' }}>{f.to}</ins>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {c.bodyChanged ? <BodyDiff rows={c.body} from={from} to={to} /> : <Text size="sm">The body is unchanged.</Text>}
    </>
  );
}
