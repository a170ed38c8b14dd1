/**
 * The server of `npm run bench:server`, on its own thread so the load generator does not share its event loop:
 * opens the store named in `workerData` (and its group-commit setting), serves it with one API token (`bench`, admin on every product) and no
 * rate limit, posts its address, and closes on any message.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { DEFAULT_CATALOG } from '../core/catalog/catalog.js';
import { SYSTEM_CLOCK } from '../core/ports.js';
import { ANONYMOUS, type Principal } from '../core/access/principal.js';
import { openStore, type StoreTarget } from '../storage/open-store.js';
import { buildServer } from '../server/app.js';

const BENCH: Principal = {
  id: 'bench',
  userId: null,
  printedName: 'bench',
  kind: 'token',
  grants: [{ productKey: '*', role: 'admin' }],
  sessionId: null,
  authenticatedAt: null,
};

const { target, groupCommit } = workerData as { target: StoreTarget; groupCommit?: boolean };
const store = await openStore(target, groupCommit === undefined ? {} : { groupCommit });
const app = await buildServer({
  deps: { store, clock: SYSTEM_CLOCK, catalog: DEFAULT_CATALOG, actor: { id: 'bench' } },
  authenticator: {
    fromSession: () => Promise.resolve(ANONYMOUS),
    fromToken: (t) => Promise.resolve(t === 'bench' ? BENCH : ANONYMOUS),
  },
  rateLimit: false,
});
const address = await app.listen({ host: '127.0.0.1', port: 0 });
parentPort?.postMessage(address);
parentPort?.once('message', () => {
  void app.close().then(() => store.close());
});
