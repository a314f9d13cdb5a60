/** Output of `dataplan lint-plan`: ESLint-style text, or one JSON object. */
import { relative } from 'node:path';
import { palette } from '../report/index.js';
import type { LintResult } from './lint.js';
import type { RuleSet } from './rule-set.js';

export function formatPretty(r: LintResult, opts: { color?: boolean; cwd?: string; rules?: RuleSet } = {}): string {
  const c = palette(opts.color ?? false);
  const file = opts.cwd ? relative(opts.cwd, r.file) || r.file : r.file;
  const out: string[] = [];
  const versions = r.versions.map((v) => (v === null ? 'the document' : `v${v}`)).join(', ');
  out.push(c.bold(`${file}${r.plan_id ? ` (${r.plan_id} ${versions})` : ` (${versions})`}`));
  let lastPoint = '';
  for (const f of r.findings) {
    const group = `${f.version ?? ''}|${f.data_point ?? ''}`;
    if (group !== lastPoint) {
      lastPoint = group;
      const title = f.match_key ?? (f.data_point !== null ? `data point ${f.data_point}${f.match_type ? ` (${f.match_type})` : ''}` : 'plan');
      out.push(`  ${c.cyan(title)}${r.versions.length > 1 && f.version !== null ? c.dim(` (v${f.version})`) : ''}`);
    }
    const pos = f.line !== undefined ? `${f.line}:${f.column}` : '';
    const sev = f.severity === 'error' ? c.red('error  ') : c.yellow('warning');
    out.push(`    ${c.dim(pos.padEnd(8))} ${sev}  ${f.message}  ${c.dim(f.rule)}`);
    out.push(`    ${' '.repeat(8)}           ${c.dim(`#${f.pointer}`)}`);
  }
  const total = r.errors + r.warnings;
  const rulesOn = opts.rules ? [...opts.rules.rules.values()].filter((s) => s.level !== 'off').length : undefined;
  out.push('');
  out.push(
    total === 0
      ? c.green(`✓ no findings${rulesOn !== undefined ? ` (${rulesOn} rules)` : ''}`)
      : `${r.errors ? c.red(`✗ ${r.errors} error${r.errors === 1 ? '' : 's'}`) : c.green('0 errors')}, ${r.warnings} warning${r.warnings === 1 ? '' : 's'}${rulesOn !== undefined ? ` (${rulesOn} rules)` : ''}`,
  );
  return out.join('\n') + '\n';
}

export function formatJson(r: LintResult, rules?: RuleSet): string {
  return JSON.stringify({
    plan: r.file,
    plan_id: r.plan_id,
    versions: r.versions,
    rule_set: rules ? { files: rules.files, rules: Object.fromEntries([...rules.rules].map(([id, s]) => [id, s.level])) } : undefined,
    summary: { errors: r.errors, warnings: r.warnings },
    findings: r.findings,
  }, null, 2) + '\n';
}
