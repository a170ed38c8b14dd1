/**
 * Build step (`npm run build`, last): writes `dist/install-manifest.json`, the SHA-256 of every file the package
 * ships, so `dossier validate` can tell the installed files from the built ones (installation qualification).
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, realpathSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { INSTALL_MANIFEST, MANIFEST_FILES, MANIFEST_FOLDERS, type InstallManifest } from '../core/validation/installation.js';

/** Every shipped file below `root` with its SHA-256 (the manifest itself left out), by `/`-separated path. */
export function hashShippedFiles(root: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (rel: string): void => {
    for (const e of readdirSync(join(root, rel), { withFileTypes: true })) {
      const path = `${rel}/${e.name}`;
      if (e.isDirectory()) walk(path);
      else if (e.isFile() && path !== INSTALL_MANIFEST) out.set(path, createHash('sha256').update(readFileSync(join(root, path))).digest('hex'));
    }
  };
  for (const folder of MANIFEST_FOLDERS) if (existsSync(join(root, folder))) walk(folder);
  for (const file of MANIFEST_FILES) if (existsSync(join(root, file))) out.set(file, createHash('sha256').update(readFileSync(join(root, file))).digest('hex'));
  return out;
}

export function installManifest(root: string): InstallManifest {
  const version = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;
  const files = hashShippedFiles(root);
  return { format: 1, version, files: Object.fromEntries([...files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) };
}

if (process.argv[1] !== undefined && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = fileURLToPath(new URL('../../', import.meta.url));
  writeFileSync(join(root, INSTALL_MANIFEST), `${JSON.stringify(installManifest(root), null, 1)}\n`);
}
