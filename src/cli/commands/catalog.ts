import type { Command } from 'commander';
import { z } from 'zod';
import { linkTypesOf } from '../../core/catalog/catalog.js';
import type { Kit } from '../command-kit.js';
import { table } from '../output.js';

/** `dossier catalog`: the record types, their fields and the link types, for people new to the standards. */
export function registerCatalogCommand(program: Command, kit: Kit): void {
  program
    .command('catalog')
    .description('record types with their fields, and the link types that join them')
    .action(
      kit.action(async (ctx) => {
        const { catalog } = await ctx.deps();
        const types = [...catalog.recordTypes.values()].map((t) => ({
          key: t.key,
          name: t.name,
          group: t.group,
          description: t.description,
          clauses: t.clauses,
          lifecycle: t.lifecycle.key,
          fields: z.toJSONSchema(t.fields, { io: 'input' }),
          links: linkTypesOf(catalog, t.key),
        }));
        const links = [...catalog.linkTypes.values()];
        ctx.print({ recordTypes: types, linkTypes: links }, () =>
          [
            'Record types',
            table(
              ['KEY', 'NAME', 'FIELDS', 'FOR'],
              types.map((t) => [
                t.key,
                t.name,
                Object.entries((t.fields as { properties?: Record<string, { enum?: unknown[] }> }).properties ?? {})
                  .map(([k, v]) => (v.enum === undefined ? k : `${k}(${v.enum.join('|')})`))
                  .join(', '),
                t.clauses.join('; '),
              ]),
            ),
            '',
            'Link types (read: FROM <label> TO)',
            table(['TYPE', 'FROM', 'LABEL', 'TO'], links.map((l) => [l.key, l.from.join(','), l.label, l.to.join(',')])),
          ].join('\n'),
        );
      }),
    );
}
