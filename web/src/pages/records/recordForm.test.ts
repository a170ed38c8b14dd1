import { describe, expect, it } from 'vitest';
import { controlOf, fieldPatch, formContent, fromFormValue, mergeForm, newFields, type FieldInfo } from './recordForm';

const SRS: FieldInfo[] = [
  { name: 'priority', kind: 'choice', required: false, values: ['must', 'should', 'could'] },
  { name: 'rationale', kind: 'text', required: false },
  { name: 'riskControl', kind: 'boolean', required: false, default: false },
  { name: 'tags', kind: 'list', itemKind: 'choice', required: false, values: ['a', 'b'] },
  { name: 'steps', kind: 'list', itemKind: 'object', required: false, default: [] },
  { name: 'hours', kind: 'number', required: false },
];

describe('record forms from the catalog', () => {
  it('picks a control per field kind', () => {
    expect(SRS.map(controlOf)).toEqual(['select', 'text', 'checkbox', 'multiselect', 'json', 'number']);
    expect(controlOf({ name: 'x', kind: 'list', itemKind: 'text', required: false })).toBe('lines');
  });

  it('fills a new form with defaults and sends only what is set', () => {
    const form = formContent(SRS);
    expect(form.fields).toEqual({ priority: '', rationale: '', riskControl: false, tags: [], steps: '', hours: '' });
    const p = newFields(SRS, { ...form, fields: { ...form.fields, priority: 'must', hours: '2.5', steps: '[{"action":"a","expected":"b"}]' } });
    expect(p).toEqual({ fields: { priority: 'must', riskControl: false, steps: [{ action: 'a', expected: 'b' }], hours: 2.5 }, errors: {} });
  });

  it('leaves judging to the server but refuses text that is not JSON', () => {
    expect(fromFormValue(SRS[5] as FieldInfo, 'lots')).toEqual({ set: 'lots' });
    expect(fromFormValue(SRS[1] as FieldInfo, '   ')).toEqual({ set: '   ' });
    expect(newFields(SRS, { title: 't', body: '', fields: { steps: '[{' } }).errors).toEqual({ steps: 'this is not valid JSON' });
  });

  it('patches only the fields that changed, null removing one', () => {
    const stored = { priority: 'must', rationale: 'because', riskControl: false };
    const form = formContent(SRS, { title: 't', body: '', fields: stored });
    expect(fieldPatch(SRS, form, stored).fields).toEqual({});
    const edited = { ...form, fields: { ...form.fields, priority: 'could', rationale: '', riskControl: true } };
    expect(fieldPatch(SRS, edited, stored).fields).toEqual({ priority: 'could', rationale: null, riskControl: true });
  });

  it('merges my changes onto theirs where they do not clash', () => {
    const base = { title: 'T', body: 'one\ntwo\nthree\nfour\nfive\nsix\nseven\n', fields: { priority: 'must', rationale: 'r' } };
    const theirs = { title: 'T2', body: 'one\ntwo\nthree\nfour\nfive\nsix\nseven changed\n', fields: { priority: 'should', rationale: 'r' } };
    const mine = { title: 'T', body: 'one changed\ntwo\nthree\nfour\nfive\nsix\nseven\n', fields: { priority: 'could', rationale: 'mine' } };
    const m = mergeForm(base, mine, theirs);
    expect(m.merged).toEqual({ title: 'T2', body: 'one changed\ntwo\nthree\nfour\nfive\nsix\nseven changed\n', fields: { priority: 'should', rationale: 'mine' } });
    expect(m.applied).toEqual(['body', 'rationale']);
    expect(m.clashes).toEqual(['priority']);
  });

  it('calls a body clash a clash and keeps theirs', () => {
    const m = mergeForm({ title: 'T', body: 'a\n', fields: {} }, { title: 'T', body: 'b\n', fields: {} }, { title: 'T', body: 'c\n', fields: {} });
    expect(m.clashes).toEqual(['body']);
    expect(m.merged.body).toBe('c\n');
  });
});

describe('form labels and errors', () => {
  it('names fields for people', async () => {
    const { fieldLabel } = await import('./recordForm');
    expect(fieldLabel('riskControl')).toBe('Risk control');
    expect(fieldLabel('externalId')).toBe('External ID');
  });
  it('finds the part of the form a server error is about', async () => {
    const { errorPart } = await import('./recordForm');
    expect(errorPart('title', ['priority'])).toBe('title');
    expect(errorPart('record.title', [])).toBe('title');
    expect(errorPart('fields.priority', ['priority'])).toBe('priority');
    expect(errorPart('record.fields.steps[0].action', ['steps'])).toBe('steps');
    expect(errorPart('fields.colour', ['priority'])).toBeUndefined();
    expect(errorPart('baseRevision', ['priority'])).toBeUndefined();
    expect(errorPart(undefined, [])).toBeUndefined();
  });
});
