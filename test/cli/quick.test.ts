/**
 * The quick way through (cli/quick.ts, no yargs) reads a command line exactly as yargs does, or leaves it to yargs.
 * Every command's real flag builder, real command lines; yargs' reading is the reference.
 */
import yargs, { type Argv } from 'yargs';
import { describe, expect, it } from 'vitest';
import { sharedOptions } from '../../src/cli/flags.js';
import { COMMANDS } from '../../src/cli/main.js';
import { quickParse } from '../../src/cli/quick.js';

async function viaYargs(spec: string, builder: (y: Argv) => unknown, tokens: string[]): Promise<Record<string, unknown>> {
  const name = spec.split(' ')[0];
  const all = [name, ...tokens];
  let got: Record<string, unknown> | undefined;
  await sharedOptions(yargs(all), all).version(false).strict()
    .fail((msg, err) => {
      throw err ?? new Error(msg);
    })
    .command(spec, '', builder as (y: Argv) => Argv, (a) => {
      got = { ...a };
    })
    .parseAsync();
  delete got!._;
  delete got!.$0;
  return got!;
}

const NATS = ['--nats', 'nats://127.0.0.1:4222', '--subject', 'events.batches'];
const CONSUME = [...NATS, '--stream', 'EVENTS', '--durable', 'd', '--verdicts', 'events.verdicts'];

/** Lines the quick way takes (each must read as yargs reads it). */
const TAKEN: Record<string, string[][]> = {
  validate: [[], ['a.json'], ['a.json', 'b/', '--plan', 'p.json'], ['--format', 'json', 'x'], ['-q', 'x'], ['--no-color', 'x'], ['--color'],
    ['--jobs', '2', '--max-line', '64MB'], ['--strict-types', '--fail-on-skip', '--force'], ['--block', '--out', 'dir', 'q.json'],
    ['--version', '2', 'x'], ['<stdin>'], ['--plan=p.json', '--format=sarif', 'x'], ['--quiet', '--format', 'pretty']],
  compile: [[], ['--draft', '07', '--out', 's'], ['--plan', 'p', '--version', '1', '--strict-types']],
  stream: [[], ['--port', '0', '--no-ui', '--json'], ['--no-https', '--https-port', '9443', '--no-watch'], ['--max-body', '2mb', '--token', 't', '-q']],
  replay: [['a.ndjson'], ['a.ndjson', 'b.ndjson', '--format', 'json', '--to', 'http://127.0.0.1:1']],
  demo: [[], ['--no-ui', '--count', '3', '--rate', '10']],
  'lint-plan': [[], ['--rules', 'strict', '--all-versions', '--format', 'json']],
  diff: [[], ['old.json', 'new.json'], ['old.json'], ['--plan', 'p.json', '--from', '1', '--to', '2', '--format', 'markdown']],
  codegen: [[], ['--sdk', 'global', '--out', 'src/t.ts', '--check']],
  consume: [CONSUME, [...CONSUME, '--concurrency', '8', '--no-watch', '--metrics-port', '0']],
  publish: [['a.json', ...NATS], [...NATS, '--stream', 'S', 'x.ndjson', 'y.ndjson']],
  scan: [[], ['src'], ['src', '--format', 'json', '--verbose', '--no-progress']],
};

/** Lines left to yargs (it rejects them, or reads them in a way the quick way does not attempt). */
const LEFT: Record<string, string[][]> = {
  validate: [['--format', 'nope'], ['--plan', 'a', '--plan', 'b'], ['--jobs', 'x'], ['--jobs'], ['--bogus'], ['a', '--', 'b'], ['--failOnSkip'],
    ['-h'], ['--help'], ['--plan'], ['--plan='], ['--force', 'false'], ['--force=true'], ['--color', '--no-color'], ['--jobs', '-1']],
  replay: [[]],
  consume: [NATS],
  publish: [['a.json', '--nats', 'n']],
  diff: [['a', 'b', 'c']],
  stream: [['--allowed-host', 'a', 'b']],
  scan: [['--fail-on', 'uncovered']],
};

describe('quick command-line reading', () => {
  for (const c of COMMANDS) {
    const spec = [c.command].flat()[0];
    const name = spec.split(' ')[0];
    it(`${name}: what it takes reads as yargs reads it; the rest it leaves to yargs`, async () => {
      const m = await c.load();
      expect(TAKEN[name], `lines for ${name}`).toBeDefined();
      for (const tokens of TAKEN[name]) {
        const quick = quickParse(spec, m.builder, tokens);
        expect(quick, `${name} ${tokens.join(' ')}`).toBeDefined();
        expect(quick, `${name} ${tokens.join(' ')}`).toEqual(await viaYargs(spec, m.builder, tokens));
      }
      for (const tokens of LEFT[name] ?? []) expect(quickParse(spec, m.builder, tokens), `${name} ${tokens.join(' ')}`).toBeUndefined();
    });
  }
});
