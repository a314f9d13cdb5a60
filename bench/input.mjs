// The batch reader on long lines: time and peak memory of `readBatches` against a baseline of
// readFileSync + JSON.parse on the same file, measured in this run (each in its own process).
// Usage: npm run build && node bench/input.mjs [MB ...]   (default: 30 100)
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

if (process.argv[2] === '--phase') {
  const [, , , phase, file] = process.argv;
  const t = performance.now();
  let batches = 0;
  if (phase === 'baseline') {
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      if (!line) continue;
      JSON.parse(line);
      batches++;
    }
  } else {
    const { readBatches } = await import('../dist/index.js');
    for await (const item of readBatches(file)) if (!('error' in item)) batches++;
  }
  console.log(JSON.stringify({ ms: performance.now() - t, batches, rss: process.resourceUsage().maxRSS / 1024 }));
  process.exit(0);
}

const sizes = process.argv.slice(2).map(Number).filter((n) => n > 0);
const dir = mkdtempSync(join(tmpdir(), 'dataplan-bench-input-'));
try {
  for (const mb of sizes.length ? sizes : [30, 100]) {
    const file = join(dir, `long-${mb}.ndjson`);
    writeFileSync(file, `{"events":[],"x":"${'y'.repeat(mb * 1024 * 1024)}"}\n{"events":[]}\n`);
    const run = (phase) => JSON.parse(execFileSync(process.execPath, [import.meta.filename, '--phase', phase, file], { encoding: 'utf8', maxBuffer: 1 << 20 }));
    const base = run('baseline');
    const ours = run('reader');
    console.log(`${mb} MB line: reader ${(ours.ms / 1000).toFixed(2)} s, ${ours.rss.toFixed(0)} MB RSS; baseline (readFileSync + JSON.parse) ${(base.ms / 1000).toFixed(2)} s, ${base.rss.toFixed(0)} MB; ratio ${(ours.ms / base.ms).toFixed(2)}x time, ${(ours.rss / base.rss).toFixed(2)}x memory`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
