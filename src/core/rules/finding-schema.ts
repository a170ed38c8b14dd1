import { z } from 'zod';
import type { Finding } from './evaluate-rules.js';
import { RulePackSchema, SeveritySchema } from './rule-pack.js';

/** A finding as data (the API's and `--json`'s shape of `Finding`; the engine's findings serialise to it). */
export const FindingSchema = z.strictObject({
  id: z.string(),
  ruleId: z.string(),
  pack: z.string(),
  clause: z.string(),
  severity: SeveritySchema,
  title: z.string(),
  record: z.string().nullable(),
  message: z.string(),
  hint: z.string(),
});

/** A rule check's result with the packs it ran (see `CheckResult`). */
export const CheckResultSchema = z.strictObject({
  product: z.string(),
  safetyClass: z.string(),
  /** Names of the packs whose rules ran. */
  packs: z.array(z.string()).readonly(),
  rulesRun: z.number().int(),
  recordsChecked: z.number().int(),
  findings: z.array(FindingSchema).readonly(),
  disabled: z.array(z.strictObject({ ruleId: z.string(), justification: z.string() })).readonly(),
  notes: z.array(z.string()).readonly(),
  /** Every pack in force for the product (built-in and its own), as the reports describe their rules. */
  allPacks: z.array(RulePackSchema).readonly(),
});

// The schema and the engine's interface describe the same thing.
const _sameShape: Finding = {} as z.output<typeof FindingSchema>;
void _sameShape;
