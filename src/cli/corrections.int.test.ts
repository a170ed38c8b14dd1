import { describe, expect, it } from 'vitest';
import { useCli } from '../test-support/cli.js';
import { DIALECTS } from '../test-support/stores.js';

describe.each(DIALECTS)('dossier CLI: typed fields, corrections and clear refusals on %s', (dialect) => {
  const { dossier } = useCli(dialect);
  const product = (): Promise<unknown> =>
    dossier('product', 'create', '--key', 'IBC', '--name', 'Insulin bolus calculator', '--intended-use', 'Suggests a bolus dose.', '--class', 'C');

  it('--set parses each field as its catalog type; catalog TYPE describes the fields [DOSSIER-SRS-1]', async () => {
    await product();
    const add = await dossier('--json', 'record', 'add', '--type', 'ORR', '--title', 'Overall residual risk 1.0', '--set', 'release=1.0.0', '--set', 'acceptable=true', '--set', 'disclosures=[TBD] hypoglycaemia warning', '--set', 'disclosures=true');
    expect(add.err).toBe('');
    const show = JSON.parse((await dossier('--json', 'record', 'show', 'ORR-1')).out) as { revision: { fields: unknown } };
    expect(show.revision.fields).toEqual({ release: '1.0.0', acceptable: true, disclosures: ['[TBD] hypoglycaemia warning', 'true'] });

    const typo = await dossier('record', 'add', '--type', 'SRS', '--title', 'Dose is capped', '--set', 'prority=must');
    expect(typo.code).toBe(2);
    expect(typo.err).toBe("dossier: --set prority: SRS records have no field 'prority' (did you mean priority?); its fields are priority, category, rationale, riskControl, externalId\n");

    const cat = await dossier('catalog', 'rmp');
    expect(cat.code).toBe(0);
    expect(cat.out).toMatch(/^reviewIntervalDays\s+integer\s+yes\s+--set reviewIntervalDays=30$/m);
    const json = JSON.parse((await dossier('--json', 'catalog', 'TC')).out) as { fields: { name: string; kind: string; required: boolean }[] };
    expect(json.fields.find((f) => f.name === 'level')).toMatchObject({ kind: 'choice', required: true });
  });

  it('reports mistakes for what they are', async () => {
    await product();
    await dossier('record', 'add', '--type', 'SRS', '--title', 'Dose is capped at 25 units');
    const ahead = await dossier('record', 'edit', 'SRS-1', '--base', '5', '--title', 'x');
    expect([ahead.code, ahead.err]).toEqual([2, 'dossier: IBC/SRS-1 has no revision 5 yet: the latest is revision 1\n']);
    const unset = await dossier('record', 'edit', 'SRS-1', '--base', '1', '--unset', 'colour');
    expect(unset.code).toBe(2);
    expect(unset.err).toMatch(/^dossier: --unset colour: SRS records have no field 'colour'/);
    const rule = await dossier('rules', 'disable', 'NOPE-RULE');
    expect([rule.code, rule.err]).toEqual([2, 'dossier: unknown rule NOPE-RULE; `dossier rules list` shows the rules\n']);
    const empty = await dossier('record', 'add', '--type', 'SRS', '--title', '');
    expect(empty.err).toBe('dossier: invalid record: title: a title is required\n');
  });

  it('moves several records in one call, edits the product and voids a release', async () => {
    await product();
    for (const title of ['Dose is capped at 25 units', 'Carb ratio is entered per meal']) await dossier('record', 'add', '--type', 'SRS', '--title', title);
    const both = await dossier('record', 'status', 'SRS-1@1', 'SRS-2', 'in_review', '--base', '1');
    expect(both.code).toBe(0);
    expect(both.out).toBe('IBC/SRS-1 is now in_review (revision 1)\nIBC/SRS-2 is now in_review (revision 1)\n');
    const none = await dossier('record', 'status', 'SRS-1@1', 'SRS-2@2', 'approved');
    expect(none.code).toBe(2);
    expect((await dossier('record', 'list', '--status', 'approved')).out).not.toMatch(/SRS-1/);

    const edit = await dossier('product', 'edit', 'IBC', '--class', 'B', '--reason', 'dose calculation moved to the pump');
    expect(edit.code).toBe(0);
    expect(edit.out).toMatch(/^product IBC edited: safety class C → B\nthe rules for class B now find \d+ errors/);
    expect((await dossier('product', 'show', 'IBC')).out).toMatch(/safety class: B/);

    expect((await dossier('release', 'create', 'IBC', '0.9.0')).code).toBe(0);
    const v = await dossier('release', 'void', '0.9.0', '--reason', 'frozen before the review closed');
    expect(v.code).toBe(0);
    expect((await dossier('release', 'list')).out).toMatch(/^0\.9\.0\s+1\s+void\s.*frozen before the review closed$/m);
    const log = await dossier('--json', 'audit', 'log');
    expect(log.out).toMatch(/"action": "PRODUCT_EDITED"[\s\S]*"action": "RELEASE_VOIDED"/);
  });
});
