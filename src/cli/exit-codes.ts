import type { ErrorCode } from '../core/errors.js';
import { ERROR_TABLE } from '../app/error-table.js';

export { EXIT } from '../app/error-table.js';

/** Exit code per error code, from the one table (`app/error-table.ts`). */
export const EXIT_CODE_BY_ERROR: Readonly<Record<ErrorCode, number>> = Object.fromEntries(
  Object.entries(ERROR_TABLE).map(([code, o]) => [code, o.exit]),
) as Record<ErrorCode, number>;
