import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';

/** The app's own folder and where the build goes (`dist/web`, served by `dossier serve`). */
const root = fileURLToPath(new URL('.', import.meta.url));
const outDir = fileURLToPath(new URL('../dist/web', import.meta.url));

const ROUTES = 'virtual:dossier-routes';

/**
 * The API's route table as a module (`import routes from 'virtual:dossier-routes'`), read from the built use-case
 * registry (`dist/app`, so `npm run build` compiles TypeScript first): the client calls each use-case where the
 * server mounts it, and no path is written by hand.
 */
export function dossierRoutes(): Plugin {
  return {
    name: 'dossier-routes',
    resolveId: (id) => (id === ROUTES ? `\0${ROUTES}` : undefined),
    async load(id) {
      if (id !== `\0${ROUTES}`) return undefined;
      const registry = (await import(new URL('../dist/app/registry.js', import.meta.url).href)) as { USE_CASES: unknown[] };
      const contract = (await import(new URL('../dist/app/api-contract.js', import.meta.url).href)) as {
        routeTable: (u: unknown[]) => Record<string, unknown>;
      };
      return `export default ${JSON.stringify(contract.routeTable(registry.USE_CASES))};`;
    },
  };
}

export default defineConfig({
  root,
  base: '/',
  plugins: [dossierRoutes()],
  esbuild: { jsx: 'automatic' },
  build: {
    outDir,
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 1500,
    reportCompressedSize: false,
    rollupOptions: {
      // Mantine marks its modules "use client" (for React Server Components); a client bundle has no use for it.
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
      },
    },
  },
  // `npm run web:dev` against a `dossier serve` on port 3000.
  server: { proxy: { '/api': 'http://127.0.0.1:3000' } },
  logLevel: 'warn',
});
