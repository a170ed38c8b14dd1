import { Paper, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';

/** What a page shows when there is nothing to list: what it would hold, and how to get some. */
export function EmptyState({ title, children }: { title: string; children?: ReactNode }): ReactNode {
  return (
    <Paper withBorder p="xl" radius="md" ta="center" my="md" bg="white">
      <Title order={3} size="h4" mb={6}>
        {title}
      </Title>
      {children !== undefined && (
        <Text size="sm" c="gray.7" maw={560} mx="auto">
          {children}
        </Text>
      )}
    </Paper>
  );
}
