import { Readable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isAppError } from '../core/errors.js';
import { testKey, type ParsedTestCase } from '../core/evidence/test-results.js';
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
  it('reads Maven Surefire: properties, failure, error, skipped, flaky and rerun elements [DOSSIER-SRS-18]', async () => {
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
    expect(reader.facts.startedAt).toBe('2026-11-20T09:14:03.120Z');
    expect(reader.facts.hostname).toBe('ci-runner-7');
  });

  it('reads Jest, Vitest (nested suites, skipped), GoogleTest (notrun) and Playwright files [DOSSIER-SRS-18]', async () => {
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
  });

  it('a skip marker in status or result is skipped, never passed (CTest, GoogleTest, xUnit/NUnit converters)', async () => {
    expect(summary((await read(`${FIXTURES}/ctest.xml`)).cases)).toEqual([
      'ble_parser|ble_parser|passed',
      'ble_timing|ble_timing|failed',
      'ble_weight|ble_weight|skipped',
      'ble_legacy_firmware|ble_legacy_firmware|skipped',
    ]);
    expect(summary((await read(`${FIXTURES}/skip-markers.xml`)).cases).map((s) => s.split('|').slice(1).join(' '))).toEqual([
      'Parses_heart_rate passed',
      'Parses_weight skipped',
      'Parses_spo2 skipped',
      'Parses_glucose skipped',
      'Parses_temperature skipped',
      'Parses_ecg skipped',
    ]);
  });

  it('a case with an empty name is named from its class name, file or suite and kept', async () => {
    const gotestsum = (await read(`${FIXTURES}/gotestsum.xml`)).cases;
    expect(summary(gotestsum)).toEqual([
      'github.com/vitallink/gateway/queue|TestDrain|passed',
      'github.com/vitallink/gateway/queue|TestDrain/empty|passed',
      'github.com/vitallink/gateway/queue|github.com/vitallink/gateway/queue|failed',
    ]);
    expect(gotestsum[2]?.message).toMatch(/^Failed\npanic: open testdata\/queue.db/);
    const mocha = (await read(`${FIXTURES}/mocha.xml`)).cases;
    expect(mocha.map((c) => `${c.name}|${c.file ?? ''}|${c.outcome}`)).toEqual([
      'alert routing pages the on-call clinician [TC-3]|test/alerts.spec.js|passed',
      'alert routing escalates after 15 minutes|test/alerts.spec.js|failed',
      'alert routing retries SMS|test/alerts.spec.js|skipped',
      'test/alerts.spec.js|test/alerts.spec.js|failed',
    ]);
    // Many unnamed cases in one place stay apart (a run of 4,000 is not refused for one of them).
    const many = `<testsuite name="s">${'<testcase classname="c" name=""><failure/></testcase><testcase classname="c"/>'.repeat(2000)}</testsuite>`;
    const cases = (await read('many.xml', many)).cases;
    expect(cases).toHaveLength(4000);
    expect(new Set(cases.map((c) => testKey(c))).size).toBe(4000);
    expect(cases.slice(0, 3).map((c) => c.name)).toEqual(['c', 'c (2)', 'c (3)']);
  });

  it('a case with both a failure and an error is an error; line, failure type, system-out and system-err are kept', async () => {
    const { cases, reader } = await read(`${FIXTURES}/pytest-teardown.xml`);
    expect(summary(cases)).toEqual(['tests.test_sync|test_upload_resumes|error', 'tests.test_sync|test_upload_order|passed', 'tests.test_sync|test_offline_cache|skipped']);
    expect(cases[0]).toMatchObject({ line: 41, file: 'tests/test_sync.py', report: `${FIXTURES}/pytest-teardown.xml` });
    expect(cases[0]?.message).toMatch(/^failed on teardown with "OSError/);
    expect(cases[0]?.systemOut).toMatch(/resuming at item 2$/);
    expect(cases[0]?.systemErr).toMatch(/warning: slow disk$/);
    expect(reader.facts.startedAt).toBe('2026-11-20T09:58:12.408Z');
    const surefire = (await read(`${FIXTURES}/surefire.xml`)).cases;
    expect(surefire[1]).toMatchObject({ failureType: 'org.opentest4j.AssertionFailedError', systemOut: 'mapping 1 observation' });
    expect(surefire[2]?.failureType).toBe('java.lang.NullPointerException');
    const ctest = (await read(`${FIXTURES}/ctest.xml`)).cases;
    expect(ctest[1]?.systemOut).toBe('timing budget exceeded: 612 ms > 500 ms\n');
  });

  it('retries written as repeated test cases fold into one result: flaky when a retry passed, failed when all failed', async () => {
    const { cases } = await read(`${FIXTURES}/gradle-retry.xml`);
    expect(cases.map((c) => `${c.name}|${c.outcome}|${c.attempts}|${String(c.flaky)}`)).toEqual([
      'drainsInOrder()|passed|1|false',
      'retriesOnTimeout() [TC-21]|flaky|2|true',
      'keepsOrderAfterCrash()|failed|3|false',
    ]);
    expect(cases[1]).toMatchObject({ failureType: 'org.opentest4j.AssertionFailedError', durationMs: 198 });
    expect(cases[1]?.message).toMatch(/expected: <3> but was: <2>/);
    expect(cases[2]?.message).toMatch(/^java.lang.AssertionError: queue lost 2 items/);
    // A pass followed by a failure of the same test: failed, and flagged.
    const later = (await read('r.xml', '<testsuite name="s"><testcase classname="c" name="t"/><testcase classname="c" name="t"><failure message="m"/></testcase></testsuite>')).cases;
    expect(later.map((c) => `${c.outcome}|${c.attempts}|${String(c.flaky)}`)).toEqual(['failed|2|true']);
  });

  it('keys tests by file, class name and name, so equal names in different files do not collide', async () => {
    const cases = (await read(`${FIXTURES}/jest-files.xml`)).cases;
    expect(cases.map((c) => `${testKey(c)}|${c.outcome}`)).toEqual([
      'apps/console/src/App.test.tsx::App renders::App renders|passed',
      'apps/console/src/App.test.tsx::App shows the version::App shows the version|passed',
      'apps/mobile/src/App.test.tsx::App renders::App renders|passed',
      'apps/mobile/src/App.test.tsx::App shows the version::App shows the version|skipped',
    ]);
    expect(summary((await read(`${FIXTURES}/go-junit-report.xml`)).cases)).toEqual([
      'github.com/vitallink/gateway/ble|TestParse|passed',
      'github.com/vitallink/gateway/ble|TestParse/heart_rate|passed',
      'github.com/vitallink/gateway/ble|TestParse/short_packet|failed',
      'github.com/vitallink/gateway/ble|TestWeight|skipped',
    ]);
  });

  it('stores suite times as ISO-8601 UTC: an offset is converted, a time without a zone is taken as UTC', async () => {
    expect((await read(`${FIXTURES}/gotestsum.xml`)).reader.facts.startedAt).toBe('2026-11-20T09:31:02.000Z');
    expect((await read(`${FIXTURES}/gradle-retry.xml`)).reader.facts.startedAt).toBe('2026-11-20T09:20:11.000Z');
    expect((await read(`${FIXTURES}/go-junit-report.xml`)).reader.facts).toEqual({ startedAt: '2026-11-20T09:30:00.000Z', hostname: 'ci-runner-2', properties: { 'go.version': 'go1.22.4 linux/amd64' } });
    expect((await read('t.xml', '<testsuite name="s" timestamp="yesterday"/>')).reader.facts.startedAt).toBeNull();
  });

  it('caps each message and output at the configured size, keeping head and tail and saying what was cut', async () => {
    const huge = 'A'.repeat(1000) + 'x'.repeat(5_000_000) + 'Z'.repeat(1000);
    const text = `<testsuite name="s"><testcase classname="c" name="t"><failure message="${huge}">${huge}</failure><system-out>${huge}</system-out><properties><property name="p" value="${huge}"/></properties></testcase><testcase classname="c" name="${'n'.repeat(10_000)}"/></testsuite>`;
    const reader = new JUnitReader('big.xml', { maxText: 4096 });
    const cases: ParsedTestCase[] = [];
    for await (const c of reader.cases(Readable.from([text.slice(0, 100_000), text.slice(100_000)]))) cases.push(c);
    const [c, named] = cases;
    for (const t of [c?.message, c?.systemOut, c?.properties[0]?.[1]]) {
      expect(t?.length).toBeLessThan(4200);
      expect(t).toMatch(/^A{1000}x+\n\[… \d+ bytes cut …\]\nx+Z{1000}$/);
    }
    expect(c?.message).toContain(`[… ${2 * huge.length + 1 - 4096} bytes cut …]`);
    expect(named?.name.length).toBeLessThan(2100);
    // The default cap is 64 KiB.
    const big = (await read('big.xml', text)).cases[0];
    expect(big?.systemOut?.length).toBeLessThan(64 * 1024 + 100);
  });

  it('folding keeps one result per test and every attempt counted, whatever the order of attempts', async () => {
    const attempt = fc.record({ test: fc.integer({ min: 0, max: 3 }), body: fc.constantFrom('', '<failure/>', '<error/>', '<skipped/>', '<failure/><error/>') });
    await fc.assert(
      fc.asyncProperty(fc.array(attempt, { minLength: 1, maxLength: 30 }), async (attempts) => {
        const xml = `<testsuite name="s">${attempts.map((a) => `<testcase classname="c" name="t${a.test}">${a.body}</testcase>`).join('')}</testsuite>`;
        const { cases } = await read('fold.xml', xml);
        expect(cases.map((c) => c.name)).toEqual([...new Set(attempts.map((a) => `t${a.test}`))]);
        expect(cases.reduce((n, c) => n + c.attempts, 0)).toBe(attempts.length);
        for (const c of cases) {
          const last = attempts.filter((a) => `t${a.test}` === c.name && a.body !== '<skipped/>').at(-1);
          if (last === undefined) expect(c.outcome).toBe('skipped');
          else if (last.body.includes('error')) expect(c.outcome).toBe('error');
          else if (last.body === '<failure/>') expect(c.outcome).toBe('failed');
          else expect(['passed', 'flaky']).toContain(c.outcome);
        }
      }),
      { numRuns: 200 },
    );
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
