/**
 * The quick way through for a plain, well-formed command line (`dataplan validate a.json --plan p.json`):
 * the command's own flag builder is replayed against a recorder and the line is parsed with Node's
 * `util.parseArgs`, so yargs (the largest part of a short command's start-up) is not loaded. Anything
 * this cannot vouch for — help, a usage error, a flag spelt another way, an option feature it does not
 * know — returns undefined and the caller goes through yargs, which then decides and words the error.
 * test/cli/quick.test.ts checks that both ways read the same lines the same.
 */
import { parseArgs } from 'node:util';
import type { Argv } from 'yargs';
import { checkFlags } from './flags.js';

interface OptionDef {
  type?: string;
  describe?: string;
  default?: unknown;
  choices?: readonly unknown[];
  alias?: string | string[];
  array?: boolean;
  demandOption?: boolean | string;
  global?: boolean;
}

const UNDERSTOOD = new Set(['type', 'describe', 'default', 'choices', 'alias', 'array', 'demandOption', 'global']);

/** What a builder declares: options, positionals and demanded options. Other calls make it unusable. */
class Recorder {
  readonly options = new Map<string, OptionDef>([['color', { type: 'boolean' }]]);
  readonly positionals = new Map<string, OptionDef>();
  readonly demanded = new Set<string>();
  usable = true;

  private take(def: OptionDef): OptionDef {
    if (Object.keys(def).some((k) => !UNDERSTOOD.has(k))) this.usable = false;
    if (def.type !== undefined && def.type !== 'string' && def.type !== 'number' && def.type !== 'boolean') this.usable = false;
    if (def.demandOption) this.usable = false;
    return def;
  }
  option(key: string, def: OptionDef = {}): this {
    this.options.set(key, this.take(def));
    return this;
  }
  positional(key: string, def: OptionDef = {}): this {
    this.positionals.set(key, this.take(def));
    return this;
  }
  demandOption(keys: string | string[]): this {
    for (const k of [keys].flat()) this.demanded.add(k);
    return this;
  }
  example(): this {
    return this;
  }
  epilogue(): this {
    return this;
  }
}

function camel(key: string): string {
  return key.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}

const NUMBER = /^-?\d+(?:\.\d+)?$/;

/**
 * The arguments yargs would hand the command's handler, or undefined when this line needs yargs.
 * `spec` is the command as declared (`validate [files..]`); `tokens` the words after the command name.
 */
export function quickParse(spec: string, builder: (y: Argv) => unknown, tokens: readonly string[]): Record<string, unknown> | undefined {
  if (tokens.some((t) => t === '--' || t === '-h' || t === '--help' || t === 'true' || t === 'false')) return undefined;
  const rec = new Recorder();
  try {
    builder(rec as unknown as Argv);
  } catch {
    return undefined;
  }
  if (!rec.usable) return undefined;

  // parseArgs knows long names and one-letter aliases; `--no-x` is turned into x = false here.
  const config: Record<string, { type: 'string' | 'boolean'; short?: string }> = {};
  const shortOf = new Map<string, string>();
  for (const [key, def] of rec.options) {
    if (def.array && tokens.some((t) => t === `--${key}` || t.startsWith(`--${key}=`))) return undefined; // yargs reads several words
    const aliases = [def.alias ?? []].flat();
    if (aliases.some((a) => a.length !== 1)) return undefined;
    config[key] = { type: def.type === 'boolean' ? 'boolean' : 'string', ...(aliases[0] ? { short: aliases[0] } : {}) };
    if (aliases[0]) shortOf.set(key, aliases[0]);
  }
  const negated = new Map<string, boolean>();
  const rest: string[] = [];
  for (const t of tokens) {
    const m = /^--no-(.+)$/.exec(t);
    if (m && rec.options.get(m[1])?.type === 'boolean') {
      if (negated.has(m[1])) return undefined;
      negated.set(m[1], false);
    } else rest.push(t);
  }
  let parsed: { values: Record<string, string | boolean | undefined>; positionals: string[] };
  try {
    parsed = parseArgs({ args: rest, options: config, strict: true, allowPositionals: true }) as typeof parsed;
  } catch {
    return undefined;
  }

  const args: Record<string, unknown> = {};
  for (const [key, def] of rec.options) {
    let v: unknown = negated.has(key) ? (key in parsed.values ? undefined : false) : parsed.values[key];
    if (negated.has(key) && key in parsed.values) return undefined; // --x and --no-x
    if (v === undefined) {
      if (rec.demanded.has(key)) return undefined;
      if (!('default' in def)) continue;
      v = def.default;
    } else if (def.type === 'number') {
      if (typeof v !== 'string' || !NUMBER.test(v)) return undefined;
      v = Number(v);
    }
    if (def.choices && !def.choices.includes(v)) return undefined;
    args[key] = v;
    args[camel(key)] = v;
    const short = shortOf.get(key);
    if (short) args[short] = v;
  }

  // Positionals, in the order the command declares them: `<a>` required, `[a]` optional, `..` takes the rest.
  const words = [...parsed.positionals];
  for (const m of spec.split(' ').slice(1).map((p) => /^([<[])([\w-]+)(\.\.)?[>\]]$/.exec(p))) {
    if (!m) return undefined;
    const [, bracket, name, rest] = m;
    const def = rec.positionals.get(name) ?? {};
    if (def.type !== undefined && def.type !== 'string') return undefined;
    const value = rest ? words.splice(0) : words.shift();
    if (bracket === '<' && (value === undefined || (Array.isArray(value) && value.length === 0))) return undefined;
    if (value === undefined && !rest) continue;
    args[name] = value;
    args[camel(name)] = value;
  }
  if (words.length > 0) return undefined;

  const table = {
    key: Object.fromEntries([...rec.options.keys()].map((k) => [k, true])),
    alias: Object.fromEntries([...shortOf].map(([k, s]) => [k, [s]])),
    array: [...rec.options].filter(([, d]) => d.array).map(([k]) => k),
    boolean: [...rec.options].filter(([, d]) => d.type === 'boolean').map(([k]) => k),
    number: [...rec.options].filter(([, d]) => d.type === 'number').map(([k]) => k),
    string: [...rec.options].filter(([, d]) => d.type === 'string').map(([k]) => k),
  };
  try {
    checkFlags(args, table, tokens);
  } catch {
    return undefined;
  }
  return args;
}
