import { z } from 'zod';
import { parseYamlAs, readTextFile } from './yaml-file.js';

const Id = z.string().regex(/^[A-Z][A-Z0-9]*-[1-9]\d{0,9}$/, 'expected a record ID like TC-12 or SRS-3');

/**
 * A mapping file: for tests that cannot carry IDs in their names, which records each verifies. Keys are a test's
 * name, class name, file, `class::name` or `class.name`; values one record ID or a list.
 *
 * ```yaml
 * mappings:
 *   "com.vitallink.fhir.ObservationMapperTest": TC-15
 *   "tests.test_rules::test_threshold_boundaries": [TC-1, SRS-9]
 * ```
 */
export const TestMappingSchema = z.strictObject({
  mappings: z.record(z.string().min(1), z.union([Id, z.array(Id).min(1)])),
});

/**
 * @throws AppError INVALID_INPUT naming file, line and column
 */
export function readTestMapping(file: string): Record<string, string[]> {
  const { value } = parseYamlAs(readTextFile(file, 'test mapping'), file, TestMappingSchema);
  return Object.fromEntries(Object.entries(value.mappings).map(([k, v]) => [k, Array.isArray(v) ? v : [v]]));
}
