import { describe, expect, it } from 'vitest';
import { DEFAULT_CATALOG } from '../catalog/catalog.js';
import { compareDesign, designFromPlan, fingerprints, type DesignFile } from './design.js';

const rec = (key: string, title: string, body = '') => ({ key, type: key.slice(0, key.indexOf('-')), title, body, fields: {}, where: `${key}.md` });

describe('the design file as data', () => {
  it('refuses records without an id and fields their type refuses, naming the file [DOSSIER-SRS-57]', () => {
    const { design, problems } = designFromPlan(
      {
        records: [
          { ref: 'SRS-1', key: 'SRS-1', type: 'SRS', title: 'Fine', fields: { category: 'data' }, where: 'SRS/SRS-1.md:2:5' },
          { ref: 'SRS/new', type: 'SRS', title: 'No id', where: 'SRS/new.md:1:1' },
          { ref: 'SWI-1', key: 'SWI-1', type: 'SWI', title: 'Bad level', fields: { level: 'module', safetyClass: 'B' }, where: 'SWI/SWI-1.md:2:5' },
        ],
        links: [{ from: 'SRS-1', type: 'derives_from', to: 'UN-9' }],
      },
      DEFAULT_CATALOG,
    );
    expect(design.records.map((r) => r.key)).toEqual(['SRS-1']);
    expect(design.links).toEqual([]);
    expect(problems.map((p) => p.where)).toEqual(['SRS/new.md:1:1', 'SWI/SWI-1.md:2:5']);
    expect(problems[1]?.message).toMatch(/^fields\.level: /);
  });

  it('lists records added, removed and changed between two versions, for revalidation [DOSSIER-SRS-56]', () => {
    const before: DesignFile = { records: [rec('SRS-1', 'Store'), rec('SRS-2', 'Trace'), rec('SRS-3', 'Gone')], links: [{ from: 'SRS-1', type: 'derives_from', to: 'UN-1' }] };
    const after: DesignFile = {
      records: [rec('SRS-1', 'Store'), rec('SRS-2', 'Trace matrix'), rec('SRS-10', 'New'), rec('RC-1', 'Control', 'changed body')],
      links: [{ from: 'SRS-1', type: 'derives_from', to: 'UN-2' }],
    };
    const ch = compareDesign(fingerprints(before), fingerprints(after));
    expect(ch.added.map((f) => f.key)).toEqual(['RC-1', 'SRS-10']);
    expect(ch.removed.map((f) => f.key)).toEqual(['SRS-3']);
    // SRS-1 changed only in its links; SRS-2 in its title.
    expect(ch.changed.map((f) => [f.key, f.before, f.title])).toEqual([
      ['SRS-1', 'Store', 'Store'],
      ['SRS-2', 'Trace', 'Trace matrix'],
    ]);
    expect(compareDesign(fingerprints(after), fingerprints(after))).toEqual({ added: [], removed: [], changed: [] });
    expect(compareDesign(fingerprints(before), fingerprints(after), ['RC']).added.map((f) => f.key)).toEqual(['RC-1']);
  });
});
