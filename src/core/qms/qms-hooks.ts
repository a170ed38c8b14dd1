import { RECORD_TYPE } from '../catalog/record-type-keys.js';
import { invalidInput, invalidState } from '../errors.js';
import { recordKey } from '../entities.js';
import type { RecordHookModule, RecordTypeHooks, WriteSession } from '../record-hooks.js';
import { compareDocumentVersions } from './fields.js';
import { canMove, missingAlways, missingFor, movesFrom, PROCESSES, stateOf, type ProcessDef } from './processes.js';

/**
 * The quality processes' checks on every write of their records, whichever command makes it: a process moves only
 * along its allowed moves and enters a state only with what the state needs; the closing (approving) signature is
 * given only in a state that allows it and with what it needs; a document's new version is higher than its last
 * approved one; a change request must be approved before its later states, and before any record it changes is
 * approved.
 */

function processHooks(def: ProcessDef): RecordTypeHooks {
  return {
    checkFields: (_session, rec) => {
      const to = stateOf(def, rec.fields);
      if (rec.before !== undefined) {
        const from = stateOf(def, rec.before.fields);
        if (!canMove(def, from, to)) {
          const allowed = movesFrom(def, from);
          throw invalidState(
            `${rec.item} is ${from.replaceAll('_', ' ')}; a ${def.name} cannot move to ${to.replaceAll('_', ' ')}` +
              (allowed.length > 0 ? ` (from ${from} it can move to: ${allowed.join(', ')})` : ''),
            { item: rec.item, field: 'state' },
          );
        }
        if (def.type === RECORD_TYPE.CR && ['implemented', 'verified', 'released'].includes(to) && rec.before.approvedRevision === null) {
          throw invalidState(
            `${rec.item} is not approved yet: a change request is approved (signed in state assessed) before it is implemented`,
            { item: rec.item, field: 'state' },
          );
        }
      }
      const always = missingAlways(def, rec.fields);
      if (always.length > 0) {
        throw invalidInput(`${rec.item}: a ${def.name} needs ${always.join(', ')}`, { item: rec.item, field: always[0]?.split(' ')[0] ?? 'state' });
      }
      const missing = missingFor(def, to, rec.fields);
      if (missing.length > 0) {
        throw invalidInput(`${rec.item}: a ${def.name} in state ${to} needs ${missing.join(', ')}`, { item: rec.item, field: 'state' });
      }
      return Promise.resolve(rec.fields);
    },
    // Sending a process record to review asks for its closing (or approving) signature: both need the same.
    checkStatusChange: async (_session, rec, to) => {
      if (to !== 'approved' && to !== 'in_review') return;
      const fields = await rec.fields();
      const state = stateOf(def, fields);
      if (!def.approval.states.includes(state)) {
        throw invalidState(
          `${rec.item} is ${state.replaceAll('_', ' ')}: a ${def.name} is ${def.approval.label} by its signature only in state ${def.approval.states.join(' or ')}`,
          { item: rec.item, field: 'state' },
        );
      }
      const missing = def.approval.needs?.(fields) ?? [];
      if (missing.length > 0) {
        throw invalidState(`${rec.item} cannot be ${def.approval.label} yet: it needs ${missing.join(', ')}`, { item: rec.item, field: 'state' });
      }
    },
  };
}

const documentHooks: RecordTypeHooks = {
  checkFields: async (session, rec) => {
    // A document number people cite (`SOP-004`) names one document of the product.
    const number = rec.fields['number'];
    if (typeof number === 'string' && (rec.before === undefined || rec.before.fields['number'] !== number)) {
      for (const other of await session.r.listRecords({ productId: session.product.id, type: RECORD_TYPE.DOC })) {
        if (other.id === rec.recordId) continue;
        const fields = (await session.r.findRevision(other.id, other.latestRevision))?.fields;
        if (typeof fields?.['number'] === 'string' && fields['number'].toUpperCase() === number.toUpperCase()) {
          throw invalidInput(`${rec.item}: document number ${number} is already ${session.product.key}/${recordKey(other.type, other.number)}'s`, { item: rec.item, field: 'number' });
        }
      }
    }
    const version = rec.fields['version'];
    if (rec.before === undefined || typeof version !== 'string') return rec.fields;
    const previous = rec.before.fields['version'];
    if (typeof previous === 'string' && compareDocumentVersions(version, previous) < 0) {
      throw invalidInput(`${rec.item}: version ${version} is lower than the version before it (${previous})`, { item: rec.item, field: 'version' });
    }
    if (rec.before.approvedRevision !== null && rec.recordId !== null) {
      const approved = await session.r.findRevision(rec.recordId, rec.before.approvedRevision);
      const was = approved?.fields['version'];
      if (typeof was === 'string' && compareDocumentVersions(version, was) <= 0) {
        throw invalidInput(
          `${rec.item}: version ${version} is not higher than the last approved version ${was}; a new version of a controlled document needs a higher number (e.g. ${nextMinor(was)})`,
          { item: rec.item, field: 'version' },
        );
      }
    }
    return rec.fields;
  },
};

function nextMinor(v: string): string {
  const [major = '1', minor = '0'] = v.split('.');
  return `${major}.${Number(minor) + 1}`;
}

/** Per write: record ID → the change requests not yet approved that change it (read once for a whole batch). */
const PENDING_CHANGES = Symbol('pending change requests');
/** Per write: change requests approved earlier in the same write (a batch may approve a CR, then what it changes). */
const APPROVED_NOW = Symbol('change requests approved in this write');

async function pendingChanges(session: WriteSession): Promise<ReadonlyMap<number, readonly { id: number; key: string }[]>> {
  const requests = await session.r.listRecords({ productId: session.product.id, type: RECORD_TYPE.CR });
  const pending = requests.filter((h) => h.approvedRevision === null && h.status !== 'obsolete');
  const out = new Map<number, { id: number; key: string }[]>();
  if (pending.length === 0) return out;
  const byId = new Map(pending.map((h) => [h.id, h]));
  for (const l of await session.r.listActiveLinkEnds(pending.map((h) => h.id))) {
    const cr = byId.get(l.fromId);
    if (l.type !== 'changes' || cr === undefined) continue;
    out.set(l.toId, [...(out.get(l.toId) ?? []), { id: cr.id, key: cr.key }]);
  }
  return out;
}

/**
 * Approving a record that an unapproved change request changes is refused: the change is approved first. Two queries
 * per write however many records it approves (the change requests, then their links).
 */
const changeControlGate: RecordTypeHooks = {
  checkStatusChange: async (session, rec, to) => {
    if (to !== 'approved') return;
    const approvedNow = session.get(APPROVED_NOW, () => new Set<number>());
    if (rec.type === RECORD_TYPE.CR) {
      approvedNow.add(rec.recordId);
      return;
    }
    const pending = (await session.get(PENDING_CHANGES, () => pendingChanges(session))).get(rec.recordId)?.filter((cr) => !approvedNow.has(cr.id)) ?? [];
    if (pending.length === 0) return;
    throw invalidState(
      `${rec.item} is changed by ${pending.map((cr) => cr.key).join(', ')}, which is not approved yet: a change request is approved before the records it changes`,
      { item: rec.item, field: 'status' },
    );
  },
};

export const QMS_HOOKS: RecordHookModule = {
  types: {
    ...Object.fromEntries(PROCESSES.map((p) => [p.type, processHooks(p)])),
    [RECORD_TYPE.DOC]: documentHooks,
  },
  anyType: changeControlGate,
};
