import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';

describe('configuration', () => {
  it('takes the PostgreSQL pool size from DOSSIER_PG_POOL_SIZE, and refuses one that is not a number of connections', () => {
    expect(loadConfig({}, { DOSSIER_PG_POOL_SIZE: '12' }).pgPoolSize).toBe(12);
    expect(loadConfig({}, {}).pgPoolSize).toBeUndefined();
    expect(loadConfig({}, { DOSSIER_PG_POOL_SIZE: ' ' }).pgPoolSize).toBeUndefined();
    for (const bad of ['0', 'many', '-3', '2.5', '500']) {
      expect(() => loadConfig({}, { DOSSIER_PG_POOL_SIZE: bad }), bad).toThrow(/DOSSIER_PG_POOL_SIZE must be a whole number of connections \(1 to 200\)/);
    }
  });
});
