/**
 * Worker thread of the read pool (`read-pool.ts`): opens the store on its own connection and runs long read
 * use-cases through `execute`, so the server's main thread keeps answering while a check, a trace matrix, an export
 * or an audit verification runs. Replies with the output as JSON text, which the server sends as it is.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { DEFAULT_CATALOG } from '../core/catalog/catalog.js';
import { isAppError } from '../core/errors.js';
import { SYSTEM_CLOCK } from '../core/ports.js';
import { execute } from '../app/execute.js';
import { processServices } from '../app/process-services.js';
import { USE_CASES } from '../app/registry.js';
import { openStore } from '../storage/open-store.js';
import type { ReadJob, ReadReply, ReadWorkerData } from './read-pool.js';

const data = workerData as ReadWorkerData;
const port = parentPort;

async function main(): Promise<void> {
  if (port === null) return;
  const store = await openStore(data.target, {
    create: false,
    lockTimeoutMs: data.lockTimeoutMs,
    verifyWorkers: 1,
    ...(data.poolSize === undefined ? {} : { poolSize: data.poolSize }),
  });
  const deps = { store, clock: SYSTEM_CLOCK, catalog: DEFAULT_CATALOG, actor: { id: 'read-pool' } };
  const services = processServices(DEFAULT_CATALOG);
  const byName = new Map(USE_CASES.map((u) => [u.name, u]));
  port.on('message', (job: ReadJob | 'close') => {
    if (job === 'close') {
      void store.close().then(() => port.close());
      return;
    }
    void (async (): Promise<ReadReply> => {
      try {
        const uc = byName.get(job.name);
        if (uc === undefined || uc.kind !== 'read') throw new Error(`${job.name} is not a read use-case`);
        const output: unknown = await execute(uc, { deps, principal: job.principal, services }, job.input);
        return { id: job.id, ok: true, json: JSON.stringify(output) };
      } catch (e) {
        return isAppError(e)
          ? { id: job.id, ok: false, error: { code: e.code, message: e.message, userMessage: e.userMessage, details: e.details } }
          : { id: job.id, ok: false, error: { code: 'INTERNAL', message: e instanceof Error ? e.message : String(e), userMessage: 'internal error', details: {} } };
      }
    })().then((reply) => port.postMessage(reply));
  });
  port.postMessage('ready');
}

main().catch((e: unknown) => {
  port?.postMessage({ id: -1, ok: false, error: { code: isAppError(e) ? e.code : 'INTERNAL', message: e instanceof Error ? e.message : String(e), userMessage: 'the read pool could not open the store', details: {} } } satisfies ReadReply);
});
