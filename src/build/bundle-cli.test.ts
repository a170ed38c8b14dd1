import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DIST } from '../test-support/processes.js';

describe('the bundled CLI', () => {
  it('has the audit chain worker beside every chunk that starts it (else audit verify would walk the chain in one thread)', () => {
    const dir = join(DIST, 'cli');
    expect(existsSync(join(dir, 'main.js')), 'run npm run build first').toBe(true);
    const starters = readdirSync(dir).filter((f) => f.endsWith('.js') && readFileSync(join(dir, f), 'utf8').includes('./audit-chain-worker.js'));
    expect(starters.length).toBeGreaterThan(0);
    expect(existsSync(join(dir, 'audit-chain-worker.js'))).toBe(true);
  });
});
