/** Run a rule set over one or more versions of a compiled plan. */
import { readFileSync } from 'node:fs';
import { locatePointer } from '../report/index.js';
import type { CompiledPlan, CompiledVersion } from '../validate/index.js';
import { RULES_BY_ID } from './rules/index.js';
import type { RuleSet } from './rule-set.js';
import type { Finding, ReportDescriptor } from './types.js';

export interface LintOptions {
  /** Lint this version; default: the latest loaded one. */
  version?: number;
  /** Lint every loaded version. */
  allVersions?: boolean;
}

export interface LintResult {
  file: string;
  plan_id: string | null;
  versions: (number | null)[];
  findings: Finding[];
  errors: number;
  warnings: number;
}

export function chooseVersions(plan: CompiledPlan, opts: LintOptions): CompiledVersion[] {
  if (opts.allVersions) return plan.versions.filter((v) => v.version.loaded);
  const v = plan.getVersion(opts.version);
  return v ? [v] : [];
}

function fill(template: string, data: Record<string, string | number> = {}): string {
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (m, k: string) => (k in data ? String(data[k]) : m));
}

export function lintPlan(plan: CompiledPlan, rules: RuleSet, opts: LintOptions = {}): LintResult {
  const findings: Finding[] = [];
  const versions = chooseVersions(plan, opts);
  for (const cv of versions) {
    for (const [id, setting] of rules.rules) {
      if (setting.level === 'off') continue;
      const rule = RULES_BY_ID.get(id)!;
      const level = setting.level;
      rule.check({
        plan, version: cv, options: setting.options,
        report(d: ReportDescriptor<string>) {
          findings.push({
            rule: id,
            severity: d.severity === 'warning' || level === 'warning' ? 'warning' : 'error',
            message: fill(rule.meta.messages[d.messageId], d.data),
            file: plan.file,
            pointer: d.pointer,
            match_key: d.point ? (d.point.matchKey || null) : null,
            match_type: d.point ? d.point.matchType || null : null,
            data_point: d.point ? d.point.index : null,
            version: cv.version.version ?? null,
            ...(d.code ? { code: d.code } : {}),
          });
        },
      });
    }
  }
  locate(plan.file, findings);
  findings.sort((a, b) => (a.version ?? 0) - (b.version ?? 0) || (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0) || a.rule.localeCompare(b.rule));
  const errors = findings.filter((f) => f.severity === 'error').length;
  return { file: plan.file, plan_id: plan.id ?? null, versions: versions.map((v) => v.version.version ?? null), findings, errors, warnings: findings.length - errors };
}

function locate(file: string, findings: Finding[]): void {
  if (findings.length === 0) return;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return; // compiled from memory
  }
  for (const f of findings) Object.assign(f, locatePointer(text, f.pointer));
}
