/**
 * The server of `npm run bench:server`, on its own thread so the load generator does not share its event loop:
 * opens the store named in `workerData` (with its group-commit setting), serves it as `dossier serve` does (the
 * identity store's authenticator, so every request looks its API token up; the read pool for heavy reads) with no
 * rate limit, posts its address, and closes on any message.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { StoreAuthenticator } from '../app/store-authenticator.js';
import { DEFAULT_CATALOG } from '../core/catalog/catalog.js';
import { DEFAULT_IDENTITY_POLICY } from '../core/identity/policy.js';
import { SYSTEM_CLOCK } from '../core/ports.js';
import { openStore, type StoreTarget } from '../storage/open-store.js';
import { buildServer } from '../server/app.js';
import { ReadPool, readPoolAvailable } from '../server/read-pool.js';

const { target, groupCommit } = workerData as { target: StoreTarget; groupCommit?: boolean };
const store = await openStore(target, groupCommit === undefined ? {} : { groupCommit });
const readPool = readPoolAvailable() ? new ReadPool({ target, lockTimeoutMs: 60_000 }, 2) : undefined;
await readPool?.started();
const app = await buildServer({
  deps: { store, clock: SYSTEM_CLOCK, catalog: DEFAULT_CATALOG, actor: { id: 'bench' } },
  authenticator: new StoreAuthenticator(store, SYSTEM_CLOCK, DEFAULT_IDENTITY_POLICY),
  rateLimit: false,
  ...(readPool === undefined ? {} : { readPool }),
});
const address = await app.listen({ host: '127.0.0.1', port: 0 });
parentPort?.postMessage(address);
parentPort?.once('message', () => {
  void app
    .close()
    .then(() => readPool?.close())
    .then(() => store.close());
});
