/**
 * What each way in loads: a short command must not pay for the whole toolkit, and the ESLint plugin must not load
 * the CLI's heavyweights. Real processes (the built binary, the package's own exports), recorded by a loader hook;
 * no timing.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { FIX, ROOT } from './helpers.js';

const tmp = mkdtempSync(join(tmpdir(), 'dataplan-loads-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Packages only some commands need. */
const CLI_HEAVY = ['ts-morph', 'blessed', 'chokidar', 'ws', 'yargs', 'ajv'];
const HEAVY = ['ts-morph', 'typescript', 'blessed', 'chokidar', 'ws', '@nats-io/transport-node', '@nats-io/jetstream', '@nats-io/nats-core', 'node-forge', '@typescript-eslint/typescript-estree'];

interface Loaded {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Packages from node_modules, by name. */
  packages: Set<string>;
  /** The package's own modules, relative to dist/. */
  own: string[];
}

let n = 0;
function run(args: string[], cwd = ROOT): Loaded {
  const out = join(tmp, `loads-${n++}.txt`);
  writeFileSync(out, '');
  const r = spawnSync(process.execPath, ['--import', join(ROOT, 'test', 'helpers', 'record-loads.mjs'), ...args], {
    cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', DATAPLAN_LOADS: out },
  });
  const lines = readFileSync(out, 'utf8').split('\n').filter(Boolean).map((l) => l.replace(/^file:\/\//, ''));
  const packages = new Set<string>();
  for (const l of lines) {
    const m = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(l);
    if (m) packages.add(m[1]);
  }
  const own = lines.filter((l) => l.startsWith(join(ROOT, 'dist') + '/')).map((l) => l.slice(join(ROOT, 'dist').length + 1));
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, packages, own };
}

const BIN = join(ROOT, 'bin', 'dataplan.js');
const PLAN = join(FIX, 'plans', 'acme_web_shop.plan.json');
const BATCH = join(FIX, 'batches', 'violation-minimal.json');

function noneOf(names: string[], loaded: Set<string>): string[] {
  return names.filter((p) => loaded.has(p));
}

describe('the CLI loads what the command needs', () => {
  it('records what it loads (the hook sees packages and our own modules)', () => {
    const r = run([BIN, 'stream', '-h']);
    expect(r.code).toBe(0);
    // stream's module brings the receiver: ws, chokidar — so the recorder does see them when they load.
    expect(r.packages).toContain('ws');
    expect(r.packages).toContain('yargs');
    expect(r.own).toContain('cli/stream.js');
  });

  it('dataplan --version loads neither yargs nor anything of dist/', () => {
    const r = run([BIN, '--version']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version}\n`);
    expect([...r.packages]).toEqual([]);
    expect(r.own).toEqual([]);
  });

  it('dataplan -h lists every command without loading any of them', () => {
    const r = run([BIN, '-h']);
    expect(r.code).toBe(0);
    for (const c of ['validate', 'compile', 'stream', 'replay', 'demo', 'lint-plan', 'diff', 'codegen', 'consume', 'publish', 'scan', 'plan']) {
      expect(r.stdout).toMatch(new RegExp(`dataplan ${c}\\b`));
    }
    expect(r.packages).toContain('yargs');
    expect(noneOf([...HEAVY, 'ajv', 'picocolors', 'tinyglobby'], r.packages)).toEqual([]);
    expect(r.own.filter((f) => !f.startsWith('cli/'))).toEqual([]);
    expect(r.own.sort()).toEqual(['cli/flags.js', 'cli/io.js', 'cli/main.js', 'cli/quick.js', 'cli/usage.js', 'cli/version.js']);
  });

  it('validate of a small batch loads no other command, no yargs for a plain line, no ajv for a plan in the evaluator\'s vocabulary', () => {
    const r = run([BIN, 'validate', BATCH, '--plan', PLAN, '--force']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('3 violations');
    expect(noneOf([...HEAVY, 'ajv', 'yargs'], r.packages)).toEqual([]);
    expect(r.own.filter((f) => /^(stream|tui|scan|consume|lint|plan-lint|diff)\//.test(f) || (f.startsWith('cli/') && !['cli/main.js', 'cli/flags.js', 'cli/io.js', 'cli/usage.js', 'cli/version.js', 'cli/validate.js', 'cli/plan-option.js', 'cli/quick.js'].includes(f)))).toEqual([]);
  });

  it('a line with a usage error goes through yargs, which words the error', () => {
    const r = run([BIN, 'validate', BATCH, '--format', 'nope']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Choices: "pretty"');
    expect(r.packages).toContain('yargs');
  });

  it('ajv loads when a schema needs it (a keyword beyond the evaluator\'s)', () => {
    const plan = join(tmp, 'oneof-plan.json');
    writeFileSync(plan, JSON.stringify({
      version_document: {
        data_points: [{
          match: { type: 'custom_event', criteria: { event_name: 'Pick', custom_event_type: 'other' } },
          validator: { type: 'json_schema', definition: { properties: { data: { properties: { custom_attributes: { properties: { size: { oneOf: [{ type: 'integer' }, { enum: ['S', 'M', 'L'] }] } } } } } } } },
        }],
      },
    }));
    const batch = join(tmp, 'pick.json');
    writeFileSync(batch, JSON.stringify({ events: [{ event_type: 'custom_event', data: { event_name: 'Pick', custom_event_type: 'other', custom_attributes: { size: 'XL' } } }] }));
    const r = run([BIN, 'validate', batch, '--plan', plan, '--force']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('size');
    expect(r.packages).toContain('ajv');
  });
});

describe('the package exports load no CLI', () => {
  const CLI_ONLY = [...HEAVY, 'yargs', 'ajv', 'tinyglobby', 'picocolors', 'supports-color'];

  it('dataplan/eslint (the plugin entry) loads only the plugin, the plan and the validator', () => {
    const r = run(['--input-type=module', '-e', "const p = (await import('dataplan/eslint')).default; console.log(Object.keys(p.rules).length);"]);
    expect(r.stderr).toBe('');
    expect(Number(r.stdout)).toBeGreaterThan(10);
    expect(noneOf(CLI_ONLY, r.packages)).toEqual([]);
    expect(r.own.filter((f) => /^(cli|stream|tui|scan|consume|report|plan-lint|diff)\//.test(f))).toEqual([]);
    // One bundled file (scripts/bundle-plugin.mjs): ESLint links ~70 separate modules more slowly than the plugin works.
    expect(r.own).toEqual(['eslint.js']);
  });

  it('dataplan (the API) loads no CLI either', () => {
    const r = run(['--input-type=module', '-e', "const d = await import('dataplan'); console.log(typeof d.loadPlan);"]);
    expect(r.stdout.trim()).toBe('function');
    expect(noneOf([...HEAVY, 'yargs', 'ajv', 'picocolors', 'supports-color'], r.packages)).toEqual([]);
    expect(r.own.filter((f) => /^(cli|stream|tui|scan|consume|lint|plan-lint|diff)\//.test(f))).toEqual([]);
  });
});

describe('the plugin in a JavaScript project', () => {
  it('follows imports with ESLint\'s own parser and reads jsconfig.json without loading TypeScript', () => {
    const dir = join(tmp, 'js-project');
    mkdirSync(join(dir, 'src'), { recursive: true });
    writeFileSync(join(dir, 'jsconfig.json'), '{\n  // editor settings\n  "compilerOptions": { "baseUrl": "." },\n}\n');
    writeFileSync(join(dir, 'src', 'track.js'), "import mParticle from '@mparticle/web-sdk';\nexport function track(name) {\n  mParticle.logEvent(name, mParticle.EventType.Navigation);\n}\n");
    writeFileSync(join(dir, 'src', 'page.js'), "import { track } from './track.js';\nexport function open() {\n  track('Navbar Clik');\n}\n");
    writeFileSync(join(dir, 'eslint.config.mjs'), `import dataplan from ${JSON.stringify(pathToFileURL(join(ROOT, 'dist', 'lint', 'index.js')).href)};
export default [dataplan.configs.recommended, { settings: { dataplan: { plan: ${JSON.stringify(join(FIX, 'plans', 'acme_web_shop-2.version.json'))} } } }];
`);
    const eslint = join(ROOT, 'node_modules', 'eslint', 'bin', 'eslint.js');
    const r = run([eslint, '--format', 'json', 'src'], dir);
    expect(r.stderr).toBe('');
    const messages = (JSON.parse(r.stdout) as { filePath: string; messages: { ruleId: string; message: string }[] }[])
      .flatMap((f) => f.messages.map((m) => `${f.filePath.slice(dir.length + 1)} ${m.ruleId}`));
    // The call goes through the wrapper in another module: found only by parsing that module.
    expect(messages).toEqual(['src/page.js dataplan/no-unplanned-event']);
    expect(noneOf(['typescript', '@typescript-eslint/typescript-estree', ...CLI_HEAVY], r.packages)).toEqual([]);
  });
});
