/**
 * Build step (`npm run build`, after `tsc`): bundles the CLI into `dist/cli/main.js` with one chunk per lazily
 * loaded module (each command's use-cases, parsers and renderers), next to it in `dist/cli/`. Node then reads a few
 * files instead of the ~500 modules of our code, kysely and zod; `tsc`'s own `dist/cli/main.js` is replaced, the rest
 * of `dist/` (benchmarks, tests of built modules) stays as `tsc` wrote it.
 *
 * Chunks sit two folders below the package root, like every source module that finds a file from `import.meta.url`
 * (`packs/`, `demo/`, `package.json`, `dist/builtin-packs.json`): those paths hold in the bundle too.
 * Native and dialect drivers stay outside: better-sqlite3 (a compiled addon) and pg (loaded only for PostgreSQL).
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';

/** The package root, whatever the working folder (this file runs as `dist/build/bundle-cli.js`). */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const OUT = join(ROOT, 'dist', 'cli');
/** The file names the previous bundle wrote in OUT, removed first so that old chunks do not pile up. */
const MANIFEST = join(OUT, 'bundle-files.json');

if (existsSync(MANIFEST)) {
  for (const name of JSON.parse(readFileSync(MANIFEST, 'utf8')) as string[]) {
    if (name !== 'main.js' && name === basename(name)) rmSync(join(OUT, name), { force: true });
  }
}

/**
 * zod's namespace re-exports every one of its ~60 message locales (`z.locales`, `z.core.locales`), and a namespace import keeps them
 * all: a third of the zod code the CLI would compile at every start. Dossier's messages are English and it never
 * switches zod's locale, so the bundle's `z.locales` holds English alone (zod sets English as its default itself).
 */
const englishOnlyZod: Plugin = {
  name: 'english-only-zod',
  setup(b) {
    b.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
      /[\\/]zod[\\/]v4[\\/]/.test(args.importer) ? { path: 'zod-locales', namespace: 'english-only-zod' } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'english-only-zod' }, () => ({
      contents: "export { default as en } from 'zod/v4/locales/en.js';",
      resolveDir: ROOT,
      loader: 'js',
    }));
  },
};

const result = await build({
  absWorkingDir: ROOT,
  // The audit chain's worker is its own entry: `storage/audit-chain.ts` starts it as `./audit-chain-worker.js` beside
  // itself, which in the bundle is a chunk in this folder.
  // The server's read pool starts `./read-worker.js` the same way.
  entryPoints: { main: 'src/cli/main.ts', 'audit-chain-worker': 'src/storage/audit-chain-worker.ts', 'read-worker': 'src/server/read-worker.ts' },
  outdir: OUT,
  chunkNames: '[name]-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // Several dependencies ship an ES module build beside a UMD one that bundles badly (jsonc-parser).
  mainFields: ['module', 'main'],
  // Native modules load their compiled addon by path: they stay in node_modules. So do the document libraries: pdfkit
  // (under pdfmake) reads its font metrics from files beside its own module, and all of them are large and needed
  // only by `docs build` and the spreadsheet formats, so loading them from node_modules when used costs nothing else.
  external: ['better-sqlite3', 'pg', '@node-rs/argon2', 'pdfmake', 'pdfkit', 'docx', 'exceljs'],
  // CommonJS dependencies bundled into ES modules still call require() for Node's own modules.
  banner: { js: "import { createRequire as __dossierRequire } from 'node:module';\nconst require = __dossierRequire(import.meta.url);" },
  metafile: true,
  logLevel: 'warning',
  plugins: [englishOnlyZod],
});
writeFileSync(MANIFEST, JSON.stringify(Object.keys(result.metafile.outputs).map((f) => basename(f)).sort(), null, 1));
