/**
 * What every command shares: `-h`/`--help`, `--color`/`--no-color`, and the flag checks yargs leaves
 * out. yargs turns a flag given twice into an array and a number that is not one into NaN; both
 * would reach the commands as something they never asked for, so they stop here as usage errors.
 */
import type { Argv } from 'yargs';
import { UsageError } from './usage.js';

interface OptionTable {
  key: Record<string, boolean>;
  alias: Record<string, string[]>;
  array: string[];
  boolean: string[];
  number: string[];
  string: string[];
}

function flagName(key: string): string {
  return key.length === 1 ? `-${key}` : `--${key}`;
}

/** Where `flag` (or one of its spellings) appears in the command line, with the value given each time. */
function occurrences(tokens: readonly string[], spellings: string[]): string[] {
  const values: string[] = [];
  for (let i = 0; i < tokens.length && tokens[i] !== '--'; i++) {
    const t = tokens[i];
    for (const s of spellings) {
      if (t === s) values.push(tokens[i + 1] !== undefined && !tokens[i + 1].startsWith('-') ? tokens[i + 1] : '');
      else if (t.startsWith(`${s}=`)) values.push(t.slice(s.length + 1));
    }
  }
  return values;
}

function camel(key: string): string {
  return key.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}

/**
 * Throw a UsageError for the first flag that is repeated, missing its number, or missing its value.
 * Repeats are counted in the command line itself: yargs lets some through (`--port 0 --port 1` gives 1).
 */
export function checkFlags(argv: Record<string, unknown>, options: OptionTable, tokens: readonly string[]): void {
  const aliases = new Set(Object.values(options.alias).flat());
  const arrays = new Set(options.array);
  const booleans = new Set(options.boolean);
  const numbers = new Set(options.number);
  const strings = new Set(options.string);
  for (const key of Object.keys(options.key)) {
    if (aliases.has(key) || arrays.has(key)) continue;
    if (!booleans.has(key)) {
      const names = [key, camel(key), ...(options.alias[key] ?? [])];
      const given = occurrences(tokens, [...new Set(names)].map(flagName));
      if (given.length > 1) throw new UsageError(`${flagName(key)} was given ${given.length} times (${given.join(', ')}); give it once`);
    }
    if (!(key in argv)) continue;
    const value = argv[key];
    if (Array.isArray(value)) throw new UsageError(`${flagName(key)} was given ${value.length} times; give it once`);
    if (numbers.has(key) && (value === undefined || (typeof value === 'number' && !Number.isFinite(value)))) {
      throw new UsageError(`${flagName(key)} needs a number`);
    }
    if (strings.has(key) && value === '') throw new UsageError(`${flagName(key)} needs a value`);
  }
}

/** Flags and checks for the top-level parser; commands inherit them. */
export function sharedOptions(y: Argv, tokens: readonly string[]): Argv {
  return y
    .option('color', { type: 'boolean', global: true, describe: 'colour the output (--no-color: never); default: FORCE_COLOR / NO_COLOR, else when stdout is a colour terminal' })
    .help()
    .alias('help', 'h')
    // yargs passes the command's own parser as the second argument (its typings predate that).
    .middleware(((argv: Record<string, unknown>, yy: { getOptions(): OptionTable }) => checkFlags(argv, yy.getOptions(), tokens)) as unknown as (argv: object) => void, true);
}
