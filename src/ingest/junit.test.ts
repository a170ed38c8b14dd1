import { Readable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isAppError } from '../core/errors.js';
import type { ParsedTestCase } from '../core/evidence/test-results.js';
import { JUnitReader } from './junit.js';

const FIXTURES = 'test/fixtures/junit';

async function read(file: string, text?: string): Promise<{ cases: ParsedTestCase[]; reader: JUnitReader }> {
  const reader = new JUnitReader(file);
  const cases: ParsedTestCase[] = [];
  const source = text === undefined ? undefined : Readable.from([text]);
  for await (const c of reader.cases(source)) cases.push(c);
  return { cases, reader };
}

async function errorOf(text: string): Promise<string> {
  try {
    await read('results.xml', text);
  } catch (e) {
    expect(isAppError(e, 'INVALID_INPUT')).toBe(true);
    return (e as Error).message;
  }
  throw new Error('expected an error');
}

const summary = (cases: ParsedTestCase[]): string[] => cases.map((c) => `${c.classname ?? ''}|${c.name}|${c.outcome}`);

describe('JUnit reader', () => {
  it('reads Maven Surefire: properties, failure, error, skipped, flaky and rerun elements', async () => {
    const { cases } = await read(`${FIXTURES}/surefire.xml`);
    expect(summary(cases)).toEqual([
      'com.vitallink.fhir.ObservationMapperTest|mapsHeartRate|passed',
      'com.vitallink.fhir.ObservationMapperTest|mapsBloodPressure [TC-15]|failed',
      'com.vitallink.fhir.ObservationMapperTest|mapsWeight|error',
      'com.vitallink.fhir.ObservationMapperTest|mapsSpO2|skipped',
      'com.vitallink.fhir.ClientTest|retriesConnection|flaky',
      'com.vitallink.fhir.ClientTest|alwaysBreaks|failed',
    ]);
    expect(cases[1]?.message).toMatch(/^expected: <mmHg> but was: <kPa>\norg.opentest4j.AssertionFailedError/);
    expect(cases[1]?.durationMs).toBe(20);
    expect(cases[3]?.message).toBe('SpO2 profile not released yet');
    expect(cases[5]?.message).toMatch(/^final failure/);
  });

  it('reads pytest with per-test properties and the suite timestamp and host', async () => {
    const { cases, reader } = await read(`${FIXTURES}/pytest.xml`);
    expect(summary(cases)).toEqual([
      'tests.test_rules|test_threshold_boundaries|passed',
      'tests.test_rules|test_escalation_after_15_minutes|failed',
      'tests.test_units|test_weight_plausibility[TC-3]|passed',
    ]);
    expect(cases[1]?.properties).toEqual([['verifies', 'SRS-11, RC-9']]);
    expect(reader.facts.startedAt).toBe('2026-11-20T09:14:03.120512+00:00');
    expect(reader.facts.hostname).toBe('ci-runner-7');
  });

  it('reads Jest, Vitest (nested suites, skipped), GoogleTest (notrun) and Playwright files', async () => {
    expect(summary((await read(`${FIXTURES}/jest.xml`)).cases)).toEqual([
      'threshold form refuses SpO2 above 100|threshold form refuses SpO2 above 100|passed',
      'threshold form offers only mmHg|threshold form offers only mmHg|passed',
    ]);
    const vitest = (await read(`${FIXTURES}/vitest.xml`)).cases;
    expect(summary(vitest)).toEqual([
      'mobile/pinning.int.test.ts|pinning > refuses a forged certificate|passed',
      'mobile/pinning.int.test.ts|pinning > rotates pins on app update|skipped',
      'nested.inner|deep case|passed',
    ]);
    expect(vitest[2]?.suites).toEqual(['nested', 'inner']);
    expect(summary((await read(`${FIXTURES}/gtest.xml`)).cases)).toEqual([
      'BleParser|ParsesHeartRate|passed',
      'BleParser|RejectsShortPacket|failed',
      'BleParser|DISABLED_ParsesWeight|skipped',
    ]);
    const pw = (await read(`${FIXTURES}/playwright.xml`)).cases;
    expect(summary(pw)).toEqual([
      'e2e/delivery.spec.ts|[TC-10] end-to-end delivery p95 under 5 minutes|passed',
      'e2e/delivery.spec.ts|[TC-12] console alert list without push|passed',
    ]);
    expect(pw[0]?.properties).toEqual([['verifies', 'SYS-1']]);
  });

  it('refuses entity tricks, truncated and non-JUnit XML, naming file, line and column', async () => {
    const laughs = '<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>\n<testsuites/>';
    expect(await errorOf(laughs)).toMatch(/^results\.xml:2:\d+: a DOCTYPE is not allowed/);
    const external = '<?xml version="1.0"?><!DOCTYPE t [<!ENTITY x SYSTEM "file:///etc/passwd">]><testsuites><testsuite name="&x;"/></testsuites>';
    expect(await errorOf(external)).toMatch(/DOCTYPE is not allowed/);
    expect(await errorOf('<testsuites><testsuite name="a"><testcase name="&foo;"/></testsuite></testsuites>')).toMatch(/^results\.xml:1:\d+: .*undefined entity/i);
    expect(await errorOf('<testsuites><testsuite name="a"><testcase name="x">')).toMatch(/^results\.xml:1:\d+: .*unclosed/i);
    expect(await errorOf('<html><body/></html>')).toBe('results.xml:1:7: not JUnit XML: the root element is <html>, expected <testsuites> or <testsuite>');
    expect(await errorOf('')).toMatch(/^results\.xml:1:1: .*(root|document)/i);
    expect(await errorOf('<testsuite name="a"><testcase/></testsuite>')).toMatch(/without a name attribute/);
  });

  it('names a missing file', async () => {
    await expect(read('no/such/results.xml')).rejects.toThrow('no/such/results.xml: no such file');
  });

  it('never crashes or hangs on random or mutated input: a result or a clear error', async () => {
    const seed = '<testsuites><testsuite name="s" timestamp="2026-01-01T00:00:00Z"><testcase classname="c" name="[TC-1] a" time="0.1"><failure message="m">body</failure></testcase><testcase name="b"><skipped/></testcase></testsuite></testsuites>';
    const mutated = fc
      .tuple(fc.nat(seed.length), fc.nat(20), fc.string({ maxLength: 12 }))
      .map(([at, cut, insert]) => seed.slice(0, at) + insert + seed.slice(Math.min(seed.length, at + cut)));
    await fc.assert(
      fc.asyncProperty(fc.oneof(mutated, fc.string({ maxLength: 200 })), async (text) => {
        try {
          const { cases } = await read('fuzz.xml', text);
          for (const c of cases) expect(['passed', 'failed', 'error', 'skipped', 'flaky']).toContain(c.outcome);
        } catch (e) {
          expect(isAppError(e, 'INVALID_INPUT')).toBe(true);
          expect((e as Error).message).toMatch(/^fuzz\.xml(:\d+:\d+)?: /);
        }
      }),
      { numRuns: 400 },
    );
  });
});
