import { RECORD_TYPE } from '../catalog/record-type-keys.js';
import { invalidInput, invalidState } from '../errors.js';
import { recordKey } from '../entities.js';
import type { RecordHookModule, RecordTypeHooks } from '../record-hooks.js';
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

const CHANGE_REQUESTS_PRESENT = Symbol('change requests present');

/** Approving a record that an unapproved change request changes is refused: the change is approved first. */
const changeControlGate: RecordTypeHooks = {
  checkStatusChange: async (session, rec, to) => {
    if (to !== 'approved' || rec.type === RECORD_TYPE.CR) return;
    // One count per write: a product without change requests (most approval batches) reads no links.
    const anyRequest = await session.get(CHANGE_REQUESTS_PRESENT, async () => {
      const counts = await session.r.countRecordsByType({ productId: session.product.id, type: RECORD_TYPE.CR });
      return (counts.get(RECORD_TYPE.CR) ?? 0) > 0;
    });
    if (!anyRequest) return;
    const links = await session.r.listLinks({ productId: session.product.id, recordId: rec.recordId });
    const requests = links.filter((l) => l.type === 'changes' && l.toId === rec.recordId && l.removedAt === null);
    if (requests.length === 0) return;
    const heads = await session.r.findRecords(
      session.product.id,
      requests.map((l) => ({ type: l.fromType, number: Number(l.fromKey.split('-').pop()) })),
    );
    const pending = heads.filter((h) => h.approvedRevision === null && h.status !== 'obsolete');
    if (pending.length === 0) return;
    const names = pending.map((h) => recordKey(h.type, h.number)).join(', ');
    throw invalidState(
      `${rec.item} is changed by ${names}, which is not approved yet: a change request is approved before the records it changes`,
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
