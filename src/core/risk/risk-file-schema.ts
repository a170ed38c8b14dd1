import { z } from 'zod';
import { RiskPolicySchema, ZONES } from './policy.js';
import type { RiskFile } from './risk-file.js';

export const ZoneSchema = z.enum(ZONES);

/** An estimate placed in the matrix (see `Evaluated`). */
export const EvaluatedSchema = z.strictObject({ severity: z.string(), probability: z.string(), basis: z.string(), zone: ZoneSchema });

const VerdictSchema = z.enum(['passed', 'failed', 'not_run']);
const Keys = z.array(z.string()).readonly();

/** A risk control as the risk file shows it (see `ControlView`). */
export const ControlViewSchema = z.strictObject({
  key: z.string(),
  title: z.string(),
  status: z.string(),
  option: z.string(),
  implementedBy: Keys,
  tests: z.array(z.strictObject({ key: z.string(), verdict: VerdictSchema })).readonly(),
  verification: z.union([VerdictSchema, z.literal('untested')]),
  effectiveness: Keys,
  introduces: Keys,
});

/** One risk estimate of the risk file, with its chain, zones, controls and review state (see `RiskRow`). */
export const RiskRowSchema = z.strictObject({
  key: z.string(),
  title: z.string(),
  status: z.string(),
  hazards: Keys,
  sequences: Keys,
  causes: z.array(z.strictObject({ key: z.string(), kind: z.string(), title: z.string() })).readonly(),
  situations: Keys,
  harms: Keys,
  initial: EvaluatedSchema.nullable(),
  residual: EvaluatedSchema.nullable(),
  problems: Keys,
  controls: z.array(ControlViewSchema).readonly(),
  benefitRisk: z.array(z.strictObject({ key: z.string(), conclusion: z.string() })).readonly(),
  policyRevision: z.number().int().nullable(),
  review: z.strictObject({
    state: z.enum(['current', 'flagged', 'overdue']),
    lastAssessed: z.string(),
    due: z.string(),
    newInformation: Keys,
    reviews: Keys,
  }),
});

/** The policy in force: the RMP record's (`RMP-1` at a revision), or the built-in default (record null, revision 0). */
export const CurrentPolicySchema = z.strictObject({ policy: RiskPolicySchema, revision: z.number().int(), record: z.string().nullable() });

/** Risks per matrix cell: `counts[severity key][probability key]`. */
export const ZoneCountsSchema = z.record(z.string(), z.record(z.string(), z.number().int()));
const ZoneTotalsSchema = z.strictObject({ acceptable: z.number().int(), reduce: z.number().int(), unacceptable: z.number().int() });

/** The risk file as data: everything but the values computed for the rules (see `RiskFile`). */
export const RiskFileSchema = z.strictObject({
  policy: CurrentPolicySchema,
  asOf: z.string(),
  rows: z.array(RiskRowSchema).readonly(),
  matrix: z.strictObject({
    initial: ZoneCountsSchema,
    residual: ZoneCountsSchema,
    notEstimated: z.strictObject({ initial: z.number().int(), residual: z.number().int() }),
  }),
  zoneTotals: z.strictObject({ initial: ZoneTotalsSchema, residual: ZoneTotalsSchema }),
  titles: z.record(z.string(), z.string()),
});

// The schema and the engine's interface describe the same thing.
const _same: Omit<RiskFile, 'computed'> = {} as z.output<typeof RiskFileSchema>;
void _same;

/** The risk table: one row per risk estimate, with the policy it was judged by (`risk table --json`'s shape). */
export const RiskTableSchema = z.strictObject({
  product: z.string(),
  release: z.string().nullable(),
  policy: CurrentPolicySchema,
  asOf: z.string(),
  rows: z.array(RiskRowSchema).readonly(),
});
export type RiskTable = z.output<typeof RiskTableSchema>;

const LevelNameSchema = z.strictObject({ key: z.string(), name: z.string() });

/** The risk matrix: the number of risks per cell before and after controls, with the scales and zones to draw it. */
export const RiskMatrixSchema = z.strictObject({
  product: z.string(),
  release: z.string().nullable(),
  policy: z.strictObject({ record: z.string().nullable(), revision: z.number().int() }),
  /** From least to most severe. */
  severity: z.array(LevelNameSchema).readonly(),
  /** From least to most likely. */
  probability: z.array(LevelNameSchema).readonly(),
  /** `zones[severity key][probability key]`. */
  zones: z.record(z.string(), z.record(z.string(), ZoneSchema)),
  initial: ZoneCountsSchema,
  residual: ZoneCountsSchema,
  notEstimated: z.strictObject({ initial: z.number().int(), residual: z.number().int() }),
  totals: z.strictObject({ initial: ZoneTotalsSchema, residual: ZoneTotalsSchema }),
});
export type RiskMatrix = z.output<typeof RiskMatrixSchema>;

/** One risk whose review is due (`risk due --json`'s row). */
export const DueRiskSchema = z.strictObject({
  risk: z.string(),
  title: z.string(),
  state: z.enum(['current', 'flagged', 'overdue']),
  lastAssessed: z.string(),
  due: z.string(),
  newInformation: z.array(z.string()).readonly(),
});

/** The risks whose review is due, as of a date. */
export const DueRisksSchema = z.strictObject({
  product: z.string(),
  asOf: z.string(),
  reviewIntervalDays: z.number().int(),
  risks: z.array(DueRiskSchema).readonly(),
});
