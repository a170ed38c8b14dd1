import { Center, Paper, Stack, Text, Title } from '@mantine/core';
import { useEffect, type ReactNode } from 'react';

/** The frame of the pages outside the app (log in, set-up, reset): a card in the middle, with the page's one h1. */
export function AuthCard({ title, description, children, width = 440 }: { title: string; description?: ReactNode; children: ReactNode; width?: number }): ReactNode {
  useEffect(() => {
    document.title = `${title} · Dossier`;
  }, [title]);
  return (
    <Center mih="100vh" p="md" component="main">
      <Paper withBorder shadow="sm" p="xl" radius="md" w={width} maw="100%" bg="white">
        <Stack>
          <div>
            <Title order={1} size="h2">
              {title}
            </Title>
            {description !== undefined && (
              <Text size="sm" c="gray.7">
                {description}
              </Text>
            )}
          </div>
          {children}
        </Stack>
      </Paper>
    </Center>
  );
}
