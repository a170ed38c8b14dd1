import { Alert, Badge, Blockquote, Button, Checkbox, Group, Modal, PasswordInput, Radio, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useQueries, useQueryClient } from '@tanstack/react-query';
import { useId, useState, type FormEvent, type ReactNode } from 'react';
import { call, isApiError, type ApiOutput } from '../api/client';
import { apiKey, useApi } from '../api/hooks';
import { rolesOn, useSession } from '../app/session';
import { bareKey, commonMeanings, isWorkflowMeaning, meaningChoices, meaningLabel, normalizeMeaning, recordTypeOf, refusalPlace, SignedSessions, type MeaningChoice, type WorkflowMeaning, asksForUsername } from '../pages/approvals/signing';
import { ErrorAlert, errorText } from './ErrorAlert';
import { Loading } from './Loading';

/** What is signed: records at their exact revisions, or a release. */
export type SignTarget =
  | { readonly kind: 'records'; readonly productKey: string; readonly records: readonly { readonly record: string; readonly revision: number }[] }
  | { readonly kind: 'release'; readonly productKey: string; readonly version: string };

export interface SignButtonProps {
  readonly target: SignTarget;
  /**
   * The meanings the user may sign with (`reviewed`, `approved`; `review`, `approval` are taken too); the dialog asks
   * for one. Without it, the meanings of the workflow in force that the user holds a role for.
   */
  readonly meanings?: readonly string[];
  readonly label?: string;
  /** After the server recorded the signature (when the signer closes the dialog that shows it). */
  readonly onSigned?: () => void;
  /** The records' titles when the caller has them (else the dialog reads each record). */
  readonly titles?: Readonly<Record<string, string>>;
  readonly size?: 'xs' | 'sm' | 'md';
  readonly variant?: 'filled' | 'light' | 'default' | 'outline';
}

/** A signature as the server returns it (`record.sign`, `release.sign`). */
type SignatureView = ApiOutput<'release.sign'>;

/** Mantine's descriptions are a lighter grey than the 4.5:1 contrast allows on white. */
const DESCRIPTION_STYLE = { description: { color: 'var(--mantine-color-gray-7)' } } as const;

/** The sessions of this page that have signed: the server then asks for the password alone. */
const signedSessions = new SignedSessions();

/**
 * A button that opens the signing dialog: the meaning and the exact revision, the password (re-authentication), the
 * accountability statement before a user's first signature.
 */
export function SignButton({ target, meanings, label = 'Sign', onSigned, titles, size = 'sm', variant = 'filled' }: SignButtonProps): ReactNode {
  const [opened, setOpened] = useState(false);
  const empty = target.kind === 'records' && target.records.length === 0;
  return (
    <>
      <Button size={size} variant={variant} onClick={() => setOpened(true)} disabled={empty}>
        {label}
      </Button>
      <SignDialog
        opened={opened}
        onClose={() => setOpened(false)}
        target={target}
        {...(meanings === undefined ? {} : { meanings })}
        {...(titles === undefined ? {} : { titles })}
        {...(onSigned === undefined ? {} : { onSigned })}
      />
    </>
  );
}

export interface SignDialogProps {
  readonly opened: boolean;
  readonly onClose: () => void;
  readonly target: SignTarget;
  readonly meanings?: readonly string[];
  readonly titles?: Readonly<Record<string, string>>;
  readonly onSigned?: () => void;
}

/**
 * The signing dialog. What the views behind it show is refreshed when it closes (not the moment the server signs),
 * so the signature's manifestation stays in view until the signer has read it.
 */
export function SignDialog({ opened, onClose, target, meanings, titles, onSigned }: SignDialogProps): ReactNode {
  const qc = useQueryClient();
  const [signed, setSigned] = useState<SignResult | undefined>();
  const close = (): void => {
    if (signed !== undefined) {
      void qc.invalidateQueries();
      onSigned?.();
    }
    setSigned(undefined);
    onClose();
  };
  const what = target.kind === 'release' ? `release ${target.version}` : target.records.length === 1 ? bareKey(target.records[0]?.record ?? '') : `${target.records.length} records`;
  return (
    <Modal opened={opened} onClose={close} title={<Text fw={700}>{signed === undefined ? `Sign ${what} electronically` : 'Signature recorded'}</Text>} size="xl" centered closeButtonProps={{ 'aria-label': 'Close the dialog' }}>
      {opened &&
        (signed === undefined ? (
          <SignForm target={target} {...(meanings === undefined ? {} : { meanings })} {...(titles === undefined ? {} : { titles })} onCancel={close} onSigned={setSigned} />
        ) : (
          <SignedView result={signed} productKey={target.productKey} onClose={close} />
        ))}
    </Modal>
  );
}

interface SignResult {
  readonly signatures: readonly SignatureView[];
  readonly approved: readonly string[];
}

/** The meanings to offer: the caller's, else those of the workflow in force the user holds a role for. */
function useMeaningChoices(target: SignTarget, given: readonly string[] | undefined): { pending: boolean; error: unknown; choices: MeaningChoice[]; meanings: WorkflowMeaning[] } {
  const session = useSession();
  const named = [...new Set((given ?? []).map(normalizeMeaning).filter((m) => m !== undefined))];
  const workflows = useApi('workflow.show', { productKey: target.productKey }, { enabled: named.length === 0 });
  if (named.length > 0) return { pending: false, error: undefined, choices: [], meanings: named };
  if (workflows.isPending) return { pending: true, error: undefined, choices: [], meanings: [] };
  if (workflows.isError) return { pending: false, error: workflows.error, choices: [], meanings: [] };
  const roles = rolesOn(session, target.productKey);
  const stepsOf = (subject: string): readonly { meaning: string; roles: readonly string[] }[] => workflows.data.workflows.find((w) => w.subject === subject)?.workflow.steps ?? [];
  if (target.kind === 'release') {
    const choices = meaningChoices(stepsOf('release'), roles, { release: true });
    return { pending: false, error: undefined, choices, meanings: choices.map((c) => c.meaning) };
  }
  const types = [...new Set(target.records.map((r) => recordTypeOf(r.record) ?? ''))];
  const perType = types.map((t) => meaningChoices(stepsOf(t), roles));
  const meanings = commonMeanings(perType);
  return { pending: false, error: undefined, choices: perType.length === 1 ? (perType[0] ?? []) : [], meanings };
}

function SignForm({
  target,
  meanings: given,
  titles,
  onCancel,
  onSigned,
}: {
  target: SignTarget;
  meanings?: readonly string[];
  titles?: Readonly<Record<string, string>>;
  onCancel: () => void;
  onSigned: (r: SignResult) => void;
}): ReactNode {
  const session = useSession();
  const qc = useQueryClient();
  const ids = useId();
  const statement = useApi('signature.statement', {});
  const release = useApi('release.show', { productKey: target.productKey, version: target.kind === 'release' ? target.version : '0' }, { enabled: target.kind === 'release' });
  const records = target.kind === 'records' ? target.records : [];
  const unknownTitles = records.filter((r) => titles?.[r.record] === undefined && titles?.[bareKey(r.record)] === undefined).slice(0, 50);
  const recordReads = useQueries({
    queries: unknownTitles.map((r) => {
      const input = { productKey: target.productKey, record: bareKey(r.record), revision: r.revision };
      return { queryKey: apiKey('record.get', input), queryFn: ({ signal }: { signal: AbortSignal }) => call('record.get', input, { signal }) };
    }),
  });
  const titleOf = (record: string): string | undefined => {
    const given = titles?.[record] ?? titles?.[bareKey(record)];
    if (given !== undefined) return given;
    const i = unknownTitles.findIndex((r) => r.record === record);
    return i < 0 ? undefined : recordReads[i]?.data?.revision.title;
  };
  const choice = useMeaningChoices(target, given);

  const sessionKey = SignedSessions.keyOf(session.username, session.authenticatedAt);
  const [serverAskedUsername, setServerAskedUsername] = useState(false);
  const needUsername = serverAskedUsername || !signedSessions.has(sessionKey);
  const [meaning, setMeaning] = useState<string>('');
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [accepted, setAccepted] = useState(false);
  const [statementError, setStatementError] = useState<string | undefined>();
  const [meaningError, setMeaningError] = useState<string | undefined>();
  const [error, setError] = useState<unknown>();
  const [stage, setStage] = useState<string | undefined>();

  const chosen = meaning !== '' ? meaning : choice.meanings.length === 1 ? (choice.meanings[0] ?? '') : '';
  const statementNeeded = statement.data?.acceptedAt === null;
  const place = isApiError(error) ? refusalPlace(error.field) : 'dialog';

  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    setError(undefined);
    setStatementError(undefined);
    setMeaningError(undefined);
    if (!isWorkflowMeaning(chosen)) {
      setMeaningError('Choose the meaning of your signature');
      return;
    }
    if (statementNeeded && !accepted) {
      setStatementError('Accept the statement before your first signature');
      return;
    }
    const credentials = { password, ...(needUsername ? { username: username.trim() } : {}) };
    try {
      if (statementNeeded) {
        setStage('Accepting the statement…');
        await call('signature.accept-statement', credentials);
        await qc.invalidateQueries({ queryKey: apiKey('signature.statement') });
      }
      setStage('Signing…');
      let result: SignResult;
      if (target.kind === 'records') {
        const out = await call('record.sign', {
          productKey: target.productKey,
          records: target.records.map((r) => ({ record: bareKey(r.record), revision: r.revision })),
          meaning: chosen,
          ...credentials,
        });
        result = out;
      } else {
        const baseline = release.data?.release.baseline;
        if (baseline === undefined) throw new Error(`release ${target.version} is not loaded yet`);
        const out = await call('release.sign', { productKey: target.productKey, version: target.version, baseline, meaning: chosen, ...credentials });
        result = { signatures: [out], approved: [] };
      }
      signedSessions.add(sessionKey);
      onSigned(result);
    } catch (err) {
      setError(err);
      setPassword('');
      // Whether the statement is accepted now (by this attempt, or elsewhere) is the server's to say.
      if (statementNeeded) void qc.invalidateQueries({ queryKey: apiKey('signature.statement') });
      if (isApiError(err) && asksForUsername(err.code, err.field)) setServerAskedUsername(true);
    } finally {
      setStage(undefined);
    }
  };

  if (statement.isPending || choice.pending || (target.kind === 'release' && release.isPending)) return <Loading label="Loading what you are about to sign" />;
  if (statement.isError) return <ErrorAlert error={statement.error} />;
  if (choice.error !== undefined) return <ErrorAlert error={choice.error} />;
  if (target.kind === 'release' && release.isError) return <ErrorAlert error={release.error} />;

  const busy = stage !== undefined;
  const count = records.length;
  return (
    <form onSubmit={(e) => void submit(e)} aria-describedby={`${ids}-what`} noValidate>
      <Stack gap="md">
        <div>
          <Title order={2} size="h5" id={`${ids}-what`} mb={4}>
            {target.kind === 'release' ? 'You are signing this release' : count === 1 ? 'You are signing this record at this exact revision' : `You are signing these ${count} records, each at this exact revision`}
          </Title>
          {target.kind === 'release' ? (
            <Table withTableBorder variant="vertical" aria-label="Release signed">
              <Table.Tbody>
                <Table.Tr>
                  <Table.Th w={160}>Release</Table.Th>
                  <Table.Td ff="monospace">{target.version}</Table.Td>
                </Table.Tr>
                <Table.Tr>
                  <Table.Th>Baseline</Table.Th>
                  <Table.Td>{release.data?.release.baseline}</Table.Td>
                </Table.Tr>
                {release.data !== undefined && release.data.waitingFor !== '' && (
                  <Table.Tr>
                    <Table.Th>Still needed</Table.Th>
                    <Table.Td>{release.data.waitingFor}</Table.Td>
                  </Table.Tr>
                )}
              </Table.Tbody>
            </Table>
          ) : (
            <div style={{ maxHeight: 240, overflow: 'auto' }}>
              <Table withTableBorder striped aria-label="Records signed" stickyHeader>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th w={130}>Record</Table.Th>
                    <Table.Th>Title</Table.Th>
                    <Table.Th w={100}>Revision</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {records.map((r) => (
                    <Table.Tr key={r.record}>
                      <Table.Td ff="monospace">{bareKey(r.record)}</Table.Td>
                      <Table.Td>{titleOf(r.record) ?? <Text size="sm" c="gray.7">(title not loaded)</Text>}</Table.Td>
                      <Table.Td>revision {r.revision}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </div>
          )}
          {recordReads.some((q) => q.isError) && <ErrorAlert error={recordReads.find((q) => q.isError)?.error} title="A record could not be read" />}
        </div>

        {choice.meanings.length === 0 ? (
          <Alert color="orange" variant="light" title="No signature of yours is asked for" styles={{ title: { color: '#9a3f00' }, label: { color: '#9a3f00' } }}>
            The workflow in force asks for no signature you hold a role for{target.kind === 'records' && count > 1 ? ' on all of these records' : ''}. Nothing can be signed here.
          </Alert>
        ) : (
          <Radio.Group
            label="Meaning of your signature"
            description="What your signature says you did; it is printed beside your name."
            value={chosen}
            onChange={(v) => {
              setMeaning(v);
              setMeaningError(undefined);
            }}
            error={meaningError ?? (place === 'meaning' ? errorText(error) : undefined)}
            required
            styles={DESCRIPTION_STYLE}
          >
            <Group mt="xs" gap="lg">
              {choice.meanings.map((m) => {
                const c = choice.choices.find((x) => x.meaning === m);
                return (
                  <Radio
                    key={m}
                    value={m}
                    label={meaningLabel(m)}
                    styles={DESCRIPTION_STYLE}
                    {...(c === undefined ? {} : { description: `step ${c.step + 1} of ${c.steps}, by ${c.by}` })}
                  />
                );
              })}
            </Group>
          </Radio.Group>
        )}

        {statementNeeded && statement.data !== undefined && (
          <Stack gap={6}>
            <Title order={2} size="h5">
              Accountability statement (version {statement.data.version})
            </Title>
            <Text size="sm" c="gray.7">
              Before your first electronic signature you accept, once, that it binds you. This acceptance is kept in the audit trail.
            </Text>
            <Blockquote color="blue" p="sm" fz="sm" aria-label="Accountability statement">
              {statement.data.text}
            </Blockquote>
            <Checkbox
              label={`I, ${statement.data.printedName}, have read this statement and accept it`}
              checked={accepted}
              onChange={(e) => {
                setAccepted(e.currentTarget.checked);
                setStatementError(undefined);
              }}
              error={statementError ?? (place === 'statement' ? errorText(error) : undefined)}
            />
          </Stack>
        )}

        <Stack gap="xs">
          <Text size="sm" c="gray.7">
            {needUsername
              ? 'Prove it is you: your first signature in this session needs your username and your password.'
              : 'Prove it is you: enter your password again (you have signed before in this session).'}
          </Text>
          <Group grow align="flex-start">
            {needUsername && (
              <TextInput
                label="Username"
                autoComplete="username"
                value={username}
                onChange={(e) => setUsername(e.currentTarget.value)}
                required
                error={place === 'username' && error !== undefined ? true : undefined}
              />
            )}
            <PasswordInput
              label="Password"
              autoComplete="current-password"
              value={password}
              onChange={(e) => setPassword(e.currentTarget.value)}
              required
              error={place === 'password' && error !== undefined ? true : undefined}
            />
          </Group>
        </Stack>

        {error !== undefined && <ErrorAlert error={error} title="Not signed: nothing was recorded" />}

        <Group justify="space-between">
          <Text size="xs" c="gray.7">
            Signing as {session.printedName} ({session.username}). The time is recorded in UTC.
          </Text>
          <Group gap="xs">
            <Button variant="default" onClick={onCancel} disabled={busy}>
              Cancel
            </Button>
            <Button type="submit" loading={busy} disabled={choice.meanings.length === 0 || password === '' || (needUsername && username.trim() === '')}>
              {target.kind === 'release' ? `Sign release ${target.version}` : count === 1 ? 'Sign' : `Sign ${count} records`}
            </Button>
          </Group>
        </Group>
        {busy && (
          <Text size="sm" role="status">
            {stage}
          </Text>
        )}
      </Stack>
    </form>
  );
}

/** The signatures just recorded, as they are manifested (printed name, date and time with zone, meaning, revision). */
function SignedView({ result, onClose }: { result: SignResult; productKey: string; onClose: () => void }): ReactNode {
  return (
    <Stack gap="md">
      <Alert color="green" variant="light" title={result.signatures.length === 1 ? 'Signed' : `${result.signatures.length} signatures recorded`} role="status" styles={{ title: { color: '#1e6b32' }, label: { color: '#1e6b32' } }}>
        <Stack gap={4}>
          {result.signatures.map((s) => (
            <Text size="sm" key={s.id} data-testid="manifestation">
              {s.manifestation}
            </Text>
          ))}
        </Stack>
      </Alert>
      <Table withTableBorder striped aria-label="Signatures recorded">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Signed</Table.Th>
            <Table.Th>Revision</Table.Th>
            <Table.Th>Meaning</Table.Th>
            <Table.Th>Printed name</Table.Th>
            <Table.Th>Date and time</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {result.signatures.map((s) => (
            <Table.Tr key={s.id}>
              <Table.Td ff="monospace">{s.entity}</Table.Td>
              <Table.Td>{s.entity.includes('/release/') ? `baseline ${s.revision}` : `revision ${s.revision}`}</Table.Td>
              <Table.Td>{meaningLabel(s.meaning)}</Table.Td>
              <Table.Td>
                {s.printedName} <Text span size="xs" c="gray.7">({s.username})</Text>
              </Table.Td>
              <Table.Td>{s.signedAtText}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {result.approved.length > 0 && (
        <Group gap="xs">
          <Text size="sm">Your signature completed the workflow; now approved:</Text>
          {result.approved.map((k) => (
            <Badge miw="max-content" key={k} color="#1e6b32" variant="filled" radius="sm">
              {k}
            </Badge>
          ))}
        </Group>
      )}
      <Group justify="flex-end">
        <Button onClick={onClose} data-autofocus>
          Close
        </Button>
      </Group>
    </Stack>
  );
}
