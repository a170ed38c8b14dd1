import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { compileBuiltinPacks } from '../build/compile-builtin-packs.js';
import { DEFAULT_CATALOG } from '../core/catalog/catalog.js';
import { built } from '../test-support/processes.js';
import { parseBuiltinPacks } from './rule-pack-file.js';

type Loader = typeof import('./rule-pack-file.js');
type CatalogModule = typeof import('../core/catalog/catalog.js');

describe('built-in rule packs compiled by the build', () => {
  it('are exactly what parsing and checking the YAML gives (edit a pack, then run npm run build)', () => {
    const compiled = readFileSync(built('builtin-packs.json'), 'utf8');
    expect(compiled).toBe(compileBuiltinPacks());
    // Nothing is lost on the way through JSON (an undefined-valued key, say).
    expect(JSON.parse(compiled)).toStrictEqual(parseBuiltinPacks(DEFAULT_CATALOG));
  });

  it('are what the built package loads, a fresh copy for each caller', async () => {
    const loader = (await import(pathToFileURL(built('ingest/rule-pack-file.js')).href)) as Loader;
    const { DEFAULT_CATALOG: builtCatalog } = (await import(pathToFileURL(built('core/catalog/catalog.js')).href)) as CatalogModule;
    const packs = loader.loadBuiltinPacks(builtCatalog);
    expect(packs).toStrictEqual(parseBuiltinPacks(DEFAULT_CATALOG));
    packs[0]?.rules.pop();
    expect(loader.loadBuiltinPacks(builtCatalog)).toStrictEqual(parseBuiltinPacks(DEFAULT_CATALOG));
  });
});
