import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { routeTable } from './api-contract.js';
import { pathParams } from './http-route.js';
import { USE_CASES } from './registry.js';

/** The route table the web client is built with: one route per use-case, whose parameters the input can fill. */
describe('routeTable', () => {
  const table = routeTable(USE_CASES);

  it('has a route for every use-case, by name [DOSSIER-SRS-36]', () => {
    expect(Object.keys(table).sort()).toEqual(USE_CASES.map((u) => u.name).sort());
  });

  it("names only path parameters and If-Match fields that are the use-case's input fields", () => {
    for (const uc of USE_CASES) {
      const route = table[uc.name];
      const shape = (uc.input as z.ZodObject).shape as Record<string, unknown>;
      for (const p of pathParams(route?.path ?? '')) expect(Object.keys(shape), `${uc.name} :${p}`).toContain(p);
      if (route?.ifMatch !== undefined) expect(Object.keys(shape), `${uc.name} If-Match`).toContain(route.ifMatch);
    }
  });

  it('carries no functions: it is written into the browser bundle as JSON', () => {
    expect(JSON.parse(JSON.stringify(table))).toEqual(table);
  });
});
