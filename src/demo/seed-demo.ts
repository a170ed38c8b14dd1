import { AppError, conflict } from '../core/errors.js';
import { inOneTransaction } from '../core/one-transaction.js';
import type { Deps, ProgressFn } from '../core/ports.js';
import { addLinks } from '../app/use-cases/add-links.js';
import { addRecords } from '../app/use-cases/add-records.js';
import { changeRecordStatus } from '../app/use-cases/change-record-status.js';
import { createProduct } from '../app/use-cases/create-product.js';
import { editRecord } from '../app/use-cases/edit-record.js';
import { signRecordsUseCase } from '../app/use-cases/sign-records.js';
import { execute } from '../app/execute.js';
import { holdsRole } from '../core/signatures/workflow.js';
import { defaultWorkflow, type Workflow } from '../core/signatures/model.js';
import { seedDemoEvidence } from './demo-evidence.js';
import { seedDemoDocuments, seedDemoChange, seedDemoProcesses, finishDemoChange } from './vitallink-qms.js';
import { completeTrainingUseCase } from '../app/use-cases/complete-training.js';
import { DEMO_SIGNERS, demoContext, demoUser, seedDemoUsers } from './demo-users.js';
import { DEMO_LINKS, DEMO_PRODUCT, DEMO_RECORDS, DEMO_REVISION } from './vitallink.js';

/** What the demo created. */
export interface DemoSummary {
  readonly product: string;
  readonly records: number;
  readonly links: number;
}

/** The demo's people: an engineer writes records; quality reviews them and an approver approves them, by signing. */
export const DEMO_AUTHOR = 'dana.engineer';
export const DEMO_REVIEWER = 'quinn.qa';

/**
 * Creates the VitalLink demo product through the same use-cases a team would use: records and links by the
 * engineer, reviews and approvals as electronic signatures (quality reviews, an approver approves; for controlled
 * documents the other way round, as their workflow asks), and one requirement revised after approval (so its history and
 * older test links are there to see). All of it is one transaction: a demo interrupted at any point (killed, disk
 * full) leaves the store as it was, never a product without its evidence or release.
 * @throws AppError CONFLICT when the store already has a product `RPM`
 */
export function seedDemo(deps: Deps, onProgress?: ProgressFn): Promise<DemoSummary> {
  return inOneTransaction(deps.store, (store) => seedDemoSteps({ ...deps, store }, onProgress));
}

async function seedDemoSteps(deps: Deps, onProgress?: ProgressFn): Promise<DemoSummary> {
  const key = DEMO_PRODUCT.key;
  if ((await deps.store.read((r) => r.findProduct(key))) !== undefined) {
    throw conflict(`the store already has product ${key}; use another --db for a fresh demo`, { item: key });
  }
  const author: Deps = { ...deps, actor: { id: DEMO_AUTHOR } };
  const steps = 8 + DEMO_RECORDS.length;
  let step = 0;
  const tick = (phase: string): void => onProgress?.(++step, steps, phase);

  await createProduct(author, DEMO_PRODUCT);
  tick('product');
  const created = await addRecords(author, {
    productKey: key,
    reason: 'built-in demo data (dossier demo)',
    records: DEMO_RECORDS.map(({ ref, status: _s, ...r }) =>
      ref === DEMO_REVISION.record ? { ...r, title: DEMO_REVISION.firstTitle, body: DEMO_REVISION.firstBody } : r,
    ),
  });
  created.forEach((c, i) => {
    const expected = DEMO_RECORDS[i]?.ref;
    if (c.key !== expected) throw new AppError('INTERNAL', `demo record ${expected ?? '?'} was created as ${c.key}`);
  });
  tick('records');
  await addLinks(author, { productKey: key, links: DEMO_LINKS.map(([from, type, to]) => ({ from, type, to })) });
  tick('links');

  // The signers exist (and have accepted the accountability statement) before the first signature.
  await seedDemoUsers(deps, key);
  tick('users');
  // The quality system first: the procedures in force and everyone trained before they sign anything under them.
  const sign = (records: readonly { ref: string; type: string; revision: number }[], reason?: string): Promise<void> => signDemoRecords(deps, key, records, reason);
  await seedDemoDocuments(deps, key, sign, (username, record) => trainDemoUser(deps, key, username, record));
  await seedDemoChange(deps, key, sign);
  tick('quality system');
  for (const r of DEMO_RECORDS) {
    if (r.status !== 'draft') {
      await changeRecordStatus(author, { productKey: key, record: r.ref, to: 'in_review', baseRevision: 1 });
    }
    tick('reviews');
  }
  // Approval is electronic signatures, as each record type's workflow asks (one batch per meaning and workflow).
  await signDemoRecords(deps, key, DEMO_RECORDS.filter((r) => r.status === 'approved').map((r) => ({ ref: r.ref, type: r.type, revision: 1 })));

  const final = DEMO_RECORDS.find((r) => r.ref === DEMO_REVISION.record);
  if (final === undefined) throw new AppError('INTERNAL', 'demo revision record missing');
  await editRecord(author, {
    productKey: key,
    record: final.ref,
    baseRevision: 1,
    title: final.title,
    body: final.body ?? '',
    reason: DEMO_REVISION.reason,
  });
  await changeRecordStatus(author, { productKey: key, record: final.ref, to: 'in_review', baseRevision: 2 });
  await signDemoRecords(deps, key, [{ ref: final.ref, type: final.type, revision: 2 }], 'verified against VAL-3 retest');
  tick('revision');
  await seedDemoEvidence(author, key);
  tick('evidence');
  await seedDemoProcesses({ ...deps, actor: { id: 'quinn.qa' } }, key, sign);
  await finishDemoChange({ ...deps, actor: { id: 'quinn.qa' } }, key);
  tick('quality processes');
  const [records, links] = await deps.store.read(async (r) => {
    const p = await r.findProduct(key);
    return p === undefined ? [0, 0] : [(await r.listRecords({ productId: p.id })).length, (await r.listLinks({ productId: p.id })).length];
  });
  return { product: key, records, links };
}

/** Completes a demo user's training on the version in force of a document, by their signature (quiz answered right). */
async function trainDemoUser(deps: Deps, productKey: string, username: string, record: string): Promise<void> {
  const quiz = await deps.store.read(async (r) => {
    const p = await r.findProduct(productKey);
    const head = p === undefined ? undefined : await r.findRecord(p.id, 'DOC', Number(record.split('-')[1]));
    const approved = head?.approvedRevision == null ? undefined : await r.findRevision(head.id, head.approvedRevision);
    return approved?.fields['quiz'] as { questions: { answer: number }[] } | undefined;
  });
  const u = demoUser(username);
  await execute(completeTrainingUseCase, demoContext(deps), {
    productKey,
    record,
    username: u.username,
    password: u.password,
    ...(quiz === undefined ? {} : { quizAnswers: quiz.questions.map((q) => q.answer) }),
  });
}

/**
 * Signs record revisions in review as their (default) workflows ask, through the signing use-case: per workflow, one
 * batch per step, each by the first demo signer who holds the step's role and has not signed an earlier step.
 * @param reason - for the audit trail, on the signatures of the last step (the approval)
 */
export async function signDemoRecords(deps: Deps, productKey: string, records: readonly { ref: string; type: string; revision: number }[], reason?: string): Promise<void> {
  const ctx = demoContext(deps);
  // Who wrote each revision: one read of every record's latest revision (the ones signed are the latest).
  const authors = await deps.store.read(async (r) => {
    const p = await r.findProduct(productKey);
    if (p === undefined) return records.map(() => undefined);
    const latest = new Map((await r.listRecordContents(p.id)).map((x) => [`${x.type}-${x.number}@${x.revision}`, x.revisedBy]));
    return records.map((x) => latest.get(`${x.type}-${Number(x.ref.split('-').pop())}@${x.revision}`));
  });
  const groups = new Map<string, { workflow: Workflow; author: string | undefined; records: { record: string; revision: number }[] }>();
  for (const [i, r] of records.entries()) {
    const workflow = defaultWorkflow(r.type);
    const author = authors[i];
    const k = JSON.stringify([workflow, author]);
    const g = groups.get(k) ?? { workflow, author, records: [] };
    g.records.push({ record: r.ref, revision: r.revision });
    groups.set(k, g);
  }
  for (const { workflow, author, records: batch } of groups.values()) {
    // Nobody signs their own revision, and each step is signed by someone else.
    const used = new Set<string>(author === undefined ? [] : [author]);
    for (const [n, step] of workflow.steps.entries()) {
      const signer = DEMO_SIGNERS.map(demoUser).find((u) => !used.has(u.username) && holdsRole([{ productKey, role: u.role }], step.roles, productKey));
      if (signer === undefined) throw new AppError('INTERNAL', `no demo user may sign ${step.meaning}`);
      used.add(signer.username);
      await execute(signRecordsUseCase, ctx, {
        productKey,
        records: batch,
        meaning: step.meaning,
        username: signer.username,
        password: signer.password,
        ...(reason !== undefined && n === workflow.steps.length - 1 ? { reason } : {}),
      });
    }
  }
}
