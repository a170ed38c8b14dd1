import type { Command } from 'commander';
import type { FieldInfo } from '../../core/catalog/field-input.js';
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
        // The catalog is data in the code: no store is opened, so a mistyped --db creates nothing.
        const [{ z }, { DEFAULT_CATALOG, getRecordType, linkTypesOf }, { describeFields }] = await Promise.all([
          import('zod'),
          import('../../core/catalog/catalog.js'),
          import('../../core/catalog/field-input.js'),
        ]);
        const catalog = DEFAULT_CATALOG;
        if (typeKey !== undefined) {
          const t = getRecordType(catalog, typeKey.toUpperCase());
          const fields = describeFields(t);
          const links = linkTypesOf(catalog, t.key);
          ctx.print({ key: t.key, name: t.name, description: t.description, clauses: t.clauses, lifecycle: t.lifecycle.key, fields, links }, () =>
            [
              `${t.key}  ${t.name}`,
              t.description,
              `clauses:   ${t.clauses.join('; ')}`,
              `lifecycle: ${t.lifecycle.key}`,
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

function fieldType(f: FieldInfo): string {
  return f.kind === 'list' ? `list of ${f.itemKind ?? 'text'}` : f.kind;
}
