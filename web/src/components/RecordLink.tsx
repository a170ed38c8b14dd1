import { Anchor, Badge } from '@mantine/core';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { productPath } from '../app/product';

/** A link to a record's page (`SRS-3`), optionally at one revision. */
export function RecordLink({ productKey, record, revision, children }: { productKey: string; record: string; revision?: number; children?: ReactNode }): ReactNode {
  const to = productPath(productKey, 'records', record) + (revision === undefined ? '' : `?revision=${revision}`);
  return (
    <Anchor component={Link} to={to} ff="monospace" size="sm">
      {children ?? record}
    </Anchor>
  );
}

// Dark enough for white badge text (WCAG AA, 4.5:1): Mantine's yellow.9 and green.9 are not.
const STATUS_COLOR: Record<string, string> = { draft: 'gray.7', in_review: '#8a5a00', approved: '#2b7a3b', obsolete: 'dark.5' };

/** A record's lifecycle status as a coloured badge. */
export function StatusBadge({ status }: { status: string }): ReactNode {
  return (
    <Badge color={STATUS_COLOR[status] ?? 'blue.8'} variant="filled" radius="sm">
      {status.replaceAll('_', ' ')}
    </Badge>
  );
}

const SEVERITY_COLOR: Record<string, string> = { error: 'red.9', warning: '#a64b00', info: 'blue.8' };

/** A finding's severity. */
export function SeverityBadge({ severity }: { severity: string }): ReactNode {
  return (
    <Badge color={SEVERITY_COLOR[severity] ?? 'gray.7'} variant="filled" radius="sm">
      {severity}
    </Badge>
  );
}
