import { AppError } from '../../core/errors.js';
import type { LinkView } from '../../core/entities.js';
import type { Deps } from '../../core/ports.js';
import { addLinks, type NewLink } from './add-links.js';

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
