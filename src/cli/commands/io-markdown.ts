import { invalidInput } from '../../core/errors.js';
import type { CliContext } from '../context.js';
import type { InterchangeOptions } from './interchange-formats.js';

// eslint-disable-next-line @typescript-eslint/require-await -- a stub until its format is written
export async function importMarkdown(_ctx: CliContext, _inputs: string[], _o: InterchangeOptions): Promise<number | void> {
  throw invalidInput('this format is not available yet', { field: 'format' });
}

// eslint-disable-next-line @typescript-eslint/require-await -- a stub until its format is written
export async function exportMarkdown(_ctx: CliContext, _target: string | undefined, _o: InterchangeOptions): Promise<number | void> {
  throw invalidInput('this format is not available yet', { field: 'format' });
}

