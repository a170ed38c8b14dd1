import { Alert, Anchor, Button, Checkbox, Group, List, MultiSelect, Paper, Select, SimpleGrid, Stack, Tabs, Text, TextInput, Textarea, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useMemo, useState, type FormEvent, type ReactNode } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { call, isApiError, type ApiOutput } from '../../api/client';
import { useApi, useApiMutation } from '../../api/hooks';
import { productPath, useProductKey } from '../../app/product';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Loading } from '../../components/Loading';
import { Markdown } from '../../components/Markdown';
import { PageHeader } from '../../components/PageHeader';
import { RecordLink } from '../../components/RecordLink';
import { actionText, utcSecond } from './format';
import { controlOf, errorPart, fieldLabel, fieldPatch, formContent, mergeForm, newFields, type FieldInfo, type FormContent, type FormValue, type Merge } from './recordForm';
import { fieldText } from './revisionDiff';
import './records.css';

type RecordType = ApiOutput<'catalog.show'>['recordTypes'][number];
type RecordView = ApiOutput<'record.get'>;

/** The server's message for a part of the form, or this form's own (text that is not JSON). */
function messageFor(part: string, error: unknown, names: readonly string[], local: Readonly<Record<string, string>>): string | undefined {
  if (local[part] !== undefined) return local[part];
  return isApiError(error) && errorPart(error.field, names) === part ? error.message : undefined;
}

/** The controls of a record's content: title, the type's typed fields, the Markdown body, and why (for edits). */
function ContentFields({
  type,
  form,
  setForm,
  error,
  local,
  marks = {},
  reason,
  setReason,
}: {
  type: RecordType;
  form: FormContent;
  setForm: (f: FormContent) => void;
  error: unknown;
  local: Readonly<Record<string, string>>;
  /** A note under a part (a merge clash). */
  marks?: Readonly<Record<string, string>>;
  reason?: string;
  setReason?: (r: string) => void;
}): ReactNode {
  const names = type.fields.map((f) => f.name);
  const msg = (part: string): string | undefined => messageFor(part, error, names, local);
  const setField = (name: string, v: FormValue): void => setForm({ ...form, fields: { ...form.fields, [name]: v } });
  const [bodyTab, setBodyTab] = useState<string | null>('write');
  return (
    <Stack gap="md">
      <TextInput label="Title" withAsterisk value={form.title} onChange={(e) => setForm({ ...form, title: e.currentTarget.value })} error={msg('title')} description={marks['title']} maxLength={500} />
      {type.fields.length > 0 && (
        <Paper withBorder p="md" radius="md" bg="white" component="fieldset" style={{ margin: 0 }}>
          <Text component="legend" fw={600} size="sm" px={4}>
            {type.name} fields
          </Text>
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
            {type.fields.map((f) => (
              <FieldControl key={f.name} field={f as FieldInfo} value={form.fields[f.name] ?? ''} onChange={(v) => setField(f.name, v)} error={msg(f.name)} mark={marks[f.name]} />
            ))}
          </SimpleGrid>
        </Paper>
      )}
      <div>
        <Tabs value={bodyTab} onChange={setBodyTab}>
          <Tabs.List aria-label="Description">
            <Tabs.Tab value="write">Write</Tabs.Tab>
            <Tabs.Tab value="preview">Preview</Tabs.Tab>
          </Tabs.List>
          <Tabs.Panel value="write" pt="xs">
            <Textarea
              label="Description (Markdown)"
              value={form.body}
              onChange={(e) => setForm({ ...form, body: e.currentTarget.value })}
              autosize
              minRows={8}
              maxRows={30}
              error={msg('body')}
              description={marks['body']}
              styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
            />
          </Tabs.Panel>
          <Tabs.Panel value="preview" pt="xs">
            <Paper withBorder p="md" bg="white" mih={120}>
              {form.body.trim() === '' ? <Text c="gray.7">Nothing to preview.</Text> : <Markdown text={form.body} />}
            </Paper>
          </Tabs.Panel>
        </Tabs>
      </div>
      {setReason !== undefined && (
        <Textarea label="Reason for the change" description="Kept in the audit trail with the new revision." value={reason ?? ''} onChange={(e) => setReason(e.currentTarget.value)} autosize minRows={2} error={msg('reason')} />
      )}
    </Stack>
  );
}

function FieldControl({ field, value, onChange, error, mark }: { field: FieldInfo; value: FormValue; onChange: (v: FormValue) => void; error: string | undefined; mark: string | undefined }): ReactNode {
  const label = fieldLabel(field.name);
  const common = { label, withAsterisk: field.required, error, description: mark };
  switch (controlOf(field)) {
    case 'checkbox':
      return <Checkbox label={label} checked={value === true} onChange={(e) => onChange(e.currentTarget.checked)} error={error} description={mark} mt="lg" />;
    case 'select':
      return <Select {...common} data={[...(field.values ?? [])]} value={typeof value === 'string' && value !== '' ? value : null} onChange={(v) => onChange(v ?? '')} clearable={!field.required} placeholder="Not set" />;
    case 'multiselect':
      return <MultiSelect {...common} data={[...(field.values ?? [])]} value={Array.isArray(value) ? [...(value as string[])] : []} onChange={(v) => onChange(v)} placeholder="None" />;
    case 'lines':
      return <Textarea {...common} description={mark ?? 'One item per line.'} value={String(value)} onChange={(e) => onChange(e.currentTarget.value)} autosize minRows={2} />;
    case 'json':
      return (
        <Textarea
          {...common}
          description={mark ?? 'As JSON.'}
          value={String(value)}
          onChange={(e) => onChange(e.currentTarget.value)}
          autosize
          minRows={3}
          styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
        />
      );
    case 'number':
      return <TextInput {...common} inputMode="decimal" value={String(value)} onChange={(e) => onChange(e.currentTarget.value)} />;
    case 'date':
      return <TextInput {...common} type="date" value={String(value)} onChange={(e) => onChange(e.currentTarget.value)} />;
    case 'text':
      return <TextInput {...common} value={String(value)} onChange={(e) => onChange(e.currentTarget.value)} />;
  }
}

/** An error not about any one part of the form: shown above it. */
function formLevelError(error: unknown, names: readonly string[]): unknown {
  return isApiError(error) && errorPart(error.field, names) !== undefined ? undefined : error;
}

/** `/p/:productKey/records/new?type=SRS`: a new record of a type, its form made from the type's fields in the catalog. */
export function NewRecordPage(): ReactNode {
  const productKey = useProductKey();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const typeKey = params.get('type')?.toUpperCase() ?? '';
  const catalog = useApi('catalog.show', {}, { staleTime: Infinity });
  const type = catalog.data?.recordTypes.find((t) => t.key === typeKey);
  return (
    <>
      <PageHeader title={type === undefined ? 'New record' : `New ${type.name.toLowerCase()}`} description={type?.description ?? 'Choose the type of record to write.'} />
      {catalog.isPending ? (
        <Loading label="Loading the record types" />
      ) : catalog.isError ? (
        <ErrorAlert error={catalog.error} />
      ) : (
        <Stack gap="md" maw={960}>
          <Select
            label="Record type"
            searchable
            w={360}
            data={[...new Set(catalog.data.recordTypes.map((t) => t.group))].map((group) => ({ group, items: catalog.data.recordTypes.filter((t) => t.group === group).map((t) => ({ value: t.key, label: `${t.key} · ${t.name}` })) }))}
            value={type?.key ?? null}
            onChange={(v) => setParams(v === null ? {} : { type: v }, { replace: true })}
            error={typeKey !== '' && type === undefined ? `${typeKey} is not a record type of the catalog` : undefined}
          />
          {type !== undefined && <NewRecordForm key={type.key} type={type} onCreated={(k) => void navigate(productPath(productKey, 'records', k))} />}
        </Stack>
      )}
    </>
  );
}

function NewRecordForm({ type, onCreated }: { type: RecordType; onCreated: (key: string) => void }): ReactNode {
  const productKey = useProductKey();
  const fields = type.fields as FieldInfo[];
  const [form, setForm] = useState<FormContent>(() => formContent(fields));
  const [local, setLocal] = useState<Record<string, string>>({});
  const add = useApiMutation('record.add');
  const names = fields.map((f) => f.name);
  const submit = (e: FormEvent): void => {
    e.preventDefault();
    const p = newFields(fields, form);
    setLocal(p.errors);
    if (Object.keys(p.errors).length > 0) return;
    add.mutate({ productKey, record: { type: type.key, title: form.title, body: form.body, fields: p.fields } }, { onSuccess: (r) => onCreated(r.key) });
  };
  return (
    <form onSubmit={submit} aria-label={`New ${type.name}`} noValidate className="rec-form">
      <Stack gap="md">
        <ErrorAlert error={formLevelError(add.error, names)} title="The record was not created" />
        <ContentFields type={type} form={form} setForm={setForm} error={add.error} local={local} />
        <Group>
          <Button type="submit" loading={add.isPending}>
            Create {type.key} record
          </Button>
          <Button component={Link} to={productPath(productKey, 'records')} variant="default">
            Cancel
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** `/p/:productKey/records/:record/edit`: edit the latest revision; a newer revision written meanwhile is a conflict to resolve. */
export function EditRecordPage(): ReactNode {
  const productKey = useProductKey();
  const record = useParams().record ?? '';
  const rec = useApi('record.get', { productKey, record }, { refetchOnWindowFocus: false, staleTime: Infinity });
  const catalog = useApi('catalog.show', {}, { staleTime: Infinity });
  const type = catalog.data?.recordTypes.find((t) => t.key === rec.data?.head.type);
  return (
    <>
      <PageHeader title={`Edit ${rec.data?.key ?? record.toUpperCase()}`} description={rec.data === undefined ? undefined : `${rec.data.revision.title} · editing revision ${rec.data.revision.revision}`} />
      {rec.isPending || catalog.isPending ? (
        <Loading label={`Loading ${record}`} />
      ) : rec.isError || catalog.isError ? (
        <ErrorAlert error={rec.error ?? catalog.error} />
      ) : type === undefined ? (
        <ErrorAlert error={new Error(`the catalog has no record type ${rec.data.head.type}`)} />
      ) : rec.data.head.status === 'obsolete' ? (
        <Alert color="gray" title="Obsolete records cannot be edited">
          <RecordLink productKey={productKey} record={rec.data.key}>
            Back to {rec.data.key}
          </RecordLink>
        </Alert>
      ) : (
        <EditForm view={rec.data} type={type} />
      )}
    </>
  );
}

/** What changed on the server since the revision the edit started from. */
interface Conflict {
  readonly latest: RecordView;
  readonly diff: ApiOutput<'record.diff'>;
  readonly events: ApiOutput<'record.history'>['events'];
}

function EditForm({ view, type }: { view: RecordView; type: RecordType }): ReactNode {
  const productKey = useProductKey();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const fields = type.fields as FieldInfo[];
  const names = fields.map((f) => f.name);
  // The revision this edit is based on (it moves forward when the user reloads or merges after a conflict).
  const [base, setBase] = useState<RecordView>(view);
  const baseForm = useMemo(() => formContent(fields, base.revision), [fields, base]);
  const [form, setForm] = useState<FormContent>(baseForm);
  const [reason, setReason] = useState('');
  const [local, setLocal] = useState<Record<string, string>>({});
  const [conflict, setConflict] = useState<Conflict>();
  const [merge, setMerge] = useState<Merge>();
  const [conflictError, setConflictError] = useState<unknown>();
  const edit = useApiMutation('record.edit');

  const lookAtLatest = async (): Promise<void> => {
    try {
      const [latest, history] = await Promise.all([call('record.get', { productKey, record: view.key }), call('record.history', { productKey, record: view.key })]);
      const diff = await call('record.diff', { productKey, record: view.key, from: base.latestRevision, to: latest.latestRevision });
      const since = history.events.filter((e) => e.occurredAt > base.head.updatedAt);
      setConflict({ latest, diff, events: since });
    } catch (e) {
      setConflictError(e);
    }
  };

  const submit = (e: FormEvent): void => {
    e.preventDefault();
    const p = fieldPatch(fields, form, base.revision.fields);
    setLocal(p.errors);
    if (Object.keys(p.errors).length > 0) return;
    edit.mutate(
      {
        productKey,
        record: view.key,
        baseRevision: base.latestRevision,
        ...(form.title === base.revision.title ? {} : { title: form.title }),
        ...(form.body === base.revision.body ? {} : { body: form.body }),
        ...(Object.keys(p.fields).length === 0 ? {} : { fields: p.fields }),
        ...(reason.trim() === '' ? {} : { reason }),
      },
      {
        onSuccess: () => void navigate(productPath(productKey, 'records', view.key)),
        onError: (err) => {
          if (isApiError(err, 'CONFLICT', 'PRECONDITION_FAILED')) void lookAtLatest();
        },
      },
    );
  };

  const reload = (): void => {
    if (conflict === undefined) return;
    setBase(conflict.latest);
    setForm(formContent(fields, conflict.latest.revision));
    setConflict(undefined);
    setMerge(undefined);
    edit.reset();
    void qc.invalidateQueries();
  };
  const mergeMine = (): void => {
    if (conflict === undefined) return;
    const m = mergeForm(baseForm, form, formContent(fields, conflict.latest.revision));
    setBase(conflict.latest);
    setForm(m.merged);
    setMerge(m);
    setConflict(undefined);
    edit.reset();
  };
  const marks = Object.fromEntries((merge?.clashes ?? []).map((c) => [c, 'Both of you changed this: their value is kept. Make your change again if it still holds.']));
  const stale = isApiError(edit.error, 'CONFLICT', 'PRECONDITION_FAILED');

  return (
    <form onSubmit={submit} aria-label={`Edit ${view.key}`} noValidate className="rec-form">
      <Stack gap="md" maw={960}>
        {stale && (
          <Paper withBorder p="md" radius="md" bg="yellow.0" role="alert" aria-labelledby="conflict-title">
            <Title order={2} size="h4" id="conflict-title" mb={4}>
              Someone changed {view.key} while you were editing
            </Title>
            <Text size="sm">{edit.error?.message}</Text>
            <ErrorAlert error={conflictError} title="What changed could not be read" />
            {conflict === undefined && conflictError === undefined && <Loading label="Reading what changed" />}
            {conflict !== undefined && (
              <>
                <Text size="sm" mt="sm" fw={600}>
                  Since revision {base.latestRevision}, the revision you started from:
                </Text>
                <List size="sm" spacing={2} mt={4}>
                  {conflict.events.map((ev) => (
                    <List.Item key={ev.seq}>
                      {utcSecond(ev.occurredAt)}: {actionText(ev.action)} by {ev.actor}
                      {ev.reason === null ? '' : ` (“${ev.reason}”)`}
                    </List.Item>
                  ))}
                </List>
                <Text size="sm" mt="sm" fw={600}>
                  What they changed (revision {conflict.diff.from} → {conflict.diff.to}):
                </Text>
                <List size="sm" spacing={2} mt={4}>
                  {conflict.diff.changes.map((c, i) => (
                    <List.Item key={i}>
                      {c.part === 'title'
                        ? `Title: “${c.from}” → “${c.to}”`
                        : c.part === 'field'
                          ? `${fieldLabel(c.field)}: ${fieldText(c.from)} → ${fieldText(c.to)}`
                          : `Description: ${c.lines.filter((l) => l.op !== ' ').length} lines changed`}
                    </List.Item>
                  ))}
                </List>
                <Group mt="md" gap="sm">
                  <Button onClick={mergeMine}>Merge: take theirs and re-apply my changes</Button>
                  <Button variant="default" onClick={reload}>
                    Reload: discard my changes
                  </Button>
                </Group>
              </>
            )}
          </Paper>
        )}
        {merge !== undefined && (
          <Alert color={merge.clashes.length > 0 ? 'orange' : 'blue'} variant="light" title={`Merged onto revision ${base.latestRevision}: review, then save again`}>
            <Text size="sm">
              {merge.applied.length === 0 ? 'None of your changes could be re-applied.' : `Your changes re-applied: ${merge.applied.map((p) => (names.includes(p) ? fieldLabel(p) : p)).join(', ')}.`}
            </Text>
            {merge.clashes.length > 0 && <Text size="sm">Changed by both (theirs kept): {merge.clashes.map((p) => (names.includes(p) ? fieldLabel(p) : p)).join(', ')}.</Text>}
          </Alert>
        )}
        {!stale && <ErrorAlert error={formLevelError(edit.error, names)} title="The record was not saved" />}
        <ContentFields type={type} form={form} setForm={setForm} error={edit.error} local={local} marks={marks} reason={reason} setReason={setReason} />
        <Group>
          <Button type="submit" loading={edit.isPending} disabled={stale}>
            Save as revision {base.latestRevision + 1}
          </Button>
          <Anchor component={Link} to={productPath(productKey, 'records', view.key)} size="sm">
            Cancel
          </Anchor>
          {base.head.status === 'approved' && (
            <Text size="sm" c="#a64b00">
              {view.key} is approved: saving starts a new draft; the approved revision stays readable.
            </Text>
          )}
        </Group>
      </Stack>
    </form>
  );
}
