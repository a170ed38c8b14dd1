import { z } from 'zod';
import { AppError } from '../../core/errors.js';
import { LinkViewSchema, ProductKeySchema, type LinkView } from '../../core/entities.js';
import type { Deps } from '../../core/ports.js';
import { ReasonSchema } from '../../core/validation.js';
import { defineUseCase } from '../use-case.js';
import { addLinks, NewLinkSchema, type NewLink } from './add-links.js';

/**
 * Adds one link (see `addLinks`).
 * @throws AppError as `addLinks`
 */
export async function addLink(
  deps: Deps,
  input: { readonly productKey: string; readonly link: NewLink; readonly reason?: string },
): Promise<LinkView> {
  const [created] = await addLinks(deps, {
    productKey: input.productKey,
    links: [input.link],
    ...(input.reason === undefined ? {} : { reason: input.reason }),
  });
  if (created === undefined) throw new AppError('INTERNAL', 'addLinks returned nothing for one link');
  return created;
}

export const AddLinkInputSchema = z.strictObject({
  productKey: ProductKeySchema,
  link: NewLinkSchema,
  reason: ReasonSchema.optional(),
});

export const addLinkUseCase = defineUseCase({
  name: 'link.add',
  summary: 'Link two records with a typed link.',
  kind: 'write',
  what: 'link',
  input: AddLinkInputSchema,
  output: LinkViewSchema,
  permission: 'link.create',
  http: { method: 'POST', path: '/api/v1/products/:productKey/links', status: 201 },
  run: ({ deps }, input) => addLink(deps, input),
});
