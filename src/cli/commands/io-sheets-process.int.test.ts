import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runDossier } from '../../test-support/processes.js';
import { DIALECTS, openTestStore, type TestStore } from '../../test-support/stores.js';

describe.each(DIALECTS)('the built dossier import xlsx and csv on %s', (dialect) => {
  let t: TestStore;
  let dir: string;
  beforeEach(async () => {
    t = await openTestStore(dialect);
    dir = mkdtempSync(join(tmpdir(), 'dossier-sheets-'));
  });
  afterEach(async () => t.cleanup());
  const env = { DOSSIER_DEBUG: '', DOSSIER_DB: '', DOSSIER_ACTOR: '', FORCE_COLOR: '0' };
  const dossier = (...args: string[]): ReturnType<typeof runDossier> => runDossier(['--db', t.dbArg, '--actor', 'ci-bot', ...args], { env });

  it('loads the workbook reader from the bundle, imports, and refuses a bad cell with exit 2 and no stack trace', async () => {
    expect((await dossier('product', 'create', '--key', 'RPM', '--name', 'VitalLink', '--intended-use', 'Monitors vitals', '--class', 'B')).code).toBe(0);
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Reqs');
    ws.addRow(['ID', 'Title', 'Priority']);
    ws.addRow(['R-1', 'Encrypt readings in transit', 'Must']);
    writeFileSync(join(dir, 'reqs.xlsx'), new Uint8Array(await wb.xlsx.writeBuffer()));
    writeFileSync(join(dir, 'map.yaml'), 'id: ID\ntype: SRS\ntitle: Title\nfields: { priority: Priority }\n');
    const done = await dossier('import', 'xlsx', join(dir, 'reqs.xlsx'), '--map', join(dir, 'map.yaml'));
    expect([done.code, done.err]).toEqual([0, '']);
    expect(done.out).toMatch(/^ {2}R-1 → SRS-1 {2}Encrypt readings in transit$/m);
    writeFileSync(join(dir, 'bad.csv'), 'ID,Title,Priority\nR-2,Store readings,urgent\n');
    const bad = await dossier('import', 'csv', join(dir, 'bad.csv'), '--map', join(dir, 'map.yaml'));
    expect(bad.code).toBe(2);
    expect(bad.out).toMatch(/^ {2}bad\.csv row 2 column C \(Priority\): priority is one of must, should, could, not 'urgent'$/m);
    expect(bad.err).not.toMatch(/\n\s+at /);
  });
});
