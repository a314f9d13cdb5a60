#!/usr/bin/env node
// The dataplan CLI. The TypeScript sources are compiled into dist/ by `npm run build` (also run by `npm start` and before `npm pack`).
import { existsSync } from 'node:fs';

const entry = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write('dataplan: dist/ is missing; run "npm run build" (npm start does it for you)\n');
  process.exit(2);
}
const { main } = await import(entry.href);
process.exitCode = await main(process.argv.slice(2));
