import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exportRecords } from '../../app/use-cases/export-records.js';
import { listAuditEvents } from '../../app/use-cases/list-audit-events.js';
import { storeSnapshot } from '../../test-support/assertions.js';
import { useCli } from '../../test-support/cli.js';
import { aProduct } from '../../test-support/factories.js';
import { DIALECTS, testDeps } from '../../test-support/stores.js';
import { EXIT } from '../exit-codes.js';

const SYS = '[DOCUMENT]\nTITLE: System requirements\n\n[REQUIREMENT]\nUID: SYS-1\nTITLE: Stop at occlusion\nSTATEMENT: The pump shall stop.\n';
const SRS = `[DOCUMENT]
TITLE: Software requirements

[[SECTION]]
TITLE: Pressure

[REQUIREMENT]
UID: SRS-1
STATEMENT: >>>
Read the pressure every 10 ms.
Stop above the limit.
<<<
RATIONALE: Occlusion is dangerous.
RELATIONS:
- TYPE: Parent
  VALUE: SYS-1

[[/SECTION]]

[REQUIREMENT]
UID: TST-1
STATEMENT: Occlude the line.
RELATIONS:
- TYPE: Parent
  VALUE: SRS-1
`;

/** The team's benchmark generator, copied into the repository so this test runs on every checkout. */
const GEN = join(process.cwd(), 'test/fixtures/bench-generators');

describe.each(DIALECTS)('dossier import sdoc on %s', (dialect) => {
  const { dossier, t, dir } = useCli(dialect);

  it('imports .sdoc files: records with UIDs and fields, links, the section path, audit events by the actor [DOSSIER-SRS-49]', async () => {
    const deps = testDeps(t().store, 'erin');
    await aProduct(deps);
    writeFileSync(join(dir(), 'sys.sdoc'), SYS);
    writeFileSync(join(dir(), 'srs.sdoc'), SRS);
    const r = await dossier('import', 'sdoc', join(dir(), 'sys.sdoc'), join(dir(), 'srs.sdoc'), '--product', 'RPM');
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/srs\.sdoc \('Software requirements'\) → SRS, 1 elements/);
    const exported = await exportRecords(deps, { productKey: 'RPM' });
    const srs = exported.records.find((x) => x.key === 'SRS-1');
    expect(srs).toMatchObject({
      title: 'Read the pressure every 10 ms.',
      body: 'Read the pressure every 10 ms.\nStop above the limit.\n\n*Section: Pressure*',
      fields: { externalId: 'SRS-1', rationale: 'Occlusion is dangerous.' },
    });
    expect(exported.records.find((x) => x.key === 'TC-1')?.fields).toMatchObject({ externalId: 'TST-1', level: 'system' });
    expect(exported.links.map((l) => `${l.from} ${l.type} ${l.to}`).sort()).toEqual(['SRS-1 derives_from SYS-1', 'TC-1 verifies SRS-1']);
    const events = (await listAuditEvents(deps, { productKey: 'RPM' })).filter((e) => e.action === 'RECORD_CREATED' || e.action === 'LINK_CREATED');
    expect(events).toHaveLength(5);
    expect(new Set(events.map((e) => `${e.actor} ${e.reason ?? ''}`)).size).toBe(1);
    expect(events[0]?.actor).toBe('erin');
  });

  it('exits 2 and writes nothing on a malformed file, naming file, line and column; --map maps a document', async () => {
    const deps = testDeps(t().store, 'erin');
    await aProduct(deps);
    writeFileSync(join(dir(), 'srs.sdoc'), SRS.replace('<<<\n', ''));
    const before = await storeSnapshot(deps);
    const r = await dossier('import', 'sdoc', join(dir(), 'srs.sdoc'), '--product', 'RPM');
    expect(r.code).toBe(EXIT.usage);
    expect(r.out).toContain(`${join(dir(), 'srs.sdoc')}:9:12: the multi-line value of STATEMENT opened here is never closed`);
    expect(await storeSnapshot(deps)).toBe(before);

    writeFileSync(join(dir(), 'hz.sdoc'), '[DOCUMENT]\nTITLE: Hazards\n\n[REQUIREMENT]\nUID: H-1\nSTATEMENT: Occlusion.\n');
    const unmapped = await dossier('import', 'sdoc', join(dir(), 'hz.sdoc'), '--product', 'RPM');
    expect(unmapped.code).toBe(EXIT.usage);
    expect(unmapped.out).toContain('hz.sdoc:4: H-1 (document \'Hazards\') maps to no record type');
    writeFileSync(join(dir(), 'map.yaml'), 'types:\n  Hazards: HAZ\n');
    const lacking = await dossier('import', 'sdoc', join(dir(), 'hz.sdoc'), '--product', 'RPM', '--map', join(dir(), 'map.yaml'));
    expect(lacking.code).toBe(EXIT.usage);
    expect(lacking.err).toContain('hz.sdoc:4: H-1 (Hazard) has invalid fields: fields.category');
    writeFileSync(join(dir(), 'map.yaml'), 'types:\n  Hazards: HAZ\ndefaults:\n  HAZ: { category: technical }\n');
    const mapped = await dossier('import', 'sdoc', join(dir(), 'hz.sdoc'), '--product', 'RPM', '--map', join(dir(), 'map.yaml'));
    expect(mapped.code, mapped.out).toBe(0);
    expect((await exportRecords(deps, { productKey: 'RPM' })).records.map((x) => x.key)).toEqual(['HAZ-1']);
  });

  it('imports the generated project and check finds exactly its uncovered items', async () => {
    const deps = testDeps(t().store, 'erin');
    await aProduct(deps);
    const scale = 0.02;
    execFileSync('python3', [join(GEN, 'gen_sdoc.py'), join(dir(), 'gen'), String(scale)], { stdio: 'ignore' });
    const r = await dossier('import', 'sdoc', join(dir(), 'gen'), '--product', 'RPM');
    expect(r.code, r.out).toBe(0);
    const findings = (JSON.parse((await dossier('check', '--product', 'RPM', '--json')).out) as { findings: { ruleId: string }[] }).findings;
    const count = (rule: string): number => findings.filter((f) => f.ruleId === rule).length;
    const sys = Math.floor(1000 * scale);
    const srs = Math.floor(5000 * scale);
    expect(count('DC-7.3.3-SYSTEM-REQUIREMENT-REFINED')).toBe(sys - Math.floor(sys * 0.95));
    expect(count('IEC62304-5.7.1-SRS-VERIFIED')).toBe(srs - Math.floor(srs * 0.97));
  });
});
