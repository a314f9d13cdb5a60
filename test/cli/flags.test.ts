/** Flags every command shares, through the real executable: repeated flags, numbers, help, colour, --plan everywhere. */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIX, ROOT } from './helpers.js';

const BIN = join(ROOT, 'bin', 'dataplan.js');
const P = (f: string) => join(FIX, 'plans', f);
const B = (f: string) => join(FIX, 'batches', f);
const ESC = '\u001b[';
/** Each test starts the binary a few times on a shared machine. */
const SLOW = { timeout: 120_000 };

/** The binary with a clean colour environment plus `env`; stdout and stderr are pipes. */
function run(args: string[], env: Record<string, string> = {}) {
  const base = { ...process.env };
  for (const k of ['NO_COLOR', 'FORCE_COLOR', 'CI', 'GITHUB_ACTIONS']) delete base[k];
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8', env: { ...base, TERM: 'xterm-256color', ...env }, timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The binary on a pseudo-terminal (util-linux `script`), so stdout is a TTY; output as the terminal got it. */
function onTerminal(args: string[], env: Record<string, string> = {}) {
  const cmd = [process.execPath, BIN, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  return spawnSync('script', ['-qec', cmd, '/dev/null'], {
    cwd: ROOT, encoding: 'utf8', timeout: 60_000,
    env: { ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !['NO_COLOR', 'FORCE_COLOR', 'CI', 'GITHUB_ACTIONS'].includes(k))), TERM: 'xterm-256color', ...env },
  });
}

describe('a single-valued flag given twice is a usage error naming it', SLOW, () => {
  it.each([
    [['validate', '--format', 'sarif', '--format', 'sarif'], '--format'],
    [['validate', '--plan', 'a.json', '--plan', 'b.json'], '--plan'],
    [['validate', '--version', '1', '--version', '2'], '--version'],
    [['validate', '--format=sarif', '--format', 'junit'], '--format'],
    [['replay', 'session.ndjson', '--format', 'sarif', '--format', 'sarif'], '--format'],
    [['replay', 'session.ndjson', '--plan', 'a.json', '--plan', 'b.json'], '--plan'],
    [['lint-plan', '--format', 'sarif', '--format', 'sarif'], '--format'],
    [['lint-plan', '--plan', 'a.json', '--plan', 'b.json'], '--plan'],
    [['lint-plan', '--rules', 'default', '--rules', 'strict'], '--rules'],
    [['plan', 'check', '--format', 'json', '--format', 'pretty'], '--format'],
    [['scan', '--format', 'json', '--format', 'json'], '--format'],
    [['stream', '--port', '0', '--port', '1'], '--port'],
    [['diff', '--from', '1', '--from', '2'], '--from'],
    [['codegen', '--sdk', 'import', '--sdk', 'global'], '--sdk'],
  ])('%j', (args, flag) => {
    const r = run(args);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`dataplan: ${flag} was given 2 times`);
    expect(r.stderr).not.toMatch(/TypeError|Received an instance/);
  });
  it('flags that take many values still do', () => {
    const r = run(['validate', B('clean-web-shopping-session.json'), B('violation-minimal.json'), '--plan', P('acme_web_shop-2.version.json'), '--format', 'json']);
    expect(JSON.parse(r.stdout).summary.sources).toBe(2);
    const s = run(['scan', join(FIX, 'scan', 'plain-js'), '--fail-on', 'unplanned', '--fail-on', 'uncovered', '--format', 'json']);
    expect(s.stderr).not.toContain('was given');
  });
  it('a boolean given twice: the last one wins', () => {
    const r = run(['validate', B('clean-web-shopping-session.json'), '--plan', P('acme_web_shop-2.version.json'), '--color', '--no-color']);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain(ESC);
  });
});

describe('--version needs a plan version number', SLOW, () => {
  it.each([[['validate', '--version']], [['validate', '--version', 'abc']], [['compile', '--version', 'two']], [['lint-plan', '--version']]])('%j', (args) => {
    const r = run(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('dataplan: --version needs a number');
  });
  it('a string flag without its value is a usage error too', () => {
    const r = run(['plan', 'check', '--plan']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--plan needs a value');
  });
  it('dataplan --version alone is still the tool version', () => {
    expect(run(['--version']).stdout).toMatch(/^\d+\.\d+\.\d+/);
  });
});

describe('help', SLOW, () => {
  it.each([[['-h']], [['--help']]])('%j lists the commands, exit 0', (args) => {
    const r = run(args);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^dataplan <command>/);
    expect(r.stdout).toContain('dataplan lint-plan');
    expect(r.stdout).toContain('--no-color');
  });
  it.each([['validate'], ['scan'], ['demo'], ['diff'], ['lint-plan']])('dataplan %s -h shows that command\'s flags', (cmd) => {
    const r = run([cmd, '-h']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^dataplan ${cmd}`));
    expect(r.stdout).toContain('--plan');
    expect(r.stderr).toBe('');
  });
  it('dataplan plan check -h', () => {
    const r = run(['plan', 'check', '-h']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('dataplan plan check');
    expect(r.stdout).toContain('--format');
  });
});

describe('colour', SLOW, () => {
  const args = ['validate', B('violation-minimal.json'), '--plan', P('tiny_plan.document.json')];
  it('none through a pipe by default', () => {
    const r = run(args);
    expect(r.code).toBe(1);
    expect(r.stdout).not.toContain(ESC);
  });
  it('FORCE_COLOR colours through a pipe; FORCE_COLOR wins over NO_COLOR', () => {
    expect(run(args, { FORCE_COLOR: '1' }).stdout).toContain(`${ESC}31m✗`);
    expect(run(args, { FORCE_COLOR: '1', NO_COLOR: '1' }).stdout).toContain(ESC);
  });
  it('--color colours through a pipe; --no-color beats FORCE_COLOR', () => {
    expect(run([...args, '--color']).stdout).toContain(ESC);
    expect(run([...args, '--no-color'], { FORCE_COLOR: '3' }).stdout).not.toContain(ESC);
  });
  it('on a terminal: colour by default, none with FORCE_COLOR=0, NO_COLOR or --no-color', () => {
    expect(onTerminal(args).stdout).toContain(`${ESC}31m✗`);
    expect(onTerminal(args, { FORCE_COLOR: '0' }).stdout).not.toContain(ESC);
    expect(onTerminal(args, { NO_COLOR: '1' }).stdout).not.toContain(ESC);
    expect(onTerminal([...args, '--no-color']).stdout).not.toContain(ESC);
  });
});

describe('--plan on every command', SLOW, () => {
  it('diff --plan FILE compares its two latest versions, like diff FILE', () => {
    const plan = join(ROOT, 'plans', 'acme_web_shop.json');
    const a = run(['diff', '--plan', plan, '--format', 'json']);
    const b = run(['diff', plan, '--format', 'json']);
    expect(a.code).toBe(1);
    expect(a.stdout).toBe(b.stdout);
    expect(JSON.parse(a.stdout).summary.breaking).toBeGreaterThan(0);
  });
  it('diff --plan with OLD as well is a usage error', () => {
    const r = run(['diff', P('acme_web_shop.plan.json'), '--plan', P('acme_web_shop.plan.json')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--plan names the plan when OLD is not given');
  });
  it('demo --plan judges the built-in traffic against that plan', () => {
    const r = run(['demo', '--no-ui', '--json', '--port', '0', '--count', '6', '--plan', P('tiny_plan.document.json')]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`with ${P('tiny_plan.document.json')}`);
    const events = r.stdout.trim().split('\n').map((l) => JSON.parse(l)).filter((m) => m.type === 'event');
    expect(events.length).toBeGreaterThan(0);
    // The bundled plan's events are not in the tiny plan: judged, and unplanned.
    expect(events.some((e) => e.violations.some((v: { violation: string }) => v.violation === 'unplanned_event'))).toBe(true);
  });
  it('demo --plan with a broken plan: exit 2 naming the file', () => {
    const r = run(['demo', '--no-ui', '--port', '0', '--plan', join(FIX, 'does-not-exist.json')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('does-not-exist.json');
  });
});
