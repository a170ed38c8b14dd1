import { AppError } from '../core/errors.js';
import type { Deps } from '../core/ports.js';
import { addDays } from '../core/qms/days.js';
import { addLinks } from '../app/use-cases/add-links.js';
import { addRecords } from '../app/use-cases/add-records.js';
import { advanceProcess } from '../app/use-cases/advance-process.js';
import { changeRecordStatus } from '../app/use-cases/change-record-status.js';
import { compileReview } from '../app/use-cases/compile-review.js';
import { editRecord } from '../app/use-cases/edit-record.js';
import { initQms } from '../app/use-cases/init-qms.js';
import { makeDocumentEffectiveUseCase } from '../app/use-cases/make-document-effective.js';
import { execute } from '../app/execute.js';
import { demoContext } from './demo-users.js';
import { loadQmsFacts } from '../app/services/qms-facts.js';

/**
 * VitalLink's quality processes in the demo (issue 14): four suppliers (one overdue for re-evaluation), the 1.2.0
 * complaint about a stale weight turned into a CAPA (root cause, actions done, effectiveness check pending), an
 * internal audit with two findings, and last quarter's management review with signed minutes. Dates are relative
 * to the demo's day, so what is overdue stays overdue whenever the demo is made.
 */

/** The demo's day, `YYYY-MM-DD`. */
export const demoDay = (deps: Pick<Deps, 'clock'>): string => deps.clock.now().slice(0, 10);

/** The first and last day of the calendar quarter before `day`. */
export function previousQuarter(day: string): { from: string; to: string } {
  const y = Number(day.slice(0, 4));
  const q = Math.floor((Number(day.slice(5, 7)) - 1) / 3);
  const [year, quarter] = q === 0 ? [y - 1, 3] : [y, q - 1];
  const first = `${year}-${String(quarter * 3 + 1).padStart(2, '0')}-01`;
  const next = quarter === 3 ? `${year + 1}-01-01` : `${year}-${String(quarter * 3 + 4).padStart(2, '0')}-01`;
  return { from: first, to: addDays(next, -1) };
}

/** Records the demo's process part creates, in order (their keys are checked). */
function processRecords(today: string): { ref: string; type: string; title: string; body?: string; fields: Record<string, unknown> }[] {
  const quarter = previousQuarter(today);
  return [
    {
      ref: 'SUP-1',
      type: 'SUP',
      title: 'Cloud hosting provider (EU region)',
      body: 'Hosts the ingestion API, rules engine, console and database in one EU region. ISO 27001 certified; data processing agreement signed.',
      fields: {
        state: 'approved',
        kind: 'cloud_provider',
        scope: 'Infrastructure hosting of the cloud services, managed PostgreSQL, backups',
        criticality: 'high',
        evaluation: 'Certificates and the last SOC 2 report reviewed; availability history meets the 99.9 % target.',
        evaluatedOn: addDays(today, -150),
        reevaluationMonths: 12,
        agreements: [
          { name: 'Data processing agreement', expiresOn: addDays(today, 400) },
          { name: 'ISO 27001 certificate', expiresOn: addDays(today, 120) },
        ],
      },
    },
    {
      ref: 'SUP-2',
      type: 'SUP',
      title: 'React Native open-source project',
      body: 'Supplies the mobile runtime as SOUP. No agreement is possible; the published issue tracker and release notes are monitored.',
      fields: {
        state: 'conditional',
        kind: 'soup_vendor',
        scope: 'The React Native runtime used by the mobile app',
        criticality: 'medium',
        evaluation: 'Conditional: no quality agreement; anomaly list reviewed at each upgrade under SOP SOUP management.',
        evaluatedOn: addDays(today, -100),
        reevaluationMonths: 12,
      },
    },
    {
      ref: 'SUP-3',
      type: 'SUP',
      title: 'Mobile development contractor',
      body: 'Two contract developers worked on the Android upload queue in 2025. Works under our SOPs and reviews.',
      fields: {
        state: 'approved',
        kind: 'contract_developer',
        scope: 'Android development under our software development SOP',
        criticality: 'high',
        evaluation: 'Trained on the software development SOP; code reviewed by our engineers; agreement in place.',
        evaluatedOn: addDays(today, -420),
        reevaluationMonths: 12,
        agreements: [{ name: 'Development and quality agreement', expiresOn: addDays(today, 200) }],
      },
    },
    {
      ref: 'SUP-4',
      type: 'SUP',
      title: 'Penetration testing firm',
      body: 'Performed the 2025 penetration test whose finding led to certificate pinning in 1.2.0.',
      fields: {
        state: 'approved',
        kind: 'service',
        scope: 'Yearly penetration test of the mobile app and the cloud API',
        criticality: 'medium',
        evaluation: 'Accredited testers; report quality reviewed after the 2025 test.',
        evaluatedOn: addDays(today, -60),
        reevaluationMonths: 24,
      },
    },
    {
      ref: 'CMP-1',
      type: 'CMP',
      title: 'Console showed a 3-hour-old weight as the current one',
      body: 'A heart-failure nurse saw a weight on the console that was three hours old, without the age badge. No change of therapy followed; the nurse phoned the patient.',
      fields: {
        state: 'triage',
        receivedOn: '2026-11-02',
        channel: 'support_portal',
        contact: "Heart failure clinic, St. Mary's Hospital",
        productVersion: '1.2.0',
        category: 'performance',
        patientHarm: 'potential',
      },
    },
    {
      ref: 'CAPA-1',
      type: 'CAPA',
      title: 'Stale readings shown without their age badge',
      fields: { state: 'open', source: 'complaint', kind: 'corrective', priority: 'high', owner: 'quinn.qa', openedOn: '2026-11-04', dueOn: addDays(today, 90) },
    },
    {
      ref: 'AUD-1',
      type: 'AUD',
      title: 'Internal audit: document control, design changes and CAPA',
      fields: {
        state: 'planned',
        cycle: today.slice(0, 4),
        scope: ['ISO 13485 4.2.4', 'ISO 13485 7.3.9', 'ISO 13485 8.5.2'],
        auditor: 'riley.reviewer',
        plannedOn: addDays(today, -30),
        criteria: 'ISO 13485 clauses in scope and our SOPs for them',
      },
    },
    {
      ref: 'AF-1',
      type: 'AF',
      title: 'Two change requests were approved without a recorded safety impact',
      fields: { state: 'open', grade: 'minor', clause: 'ISO 13485 7.3.9', evidence: 'Change log for 1.1.0: two entries without a safety-impact statement.', dueOn: addDays(today, 30) },
    },
    {
      ref: 'AF-2',
      type: 'AF',
      title: 'CAPA effectiveness criteria could be more measurable',
      fields: { state: 'open', grade: 'observation', clause: 'ISO 13485 8.5.2', evidence: 'CAPA-1 criteria reviewed during the audit.' },
    },
    {
      ref: 'MREV-1',
      type: 'MREV',
      title: `Management review ${quarter.from.slice(0, 7)} to ${quarter.to.slice(0, 7)}`,
      fields: { state: 'planned', periodFrom: quarter.from, periodTo: quarter.to },
    },
  ];
}

const PROCESS_LINKS: readonly (readonly [string, string, string])[] = [
  ['CMP-1', 'feeds', 'PPI-1'],
  ['CMP-1', 'concerns', 'RISK-5'],
  ['CAPA-1', 'addresses', 'CMP-1'],
  ['CAPA-1', 'concerns', 'RISK-5'],
  ['CAPA-1', 'concerns', 'RISK-12'],
  ['AF-1', 'found_in', 'AUD-1'],
  ['AF-2', 'found_in', 'AUD-1'],
];

/** Moves a process record through states, one revision per move (each its own audit event). */
async function walk(deps: Deps, productKey: string, record: string, steps: readonly [string, Record<string, unknown>][]): Promise<number> {
  let revision = await latestRevision(deps, productKey, record);
  for (const [state, fields] of steps) {
    const out = await advanceProcess(deps, { productKey, record, state, baseRevision: revision, fields });
    revision = out.record.latestRevision;
  }
  return revision;
}

async function latestRevision(deps: Deps, productKey: string, record: string): Promise<number> {
  return deps.store.read(async (r) => {
    const p = await r.findProduct(productKey);
    const [type, n] = record.split('-');
    const head = p === undefined ? undefined : await r.findRecord(p.id, type ?? '', Number(n));
    if (head === undefined) throw new AppError('INTERNAL', `demo record ${record} is missing`);
    return head.latestRevision;
  });
}

/**
 * The process part of the demo, written by the quality manager after the product's records and evidence exist.
 * @param sign - signs records in review as their workflows ask (the demo's signing helper)
 * @returns the records to sign as closed, with their revisions
 */
export async function seedDemoProcesses(
  deps: Deps,
  productKey: string,
  sign: (records: readonly { ref: string; type: string; revision: number }[], reason?: string) => Promise<void>,
): Promise<void> {
  const today = demoDay(deps);
  const records = processRecords(today);
  const created = await addRecords(deps, {
    productKey,
    reason: 'built-in demo data (dossier demo): quality processes',
    records: records.map(({ ref: _ref, ...r }) => r),
  });
  created.forEach((c, i) => {
    if (c.key !== records[i]?.ref) throw new AppError('INTERNAL', `demo record ${records[i]?.ref ?? '?'} was created as ${c.key}`);
  });
  await addLinks(deps, { productKey, links: PROCESS_LINKS.map(([from, type, to]) => ({ from, type, to })) });
  // Supplier evaluations are approved by signature: that puts them on the approved-supplier list.
  const suppliers = ['SUP-1', 'SUP-2', 'SUP-3', 'SUP-4'];
  for (const s of suppliers) await changeRecordStatus(deps, { productKey, record: s, to: 'in_review', baseRevision: 1 });
  await sign(suppliers.map((ref) => ({ ref, type: 'SUP', revision: 1 })), 'supplier evaluation');
  // The React Native runtime (a SOUP from the lockfile) comes from the open-source project.
  await linkSoupSupplier(deps, productKey, 'react-native', 'SUP-2');

  // The complaint: investigated, not reportable (no harm, the nurse checked with the patient), corrected.
  await walk(deps, productKey, 'CMP-1', [
    ['investigation', { investigate: true }],
    [
      'reportability_decided',
      {
        investigation: 'The console kept the last value when the ingestion queue stalled for 3 hours; the age badge was hidden by a layout regression in 1.2.0.',
        awareOn: '2026-11-02',
        fdaReportability: 'not_reportable',
        euReportability: 'not_reportable',
        reportabilityRationale: 'No death or serious injury occurred or could reasonably have occurred: nurses confirm weights by phone before acting, and the stale value was seen as unusual.',
      },
    ],
    ['action', { correction: 'Hot fix 1.2.1 planned: age badge restored; CAPA-1 opened for the root cause.' }],
  ]);

  // The CAPA: root cause found, actions done, effectiveness check pending (no result yet).
  await walk(deps, productKey, 'CAPA-1', [
    ['investigation', { problem: 'Readings older than 24 hours can appear without their age badge, so a stale value looks current (CMP-1).', containment: 'Nurses told to check the reading time on the detail page until the fix ships.' }],
    [
      'planned',
      {
        rootCauseMethod: 'five_whys',
        whys: [
          'The age badge was not shown.',
          'A layout change in 1.2.0 hid the badge on narrow console columns.',
          'No test checks the badge at every column width.',
          'Visual checks were manual and done at one screen size.',
        ],
        causeCategory: 'test',
        rootCause: 'The system test for SRS-13 checks the badge at one screen size only; the layout regression passed review.',
      },
    ],
    [
      'implementation',
      {
        actions: [
          { kind: 'correction', description: 'Restore the age badge on narrow columns (hot fix 1.2.1)', owner: 'dana.engineer', dueOn: addDays(today, -10), doneOn: addDays(today, -14), evidence: 'commit 4f2a9c1, TC for SRS-13 extended' },
          { kind: 'corrective', description: 'Add a visual regression test of reading badges at three console widths', owner: 'dana.engineer', dueOn: addDays(today, -5), doneOn: addDays(today, -7), evidence: 'TC-21 automated in CI' },
        ],
      },
    ],
    ['verification', {}],
    [
      'effectiveness_check',
      {
        implementationVerification: 'Both actions verified by quality: the hot fix passed the extended tests; the new visual test runs on every merge.',
        effectivenessCriteria: 'No complaint or support ticket about a stale value shown as current in the 90 days after 1.2.1 ships.',
        effectivenessDueOn: addDays(today, 60),
        riskReviewRequired: true,
      },
    ],
  ]);

  // The audit: held and reported; its findings are open (one minor, one observation).
  await walk(deps, productKey, 'AUD-1', [
    ['in_progress', {}],
    ['reported', { heldOn: addDays(today, -28), summary: 'Document control works; design changes mostly well recorded (AF-1); CAPA process followed (AF-2 observation).' }],
  ]);

  // Last quarter's management review: inputs compiled from the store, held, minutes signed.
  await compileReview(deps, { productKey, record: 'MREV-1' });
  const review = await walk(deps, productKey, 'MREV-1', [
    [
      'held',
      {
        heldOn: addDays(previousQuarter(today).to, 10),
        attendees: ['ada.admin', 'quinn.qa', 'avery.approver'],
        outputs: 'The QMS is effective. Improve the visual test coverage of the console (CAPA-1). Budget approved for the yearly penetration test.',
        actions: [{ description: 'Plan the next penetration test with SUP-4', owner: 'quinn.qa', dueOn: addDays(today, 45) }],
      },
    ],
  ]);
  await changeRecordStatus(deps, { productKey, record: 'MREV-1', to: 'in_review', baseRevision: review });
  await sign([{ ref: 'MREV-1', type: 'MREV', revision: review }], 'minutes of the management review');
}

/** Links the SOUP record of an npm package to its supplier, when the lockfile brought one. */
async function linkSoupSupplier(deps: Deps, productKey: string, pkg: string, supplier: string): Promise<void> {
  const soup = await deps.store.read(async (r) => {
    const p = await r.findProduct(productKey);
    if (p === undefined) return undefined;
    const rows = await r.loadTraceRecords(p.id, 'SOUP');
    return rows.find((x) => x.fields['package'] === pkg && x.status !== 'obsolete');
  });
  if (soup === undefined) return;
  await addLinks(deps, { productKey, links: [{ from: `SOUP-${soup.number}`, type: 'supplied_by', to: supplier }] });
}

// ---------------------------------------------------------------------------------------------------------------
// Documents and training: the starter QMS, made effective, with everyone trained (but one, late on a new version).

/** Who holds each starter job role at VitalLink. */
const ROLE_MEMBERS: Readonly<Record<string, readonly string[]>> = {
  'Managing director': ['ada.admin'],
  'Quality manager': ['quinn.qa'],
  'Software engineer': ['dana.engineer', 'riley.reviewer'],
  'Clinical/regulatory specialist': ['vic.viewer'],
  'Product owner': ['avery.approver'],
};

/** The starter SOP left in review (its first version is not signed yet). */
const IN_REVIEW = 'SOP-016';
/** The SOP revised after it came into force: the engineer has not completed training on its new version. */
const REVISED = 'SOP-015';
const LATE_TRAINEE = 'dana.engineer';

/** What the documents part leaves for later steps. */
export interface DemoDocuments {
  /** Record key by document number: `SOP-015` → `DOC-20`. */
  readonly byNumber: ReadonlyMap<string, string>;
}

/**
 * The starter QMS in the demo product: written by the managing director, owned by quality, reviewed and approved by
 * signature (all but one SOP, still in review), in force since half a year, everyone trained on it by signature;
 * the cybersecurity SOP was revised six weeks ago and the engineer has not completed training on its new version.
 * @param sign - signs records in review as their workflows ask
 * @param train - completes a user's training on a document version by their signature
 */
export async function seedDemoDocuments(
  deps: Deps,
  productKey: string,
  sign: (records: readonly { ref: string; type: string; revision: number }[], reason?: string) => Promise<void>,
  train: (username: string, record: string) => Promise<void>,
): Promise<DemoDocuments> {
  const today = demoDay(deps);
  const director: Deps = { ...deps, actor: { id: 'ada.admin' } };
  const quality: Deps = { ...deps, actor: { id: 'quinn.qa' } };
  const init = await initQms(director, { productKey, owner: 'quinn.qa', reason: 'built-in demo data (dossier demo): starter QMS' });
  const byNumber = new Map(init.documents.map((d) => [d.number, d.key]));

  for (const role of init.roles) {
    const members = ROLE_MEMBERS[role.title];
    if (members === undefined) throw new AppError('INTERNAL', `demo has no members for the starter role ${role.title}`);
    await editRecord(director, { productKey, record: role.key, baseRevision: 1, fields: { members: [...members] }, reason: 'who holds the role' });
  }
  // VitalLink's own additions to the starter matrix: who signs supplier, SOUP and review records is trained on them.
  const roleKey = (title: string): string => init.roles.find((r) => r.title === title)?.key ?? '';
  const doc = (number: string): string => byNumber.get(number) ?? '';
  await addLinks(director, {
    productKey,
    reason: 'training matrix: signers of supplier, SOUP and management review records',
    links: [
      { from: roleKey('Product owner'), type: 'requires_training', to: doc('SOP-003') },
      { from: roleKey('Product owner'), type: 'requires_training', to: doc('SOP-008') },
      { from: roleKey('Product owner'), type: 'requires_training', to: doc('SOP-014') },
      { from: roleKey('Software engineer'), type: 'requires_training', to: doc('SOP-008') },
    ],
  });
  const toSign = [
    ...init.documents.filter((d) => d.number !== IN_REVIEW).map((d) => ({ ref: d.key, type: 'DOC', revision: 1 })),
    ...init.roles.map((r) => ({ ref: r.key, type: 'JOB', revision: 2 })),
  ];
  for (const d of [...toSign, { ref: byNumber.get(IN_REVIEW) ?? '', type: 'DOC', revision: 1 }]) {
    await changeRecordStatus(director, { productKey, record: d.ref, to: 'in_review', baseRevision: d.revision });
  }
  await sign(toSign, 'first issue of the quality system');

  const inForce = addDays(today, -180);
  for (const d of init.documents) {
    if (d.number === IN_REVIEW) continue;
    await execute(makeDocumentEffectiveUseCase, demoContext(quality), { productKey, record: d.key, on: inForce, reason: 'first issue' });
  }
  await trainEveryone(deps, productKey, train);

  // Six weeks ago the cybersecurity SOP gained certificate pin rotation: version 1.1, signed, in force, assigned.
  const revised = byNumber.get(REVISED);
  if (revised === undefined) throw new AppError('INTERNAL', `starter has no ${REVISED}`);
  const before = await latestRevision(deps, productKey, revised);
  const body = await deps.store.read(async (r) => {
    const p = await r.findProduct(productKey);
    const head = p === undefined ? undefined : await r.findRecord(p.id, 'DOC', Number(revised.split('-')[1]));
    return head === undefined ? '' : ((await r.findRevision(head.id, head.latestRevision))?.body ?? '');
  });
  // An engineer drafts the new version (quality approves it, so quality does not write it).
  const engineer: Deps = { ...deps, actor: { id: 'riley.reviewer' } };
  const edited = await editRecord(engineer, {
    productKey,
    record: revised,
    baseRevision: before,
    body: `${body}\n\n## Certificate pins\nEvery app release ships two public-key pins of the ingestion API (current and next). Rotate the key only after a release with the next pin has reached 95 % of active installs.\n`,
    fields: { version: '1.1' },
    reason: 'pin rotation after the 2025 penetration test (CAPA on TLS)',
  });
  await changeRecordStatus(engineer, { productKey, record: revised, to: 'in_review', baseRevision: edited.latestRevision });
  await sign([{ ref: revised, type: 'DOC', revision: edited.latestRevision }], 'version 1.1: certificate pin rotation');
  await execute(makeDocumentEffectiveUseCase, demoContext(quality), { productKey, record: revised, on: addDays(today, -40), reason: 'version 1.1' });
  await trainEveryone(deps, productKey, train, LATE_TRAINEE);
  return { byNumber };
}

/** Completes every open training assignment of the product, but those of `except`. */
async function trainEveryone(deps: Deps, productKey: string, train: (username: string, record: string) => Promise<void>, except?: string): Promise<void> {
  const open = await deps.store.read(async (r) => {
    const p = await r.findProduct(productKey);
    if (p === undefined) return [];
    const facts = await loadQmsFacts(r, p, demoDay(deps));
    return facts.trainings.filter((t) => t.completedOn === null && !t.superseded && t.username !== except);
  });
  for (const t of open) await train(t.username, t.documentKey);
}

// ---------------------------------------------------------------------------------------------------------------
// Change control: the TLS 1.3-only change behind SRS-3's second revision, approved before SRS-3 is, then shipped.

/** CR-1, assessed and approved by signature before SRS-3's new revision is approved. */
export async function seedDemoChange(
  deps: Deps,
  productKey: string,
  sign: (records: readonly { ref: string; type: string; revision: number }[], reason?: string) => Promise<void>,
): Promise<void> {
  const quality: Deps = { ...deps, actor: { id: 'quinn.qa' } };
  const [cr] = await addRecords(quality, {
    productKey,
    reason: 'built-in demo data (dossier demo): change control',
    records: [
      {
        type: 'CR',
        title: 'Upload client refuses TLS 1.2 (TLS 1.3 only)',
        body: 'The 2025 penetration test showed a downgrade to TLS 1.2 on some hospital proxies. Refuse anything below TLS 1.3.',
        fields: { state: 'submitted', origin: 'capa' },
      },
    ],
  });
  if (cr?.key !== 'CR-1') throw new AppError('INTERNAL', `demo change request was created as ${cr?.key ?? 'nothing'}`);
  await addLinks(quality, { productKey, links: [{ from: 'CR-1', type: 'changes', to: 'SRS-3' }] });
  const assessed = await walk(quality, productKey, 'CR-1', [
    [
      'assessed',
      {
        safetyImpact: 'Lowers the risk of readings altered in transit (RISK-1); a hospital proxy that only speaks TLS 1.2 loses the connection, which the app shows as "not delivered" (SRS-8).',
        regulatorySignificance: 'letter_to_file',
      },
    ],
  ]);
  await changeRecordStatus(quality, { productKey, record: 'CR-1', to: 'in_review', baseRevision: assessed });
  // Quality wrote it, so the reviewer and the approver sign it (a record's author never signs their own revision).
  await sign([{ ref: 'CR-1', type: 'CR', revision: assessed }], 'change approved');
}

/** CR-1 after the release: implemented, verified and released in 1.2.0. */
export async function finishDemoChange(deps: Deps, productKey: string): Promise<void> {
  await walk(deps, productKey, 'CR-1', [
    ['implemented', {}],
    ['verified', { verification: 'TC for SRS-3 passes in the 1.2.0 test run: a TLS 1.2 handshake is refused.' }],
    ['released', { release: '1.2.0' }],
  ]);
}
