import { Badge, Group, Text, Tooltip } from '@mantine/core';
import type { ReactNode } from 'react';
import { ROLE_PERMISSIONS, type Permission, type Role } from '../../../../src/core/access/permissions';
import { rolesOn, useSession } from '../../app/session';

/** True when the logged-in user's roles on the product grant `permission` (the server checks again). */
export function useCan(productKey: string, permission: Permission): boolean {
  const session = useSession();
  return rolesOn(session, productKey).some((r) => (ROLE_PERMISSIONS[r as Role] as readonly string[] | undefined)?.includes(permission) === true);
}

const OUTCOME_COLOR: Record<string, string> = {
  passed: 'green.9',
  failed: 'red.8',
  error: 'red.9',
  skipped: 'gray.7',
  flaky: 'orange.9',
  not_run: 'gray.7',
  none: 'gray.7',
  approved: 'green.9',
  referenced: 'green.9',
  self_approved: 'red.8',
  unapproved: 'red.8',
  unreferenced: 'orange.9',
  open: 'yellow.9',
  untriaged: 'orange.9',
  affected: 'red.8',
  not_affected: 'green.9',
};

/** A test outcome, review outcome or triage state as a coloured badge (text says it; colour only helps). */
export function OutcomeBadge({ outcome }: { outcome: string | null }): ReactNode {
  const o = outcome ?? 'none';
  return (
    <Badge color={OUTCOME_COLOR[o] ?? 'blue.8'} variant="filled" radius="sm">
      {o.replaceAll('_', ' ')}
    </Badge>
  );
}

/** A run's totals as badges: passed, failed, error, skipped, flaky (those above zero, or passed 0). */
export function Totals({ totals }: { totals: { passed: number; failed: number; error: number; skipped: number; flaky: number } }): ReactNode {
  const parts = (['passed', 'failed', 'error', 'skipped', 'flaky'] as const).filter((k) => totals[k] > 0 || k === 'passed');
  return (
    <Group gap={4} wrap="nowrap">
      {parts.map((k) => (
        <Badge key={k} color={OUTCOME_COLOR[k]} variant={k === 'passed' ? 'light' : 'filled'} radius="sm">
          {totals[k]} {k}
        </Badge>
      ))}
    </Group>
  );
}

/** A timestamp as local date and time, with the exact UTC value on hover. */
export function When({ at }: { at: string | null | undefined }): ReactNode {
  if (at === null || at === undefined || at === '') return <Text span size="sm">—</Text>;
  const d = new Date(at);
  const text = Number.isNaN(d.getTime()) ? at : d.toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short' });
  return (
    <Tooltip label={at}>
      <time dateTime={at}>{text}</time>
    </Tooltip>
  );
}
