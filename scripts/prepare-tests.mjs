// Runs before `npm test` (npm's pretest): what the browser and process tests need beyond npm's packages.
// - the built app (dist/cli/main.js and dist/web), built once when missing;
// - Debian's Chromium at /usr/bin/chromium (or $DOSSIER_CHROMIUM), installed with apt-get when missing and allowed.
import { execSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const run = (cmd) => execSync(cmd, { stdio: 'inherit' });

if (!existsSync('dist/cli/main.js') || !existsSync('dist/web/index.html')) {
  console.error('pretest: the app is not built yet: npm run build');
  run('npm run build');
}

const chromium = process.env.DOSSIER_CHROMIUM ?? '/usr/bin/chromium';
if (!existsSync(chromium)) {
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!root) {
    console.error(`pretest: ${chromium} is missing and this user cannot install it: run sudo apt-get install -y chromium`);
    process.exit(1);
  }
  console.error("pretest: installing Debian's Chromium for the browser tests (apt-get install -y chromium)");
  run('DEBIAN_FRONTEND=noninteractive apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium');
}
