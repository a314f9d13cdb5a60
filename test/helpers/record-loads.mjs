/**
 * `node --import ./record-loads.mjs …`: writes every module the process loads, one URL or path a line, to the
 * file named by DATAPLAN_LOADS. ES modules are recorded by a loader hook (it runs on its own thread and appends
 * as each module loads, so nothing is lost at exit); CommonJS modules loaded with require() from the require cache
 * at exit.
 */
import { appendFileSync } from 'node:fs';
import { createRequire, register } from 'node:module';

const out = process.env.DATAPLAN_LOADS;
if (out) {
  const hooks = `
import { appendFileSync } from 'node:fs';
let out;
export function initialize(data) { out = data.out; }
export async function load(url, context, next) { appendFileSync(out, url + '\\n'); return next(url, context); }
`;
  register(`data:text/javascript,${encodeURIComponent(hooks)}`, import.meta.url, { data: { out } });
  process.on('exit', () => {
    const cache = createRequire(import.meta.url).cache;
    appendFileSync(out, Object.keys(cache).join('\n') + '\n');
  });
}
