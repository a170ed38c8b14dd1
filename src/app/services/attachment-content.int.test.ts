import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attachmentNameProblem, AttachmentNameSchema } from '../../core/attachments/model.js';
import { isAppError } from '../../core/errors.js';
import type { Deps } from '../../core/ports.js';
import { aProduct, someRecords } from '../../test-support/factories.js';
import { freshStore, type TestStore } from '../../test-support/stores.js';
import { addAttachment, AddAttachmentInputSchema } from '../use-cases/add-attachment.js';
import { listAttachments } from '../use-cases/list-attachments.js';
import { readContent } from './attachment-content.js';

const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');
const chunks = fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 12 });

describe('the attachment reader and file-name check, fuzzed', () => {
  it('reads any chunks whole, or refuses over the limit naming it: never a part of a file', async () => {
    await fc.assert(
      fc.asyncProperty(chunks, fc.integer({ min: 1, max: 2000 }), async (parts, limit) => {
        const whole = Buffer.concat(parts);
        try {
          const got = await readContent(parts, limit);
          expect(whole.length).toBeLessThanOrEqual(limit);
          expect(got.bytes.equals(whole)).toBe(true);
          expect(got).toMatchObject({ size: whole.length, sha256: sha(whole) });
        } catch (e) {
          expect(isAppError(e, 'TOO_LARGE')).toBe(true);
          expect((e as Error).message).toContain(`limit of ${limit} bytes`);
          expect(whole.length).toBeGreaterThan(limit);
        }
      }),
    );
  });

  it('accepts a declared SHA-256 only when the bytes hash to it', async () => {
    await fc.assert(
      fc.asyncProperty(chunks, fc.stringMatching(/^[0-9a-f]{64}$/), async (parts, declared) => {
        const whole = Buffer.concat(parts);
        await expect(readContent(parts, 1 << 20, sha(whole))).resolves.toMatchObject({ sha256: sha(whole) });
        if (declared !== sha(whole)) await expect(readContent(parts, 1 << 20, declared)).rejects.toMatchObject({ code: 'INVALID_INPUT', details: { field: 'sha256' } });
      }),
    );
  });

  it('never takes a name with a path separator or a control character, and never throws on any string', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (name) => {
        const problem = attachmentNameProblem(name);
        // eslint-disable-next-line no-control-regex
        if (/[/\\\u0000-\u001f\u007f]/.test(name) || name.trim() === '' || name === '.' || name === '..') expect(problem).toBeDefined();
        expect(AttachmentNameSchema.safeParse(name).success).toBe(problem === undefined);
      }),
    );
  });
});

describe('attaching random files with random names, fuzzed (SQLite)', () => {
  let t: TestStore;
  let deps: Deps;
  beforeAll(async () => {
    ({ t, deps } = await freshStore('sqlite'));
    await aProduct(deps);
    await someRecords(deps, 'RPM', ['TC']);
  });
  afterAll(async () => t.cleanup());

  it('stores each file whole under its hash, or refuses it and stores nothing', async () => {
    const LIMIT = 1500;
    await fc.assert(
      fc.asyncProperty(chunks, fc.string({ unit: 'binary', minLength: 1, maxLength: 40 }), async (parts, name) => {
        const before = (await listAttachments(deps, { productKey: 'RPM', record: 'TC-1' })).attachments.length;
        const whole = Buffer.concat(parts);
        const parsed = AddAttachmentInputSchema.safeParse({ productKey: 'RPM', record: 'TC-1', name, content: parts });
        let added = false;
        if (parsed.success) {
          try {
            const out = await addAttachment(deps, { attachmentLimit: () => LIMIT }, parsed.data);
            added = true;
            expect(out.attachment).toMatchObject({ name, size: whole.length, sha256: sha(whole) });
            const row = await deps.store.read((r) => r.findAttachmentContent(sha(whole)));
            expect(Buffer.from(row?.bytes ?? []).equals(whole)).toBe(true);
          } catch (e) {
            // Over the limit, or these bytes under this name already.
            expect(isAppError(e, 'TOO_LARGE') || isAppError(e, 'CONFLICT')).toBe(true);
          }
        }
        const after = (await listAttachments(deps, { productKey: 'RPM', record: 'TC-1' })).attachments.length;
        expect(after).toBe(before + (added ? 1 : 0));
      }),
      { numRuns: 60 },
    );
  });
});
