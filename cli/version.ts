// The version `nmsparse --version` prints: the one in the installed package's package.json, found
// by walking up from this file, which runs as cli/version.ts in a checkout and as a compiled
// file under dist/ in a package.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export function packageVersion(): string {
  let directory = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const file = path.join(directory, 'package.json');
    // dist/ may hold a package.json of its own (for the module type): only nmsparse's counts.
    if (existsSync(file)) {
      const manifest = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (manifest.name === 'nmsparse' && manifest.version) return manifest.version;
    }
    const parent = path.dirname(directory);
    if (parent === directory) throw new Error(`no package.json of nmsparse above ${fileURLToPath(import.meta.url)}`);
    directory = parent;
  }
}
