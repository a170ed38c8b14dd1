import type { AuditAction } from '../audit.js';
import type { StateEvent } from '../ports.js';
import { canonicalJson } from '../hashing.js';
import { eventLabel } from '../integrity.js';
import { DOCUMENT_CONTROL_ACTIONS, type DocumentControlTable } from '../qms/document-control.js';

/**
 * The current state the audit trail proves: replaying the events, in order, gives the expected value of every
 * mutable column of the store. `StateVerifier` compares it with the stored rows (21 CFR 11.10(e): a record's
 * current state changed outside the application is found, not only its history).
 *
 * Rule for every write (see ARCHITECTURE.md, Integrity): every mutable column must be derivable from an audit
 * event's new value (with the event's time, actor and reason). A new mutable column or a new action adds a reducer
 * to `REDUCERS` here and a column to the tables in `state-verifier.ts`.
 */

/** Who and when, from the event that set a value. */
interface Stamp {
  readonly at: string;
  readonly by: string;
}

/** A product as its PRODUCT_CREATED event describes it. */
export interface ExpectedProduct {
  name: string;
  intendedUse: string;
  safetyClass: string;
  readonly created: Stamp;
}

/** A record head: status and revisions from its RECORD_* events, who and when from the first and the last. */
export interface ExpectedRecord {
  status: string;
  latestRevision: number;
  approvedRevision: number | null;
  /** Who made the latest approval: the actor of the approving RECORD_STATUS_CHANGED event. */
  approvedBy: string | null;
  readonly created: Stamp;
  updated: Stamp;
}

/** A link from LINK_CREATED, re-pinned by LINK_CONFIRMED, marked by LINK_REMOVED. */
export interface ExpectedLink {
  readonly productKey: string;
  readonly type: string;
  /** Qualified record keys of the ends, e.g. `RPM/SRS-1`. */
  readonly from: string;
  readonly to: string;
  fromRevision: number;
  toRevision: number;
  readonly created: Stamp;
  confirmed: Stamp | null;
  removed: (Stamp & { readonly reason: string | null }) | null;
}

/** A product's setting for one rule, from its RULE_* events (the justification is the event's reason). */
export interface ExpectedRuleSetting {
  enabled: boolean;
  /** The product's own severity for the rule; null keeps the pack's. */
  severity: string | null;
  justification: string | null;
  updated: Stamp;
}

/** A rule pack a product added, with the hash of its definition. */
export interface ExpectedRulePack {
  readonly hash: string;
  readonly added: Stamp;
}

/** An evidence import row (append-only; its items are checked against its digest by `IntegrityVerifier`). */
export interface ExpectedEvidenceImport {
  readonly kind: string;
  readonly source: string;
  readonly contentHash: string;
  /** Canonical JSON. */
  readonly meta: string;
  readonly imported: Stamp;
  /** A test run's version: the one its import stated, then the one each EVIDENCE_RELABELLED set. */
  version: string | null;
  /** From EVIDENCE_VOIDED. */
  voided: (Stamp & { readonly reason: string }) | null;
}

/** A release baseline from RELEASE_CREATED, released by RELEASE_RELEASED. */
export interface ExpectedRelease {
  readonly baselineHash: string;
  readonly auditSeq: number;
  readonly auditHash: string;
  readonly created: Stamp;
  status: string;
  released: Stamp | null;
  /** From RELEASE_VOIDED: who, when and why (the event's reason). */
  voided: (Stamp & { readonly reason: string | null }) | null;
}

/**
 * A user from USER_CREATED; password time and forced change from PASSWORD_* events; USER_DEACTIVATED; the single
 * sign-on account from USER_SSO_LINKED.
 */
export interface ExpectedUser {
  readonly printedName: string;
  readonly created: Stamp;
  passwordSetAt: string | null;
  mustChangePassword: boolean;
  deactivated: Stamp | null;
  ssoIssuer: string | null;
  ssoSubject: string | null;
}

/** A role grant from ROLE_GRANTED, marked by ROLE_REVOKED. */
export interface ExpectedRoleGrant {
  readonly username: string;
  readonly productKey: string;
  readonly role: string;
  readonly granted: Stamp;
  revoked: Stamp | null;
}

/** An API token from TOKEN_CREATED, marked by TOKEN_REVOKED (its secret is never in the trail, nor its hash). */
export interface ExpectedApiToken {
  readonly name: string;
  readonly username: string;
  readonly productKey: string;
  /** Canonical JSON of the permission list. */
  readonly permissions: string;
  readonly created: Stamp;
  revoked: Stamp | null;
}

/** A signature as its SIGNATURE_APPLIED event recorded it (the whole row: `signatureEventValue`). */
export interface ExpectedSignature {
  readonly productKey: string;
  readonly entityType: string;
  /** `RPM/SRS-12` or `RPM/release/1.2.0`. */
  readonly entity: string;
  /** The record revision, or the release baseline, signed. */
  readonly revision: number;
  readonly contentHash: string;
  readonly manifest: string | null;
  readonly meaning: string;
  readonly step: number;
  readonly username: string;
  readonly printedName: string;
  readonly signedAt: string;
  readonly method: string;
}

/** A user's acceptance of the accountability statement, from SIGNATURE_STATEMENT_ACCEPTED. */
export interface ExpectedStatementAcceptance {
  readonly username: string;
  readonly printedName: string;
  readonly version: string;
  readonly text: string;
  readonly acceptedAt: string;
}

/** A product's workflow for a subject, as the last WORKFLOW_SET set it. */
export interface ExpectedWorkflow {
  /** Canonical JSON. */
  definition: string;
  updated: Stamp;
}

/** A file attached to a record, as its ATTACHMENT_ADDED event recorded it (the whole row). */
export interface ExpectedAttachment {
  readonly productKey: string;
  /** `RPM/SRS-12`. */
  readonly record: string;
  readonly revision: number;
  readonly name: string;
  readonly mediaType: string;
  readonly size: number;
  readonly sha256: string;
  readonly attached: Stamp;
}

/** A document control or training row as its event recorded it: the whole row, named (`document-control.ts`). */
export interface ExpectedDocumentControlRow {
  readonly table: DocumentControlTable;
  readonly value: Readonly<Record<string, unknown>>;
}

/**
 * Expected rows by their ID in the audit trail: `RPM`, `RPM/SRS-12`, `RPM/link/42`, `RPM/rule/R-1`,
 * `RPM/pack/team`, `RPM/release/1.2.0#2` (version and baseline number).
 */
export interface ExpectedState {
  readonly products: Map<string, ExpectedProduct>;
  readonly records: Map<string, ExpectedRecord>;
  readonly links: Map<string, ExpectedLink>;
  readonly ruleSettings: Map<string, ExpectedRuleSetting>;
  readonly rulePacks: Map<string, ExpectedRulePack>;
  readonly releases: Map<string, ExpectedRelease>;
  /** `RPM/evidence/3`. */
  readonly evidenceImports: Map<string, ExpectedEvidenceImport>;
  /** `user/ada`. */
  readonly users: Map<string, ExpectedUser>;
  /** `user/ada/grant/3`. */
  readonly roleGrants: Map<string, ExpectedRoleGrant>;
  /** `token/7`. */
  readonly apiTokens: Map<string, ExpectedApiToken>;
  /** `RPM/SRS-12/signature/17`, `RPM/release/1.2.0/signature/18`. */
  readonly signatures: Map<string, ExpectedSignature>;
  /** Signature ID → its trail ID: a signature whose entity key was changed in the store is still found by its ID. */
  readonly signatureIds: Map<number, string>;
  /** `user/ada/statement/1`. */
  readonly statementAcceptances: Map<string, ExpectedStatementAcceptance>;
  /** `RPM/workflow/SRS`. */
  readonly workflows: Map<string, ExpectedWorkflow>;
  /** `RPM/SRS-12/attachment/3`. */
  readonly attachments: Map<string, ExpectedAttachment>;
  /** Attachment ID → its trail ID: an attachment moved to another record in the store is still found by its ID. */
  readonly attachmentIds: Map<number, string>;
  /** `RPM/DOC-3/effective/1`, `RPM/DOC-3/review/2`, `RPM/DOC-3/training/7`, `RPM/DOC-3/training/7/attempt/3`. */
  readonly documentControl: Map<string, ExpectedDocumentControlRow>;
  /** `assignments#7` → its trail ID: a row whose record was changed in the store is still found by its ID. */
  readonly documentControlIds: Map<string, string>;
}

/** An event the replay could not apply: it lacks a value it must carry, or changes something never created. */
export interface ReplayProblem {
  readonly seq: number;
  readonly item: string;
  readonly message: string;
}

/** The key of a release baseline in `ExpectedState.releases`. */
export function releaseStateKey(productKey: string, version: string, baseline: number): string {
  return `${productKey}/release/${version}#${baseline}`;
}

/** Reads typed values from an event's new value; a missing one throws `Unprovable`, which the replay reports. */
class Values {
  constructor(
    private readonly v: Readonly<Record<string, unknown>>,
    private readonly e: StateEvent,
  ) {}
  str(name: string): string {
    const x = this.v[name];
    if (typeof x !== 'string') throw new Unprovable(`does not carry '${name}'`);
    return x;
  }
  num(name: string): number {
    const x = this.v[name];
    if (typeof x !== 'number') throw new Unprovable(`does not carry '${name}'`);
    return x;
  }
  /** A value of any JSON type, as canonical JSON. */
  json(name: string): string {
    const x = this.v[name];
    if (x === undefined) throw new Unprovable(`does not carry '${name}'`);
    return canonicalJson(x);
  }
  /** Canonical JSON kept as text (a string value as it is; an object value as its canonical JSON). */
  textOrJson(name: string): string {
    const x = this.v[name];
    return typeof x === 'string' ? x : this.json(name);
  }
  bool(name: string): boolean {
    const x = this.v[name];
    if (typeof x !== 'boolean') throw new Unprovable(`does not carry '${name}'`);
    return x;
  }
  /** A text value that may be absent or null (null then). */
  optStr(name: string): string | null {
    const x = this.v[name];
    if (x === undefined || x === null) return null;
    if (typeof x !== 'string') throw new Unprovable(`carries a '${name}' that is not text`);
    return x;
  }
  /** The whole value (an event that carries its whole row). */
  all(): Readonly<Record<string, unknown>> {
    return this.v;
  }
  /** An object value, read with the same rules. */
  obj(name: string): Values {
    const x = this.v[name];
    if (typeof x !== 'object' || x === null || Array.isArray(x)) throw new Unprovable(`does not carry '${name}'`);
    return new Values(x as Record<string, unknown>, this.e);
  }
  /** The event's product key (every state event has one). */
  product(): string {
    if (this.e.productKey === null) throw new Unprovable('names no product');
    return this.e.productKey;
  }
}

class Unprovable extends Error {}

type Reducer = (s: ExpectedState, e: StateEvent, v: Values, stamp: Stamp) => void;

/** Looks up the row an event changes; the row must have been created by an earlier event. */
function existing<T>(map: Map<string, T>, key: string): T {
  const row = map.get(key);
  if (row === undefined) throw new Unprovable('changes something no earlier event created');
  return row;
}

const recordStatus: Reducer = (s, e, v, stamp) => {
  const r = existing(s.records, e.entityId);
  r.status = v.str('status');
  if (r.status === 'approved') {
    r.approvedRevision = v.num('revision');
    r.approvedBy = stamp.by;
  }
  r.updated = stamp;
};

const ruleSetting = (change: (r: ExpectedRuleSetting, v: Values) => void): Reducer => {
  return (s, e, v, stamp) => {
    const r = s.ruleSettings.get(e.entityId) ?? { enabled: true, severity: null, justification: null, updated: stamp };
    change(r, v);
    r.justification = e.reason;
    r.updated = stamp;
    s.ruleSettings.set(e.entityId, r);
  };
};

/**
 * How each action changes the expected state. An action that changes no row (RISK_REEVALUATED: zones are computed)
 * has no entry.
 */
const REDUCERS: Partial<Record<AuditAction, Reducer>> = {
  PRODUCT_CREATED: (s, e, v, stamp) => {
    s.products.set(e.entityId, { name: v.str('name'), intendedUse: v.str('intendedUse'), safetyClass: v.str('safetyClass'), created: stamp });
  },
  PRODUCT_EDITED: (s, e, v) => {
    const p = existing(s.products, e.entityId);
    p.name = v.str('name');
    p.intendedUse = v.str('intendedUse');
    p.safetyClass = v.str('safetyClass');
  },
  RECORD_CREATED: (s, e, v, stamp) => {
    s.records.set(e.entityId, { status: v.str('status'), latestRevision: v.num('revision'), approvedRevision: null, approvedBy: null, created: stamp, updated: stamp });
  },
  RECORD_REVISED: (s, e, v, stamp) => {
    const r = existing(s.records, e.entityId);
    r.latestRevision = v.num('revision');
    r.status = v.str('status');
    r.updated = stamp;
  },
  RECORD_STATUS_CHANGED: recordStatus,
  LINK_CREATED: (s, e, v, stamp) => {
    const product = v.product();
    s.links.set(e.entityId, {
      productKey: product,
      type: v.str('type'),
      from: `${product}/${v.str('from')}`,
      to: `${product}/${v.str('to')}`,
      fromRevision: v.num('fromRevision'),
      toRevision: v.num('toRevision'),
      created: stamp,
      confirmed: null,
      removed: null,
    });
  },
  LINK_CONFIRMED: (s, e, v, stamp) => {
    const l = existing(s.links, e.entityId);
    l.fromRevision = v.num('fromRevision');
    l.toRevision = v.num('toRevision');
    l.confirmed = stamp;
  },
  LINK_REMOVED: (s, e, _v, stamp) => {
    existing(s.links, e.entityId).removed = { ...stamp, reason: e.reason };
  },
  // The event's severity is the one in force (the pack's when the product has none of its own), so the stored
  // setting follows the action: a set severity is the product's own, enabling drops it, disabling keeps it.
  RULE_SEVERITY_SET: ruleSetting((r, v) => {
    r.enabled = true;
    r.severity = v.str('severity');
  }),
  RULE_ENABLED: ruleSetting((r) => {
    r.enabled = true;
    r.severity = null;
  }),
  RULE_DISABLED: ruleSetting((r) => {
    r.enabled = false;
  }),
  RULE_PACK_ADDED: (s, e, v, stamp) => {
    s.rulePacks.set(e.entityId, { hash: v.str('hash'), added: stamp });
  },
  EVIDENCE_IMPORTED: (s, e, v, stamp) => {
    s.evidenceImports.set(e.entityId, {
      kind: v.str('kind'),
      source: v.str('source'),
      contentHash: v.str('contentHash'),
      meta: v.json('meta'),
      imported: stamp,
      version: v.obj('meta').optStr('version'),
      voided: null,
    });
  },
  EVIDENCE_RELABELLED: (s, e, v) => {
    existing(s.evidenceImports, e.entityId).version = v.str('version');
  },
  EVIDENCE_VOIDED: (s, e, v) => {
    existing(s.evidenceImports, e.entityId).voided = { at: v.str('voidedAt'), by: v.str('voidedBy'), reason: v.str('voidReason') };
  },
  RELEASE_CREATED: (s, e, v, stamp) => {
    s.releases.set(`${e.entityId}#${v.num('baseline')}`, {
      baselineHash: v.str('baselineHash'),
      auditSeq: v.num('auditSeq'),
      auditHash: v.str('auditHash'),
      created: stamp,
      status: 'draft',
      released: null,
      voided: null,
    });
  },
  RELEASE_RELEASED: (s, e, v, stamp) => {
    const r = existing(s.releases, `${e.entityId}#${v.num('baseline')}`);
    r.status = v.str('status');
    r.released = stamp;
  },
  RELEASE_VOIDED: (s, e, v, stamp) => {
    const r = existing(s.releases, `${e.entityId}#${v.num('baseline')}`);
    r.status = v.str('status');
    r.voided = { ...stamp, reason: e.reason };
  },
  // Identity. Sessions, failed-attempt counts, lockouts and last-use times are operational: not replayed.
  USER_CREATED: (s, e, v, stamp) => {
    s.users.set(e.entityId, { printedName: v.str('printedName'), created: stamp, passwordSetAt: v.bool('passwordSet') ? stamp.at : null, mustChangePassword: false, deactivated: null, ssoIssuer: null, ssoSubject: null });
  },
  PASSWORD_CHANGED: (s, e, _v, stamp) => {
    const u = existing(s.users, e.entityId);
    u.passwordSetAt = stamp.at;
    u.mustChangePassword = false;
  },
  PASSWORD_RESET_ISSUED: (s, e) => {
    existing(s.users, e.entityId).mustChangePassword = true;
  },
  USER_DEACTIVATED: (s, e, _v, stamp) => {
    existing(s.users, e.entityId).deactivated = stamp;
  },
  USER_SSO_LINKED: (s, e, v) => {
    const u = existing(s.users, e.entityId);
    u.ssoIssuer = v.str('issuer');
    u.ssoSubject = v.str('subject');
  },
  ROLE_GRANTED: (s, e, v, stamp) => {
    s.roleGrants.set(e.entityId, { username: v.str('username'), productKey: v.str('productKey'), role: v.str('role'), granted: stamp, revoked: null });
  },
  ROLE_REVOKED: (s, e, _v, stamp) => {
    existing(s.roleGrants, e.entityId).revoked = stamp;
  },
  TOKEN_CREATED: (s, e, v, stamp) => {
    s.apiTokens.set(e.entityId, {
      name: v.str('name'),
      username: v.str('username'),
      productKey: v.str('productKey'),
      permissions: v.json('permissions'),
      created: stamp,
      revoked: null,
    });
  },
  TOKEN_REVOKED: (s, e, _v, stamp) => {
    existing(s.apiTokens, e.entityId).revoked = stamp;
  },
  // Electronic signatures: the event carries the whole row (21 CFR 11.70: what was signed, by whom, when, meaning).
  SIGNATURE_APPLIED: (s, e, v) => {
    const id = v.num('id');
    s.signatures.set(e.entityId, {
      productKey: v.product(),
      entityType: v.str('entityType'),
      entity: v.str('entity'),
      revision: v.num('revision'),
      contentHash: v.str('contentHash'),
      manifest: v.optStr('manifest'),
      meaning: v.str('meaning'),
      step: v.num('step'),
      username: v.str('username'),
      printedName: v.str('printedName'),
      signedAt: v.str('signedAt'),
      method: v.str('method'),
    });
    s.signatureIds.set(id, e.entityId);
  },
  SIGNATURE_STATEMENT_ACCEPTED: (s, e, v) => {
    s.statementAcceptances.set(e.entityId, {
      username: v.str('username'),
      printedName: v.str('printedName'),
      version: v.str('version'),
      text: v.str('text'),
      acceptedAt: v.str('acceptedAt'),
    });
  },
  // Attachments: the event carries the whole row, the bytes by their SHA-256 (re-hashed by verification).
  ATTACHMENT_ADDED: (s, e, v, stamp) => {
    s.attachments.set(e.entityId, {
      productKey: v.product(),
      record: v.str('record'),
      revision: v.num('revision'),
      name: v.str('name'),
      mediaType: v.str('mediaType'),
      size: v.num('size'),
      sha256: v.str('sha256'),
      attached: stamp,
    });
    s.attachmentIds.set(v.num('id'), e.entityId);
  },
  WORKFLOW_SET: (s, e, v, stamp) => {
    v.product();
    s.workflows.set(e.entityId, { definition: v.textOrJson('definition'), updated: stamp });
  },
};

// Document control and training: each event carries its whole row (append-only tables, never changed).
for (const [action, table] of Object.entries(DOCUMENT_CONTROL_ACTIONS)) {
  REDUCERS[action as AuditAction] = (s, e, v) => {
    v.product();
    s.documentControl.set(e.entityId, { table, value: v.all() });
    s.documentControlIds.set(`${table}#${v.num('id')}`, e.entityId);
  };
}

/** The actions that change current state: the replay reads only these events. */
export const STATE_EVENT_ACTIONS: readonly AuditAction[] = Object.keys(REDUCERS) as AuditAction[];

/**
 * Replays audit events, page by page in sequence order, into the expected current state. Holds one small entry
 * per row of current state, never the events.
 */
export class StateReplayer {
  readonly state: ExpectedState = {
    products: new Map(),
    records: new Map(),
    links: new Map(),
    ruleSettings: new Map(),
    rulePacks: new Map(),
    releases: new Map(),
    evidenceImports: new Map(),
    users: new Map(),
    roleGrants: new Map(),
    apiTokens: new Map(),
    signatures: new Map(),
    signatureIds: new Map(),
    statementAcceptances: new Map(),
    workflows: new Map(),
    attachments: new Map(),
    attachmentIds: new Map(),
    documentControl: new Map(),
    documentControlIds: new Map(),
  };
  readonly problems: ReplayProblem[] = [];

  /** Feeds the next page of events, in sequence order (only events of `STATE_EVENT_ACTIONS` need their new value). */
  apply(page: readonly StateEvent[]): void {
    for (const e of page) {
      const reduce = REDUCERS[e.action as AuditAction];
      if (reduce === undefined) continue;
      try {
        reduce(this.state, e, new Values(parseObject(e.newValue), e), { at: e.occurredAt, by: e.actor });
      } catch (err) {
        if (!(err instanceof Unprovable)) throw err;
        if (this.problems.length <= 100) {
          this.problems.push({ seq: e.seq, item: e.entityId, message: `${eventLabel(e.seq, e)} ${err.message}: the state it sets cannot be checked` });
        }
      }
    }
  }
}

function parseObject(text: string | null): Readonly<Record<string, unknown>> {
  if (text === null) return {};
  try {
    const v: unknown = JSON.parse(text);
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
