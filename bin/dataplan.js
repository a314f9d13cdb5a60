#!/usr/bin/env node
// The dataplan CLI. The TypeScript sources are compiled into dist/ by `npm run build` (also run by `npm start` and before `npm pack`).
import { existsSync, readFileSync } from 'node:fs';

const argv = process.argv.slice(2);
// `dataplan --version` alone is answered here, before the CLI (yargs and the rest) is loaded.
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
  process.stdout.write(`${JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version}\n`);
} else {
  const entry = new URL('../dist/cli/main.js', import.meta.url);
  if (!existsSync(entry)) {
    process.stderr.write('dataplan: dist/ is missing; run "npm run build" (npm start does it for you)\n');
    process.exit(2);
  }
  const { main } = await import(entry.href);
  process.exitCode = await main(argv);
}
