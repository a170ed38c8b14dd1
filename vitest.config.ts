import { defineConfig } from 'vitest/config';
import { dossierRoutes } from './web/vite.config';

export default defineConfig({
  // The web client's route table (read from the built registry), for the browser code's logic tests.
  plugins: [dossierRoutes()],
  test: {
    include: ['src/**/*.test.ts', 'web/**/*.test.ts'],
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
