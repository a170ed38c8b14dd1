import { AppError } from '../core/errors.js';
import { redactSecrets } from '../shared/redact.js';

/** What a store is, for messages: the SQLite file, or the PostgreSQL server without its password. */
export interface StorePlace {
  readonly dialect: 'sqlite' | 'postgres';
  /** SQLite file path, or PostgreSQL URL. */
  readonly location: string;
  /** How long a write waits for another writer's lock (SQLite), in milliseconds. */
  readonly lockTimeoutMs: number;
}

/**
 * Maps a refusal by the database itself (append-only trigger, constraint, damaged storage) to the one error type:
 * a unique key that is already taken is a CONFLICT naming what exists; a trigger's or another constraint's refusal
 * and damage are INTEGRITY. Anything else comes back unchanged.
 */
export function storeRefusal(e: unknown): unknown {
  if (e instanceof AppError) return e;
  const message = e instanceof Error ? e.message : String(e);
  const code = typeof e === 'object' && e !== null && 'code' in e ? String(e.code) : '';
  // A damaged file or page (SQLite SQLITE_CORRUPT*, SQLITE_NOTADB; PostgreSQL XX001 data_corrupted, XX002 index_corrupted).
  if (/^SQLITE_(CORRUPT|NOTADB)/.test(code) || code === 'XX001' || code === 'XX002') {
    return new AppError('INTEGRITY', `the database is damaged: ${message}`, { damaged: true }, { cause: e });
  }
  // SQLite: the trigger that stops INSERT OR REPLACE from replacing a row refuses a taken key before the index does.
  const taken = /dossier: (\w+) already holds a row with this key/.exec(message);
  if (taken !== null) {
    const table = taken[1] ?? '';
    return new AppError('CONFLICT', `${table} already holds a row with this key; nothing was changed`, { table }, { cause: e });
  }
  if (message.includes('dossier:')) {
    return new AppError('INTEGRITY', message.slice(message.indexOf('dossier:')), {}, { cause: e });
  }
  // SQLite: SQLITE_CONSTRAINT_UNIQUE / _PRIMARYKEY; PostgreSQL: 23505 unique_violation.
  if (code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === '23505') {
    return uniqueConflict(e as Error & { table?: unknown; detail?: unknown }, code);
  }
  if (/unique|constraint|foreign key/i.test(message)) {
    return new AppError('INTEGRITY', `the database refused the change: ${message}`, {}, { cause: e });
  }
  return e;
}

/** Longest key value quoted in a conflict message. */
const MAX_KEY_TEXT = 200;

/** A CONFLICT for a unique key already taken: the table, the key's columns and (PostgreSQL) its value. */
function uniqueConflict(e: Error & { table?: unknown; detail?: unknown }, code: string): AppError {
  let table: string | undefined;
  let columns: string | undefined;
  let value: string | undefined;
  if (code === '23505') {
    // e.g. detail `Key (record_id, revision)=(1, 3) already exists.`
    table = typeof e.table === 'string' ? e.table : undefined;
    const m = typeof e.detail === 'string' ? /^Key \((.+?)\)=\((.*)\) already exists\.?$/s.exec(e.detail) : null;
    columns = m?.[1];
    value = m?.[2];
  } else {
    // e.g. `UNIQUE constraint failed: revisions.record_id, revisions.revision`
    const m = /constraint failed: (.+)$/.exec(e.message);
    const parts = (m?.[1] ?? '').split(', ').map((p) => p.split('.'));
    if (parts.length > 0 && parts.every((p) => p.length === 2 && p[0] === parts[0]?.[0])) {
      table = parts[0]?.[0];
      columns = parts.map((p) => p[1]).join(', ');
    }
  }
  if (table === undefined || columns === undefined) {
    return new AppError('CONFLICT', `the store already holds what this change adds (${e.message}); nothing was changed`, {}, { cause: e });
  }
  const shown = value === undefined ? undefined : value.length > MAX_KEY_TEXT ? `${value.slice(0, MAX_KEY_TEXT)}…` : value;
  const which = shown === undefined ? `the same ${columns}` : `${columns} = ${shown}`;
  return new AppError(
    'CONFLICT',
    `${table} already holds a row with ${which}; nothing was changed`,
    { table, key: columns, ...(shown === undefined ? {} : { value: shown }) },
    { cause: e },
  );
}

/** PostgreSQL or network errors that mean "the server cannot be reached or refuses us", not a bug. */
const PG_CONNECT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNRESET', 'EPIPE']);

/**
 * Turns an error from the database driver that is about the database's surroundings (a lock held by another
 * writer, a full disk, a file that is not a database, a server that refuses) into a one-line `AppError` naming the
 * file or server (never a password); anything else comes back unchanged.
 */
export function describeDbError(e: unknown, place: StorePlace): unknown {
  if (e instanceof AppError || !(e instanceof Error)) return e;
  const code = (e as { code?: unknown }).code;
  if (typeof code !== 'string') return e;
  return place.dialect === 'sqlite' ? sqliteError(e, code, place) : pgError(e, code, place);
}

function sqliteError(e: Error, code: string, place: StorePlace): unknown {
  const file = place.location;
  const details = { file, sqlite: code };
  const make = (c: 'INVALID_INPUT' | 'CONFLICT', message: string): AppError => new AppError(c, message, details, { cause: e });
  if (code === 'SQLITE_BUSY' || code.startsWith('SQLITE_BUSY_') || code === 'SQLITE_LOCKED') {
    const seconds = secondsText(place.lockTimeoutMs);
    return make(
      'CONFLICT',
      `another process is writing to ${file}; waited ${seconds} s for it to finish; try again, or set DOSSIER_LOCK_TIMEOUT=SECONDS to wait longer`,
    );
  }
  if (code === 'SQLITE_FULL') return make('INVALID_INPUT', `cannot write to ${file}: the disk is full; nothing was changed`);
  if (code === 'SQLITE_NOTADB') return make('INVALID_INPUT', `${file} is not a SQLite database (check --db or DOSSIER_DB)`);
  if (code === 'SQLITE_READONLY' || code.startsWith('SQLITE_READONLY_')) {
    return make('INVALID_INPUT', `cannot write to ${file}: the file or its folder is read-only`);
  }
  if (code === 'SQLITE_CANTOPEN' || code.startsWith('SQLITE_CANTOPEN_')) {
    return make('INVALID_INPUT', `cannot open SQLite database ${file}: its folder does not exist or cannot be written`);
  }
  if (code.startsWith('SQLITE_IOERR')) return make('INVALID_INPUT', `cannot read or write ${file}: ${e.message} (${code})`);
  return e;
}

function pgError(e: Error, code: string, place: StorePlace): unknown {
  if (code === '55P03') {
    return new AppError(
      'CONFLICT',
      `another process is writing to the store at ${serverName(place.location)}; waited ${secondsText(place.lockTimeoutMs)} s for it to finish; try again, or set DOSSIER_LOCK_TIMEOUT=SECONDS to wait longer`,
      { server: serverName(place.location), pg: code },
      { cause: e },
    );
  }
  // SQLSTATE class 08: connection exception; 28: invalid authorization; 3D000: no such database; 57P03: starting up.
  if (PG_CONNECT_CODES.has(code) || code.startsWith('08') || code.startsWith('28') || code === '3D000' || code === '57P03') {
    const server = serverName(place.location);
    return new AppError('INVALID_INPUT', redactSecrets(`cannot connect to PostgreSQL at ${server}: ${e.message}`), { server, pg: code }, { cause: e });
  }
  return e;
}

/** `host:port/database` of a PostgreSQL URL: enough to tell which server, and no user or password. */
export function serverName(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}${u.port === '' ? '' : `:${u.port}`}${u.pathname === '/' ? '' : u.pathname}`;
  } catch {
    return '<database URL>';
  }
}

/** `60`, `1.5`, `0.3`: seconds for a message. */
function secondsText(ms: number): string {
  return String(Math.round(ms / 100) / 10);
}
