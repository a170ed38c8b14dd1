import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { AppError, type ErrorCode, type ErrorDetails } from '../core/errors.js';
import type { Principal } from '../core/access/principal.js';
import type { StoreTarget } from '../storage/open-store.js';

/** What a read worker is started with. */
export interface ReadWorkerData {
  readonly target: StoreTarget;
  readonly lockTimeoutMs: number;
  /** PostgreSQL connections of each worker's pool (default: the store default). */
  readonly poolSize?: number;
}

/** One call a worker runs. */
export interface ReadJob {
  readonly id: number;
  readonly name: string;
  readonly principal: Principal;
  readonly input: unknown;
}

/** A worker's answer: the output as JSON text, or the error as data. */
export type ReadReply =
  | { readonly id: number; readonly ok: true; readonly json: string }
  | {
      readonly id: number;
      readonly ok: false;
      readonly error: { readonly code: ErrorCode; readonly message: string; readonly userMessage: string; readonly details: ErrorDetails };
    };

const WORKER_URL = new URL('./read-worker.js', import.meta.url);

/** Whether the compiled worker is there (it is not when the sources run untranspiled, as in unit tests). */
export function readPoolAvailable(): boolean {
  return WORKER_URL.protocol === 'file:' && existsSync(fileURLToPath(WORKER_URL));
}

interface Slot {
  readonly worker: Worker;
  readonly ready: Promise<void>;
  busy: number;
}

/**
 * A few worker threads, each with its own connection to the store, that run long read use-cases (checks, trace
 * matrices, exports, audit verification). SQLite reads are synchronous: on the main thread one long read would stop
 * every other request; on PostgreSQL building a large trace graph is CPU work that would too. A call goes to the
 * least busy worker; each worker runs its calls one after another, so a pool of N runs N long reads at once.
 */
export class ReadPool {
  private readonly slots: Slot[] = [];
  private readonly pending = new Map<number, { resolve: (json: string) => void; reject: (e: Error) => void }>();
  private nextId = 1;

  constructor(data: ReadWorkerData, size: number) {
    const execArgv = process.execArgv.filter((a) => !a.startsWith('--input-type'));
    for (let i = 0; i < size; i++) {
      const worker = new Worker(WORKER_URL, { workerData: data, execArgv });
      const ready = new Promise<void>((resolve, reject) => {
        worker.on('message', (m: ReadReply | 'ready') => {
          if (m === 'ready') return resolve();
          if (m.id === -1) return reject(new AppError(m.ok ? 'INTERNAL' : m.error.code, m.ok ? 'read worker failed' : m.error.message));
          this.settle(m);
        });
        worker.once('error', reject);
      });
      // A worker that fails to start leaves its calls to the others; `ready` rejects for whoever waits on it.
      ready.catch(() => undefined);
      this.slots.push({ worker, ready, busy: 0 });
    }
  }

  /** Waits until every worker has opened the store. */
  async started(): Promise<void> {
    await Promise.all(this.slots.map((s) => s.ready));
  }

  /**
   * Runs a read use-case on a worker; resolves with its output as JSON text.
   * @throws AppError as the use-case would in this thread
   */
  async run(name: string, principal: Principal, input: unknown): Promise<string> {
    const slot = this.slots.reduce((a, b) => (b.busy < a.busy ? b : a));
    await slot.ready;
    const id = this.nextId++;
    slot.busy++;
    try {
      return await new Promise<string>((resolve, reject) => {
        this.pending.set(id, { resolve, reject });
        slot.worker.postMessage({ id, name, principal, input } satisfies ReadJob);
      });
    } finally {
      slot.busy--;
    }
  }

  async close(): Promise<void> {
    await Promise.all(
      this.slots.map(
        (s) =>
          new Promise<void>((resolve) => {
            s.worker.once('exit', () => resolve());
            s.worker.postMessage('close');
            setTimeout(() => void s.worker.terminate(), 5000).unref();
          }),
      ),
    );
  }

  private settle(reply: ReadReply): void {
    const p = this.pending.get(reply.id);
    if (p === undefined) return;
    this.pending.delete(reply.id);
    if (reply.ok) p.resolve(reply.json);
    else p.reject(new AppError(reply.error.code, reply.error.message, reply.error.details, { userMessage: reply.error.userMessage }));
  }
}
