/**
 * The pieces every CI format is built from, for any command's findings: a GitHub workflow command,
 * and a SARIF 2.1.0 log with relative artifact locations, fingerprints and the run's exit status.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import type { InputError } from '../plan/index.js';
import type { PlanProblem } from '../plan/types.js';
import { PACKAGE_VERSION, REPOSITORY_URL } from '../meta.js';
import { locatePointer } from './locate.js';

export type CiLevel = 'error' | 'warning' | 'note';

/** One thing to show on a pull request. */
export interface CiFinding {
  ruleId: string;
  level: CiLevel;
  message: string;
  /** Path of the file it is in (absolute, or relative to the working directory). */
  file: string;
  line?: number;
  column?: number;
  /** The annotation's title on GitHub; default: `dataplan <ruleId>`. */
  title?: string;
  /** What identifies this finding across runs when lines move (match key, attribute…). */
  identity?: string;
  properties?: Record<string, unknown>;
}

export interface CiRule {
  id: string;
  text: string;
  level: CiLevel;
  helpUri?: string;
}

/** Escaping for workflow command messages and properties (GitHub's toolkit rules). */
export function ghEscape(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}
export function ghProperty(s: string): string {
  return ghEscape(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** A path for CI tools: relative to `cwd` when inside it, else absolute; forward slashes. */
export function ciPath(file: string, cwd: string): string {
  const abs = resolve(cwd, file);
  const rel = relative(cwd, abs).replace(/\\/g, '/');
  const outside = !rel || rel === '..' || rel.startsWith('../') || isAbsolute(rel);
  return outside ? abs.replace(/\\/g, '/') : rel;
}

/** `::error file=…,line=…,col=…,title=…::message` */
export function githubCommand(f: CiFinding, cwd: string): string {
  const props = [`file=${ghProperty(ciPath(f.file, cwd))}`];
  if (f.line !== undefined) props.push(`line=${f.line}`);
  if (f.column !== undefined) props.push(`col=${f.column}`);
  props.push(`title=${ghProperty(f.title ?? `dataplan ${f.ruleId}`)}`);
  return `::${f.level === 'note' ? 'notice' : f.level} ${props.join(',')}::${ghEscape(f.message)}\n`;
}

/** Line and column of a JSON pointer in a file; undefined when the file cannot be read. */
export function locateInFile(file: string, pointer: string): { line: number; column: number } | undefined {
  try {
    return locatePointer(readFileSync(file, 'utf8'), pointer);
  } catch {
    return undefined;
  }
}

/** A plan problem (`plan check`, the plans other commands load), located in its file. */
export function planProblemFinding(p: PlanProblem): CiFinding {
  const at = locateInFile(p.file, p.pointer);
  return {
    ruleId: `plan/${p.code}`, level: p.severity === 'error' ? 'error' : 'warning', file: p.file, line: at?.line, column: at?.column,
    message: `${p.message}${p.expected ? ` (expected ${p.expected})` : ''}`, title: `dataplan plan ${p.code}`,
    identity: `${p.pointer}\0${p.message}`, properties: { pointer: p.pointer },
  };
}

/** An input the command could not use at all (unreadable plan, project or rule set). */
export function inputErrorFinding(e: InputError): CiFinding {
  const at = e.line === undefined && e.pointer !== undefined ? locateInFile(e.file, e.pointer) : undefined;
  return {
    ruleId: 'input/unusable', level: 'error', file: e.file, line: e.line ?? at?.line, column: e.column ?? at?.column,
    message: e.message, title: 'dataplan: unusable input', identity: e.message, ...(e.pointer !== undefined ? { properties: { pointer: e.pointer } } : {}),
  };
}

export interface SarifRun {
  tool: { name: string; version: string; informationUri?: string; rules: CiRule[] };
  findings: CiFinding[];
  cwd: string;
  exitCode: number;
}

/**
 * The one SARIF 2.1.0 builder (validate, replay, lint-plan, plan check, scan). Locations are relative
 * to the working directory (`uriBaseId: %SRCROOT%`, as code scanning expects); `partialFingerprints`
 * hash the rule, relative path and identity (not the line, not the absolute path), so an alert keeps
 * its identity across runs, checkouts and unrelated edits; `invocations` carry the exit code.
 */
export function sarifLog(run: SarifRun): Record<string, unknown> {
  const seen = new Map<string, number>();
  const results = run.findings.map((f) => {
    const path = ciPath(f.file, run.cwd);
    const key = `${f.ruleId}\0${path}\0${f.identity ?? f.message}`;
    // Two findings with the same identity (the same mistake twice in one batch) stay two alerts.
    const n = seen.get(key) ?? 0;
    seen.set(key, n + 1);
    const fingerprint = createHash('sha256').update(n ? `${key}\0${n}` : key).digest('hex').slice(0, 32);
    return {
      ruleId: f.ruleId,
      level: f.level,
      message: { text: f.message },
      locations: [{
        physicalLocation: {
          artifactLocation: isAbsolute(path) ? { uri: fileUri(path) } : { uri: encodePath(path), uriBaseId: '%SRCROOT%' },
          region: { startLine: f.line ?? 1, startColumn: f.column ?? 1 },
        },
      }],
      partialFingerprints: { [FINGERPRINT]: fingerprint },
      ...(f.properties ? { properties: f.properties } : {}),
    };
  });
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: {
        driver: {
          name: run.tool.name, version: run.tool.version, ...(run.tool.informationUri ? { informationUri: run.tool.informationUri } : {}),
          rules: run.tool.rules.map((r) => ({
            id: r.id, shortDescription: { text: r.text }, defaultConfiguration: { level: r.level }, ...(r.helpUri ? { helpUri: r.helpUri } : {}),
          })),
        },
      },
      originalUriBaseIds: { '%SRCROOT%': { uri: fileUri(run.cwd.endsWith('/') ? run.cwd : `${run.cwd}/`) } },
      invocations: [{ executionSuccessful: run.exitCode !== 2, exitCode: run.exitCode }],
      results,
    }],
  };
}

/** The key of `partialFingerprints` (versioned: a change of what it hashes is a new key). */
export const FINGERPRINT = 'dataplanFinding/v1';

/** dataplan's SARIF log, as printed by every command that has `--format sarif`. */
export function sarifText(findings: CiFinding[], rules: CiRule[], cwd: string, exitCode: number, version = PACKAGE_VERSION): string {
  const tool = { name: 'dataplan', version, informationUri: REPOSITORY_URL, rules };
  return JSON.stringify(sarifLog({ tool, findings, cwd, exitCode }), null, 2) + '\n';
}

/** A relative path as a URI reference: each segment percent-encoded (spaces, `#`, `?`, `%`). */
function encodePath(path: string): string {
  return path.split('/').map((seg, i) => (i === 0 && /^[A-Za-z]:$/.test(seg) ? seg : encodeURIComponent(seg))).join('/');
}

function fileUri(path: string): string {
  const p = path.replace(/\\/g, '/');
  return `file://${p.startsWith('/') ? '' : '/'}${encodePath(p)}`;
}
