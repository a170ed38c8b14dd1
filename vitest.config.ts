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
    // JUnit beside the console: CI checks every requirement of validation/design against it (src/validation/suite-evidence.ts).
    reporters: ['default', 'junit'],
    outputFile: { junit: 'test-results/junit.xml' },
  },
});
