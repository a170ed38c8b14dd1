import type { RecordContentRow } from '../ports.js';
import type { RiskRow } from '../risk/risk-file.js';
import type { BaselineRef, HistoryRow, ProductRef, SignatureManifestation } from './model.js';

/**
 * A baseline as documents read it: plain data gathered once (records, links, evidence, the risk file, the gate, the
 * signatures), so every generator is a pure function of it. Built by `app/services/baseline-snapshot.ts`.
 */
export interface BaselineSnapshot {
  readonly product: ProductRef;
  readonly baseline: BaselineRef;
  /** The release the baseline belongs to; null for the current state. */
  readonly release: SnapshotRelease | null;
  /** When the baseline's content was last touched (release: frozen; now: the newest revision), for its history row. */
  readonly asOf: string;
  /** Record type key → its name (`SRS` → `Software requirement`). */
  readonly typeNames: Readonly<Record<string, string>>;
  /** Every record at the revision the baseline holds, in type and number order. */
  readonly records: readonly SnapshotRecord[];
  /** Links whose both ends are in the baseline (a release's frozen links; now: the active ones). */
  readonly links: readonly SnapshotLink[];
  readonly testRuns: readonly SnapshotTestRun[];
  readonly results: readonly SnapshotResult[];
  /** Record key → verdict of its newest results in the baseline's runs; records no result names are left out. */
  readonly verdicts: Readonly<Record<string, 'passed' | 'failed' | 'not_run'>>;
  readonly risk: SnapshotRisk;
  readonly gate: SnapshotGate;
  /** Record key → the signatures on the revision shown. */
  readonly recordSignatures: Readonly<Record<string, readonly SignatureManifestation[]>>;
  /** The release's own signatures (empty for the current state). */
  readonly releaseSignatures: readonly SignatureManifestation[];
  /** DOC record key → its revisions up to the one shown, oldest first. */
  readonly documentHistory: Readonly<Record<string, readonly HistoryRow[]>>;
}

export interface SnapshotRelease {
  readonly version: string;
  readonly baseline: number;
  readonly status: string;
  readonly createdAt: string;
  readonly createdBy: string;
  readonly releasedAt: string | null;
  readonly releasedBy: string | null;
}

/** A record at its baseline revision: the store's record content row, named by its key. */
export type SnapshotRecord = Omit<RecordContentRow, 'id' | 'status' | 'createdAt' | 'createdBy'> & {
  readonly key: string;
  readonly status: string;
};

export interface SnapshotLink {
  readonly id: number;
  readonly type: string;
  readonly from: string;
  readonly to: string;
  /** The link's upstream end changed since it was last confirmed (see `findSuspectLinks`). */
  readonly suspect: boolean;
}

export interface SnapshotTestRun {
  readonly id: number;
  readonly source: string;
  readonly version: string | null;
  readonly importedAt: string;
  readonly importedBy: string;
  readonly meta: Readonly<Record<string, unknown>>;
}

export interface SnapshotResult {
  readonly runId: number;
  /** The test's full name. */
  readonly test: string;
  readonly outcome: string;
  /** Record keys the result names. */
  readonly records: readonly string[];
}

export interface SnapshotRisk {
  readonly asOf: string;
  readonly policyRecord: string | null;
  readonly policyRevision: number;
  readonly rows: readonly RiskRow[];
  readonly zoneTotals: {
    readonly initial: Readonly<Record<'acceptable' | 'reduce' | 'unacceptable', number>>;
    readonly residual: Readonly<Record<'acceptable' | 'reduce' | 'unacceptable', number>>;
  };
}

export interface SnapshotFinding {
  readonly ruleId: string;
  readonly clause: string;
  readonly severity: string;
  readonly record: string | null;
  readonly message: string;
}

/** The release gate's result on a release baseline, or the rule check's on the current state. */
export interface SnapshotGate {
  readonly kind: 'release gate' | 'rule check';
  readonly passed: boolean;
  readonly failOn: string;
  readonly findings: readonly SnapshotFinding[];
  readonly residualAnomalies: readonly { readonly record: string; readonly title: string; readonly criticality: string }[];
}
