import { Badge, Group, Text, Tooltip } from '@mantine/core';
import type { ReactNode } from 'react';
import { ROLE_PERMISSIONS, type Permission, type Role } from '../../../../src/core/access/permissions';
import { rolesOn, useSession } from '../../app/session';

/** True when the logged-in user's roles on the product grant `permission` (the server checks again). */
export function useCan(productKey: string, permission: Permission): boolean {
  const session = useSession();
  return rolesOn(session, productKey).some((r) => (ROLE_PERMISSIONS[r as Role] as readonly string[] | undefined)?.includes(permission) === true);
}

/** Filled badge colours with white text at 4.5:1 or more (Mantine's green.9, orange.9, yellow.9 fall short). */
const GREEN = '#237032';
const ORANGE = '#c2410c';
const AMBER = '#8a5a00';

const OUTCOME_COLOR: Record<string, string> = {
  passed: GREEN,
  failed: 'red.8',
  error: 'red.9',
  skipped: 'gray.7',
  flaky: ORANGE,
  not_run: 'gray.7',
  none: 'gray.7',
  approved: GREEN,
  referenced: GREEN,
  self_approved: 'red.8',
  unapproved: 'red.8',
  unreferenced: ORANGE,
  open: AMBER,
  untriaged: ORANGE,
  affected: 'red.8',
  not_affected: GREEN,
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
        <Badge key={k} color={OUTCOME_COLOR[k]} variant="filled" radius="sm">
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
