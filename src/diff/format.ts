/** Output of `dataplan diff`: grouped text, one JSON object, or a Markdown table for a PR comment. */
import { relative } from 'node:path';
import { palette } from '../report/index.js';
import type { PlanChange, PlanDiff, VersionRef } from './diff.js';

function refText(r: VersionRef, cwd?: string): string {
  const file = cwd ? relative(cwd, r.file) || r.file : r.file;
  return `${file}${r.version !== null ? `@${r.version}` : ''}`;
}

function groups(changes: PlanChange[]): Map<string, PlanChange[]> {
  const m = new Map<string, PlanChange[]>();
  for (const c of changes) {
    const list = m.get(c.subject);
    if (list) list.push(c);
    else m.set(c.subject, [c]);
  }
  return m;
}

function summaryText(d: PlanDiff): string {
  const { breaking, compatible } = d.summary;
  if (breaking + compatible === 0) return 'no changes';
  return `${breaking} breaking, ${compatible} compatible change${breaking + compatible === 1 ? '' : 's'}`;
}

export function formatPretty(d: PlanDiff, opts: { color?: boolean; cwd?: string } = {}): string {
  const c = palette(opts.color ?? false);
  const out = [c.bold(`${refText(d.old, opts.cwd)} → ${refText(d.new, opts.cwd)}`) + c.dim(`  (${d.summary.points_before} → ${d.summary.points_after} data points)`)];
  for (const [subject, list] of groups(d.changes)) {
    out.push(`  ${c.cyan(subject)}`);
    for (const ch of list) {
      const tag = ch.class === 'breaking' ? c.red('breaking  ') : c.green('compatible');
      out.push(`    ${tag}  ${ch.message}  ${c.dim(ch.kind)}`);
    }
  }
  out.push('');
  const s = summaryText(d);
  out.push(d.summary.breaking ? c.red(`✗ ${s}`) : c.green(`✓ ${s}`));
  return out.join('\n') + '\n';
}

export function formatJson(d: PlanDiff): string {
  return JSON.stringify({ old: d.old, new: d.new, summary: d.summary, changes: d.changes }, null, 2) + '\n';
}

const md = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function formatMarkdown(d: PlanDiff, opts: { cwd?: string } = {}): string {
  const title = d.old.plan_id && d.old.plan_id === d.new.plan_id && d.old.version !== null && d.new.version !== null
    ? `${d.old.plan_id} v${d.old.version} → v${d.new.version}`
    : `${refText(d.old, opts.cwd)} → ${refText(d.new, opts.cwd)}`;
  const out = [`### Data plan diff: ${title}`, ''];
  out.push(d.summary.breaking ? `**${d.summary.breaking} breaking** and ${d.summary.compatible} compatible change${d.summary.compatible === 1 ? '' : 's'}.` : `${summaryText(d)}; nothing breaking.`);
  if (d.changes.length) {
    out.push('', '| | Data point | Change |', '|---|---|---|');
    const sorted = [...d.changes].sort((a, b) => (a.class === b.class ? 0 : a.class === 'breaking' ? -1 : 1));
    for (const ch of sorted) out.push(`| ${ch.class === 'breaking' ? '❌ breaking' : '✅ compatible'} | ${md(ch.subject)} | ${md(ch.message)} |`);
  }
  return out.join('\n') + '\n';
}
