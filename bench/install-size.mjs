// What installing dataplan costs a project: the packed package installed next to ESLint alone (a
// project that wants only the ESLint plugin), against ESLint alone, and with the optional peers the
// CLI's scan and codegen need. Sizes are the files' own sizes (not disk blocks), counted in one run.
// Usage: npm run build && node bench/install-size.mjs        (uses the npm cache when it can)
import { execFileSync } from 'node:child_process';
import { lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const versionOf = (name) => JSON.parse(readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8')).version;
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));

/** Bytes and files under a directory, symlinks not followed. */
function size(dir) {
  let bytes = 0;
  let files = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      const s = size(p);
      bytes += s.bytes;
      files += s.files;
    } else if (e.isFile()) {
      bytes += lstatSync(p).size;
      files++;
    }
  }
  return { bytes, files };
}

/** Every installed package (name → bytes), nested ones included. */
function packages(nodeModules, out = new Map()) {
  for (const e of readdirSync(nodeModules, { withFileTypes: true })) {
    if (!e.isDirectory() || e.name.startsWith('.')) continue;
    const dirs = e.name.startsWith('@') ? readdirSync(join(nodeModules, e.name)).map((n) => [`${e.name}/${n}`, join(nodeModules, e.name, n)]) : [[e.name, join(nodeModules, e.name)]];
    for (const [name, dir] of dirs) {
      out.set(name, (out.get(name) ?? 0) + size(dir).bytes);
      try {
        packages(join(dir, 'node_modules'), out);
      } catch {
        /* no nested node_modules */
      }
    }
  }
  return out;
}

function consumer(work, name, deps) {
  const dir = join(work, name);
  mkdirSync(dir);
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name, private: true, type: 'module' }));
  execFileSync(npm, ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error', ...deps], { cwd: dir, stdio: ['ignore', 'ignore', 'inherit'] });
  return { dir, ...size(join(dir, 'node_modules')), packages: packages(join(dir, 'node_modules')) };
}

const mb = (b) => `${(b / 1e6).toFixed(1)} MB`;
const work = mkdtempSync(join(tmpdir(), 'dataplan-install-'));
try {
  execFileSync(npm, ['pack', '--ignore-scripts', '--pack-destination', work, '--loglevel=error'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  const tarball = join(work, `${pkg.name}-${pkg.version}.tgz`);
  const eslint = `eslint@${versionOf('eslint')}`;
  const base = consumer(work, 'eslint-only', [eslint]);
  const plugin = consumer(work, 'plugin-only', [eslint, tarball]);
  const peers = ['typescript', 'ts-morph', '@typescript-eslint/typescript-estree', '@typescript-eslint/scope-manager', '@typescript-eslint/visitor-keys'].map((n) => `${n}@${versionOf(n)}`);
  const cli = consumer(work, 'cli-with-scan', [eslint, tarball, ...peers]);

  console.log(`dataplan ${pkg.version}: install size next to ${eslint} (files' own sizes)\n`);
  const row = (label, c) => console.log(`${label.padEnd(44)} ${mb(c.bytes).padStart(9)}  ${String(c.packages.size).padStart(4)} packages  ${String(c.files).padStart(6)} files`);
  row('ESLint alone', base);
  row('ESLint + dataplan (plugin-only consumer)', plugin);
  row('+ scan/codegen peers (typescript, ts-morph, …)', cli);
  console.log(`\nplugin-only consumer: +${mb(plugin.bytes - base.bytes)} over ESLint alone (${(plugin.bytes / base.bytes).toFixed(2)}×)`);
  const added = [...plugin.packages].filter(([n]) => !base.packages.has(n)).sort((a, b) => b[1] - a[1]);
  console.log(`packages it adds (${added.length}), largest first: ${added.slice(0, 10).map(([n, b]) => `${n} ${mb(b)}`).join(', ')}`);
  const heavy = ['typescript', 'ts-morph', '@ts-morph/common', 'blessed', 'chokidar', 'ws'].filter((n) => plugin.packages.has(n));
  console.log(`CLI-only packages present: ${heavy.length ? heavy.join(', ') : 'none'}`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
