/** One analysis per linted file, shared by every rule: recognize once, validate once, hand each rule its findings. */
import { checkCalls, type Finding, type RuleName } from './check.js';
import { planFor } from './plan-source.js';
import { noteRun } from './recognize/fresh.js';
import { mayContainCalls, preferJsParser, recognize, type SourceLike } from './recognize/index.js';
import { readSettings } from './settings.js';

// Imported JavaScript modules are read with ESLint's own parser, already loaded (TypeScript ones with typescript-eslint's).
preferJsParser('espree');

export interface FileAnalysis {
  /**
   * Why the file cannot be checked at all (no plan, broken plan, bad settings): reported once, by the first rule, and
   * only in files that can contain an analytics call.
   */
  problem?: string;
  problemReported: boolean;
  findings: Map<RuleName, Finding[]>;
  /** The findings of no-unverifiable-call, worked out only when that rule runs (it is off in configs.recommended). */
  unverifiable?: () => Finding[];
}

/** What rules need from ESLint's RuleContext (ESLint 9 and 10). */
export interface ContextLike {
  sourceCode: unknown;
  filename: string;
  cwd: string;
  settings: unknown;
}

const analyses = new WeakMap<object, FileAnalysis>();

export function analyse(context: ContextLike): FileAnalysis {
  const sc = context.sourceCode as object;
  const hit = analyses.get(sc);
  if (hit) return hit;
  const a: FileAnalysis = { problemReported: false, findings: new Map() };
  analyses.set(sc, a);
  let checked = false;
  try {
    checked = run(context, a);
  } catch (err) {
    a.problem = `dataplan could not check this file (${(err as Error)?.message ?? String(err)}); please report it`;
  }
  analysedHook?.(checked);
  return a;
}

let analysedHook: ((checked: boolean) => void) | undefined;

/**
 * For the ESLint entry's compile cache (entry.ts, through bundle.ts): called after each file the plugin analyses,
 * with whether calls in it were recognised and checked against a plan (the whole of the plugin's code ran).
 */
export function onAnalysed(hook: ((checked: boolean) => void) | undefined): void {
  analysedHook = hook;
}

/** Analyse one file into `a`; true when calls were recognised and checked. */
function run(context: ContextLike, a: FileAnalysis): boolean {
  // Only JavaScript-language files (a config may apply the rules to JSON, CSS, Markdown… too).
  const sc = context.sourceCode as { ast?: { type?: string }; scopeManager?: unknown };
  if (sc.ast?.type !== 'Program' || !sc.scopeManager) return false;
  const run = typeof context.settings === 'object' && context.settings !== null ? context.settings : undefined;
  if (run) noteRun(run);
  const { settings, errors } = settingsOf(context.settings, run);
  const source = context.sourceCode as SourceLike;
  const opts = { file: context.filename, wrappers: settings.wrappers, followImports: settings.followImports };
  // Files that cannot contain an analytics call need no plan (and get no plan diagnostic).
  if (!mayContainCalls(source.text, opts)) return false;
  if (errors.length) {
    a.problem = `dataplan: ${errors.join('; ')}`;
    return false;
  }
  const state = planFor(settings, context.filename, context.cwd, run);
  if (!state.ok) {
    a.problem = `dataplan: ${state.message}`;
    return false;
  }
  const calls = recognize(source, opts);
  if (calls.length === 0) return false;
  const checked = checkCalls(calls, state.plan, state.version, { strictTypes: settings.strictTypes, text: source.text });
  for (const f of checked.findings) {
    let list = a.findings.get(f.rule);
    if (!list) a.findings.set(f.rule, (list = []));
    list.push(f);
  }
  a.unverifiable = checked.unverifiable;
  return true;
}

const settingsRead = new WeakMap<object, ReturnType<typeof readSettings>>();

/** ESLint hands every file of a config the same settings object: read it once. */
function settingsOf(all: unknown, run: object | undefined): ReturnType<typeof readSettings> {
  if (!run) return readSettings(all);
  let r = settingsRead.get(run);
  if (!r) settingsRead.set(run, (r = readSettings(all)));
  return r;
}
