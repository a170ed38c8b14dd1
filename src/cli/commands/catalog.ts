import type { Command } from 'commander';
import type { Kit } from '../command-kit.js';
import { table } from '../output.js';

/** `dossier catalog`: the record types, their fields and the link types, for people new to the standards. */
export function registerCatalogCommand(program: Command, kit: Kit): void {
  program
    .command('catalog')
    .description('record types with their fields, and the link types that join them; `catalog TYPE` for one type')
    .argument('[TYPE]', 'one record type, e.g. SRS: its fields with type, whether required, allowed values and an example')
    .action(
      kit.action(async (ctx, typeKey: string | undefined) => {
        // The catalog is data in the code: the use-case reads no store, so a mistyped --db creates nothing.
        const { showCatalogUseCase } = await import('../../app/use-cases/show-catalog.js');
        const view = await ctx.run(showCatalogUseCase, typeKey === undefined ? {} : { type: typeKey });
        if (typeKey !== undefined) {
          const [t] = view.recordTypes;
          if (t === undefined) return;
          const { fields, links } = t;
          ctx.print({ key: t.key, name: t.name, description: t.description, clauses: t.clauses, lifecycle: t.lifecycle, fields, links }, () =>
            [
              `${t.key}  ${t.name}`,
              t.description,
              `clauses:   ${t.clauses.join('; ')}`,
              `lifecycle: ${t.lifecycle}`,
              '',
              fields.length === 0
                ? 'No typed fields.'
                : table(
                    ['FIELD', 'TYPE', 'REQUIRED', 'VALUES', 'EXAMPLE'],
                    fields.map((f) => [f.name, fieldType(f), f.required ? 'yes' : f.default === undefined ? 'no' : `no (default ${JSON.stringify(f.default)})`, f.values?.join(', ') ?? '', `--set ${f.name}=${f.example}`]),
                  ),
              '',
              `Links: ${links.map((l) => `${l.end === 'from' ? `${t.key} ${l.linkType} …` : `… ${l.linkType} ${t.key}`}`).join(', ')}`,
            ].join('\n'),
          );
          return;
        }
        const types = view.recordTypes.map((t) => ({
          key: t.key,
          name: t.name,
          group: t.group,
          description: t.description,
          clauses: t.clauses,
          lifecycle: t.lifecycle,
          fields: t.fieldsSchema,
          links: t.links,
        }));
        const links = view.linkTypes;
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

function fieldType(f: { readonly kind: string; readonly itemKind?: string | undefined }): string {
  return f.kind === 'list' ? `list of ${f.itemKind ?? 'text'}` : f.kind;
}
