/**
 * Worker thread: checks one range of the audit chain on its own connection (see `checkChainRangesOnWorkers`) and
 * posts the range's result. Loads only the database driver it needs and the pure chain check.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { CHAIN_PAGE_SQL, checkChainRange, sqliteChainPages, type ChainWorkerInput, type ChainWorkerOutput } from './audit-chain.js';

async function run(input: ChainWorkerInput): Promise<ChainWorkerOutput> {
  const { target, range, anchors } = input;
  if (target.dialect === 'sqlite') {
    const { default: Database } = await import('better-sqlite3');
    const db = new Database(target.location, { readonly: true, fileMustExist: true });
    try {
      db.pragma('mmap_size = 2147418112');
      // One read transaction: every page of the range comes from the same snapshot.
      db.exec('begin');
      const result = await checkChainRange(sqliteChainPages(db), range, anchors);
      db.exec('commit');
      return { ok: true, result };
    } finally {
      db.close();
    }
  }
  const { default: pg } = await import('pg');
  const client = new pg.Client({
    connectionString: target.location,
    ...(target.schema === undefined ? {} : { options: `-c search_path=${target.schema}` }),
  });
  await client.connect();
  try {
    await client.query('begin isolation level repeatable read read only');
    // The verifying transaction's snapshot: this range sees exactly what it sees.
    if (target.snapshot !== undefined) await client.query(`set transaction snapshot '${target.snapshot.replaceAll("'", "''")}'`);
    const text = toPostgres(CHAIN_PAGE_SQL);
    const result = await checkChainRange(
      async (after, limit) => (await client.query<unknown[]>({ text, values: [after, limit], rowMode: 'array' })).rows,
      range,
      anchors,
    );
    await client.query('commit');
    return { ok: true, result };
  } finally {
    await client.end();
  }
}

/** `?` placeholders as `$1`, `$2`, … */
function toPostgres(text: string): string {
  let n = 0;
  return text.replace(/\?/g, () => `$${++n}`);
}

try {
  parentPort?.postMessage(await run(workerData as ChainWorkerInput));
} catch (e) {
  const code = typeof e === 'object' && e !== null && 'code' in e ? String(e.code) : undefined;
  const out: ChainWorkerOutput = { ok: false, message: e instanceof Error ? e.message : String(e), ...(code === undefined ? {} : { code }) };
  parentPort?.postMessage(out);
}
