import { sql, type Kysely, type Migration } from 'kysely';
import { GENESIS_HASH } from '../../core/audit.js';
import type { Dialect } from '../schema.js';

/**
 * Unique keys of every table the earlier migrations guard (append-only or never deleted), besides the rowid.
 * SQLite's REPLACE conflict resolution (`INSERT OR REPLACE`, `REPLACE INTO`, `UPDATE OR REPLACE`) deletes the rows
 * a new row collides with on any of these, without firing DELETE triggers (unless `recursive_triggers` is on, which
 * an attacker's connection decides): so each key is checked before the insert. `links` also has a partial unique
 * index on its active (type, from, to), checked separately.
 */
const UNIQUE_KEYS: Readonly<Record<string, readonly (readonly string[])[]>> = {
  audit_events: [],
  revisions: [['record_id', 'revision']],
  evidence_imports: [['product_id', 'kind', 'content_hash']],
  evidence_items: [],
  evidence_refs: [['item_id', 'record_id', 'role']],
  release_records: [['release_id', 'record_id']],
  release_links: [['release_id', 'link_id']],
  release_evidence: [],
  products: [['key']],
  records: [['product_id', 'type', 'number']],
  links: [],
  releases: [['product_id', 'version', 'baseline']],
};

/**
 * Columns that name a row of a table that allows some UPDATEs (its key, and for a release the audit head it
 * anchors): they never change. On SQLite this also stops `UPDATE OR REPLACE` from deleting the row a changed key
 * would collide with.
 */
const FIXED_COLUMNS: Readonly<Record<string, readonly string[]>> = {
  products: ['id', 'key'],
  records: ['id', 'product_id', 'type', 'number'],
  links: ['id', 'product_id', 'type', 'from_id', 'to_id'],
  releases: ['id', 'product_id', 'version', 'baseline', 'baseline_hash', 'audit_seq', 'audit_hash'],
};

/**
 * Closes the ways around the append-only triggers that need no DDL:
 * - every insert into `audit_events` must extend the chain: its `seq` is the last event's plus one and its
 *   `prev_hash` the last event's hash (a BEFORE INSERT check on the sequence; both databases);
 * - on SQLite, an insert into a guarded table that would replace a row (same rowid or same unique key) is refused,
 *   since REPLACE deletes the old row without firing its DELETE trigger;
 * - the key columns of rows that may be updated (products, records, links, releases) never change, and a removed
 *   link stays removed (un-removing it could collide with the active link of the same ends).
 * PostgreSQL has no REPLACE; `INSERT … ON CONFLICT DO UPDATE` is an UPDATE there and meets the UPDATE triggers.
 */
export function chainGuardsMigration(dialect: Dialect): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      const run = (text: string): Promise<unknown> => sql.raw(text).execute(db);
      const extendMessage =
        "dossier: an audit event must extend the chain (seq one past the last event's, prev_hash the last event's hash); INSERT is refused";
      if (dialect === 'sqlite') {
        await run(
          `create trigger audit_events_extend before insert on audit_events ` +
            `when new.seq is not (select coalesce(max(seq), 0) + 1 from audit_events) ` +
            `or new.prev_hash is not coalesce((select hash from audit_events order by seq desc limit 1), '${GENESIS_HASH}') ` +
            `begin select raise(abort, '${extendMessage.replaceAll("'", "''")}'); end`,
        );
        for (const [t, keys] of Object.entries(UNIQUE_KEYS)) {
          const collides = [
            `exists (select 1 from ${t} where rowid = new.rowid)`,
            ...keys.map((cols) => `exists (select 1 from ${t} where ${cols.map((c) => `${c} = new.${c}`).join(' and ')})`),
            ...(t === 'links'
              ? ['(new.removed_at is null and exists (select 1 from links where type = new.type and from_id = new.from_id and to_id = new.to_id and removed_at is null))']
              : []),
          ];
          await run(
            `create trigger ${t}_no_replace before insert on ${t} when ${collides.join(' or ')} ` +
              `begin select raise(abort, 'dossier: ${t} already holds a row with this key; rows are never replaced, INSERT is refused'); end`,
          );
        }
        for (const [t, cols] of Object.entries(FIXED_COLUMNS)) {
          await run(
            `create trigger ${t}_fixed_columns before update of ${cols.join(', ')} on ${t} ` +
              `when ${cols.map((c) => `new.${c} is not old.${c}`).join(' or ')} ` +
              `begin select raise(abort, 'dossier: the key columns of ${t} (${cols.join(', ')}) never change; UPDATE is refused'); end`,
          );
        }
        await run(
          `create trigger links_stay_removed before update of removed_at on links when old.removed_at is not null and new.removed_at is null ` +
            `begin select raise(abort, 'dossier: a removed link stays removed; UPDATE is refused'); end`,
        );
        return;
      }
      // The function reads the table of the schema it was created in, whatever the caller's search_path.
      await run(
        `create function dossier_audit_extends() returns trigger language plpgsql set search_path from current as $$ ` +
          `declare last_seq bigint; last_hash text; begin ` +
          `select seq, hash into last_seq, last_hash from audit_events order by seq desc limit 1; ` +
          `if new.seq is distinct from coalesce(last_seq, 0) + 1 or new.prev_hash is distinct from coalesce(last_hash, '${GENESIS_HASH}') then ` +
          `raise exception '${extendMessage.replaceAll("'", "''")}'; end if; return new; end $$`,
      );
      await run(`create trigger audit_events_extend before insert on audit_events for each row execute function dossier_audit_extends()`);
      await run(
        `create function dossier_refuse_key_change() returns trigger language plpgsql as $$ begin ` +
          `raise exception 'dossier: % on % is refused: %', tg_op, tg_table_name, tg_argv[0]; end $$`,
      );
      for (const [t, cols] of Object.entries(FIXED_COLUMNS)) {
        await run(
          `create trigger ${t}_fixed_columns before update on ${t} for each row ` +
            `when (${cols.map((c) => `new.${c} is distinct from old.${c}`).join(' or ')}) ` +
            `execute function dossier_refuse_key_change('its key columns (${cols.join(', ')}) never change')`,
        );
      }
      await run(
        `create trigger links_stay_removed before update on links for each row ` +
          `when (old.removed_at is not null and new.removed_at is null) execute function dossier_refuse_key_change('a removed link stays removed')`,
      );
    },
  };
}
