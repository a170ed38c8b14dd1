import { describe, expect, it } from 'vitest';
import { PROCESS_KIND_NAMES } from '../../core/qms/process-list.js';
import { PROCESS_KIND_ARGS } from './qms-processes.js';

describe('dossier qms list', () => {
  it('takes the process names core knows, in the same order', () => {
    expect([...PROCESS_KIND_ARGS]).toEqual(PROCESS_KIND_NAMES);
  });
});
