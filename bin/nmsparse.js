#!/usr/bin/env node
// Launcher: the CLI ships compiled to dist/ (`npm run build`, which `prepare` runs on `npm ci` and
// `npm install`), so a start loads plain JavaScript and no TypeScript loader.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const main = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
if (!existsSync(main)) {
  console.error(`nmsparse: the command is not built (${main} is missing): run \`npm run build\` in the package folder`);
  process.exit(1);
}
await import('../dist/cli/main.js');
