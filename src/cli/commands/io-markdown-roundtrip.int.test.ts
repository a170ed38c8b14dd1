import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addRecords } from '../../app/use-cases/add-records.js';
import { exportRecords } from '../../app/use-cases/export-records.js';
import { importRecords } from '../../app/use-cases/import-records.js';
import { listAuditEvents } from '../../app/use-cases/list-audit-events.js';
import type { Deps } from '../../core/ports.js';
import { recordFilePath, renderRecordFile } from '../../export/markdown-folder.js';
import { storeSnapshot } from '../../test-support/assertions.js';
import { useCli } from '../../test-support/cli.js';
import { aProduct } from '../../test-support/factories.js';
import { anyRecordContent, anyText, anyTitle } from '../../test-support/folder-records.js';
import { DIALECTS, testDeps } from '../../test-support/stores.js';

/** Which link each ordered pair of types may have (a subset of the catalog's). */
const LINKS: Readonly<Record<string, string>> = { 'SRS SYS': 'derives_from', 'SYS UN': 'derives_from', 'TC SRS': 'verifies', 'TC SYS': 'verifies' };

const anyProduct = fc.record({
  records: fc.array(anyRecordContent, { minLength: 1, maxLength: 6 }),
  links: fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 8 }),
  edits: fc.array(fc.record({ pick: fc.nat(), title: anyTitle, body: anyText(20), dropLinks: fc.boolean() }), { maxLength: 3 }),
});

describe.each(DIALECTS)('Markdown folder round trip on %s (property)', (dialect) => {
  const { t, dir, dossier } = useCli(dialect);
  const deps = (): Deps => testDeps(t().store, 'alice');
  let n = 0;

  it('store → folder → store changes nothing; edited files change exactly their records, each with its audit event [DOSSIER-SRS-47]', async () => {
    await fc.assert(
      fc.asyncProperty(anyProduct, async ({ records, links, edits }) => {
        const key = `P${++n}`;
        await aProduct(deps(), { key });
        const made = await addRecords(deps(), { productKey: key, records });
        const wanted = links.flatMap(([a, b]) => {
          const from = made[a % made.length];
          const to = made[b % made.length];
          const type = from === undefined || to === undefined ? undefined : LINKS[`${from.type} ${to.type}`];
          return type === undefined || from === undefined || to === undefined ? [] : [{ from: from.key, type, to: to.key }];
        });
        if (wanted.length > 0) await importRecords(deps(), { productKey: key, source: 'test', plan: { links: wanted } });

        const folder = join(dir(), key);
        expect((await dossier('export', 'md', folder, '--product', key)).code).toBe(0);
        const before = await storeSnapshot(deps());
        const same = await dossier('sync', folder, '--product', key);
        expect(same.code).toBe(0);
        expect(await storeSnapshot(deps())).toBe(before);

        // The same files, edited by a person (no digest): read in full, still no change.
        const exported = await exportRecords(deps(), { productKey: key });
        for (const r of exported.records) {
          const path = join(folder, recordFilePath(r.type, r.key));
          writeFileSync(path, readFileSync(path, 'utf8').replace(/\ndigest: [0-9a-f]{64}\n/, '\n'));
        }
        const reread = await dossier('sync', folder, '--product', key);
        expect(reread.code).toBe(0);
        expect(reread.out).toMatch(/records: 0 created, 0 revised, \d+ unchanged/);
        expect(await storeSnapshot(deps())).toBe(before);

        // Edits: a new title and body, and perhaps no more outgoing links.
        const edited = new Map<string, { title: string; body: string; dropLinks: boolean }>();
        for (const e of edits) {
          const r = exported.records[e.pick % exported.records.length];
          if (r !== undefined && (r.title !== e.title || r.body !== e.body)) edited.set(r.key, e);
        }
        for (const r of exported.records) {
          const e = edited.get(r.key);
          if (e === undefined) continue;
          const keep = e.dropLinks ? [] : exported.links.filter((l) => l.from === r.key);
          writeFileSync(join(folder, recordFilePath(r.type, r.key)), renderRecordFile({ ...r, title: e.title, body: e.body }, keep).replace(/\ndigest: [0-9a-f]{64}\n/, '\n'));
        }
        const eventsBefore = (await listAuditEvents(deps(), { productKey: key })).length;
        const sync = await dossier('sync', folder, '--product', key);
        expect(sync.err).toBe('');
        expect(sync.code).toBe(0);
        const after = await exportRecords(deps(), { productKey: key });
        for (const r of after.records) {
          const e = edited.get(r.key);
          const old = exported.records.find((x) => x.key === r.key);
          if (e === undefined) expect(r).toEqual(old);
          else expect(r).toMatchObject({ revision: 2, title: e.title, body: e.body, fields: old?.fields });
        }
        const dropped = new Set([...edited].filter(([, e]) => e.dropLinks).map(([k]) => k));
        expect(after.links.map((l) => `${l.from} ${l.type} ${l.to}`).sort()).toEqual(
          exported.links.filter((l) => !dropped.has(l.from)).map((l) => `${l.from} ${l.type} ${l.to}`).sort(),
        );
        const events = (await listAuditEvents(deps(), { productKey: key })).slice(eventsBefore);
        expect(events.filter((e) => e.action === 'RECORD_REVISED').map((e) => e.entityId).sort()).toEqual([...edited.keys()].map((k) => `${key}/${k}`).sort());
        expect(events.filter((e) => e.action === 'LINK_REMOVED')).toHaveLength(exported.links.filter((l) => dropped.has(l.from)).length);
        expect(new Set(events.map((e) => e.actor))).toEqual(new Set(events.length === 0 ? [] : ['erin']));
        expect(events.filter((e) => !['RECORD_REVISED', 'LINK_REMOVED'].includes(e.action))).toEqual([]);

        // The rewritten files say what the store has: the next sync skips them all.
        const last = await dossier('sync', folder, '--product', key);
        expect(last.out).toMatch(new RegExp(`${after.records.length} record files: ${after.records.length} as Dossier wrote them`));
      }),
      { numRuns: dialect === 'sqlite' ? 25 : 10 },
    );
  }, 240_000);
});
