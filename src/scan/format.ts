/** Output of `dataplan scan`: a table with totals, one JSON object for CI, or Markdown for a PR comment. */
import { palette } from '../report/index.js';
import type { CallSite, ScanResult, UnplannedCall, UnverifiableCall } from './coverage.js';

const at = (s: CallSite) => `${s.file}:${s.line}:${s.column}`;
const pct = (x: number) => `${Math.round(x * 100)}%`;

function title(r: ScanResult): string {
  return `${r.plan_id ?? r.plan}${r.version !== null ? ` v${r.version}` : ''}`;
}

function unplannedWhat(u: UnplannedCall): string {
  switch (u.kind) {
    case 'custom_event': return `custom_event "${u.name}" (${u.custom_event_type})`;
    case 'screen_view': return `screen_view "${u.name}"`;
    case 'user_attributes': return `user attribute "${u.name}"`;
    case 'user_identities': return `user identity "${u.name}"`;
    default: return `${u.kind} ${u.name}`;
  }
}

function suggestionText(u: UnplannedCall): string {
  const s = u.suggestion;
  if (!s) return '';
  if (s.reason === 'other_event_type' && s.custom_event_type) return `planned with type ${s.custom_event_type}`;
  return `did you mean "${s.key}"?`;
}

/** ` via a → b`; with `afterCallee`, a first wrapper that is the callee itself (already printed) is left out. */
function via(s: CallSite, afterCallee = false): string {
  const names = s.via.map((v) => v.name);
  if (afterCallee && names[0] === s.callee) names.shift();
  return names.length ? ` via ${names.join(' → ')}` : '';
}

export function reasons(u: UnverifiableCall): string {
  const what = u.part === 'event' ? 'which data point' : 'attribute keys';
  return `${what}: ${u.reasons.map((r) => r.reason).join('; ')}`;
}

export function formatPretty(r: ScanResult, opts: { color?: boolean; verbose?: boolean } = {}): string {
  const c = palette(opts.color ?? false);
  const s = r.summary;
  const out: string[] = [];
  out.push(c.bold(`Coverage of ${title(r)} in ${r.root}`) + c.dim(` (${s.files} files, ${s.files_parsed} reach the SDK, ${s.calls} analytics calls)`));
  out.push('');
  const width = Math.min(60, Math.max(10, ...r.data_points.map((d) => d.match_key.length)));
  out.push(c.dim(`    ${'DATA POINT'.padEnd(width)}  CALLS  WHERE`));
  for (const d of r.data_points) {
    const key = d.match_key.length > width ? d.match_key.slice(0, width - 1) + '…' : d.match_key.padEnd(width);
    if (d.status === 'not_checked') {
      out.push(c.dim(`  · ${key}      –  not checked: ${d.reason}`));
      continue;
    }
    const n = String(d.call_sites.length).padStart(5);
    if (d.status === 'uncovered') {
      out.push(`  ${c.red('✗')} ${key}  ${c.red(n)}  ${c.red('never called')}`);
      continue;
    }
    const sites = opts.verbose ? d.call_sites.map((x) => at(x) + via(x)).join(', ') : `${at(d.call_sites[0])}${via(d.call_sites[0])}${d.call_sites.length > 1 ? c.dim(` +${d.call_sites.length - 1} more`) : ''}`;
    const never = d.keys?.never_set.length ? c.yellow(`  (never set: ${d.keys.never_set.join(', ')})`) : '';
    out.push(`  ${c.green('✓')} ${key}  ${n}  ${sites}${never}`);
  }
  if (r.unplanned.length) {
    out.push('', c.bold(c.red(`Calls not in the plan (${r.unplanned.length})`)));
    for (const u of r.unplanned) out.push(`  ${at(u)}  ${unplannedWhat(u)}${c.dim(` ${u.callee}${via(u, true)}`)}${suggestionText(u) ? `  ${c.yellow(suggestionText(u))}` : ''}`);
  }
  if (r.unverifiable.length) {
    out.push('', c.bold(c.yellow(`Calls that cannot be verified (${r.unverifiable.length})`)));
    for (const u of r.unverifiable) out.push(`  ${at(u)}  ${u.callee}${via(u, true)}: ${reasons(u)}`);
  }
  if (r.violations.length) {
    out.push('', c.bold(`Attribute problems in planned calls (${r.violations.length})`));
    for (const v of r.violations) out.push(`  ${at(v)}  ${v.message}${c.dim(` [${v.violation}]`)}`);
  }
  if (r.unreadable.length) {
    out.push('', c.bold(c.red(`Files that could not be parsed (${r.unreadable.length})`)));
    for (const u of r.unreadable) out.push(`  ${u.file}${u.line ? `:${u.line}:${u.column}` : ''}: ${u.message}`);
  }
  out.push('');
  out.push(`${c.bold('Coverage')}: ${s.covered} of ${s.checked} data points called (${pct(s.coverage)}); ${s.uncovered ? c.red(`${s.uncovered} never called`) : '0 never called'}, ${s.not_checked} not checked. ` +
    `${s.calls} calls: ${s.unplanned ? c.red(`${s.unplanned} not in the plan`) : '0 not in the plan'}, ${s.unverifiable ? c.yellow(`${s.unverifiable} unverifiable`) : '0 unverifiable'}, ${s.violations} attribute problems.`);
  return out.join('\n') + '\n';
}

export function formatJson(r: ScanResult): string {
  const uncovered = r.data_points.filter((d) => d.status === 'uncovered').map((d) => ({ match_key: d.match_key, match_type: d.match_type, description: d.description, pointer: d.pointer }));
  return JSON.stringify({
    plan: r.plan, plan_id: r.plan_id, version: r.version, root: r.root, configs: r.configs, summary: r.summary,
    uncovered, unplanned: r.unplanned, unverifiable: r.unverifiable, violations: r.violations, unreadable: r.unreadable, data_points: r.data_points,
  }, null, 2) + '\n';
}

const md = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function formatMarkdown(r: ScanResult): string {
  const s = r.summary;
  const out = [`### Data plan coverage: ${title(r)}`, ''];
  out.push(`**${s.covered} of ${s.checked}** data points called (${pct(s.coverage)}) · ${s.uncovered} never called · ${s.unplanned} call${s.unplanned === 1 ? '' : 's'} not in the plan · ${s.unverifiable} unverifiable · ${s.files} files scanned`);
  const uncovered = r.data_points.filter((d) => d.status === 'uncovered');
  if (uncovered.length) {
    out.push('', `#### Never called (${uncovered.length})`, '', '| Data point | Description |', '|---|---|');
    for (const d of uncovered) out.push(`| \`${md(d.match_key)}\` | ${md(d.description)} |`);
  }
  if (r.unplanned.length) {
    out.push('', `#### Not in the plan (${r.unplanned.length})`, '', '| Where | Call | Sends | Hint |', '|---|---|---|---|');
    for (const u of r.unplanned) out.push(`| \`${md(at(u))}\` | \`${md(u.callee)}\` | ${md(unplannedWhat(u))} | ${md(suggestionText(u))} |`);
  }
  if (r.unverifiable.length) {
    out.push('', `#### Cannot be verified (${r.unverifiable.length})`, '', '| Where | Call | Why |', '|---|---|---|');
    for (const u of r.unverifiable) out.push(`| \`${md(at(u))}\` | \`${md(u.callee)}\` | ${md(reasons(u))} |`);
  }
  const covered = r.data_points.filter((d) => d.status === 'covered');
  if (covered.length) {
    out.push('', `<details><summary>Called (${covered.length})</summary>`, '', '| Data point | Call sites |', '|---|---|');
    for (const d of covered) out.push(`| \`${md(d.match_key)}\` | ${d.call_sites.map((x) => `\`${md(at(x))}\``).join(', ')} |`);
    out.push('', '</details>');
  }
  return out.join('\n') + '\n';
}
