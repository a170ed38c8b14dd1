/**
 * The signing dialog's pure logic: which meanings a user may sign with (from the workflow in force and the user's
 * roles), how a record key names its type, and how the server's refusals map onto the dialog's fields.
 */

/** The meanings a workflow step can ask for (the server's `WORKFLOW_MEANINGS`). */
export const WORKFLOW_MEANINGS = ['authored', 'reviewed', 'approved', 'released'] as const;
export type WorkflowMeaning = (typeof WORKFLOW_MEANINGS)[number];

const MEANING_TEXT: Readonly<Record<string, string>> = {
  authored: 'Authored',
  reviewed: 'Reviewed',
  approved: 'Approved',
  released: 'Released',
  read_and_understood: 'Read and understood',
};

/** A meaning as people read it beside a signature: `approved` → `Approved`. */
export function meaningLabel(meaning: string): string {
  return MEANING_TEXT[meaning] ?? meaning.replaceAll('_', ' ');
}

export function isWorkflowMeaning(m: string): m is WorkflowMeaning {
  return (WORKFLOW_MEANINGS as readonly string[]).includes(m);
}

const ALIASES: Readonly<Record<string, WorkflowMeaning>> = { author: 'authored', review: 'reviewed', approval: 'approved', approve: 'approved', release: 'released' };

/** A meaning as a caller may name it (`review`, `approval`, or the server's `reviewed`), as the server names it. */
export function normalizeMeaning(m: string): WorkflowMeaning | undefined {
  const t = m.trim().toLowerCase();
  return isWorkflowMeaning(t) ? t : ALIASES[t];
}

/** The record type of a record key: `SRS-12` and `RPM/SRS-12` → `SRS`; undefined for anything else. */
export function recordTypeOf(key: string): string | undefined {
  const m = /^(?:[A-Z0-9_-]+\/)?([A-Z][A-Z0-9]*)-\d+$/.exec(key);
  return m?.[1];
}

/** The record key without its product: `RPM/SRS-12` → `SRS-12`. */
export function bareKey(key: string): string {
  const i = key.indexOf('/');
  return i < 0 ? key : key.slice(i + 1);
}

/** One step of a workflow, as `workflow.show` returns it. */
export interface StepLike {
  readonly meaning: string;
  readonly roles: readonly string[];
}

/** A meaning the user may sign with, and where it stands in the workflow. */
export interface MeaningChoice {
  readonly meaning: WorkflowMeaning;
  /** 0-based step of the workflow. */
  readonly step: number;
  readonly steps: number;
  /** Who may sign the step: `reviewer or quality`. */
  readonly by: string;
}

/**
 * The meanings of a workflow's steps the user holds a role for, in workflow order (each meaning once). A release's
 * last step is given by marking it released, not by signing: `release` leaves it out.
 */
export function meaningChoices(steps: readonly StepLike[], roles: readonly string[], options: { release?: boolean } = {}): MeaningChoice[] {
  const out: MeaningChoice[] = [];
  const last = options.release === true ? steps.length - 1 : steps.length;
  for (const [i, s] of steps.entries()) {
    if (i >= last) break;
    if (!isWorkflowMeaning(s.meaning) || out.some((c) => c.meaning === s.meaning)) continue;
    if (!s.roles.some((r) => roles.includes(r))) continue;
    out.push({ meaning: s.meaning, step: i, steps: steps.length, by: s.roles.join(' or ') });
  }
  return out;
}

/**
 * The meanings offered when several record types are signed at once: those every type's workflow lets the user give
 * (a batch is signed with one meaning).
 */
export function commonMeanings(perType: readonly (readonly MeaningChoice[])[]): WorkflowMeaning[] {
  const [first, ...rest] = perType;
  if (first === undefined) return [];
  return first.map((c) => c.meaning).filter((m) => rest.every((list) => list.some((c) => c.meaning === m)));
}

/** Where a refusal belongs in the dialog: the field it names, or the dialog as a whole. */
export type RefusalPlace = 'password' | 'username' | 'statement' | 'meaning' | 'dialog';

/** The dialog's place for a server error's `field` (`records[0].revision` and the like belong to the dialog). */
export function refusalPlace(field: string | undefined): RefusalPlace {
  if (field === 'password' || field === 'signTicket') return 'password';
  if (field === 'username') return 'username';
  if (field === 'statement') return 'statement';
  if (field === 'meaning') return 'meaning';
  return 'dialog';
}

/** True when the server asks for the username as well (the first signature of a session). */
export function asksForUsername(code: string | undefined, field: string | undefined): boolean {
  return code === 'INVALID_INPUT' && field === 'username';
}

/**
 * The sessions that have signed (by `username@authenticatedAt`): in such a session the server asks for the password
 * alone. Kept for the life of the page; a new login is a new session.
 */
export class SignedSessions {
  private readonly seen = new Set<string>();

  static keyOf(username: string, authenticatedAt: string | null | undefined): string {
    return `${username}@${authenticatedAt ?? ''}`;
  }

  has(key: string): boolean {
    return this.seen.has(key);
  }

  add(key: string): void {
    this.seen.add(key);
  }
}
