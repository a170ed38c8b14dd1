import { Alert, Button, Code, CopyButton, Group, Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';

/** A secret shown once (a reset secret, an API token): in full, with a copy button and a warning that it will not come back. */
export function SecretOnce({ label, secret, warning, children }: { label: string; secret: string; warning: string; children?: ReactNode }): ReactNode {
  return (
    <Alert color="orange" variant="light" title={`${label}: shown only now`} role="status">
      <Stack gap="xs">
        <Text size="sm">{warning}</Text>
        <Group gap="xs" wrap="nowrap" align="center">
          <Code block style={{ flex: 1, wordBreak: 'break-all', whiteSpace: 'pre-wrap' }} aria-label={label} data-testid="secret">
            {secret}
          </Code>
          <CopyButton value={secret}>
            {({ copied, copy }) => (
              <Button variant={copied ? 'filled' : 'default'} color={copied ? 'green' : undefined} onClick={copy} aria-label={`Copy the ${label.toLowerCase()}`}>
                {copied ? 'Copied' : 'Copy'}
              </Button>
            )}
          </CopyButton>
        </Group>
        {children}
      </Stack>
    </Alert>
  );
}
