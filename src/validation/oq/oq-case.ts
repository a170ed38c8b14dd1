import type { AppServices } from '../../app/use-case.js';
import type { Deps } from '../../core/ports.js';
import type { KyselyStore } from '../../storage/kysely-store.js';
import type { Dialect } from '../../storage/schema.js';

/**
 * One operational-qualification case: a scripted check of Dossier's behaviour, shipped in the package, that
 * `dossier validate` runs on a throwaway store on the customer's own database engine, and that CI runs on both
 * engines as part of the test suite. It names the requirements of Dossier's design file it verifies.
 */
export interface OqCase {
  /** `OQ-7`: stable; the report and a previous report's comparison key on it. */
  readonly id: string;
  /** What it shows, in one sentence (the report's test column). */
  readonly title: string;
  /** Keys of the design file's requirements it verifies (`SRS-5`). */
  readonly verifies: readonly string[];
  /**
   * Runs the case on a fresh, migrated, empty store. Throws (an `assert` failure or any error) when Dossier does
   * not behave as the requirements say; returns when it does.
   */
  run(ctx: OqContext): Promise<void>;
}

/** What a case runs with: a throwaway store of one engine, as its operator (every permission). */
export interface OqContext {
  readonly dialect: Dialect;
  /** The store itself, for cases that must reach under the application (an UPDATE of an audit row must be refused). */
  readonly store: KyselyStore;
  /** Use-case dependencies on the throwaway store; the actor is `oq-operator`. */
  readonly deps: Deps;
  /** Process services as the server and CLI build them (built-in rule packs, default identity policy). */
  readonly services: AppServices;
}

/** The title a test of a case carries in Dossier's own suite: its ID, title and requirement tags. */
export function oqTestTitle(c: OqCase): string {
  return `${c.id} ${c.title} ${c.verifies.map((k) => `[DOSSIER-${k}]`).join(' ')}`;
}
