/** `lint-plan --format sarif|github`: findings as code-scanning results or pull-request annotations. */
import { docsPage } from '../meta.js';
import { githubCommand, sarifText, type CiFinding, type CiRule } from '../report/ci.js';
import type { LintResult } from './lint.js';
import type { RuleSet } from './rule-set.js';
import { RULES_BY_ID } from './rules/index.js';

function ciFindings(r: LintResult): CiFinding[] {
  return r.findings.map((f) => ({
    ruleId: f.rule, level: f.severity, message: f.message, file: f.file, line: f.line, column: f.column,
    title: `dataplan lint-plan ${f.rule}`,
    identity: `${f.version ?? ''}\0${f.pointer}\0${f.message}`,
    properties: { pointer: f.pointer, match_key: f.match_key, version: f.version, ...(f.code ? { code: f.code } : {}) },
  }));
}

export function formatGithub(r: LintResult, opts: { cwd: string }): string {
  const lines = ciFindings(r).map((f) => githubCommand(f, opts.cwd));
  lines.push(`dataplan lint-plan: ${r.errors} error(s), ${r.warnings} warning(s)\n`);
  return lines.join('');
}

export function formatSarif(r: LintResult, opts: { cwd: string; rules: RuleSet; exitCode: number }): string {
  const rules: CiRule[] = [...opts.rules.rules].filter(([, s]) => s.level !== 'off').map(([id, s]) => ({
    id, text: RULES_BY_ID.get(id)?.meta.description ?? id, level: s.level as 'error' | 'warning', helpUri: docsPage(`docs/plan-rules/${id}.md`),
  }));
  return sarifText(ciFindings(r), rules, opts.cwd, opts.exitCode);
}
