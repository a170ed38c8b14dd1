import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import type { AuditExport } from '../core/audit-export.js';
import { AUDIT_CSV_HEAD, AUDIT_CSV_VERIFICATION } from '../export/audit-csv.js';
import { useCli } from '../test-support/cli.js';
import { parseCsv } from '../test-support/csv.js';
import { DIALECTS } from '../test-support/stores.js';

describe.each(DIALECTS)('dossier audit log filters and audit export on %s', (dialect) => {
  const { dossier, dir, t } = useCli(dialect);

  it('filters the log by record, actor, event kind and time, with the same table [DOSSIER-SRS-51]', async () => {
    expect((await dossier('product', 'create', '--key', 'RPM', '--name', 'Monitor', '--intended-use', 'monitoring', '--class', 'B')).code).toBe(0);
    expect((await dossier('record', 'add', '--type', 'SRS', '--title', 'Upload uses TLS 1.3 only')).code).toBe(0);
    const tc = await dossier('record', 'add', '--type', 'TC', '--title', 'TLS 1.2 is refused', '--set', 'level=system');
    expect(tc.code, tc.err).toBe(0);
    expect((await dossier('link', 'add', 'TC-1', 'verifies', 'SRS-1')).code).toBe(0);
    const record = await dossier('audit', 'log', '--record', 'RPM/SRS-1');
    expect(record.code).toBe(0);
    expect(record.out).toMatch(/^SEQ +WHEN \(UTC\) +WHO +ACTION +ENTITY +REASON/);
    expect(record.out.match(/RECORD_CREATED +RPM\/SRS-1|LINK_CREATED +RPM\/link\/1/g)).toHaveLength(2);
    const erin = await dossier('--json', 'audit', 'log', '--product', 'rpm', '--by', 'erin', '--action', 'record_created,LINK_CREATED', '--action', 'PRODUCT_CREATED');
    const events = (JSON.parse(erin.out) as { events: { action: string; actor: string }[] }).events;
    expect(events.map((e) => `${e.actor} ${e.action}`)).toEqual(['erin PRODUCT_CREATED', 'erin RECORD_CREATED', 'erin RECORD_CREATED', 'erin LINK_CREATED']);
    expect((await dossier('audit', 'log', '--by', 'bob')).out).toBe('no audit events\n');
    expect((await dossier('audit', 'log', '--from', '2999-01-01')).out).toBe('no audit events\n');
    expect((await dossier('audit', 'log', '--to', '2000-01-01T00:00:00Z')).out).toBe('no audit events\n');
    const bad = await dossier('audit', 'log', '--from', 'last week');
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/from: an ISO 8601 time/);
  });

  it('exports CSV and JSON to a file with the verification, whole or not at all [DOSSIER-SRS-51]', async () => {
    expect((await dossier('demo')).code).toBe(0);
    const csvFile = join(dir(), 'audit.csv');
    const csv = await dossier('audit', 'export', '--format', 'csv', '--out', csvFile, '--product', 'RPM', '--action', 'RECORD_STATUS_CHANGED');
    expect(csv.code).toBe(0);
    expect(csv.err).toMatch(/^exported \d+ audit event\(s\) to .*audit\.csv; trail verified, head \d+\n$/);
    const rows = parseCsv(readFileSync(csvFile, 'utf8'));
    expect(rows[0]).toEqual([...AUDIT_CSV_HEAD]);
    expect(rows.length).toBeGreaterThan(3);
    expect(rows.slice(1, -1).every((r) => r[3] === 'RECORD_STATUS_CHANGED' && r[6] === 'RPM')).toBe(true);
    expect(rows[rows.length - 1]?.slice(0, 2)).toEqual([AUDIT_CSV_VERIFICATION, 'ok=true']);

    const json = await dossier('audit', 'export');
    expect(json.code).toBe(0);
    const exp = JSON.parse(json.out) as AuditExport;
    expect(exp.verification.ok).toBe(true);
    expect(exp.events.length).toBe(exp.verification.head?.seq);

    const bad = await dossier('audit', 'export', '--format', 'xlsx', '--out', join(dir(), 'x.xlsx'));
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/--format must be one of json, csv/);
    const missing = await dossier('audit', 'export', '--out', join(dir(), 'no-such-folder', 'a.json'));
    expect(missing.code).toBe(2);
  });

  it('still writes the export of a tampered trail, says the verification failed, and exits 1 [DOSSIER-SRS-6]', async () => {
    expect((await dossier('demo')).code).toBe(0);
    const db = t().store.db;
    if (dialect === 'postgres') {
      await sql.raw('alter table audit_events disable trigger user').execute(db);
      await sql.raw(`update audit_events set reason = 'nothing to see' where seq = 5`).execute(db);
      await sql.raw('alter table audit_events enable trigger user').execute(db);
    } else {
      await sql.raw('drop trigger audit_events_no_update').execute(db);
      await sql.raw(`update audit_events set reason = 'nothing to see' where seq = 5`).execute(db);
    }
    const file = join(dir(), 'audit.csv');
    const r = await dossier('audit', 'export', '--format', 'csv', '--out', file);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/trail verification FAILED \(\d+ problem\(s\)\)/);
    const rows = parseCsv(readFileSync(file, 'utf8'));
    expect(rows.find((row) => row[0] === '5')?.[9]).toBe('nothing to see');
    const last = rows[rows.length - 1] ?? [];
    expect(last.slice(0, 2)).toEqual([AUDIT_CSV_VERIFICATION, 'ok=false']);
    expect(last.find((c) => c.startsWith('firstProblem='))).toMatch(/^firstProblem=.*5/);
  });
});
