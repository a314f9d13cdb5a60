/**
 * What every command shares: `-h`/`--help`, `--color`/`--no-color`, and the flag checks yargs leaves
 * out. yargs turns a flag given twice into an array and a number that is not one into NaN; both
 * would reach the commands as something they never asked for, so they stop here as usage errors.
 */
import type { Argv } from 'yargs';
import { UsageError } from './plan-option.js';

interface OptionTable {
  key: Record<string, boolean>;
  alias: Record<string, string[]>;
  array: string[];
  number: string[];
  string: string[];
}

function flagName(key: string): string {
  return key.length === 1 ? `-${key}` : `--${key}`;
}

/** Throw a UsageError for the first flag that is repeated, missing its number, or missing its value. */
export function checkFlags(argv: Record<string, unknown>, options: OptionTable): void {
  const aliases = new Set(Object.values(options.alias).flat());
  const arrays = new Set(options.array);
  const numbers = new Set(options.number);
  const strings = new Set(options.string);
  for (const key of Object.keys(options.key)) {
    if (aliases.has(key) || !(key in argv)) continue;
    const value = argv[key];
    if (Array.isArray(value) && !arrays.has(key)) {
      const shown = value.map((v) => (typeof v === 'number' && Number.isNaN(v) ? '?' : String(v)));
      throw new UsageError(`${flagName(key)} was given ${value.length} times (${shown.join(', ')}); give it once`);
    }
    if (numbers.has(key) && (value === undefined || (typeof value === 'number' && !Number.isFinite(value)))) {
      throw new UsageError(`${flagName(key)} needs a number`);
    }
    if (strings.has(key) && value === '') throw new UsageError(`${flagName(key)} needs a value`);
  }
}

/** Flags and checks for the top-level parser; commands inherit them. */
export function sharedOptions(y: Argv): Argv {
  return y
    .option('color', { type: 'boolean', global: true, describe: 'colour the output (--no-color: never); default: FORCE_COLOR / NO_COLOR, else when stdout is a colour terminal' })
    .help()
    .alias('help', 'h')
    // yargs passes the command's own parser as the second argument (its typings predate that).
    .middleware(((argv: Record<string, unknown>, yy: { getOptions(): OptionTable }) => checkFlags(argv, yy.getOptions())) as unknown as (argv: object) => void, true);
}
