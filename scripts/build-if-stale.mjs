// `npm start` on a fresh clone: build dist/ when it is missing or older than src/ (npm install no longer builds).
import { execSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const built = statSync(join(root, 'dist', 'cli', 'main.js'), { throwIfNoEntry: false })?.mtimeMs ?? 0;

function newest(dir) {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

if (built === 0 || newest(join(root, 'src')) > built) {
  process.stderr.write(built === 0 ? 'dataplan: building dist/ (first run)\n' : 'dataplan: src/ changed; rebuilding dist/\n');
  execSync('npm run build', { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
}
