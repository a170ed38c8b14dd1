import { AppError, conflict } from '../core/errors.js';
import { inOneTransaction } from '../core/one-transaction.js';
import type { Deps, ProgressFn } from '../core/ports.js';
import { addLinks } from '../app/use-cases/add-links.js';
import { addRecords } from '../app/use-cases/add-records.js';
import { changeRecordStatus } from '../app/use-cases/change-record-status.js';
import { createProduct } from '../app/use-cases/create-product.js';
import { editRecord } from '../app/use-cases/edit-record.js';
import { seedDemoEvidence } from './demo-evidence.js';
import { seedDemoUsers } from './demo-users.js';
import { DEMO_LINKS, DEMO_PRODUCT, DEMO_RECORDS, DEMO_REVISION } from './vitallink.js';

/** What the demo created. */
export interface DemoSummary {
  readonly product: string;
  readonly records: number;
  readonly links: number;
}

/** The demo's people: an engineer writes records, a quality engineer reviews and approves them. */
export const DEMO_AUTHOR = 'dana.engineer';
export const DEMO_REVIEWER = 'quinn.qa';

/**
 * Creates the VitalLink demo product through the same use-cases a team would use: records and links by the
 * engineer, reviews and approvals by quality, and one requirement revised after approval (so its history and
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
  const reviewer: Deps = { ...deps, actor: { id: DEMO_REVIEWER } };
  const steps = 6 + DEMO_RECORDS.length;
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

  for (const r of DEMO_RECORDS) {
    if (r.status !== 'draft') {
      await changeRecordStatus(author, { productKey: key, record: r.ref, to: 'in_review', baseRevision: 1 });
    }
    if (r.status === 'approved') {
      await changeRecordStatus(reviewer, { productKey: key, record: r.ref, to: 'approved', baseRevision: 1 });
    }
    tick('reviews');
  }

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
  await changeRecordStatus(reviewer, { productKey: key, record: final.ref, to: 'approved', baseRevision: 2, reason: 'verified against VAL-3 retest' });
  tick('revision');
  await seedDemoEvidence(author, key);
  tick('evidence');
  await seedDemoUsers(deps, key);
  tick('users');
  const [records, links] = await deps.store.read(async (r) => {
    const p = await r.findProduct(key);
    return p === undefined ? [0, 0] : [(await r.listRecords({ productId: p.id })).length, (await r.listLinks({ productId: p.id })).length];
  });
  return { product: key, records, links };
}
