import { Readable } from 'node:stream';
import { sql } from 'kysely';
import type { z } from 'zod';
import { execute } from '../../../app/execute.js';
import type { AppServices, UseCase } from '../../../app/use-case.js';
import { createProduct } from '../../../app/use-cases/create-product.js';
import { exportStore } from '../../../app/use-cases/export-store.js';
import { ingestTestRun, type TestRunSummary } from '../../../app/use-cases/ingest-test-run.js';
import { localPrincipal, type Principal } from '../../../core/access/principal.js';
import type { Product } from '../../../core/entities.js';
import type { Deps } from '../../../core/ports.js';
import { JUnitReader } from '../../../ingest/junit.js';
import type { OqContext } from '../oq-case.js';

/** The product every case works on, unless it names another. */
export const P = 'OQ';

/** A product for a case (class B unless told). */
export function aProduct(deps: Deps, key = P, safetyClass: 'A' | 'B' | 'C' = 'B'): Promise<Product> {
  return createProduct(deps, { key, name: `OQ product ${key}`, intendedUse: 'Operational qualification of Dossier', safetyClass });
}

/**
 * The whole store as text (every table the store export holds), to show that a refused change left it exactly as
 * it was; without the audit trail when the refusal itself is kept there (ACCESS_DENIED, SIGNATURE_REFUSED).
 */
export async function snapshot(deps: Pick<Deps, 'store'>, withoutAudit = false): Promise<string> {
  const all = await exportStore(deps);
  return JSON.stringify(withoutAudit ? { ...all, audit: [] } : all);
}

/** The operator of the throwaway store: the local principal (every permission), as the CLI runs. */
export function operator(ctx: OqContext): Principal {
  return localPrincipal(ctx.deps.actor.id);
}

/** Runs a use-case as a principal through `execute` (input parsed, permission checked), as every adapter does. */
export function runAs<I extends z.ZodType, O extends z.ZodType>(
  ctx: OqContext,
  uc: UseCase<I, O>,
  principal: Principal,
  input: z.input<I>,
  services: AppServices = ctx.services,
  deps: Deps = ctx.deps,
): Promise<z.output<O>> {
  return execute(uc, { deps, principal, services }, input, { checkOutput: true });
}

/**
 * Runs SQL with every trigger of the table it changes switched off, as an attacker with DDL rights on the database
 * could: the append-only guards are gone, so only verification can find the change.
 */
export async function behindTheAppsBack(ctx: OqContext, statement: string): Promise<void> {
  const db = ctx.store.db;
  const table = /^(?:update|delete from|insert into)\s+(\w+)/i.exec(statement)?.[1];
  if (table === undefined) throw new Error(`cannot tell the table of: ${statement}`);
  if (ctx.dialect === 'postgres') {
    await sql.raw(`alter table ${table} disable trigger user`).execute(db);
    try {
      await sql.raw(statement).execute(db);
    } finally {
      await sql.raw(`alter table ${table} enable trigger user`).execute(db);
    }
    return;
  }
  const triggers = await sql<{ name: string }>`select name from sqlite_master where type = 'trigger' and tbl_name = ${table}`.execute(db);
  for (const { name } of triggers.rows) await sql.raw(`drop trigger ${name}`).execute(db);
  await sql.raw(statement).execute(db);
}

/** Runs SQL directly on the store's database, under the application (no trigger touched). */
export function rawSql(ctx: OqContext, statement: string): Promise<unknown> {
  return sql.raw(statement).execute(ctx.store.db);
}

/** A JUnit test case element: passed, failed or skipped. */
export function testcase(name: string, outcome: 'passed' | 'failed' | 'skipped' = 'passed', classname = 'oq', properties = ''): string {
  const inner =
    (properties === '' ? '' : `<properties>${properties}</properties>`) +
    (outcome === 'failed' ? '<failure message="expected 1, got 2"/>' : outcome === 'skipped' ? '<skipped/>' : '');
  return `<testcase classname="${classname}" name="${name}">${inner}</testcase>`;
}

/** Ingests one JUnit run (read by the shipped JUnit reader) of `cases` for a version. */
export async function junitRun(
  deps: Deps,
  cases: string,
  options: { readonly hash: string; readonly version?: string; readonly productKey?: string; readonly mapping?: Record<string, string[]> },
): Promise<TestRunSummary> {
  const reader = new JUnitReader('run.xml');
  return ingestTestRun(deps, {
    productKey: options.productKey ?? P,
    source: 'run.xml',
    contentHash: options.hash.repeat(64).slice(0, 64),
    meta: { version: options.version ?? '1.0.0' },
    cases: reader.cases(Readable.from([`<testsuites><testsuite name="oq" timestamp="2026-11-20T09:00:00Z">${cases}</testsuite></testsuites>`])),
    facts: () => reader.facts,
    ...(options.mapping === undefined ? {} : { mapping: options.mapping }),
  });
}

/** The columns of a table of the store, in order. */
export async function columns(ctx: OqContext, table: string): Promise<string[]> {
  const rows =
    ctx.dialect === 'sqlite'
      ? await sql<{ name: string }>`select name from pragma_table_info(${table})`.execute(ctx.store.db)
      : await sql<{ name: string }>`select column_name as name from information_schema.columns
          where table_schema = current_schema() and table_name = ${table} order by ordinal_position`.execute(ctx.store.db);
  return rows.rows.map((r) => r.name);
}
