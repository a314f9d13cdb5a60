/** The view without a terminal UI: one line per event (or NDJSON), for CI logs and pipes. */
import { palette } from '../report/format.js';
import type { Counts, FeedMessage, PlanInfo } from '../stream/types.js';
import { clock, eventLabel, eventMark, MARK_CHAR, plural, shortType, sourceLabel } from './labels.js';

export interface LineOptions {
  color?: boolean;
  /** NDJSON: `{"type":"batch"|"event"|"rejected"|"plan", ...}` per line. */
  json?: boolean;
  /** Only plan changes and rejections, no event lines. */
  quiet?: boolean;
}

export function planLine(p: PlanInfo): string {
  const versions = p.versions.map((v) => `v${v.version ?? '?'}${v.environment ? ` ${v.environment}` : ''}`).join(', ');
  const pinned = p.version !== null ? `, judging every batch with v${p.version}` : '';
  const force = p.force ? ', --force' : '';
  return `${p.name ?? p.id ?? 'plan'}${p.id && p.name ? ` (${p.id})` : ''}: ${versions || 'no versions'}${pinned}${force} from ${p.file}`;
}

export function summaryLines(c: Counts): string[] {
  const codes = Object.entries(c.violations).filter(([, n]) => n > 0).map(([k, n]) => `${n} ${k}`).join(', ');
  return [
    `Summary: ${plural(c.batches, 'batch', 'batches')} (${c.validated_batches} validated, ${c.not_validated_batches} not validated), ${plural(c.events, 'event')}`,
    `  ${c.violation_count === 0 ? 'no violations' : `${plural(c.violation_count, 'violation')}${codes ? `: ${codes}` : ''}; ${c.events_with_violations} of ${plural(c.events, 'event')} with violations`}`,
    `  ${plural(c.rejected, 'rejected request')}${c.input_errors ? `, ${plural(c.input_errors, 'malformed event')}` : ''}`,
  ];
}

/** Returns a function that prints each feed message. */
export function linePrinter(write: (s: string) => void, o: LineOptions = {}): (m: FeedMessage) => void {
  const c = palette(o.color === true);
  const markColor = { ok: c.green, bad: c.red, skip: c.dim, error: c.yellow };
  return (m) => {
    if (o.json) {
      if (m.type === 'batch') {
        if (o.quiet) return;
        write(JSON.stringify({ type: 'batch', ...m.batch }) + '\n');
        for (const e of m.events) write(JSON.stringify({ type: 'event', ...e }) + '\n');
      } else if (m.type === 'rejected') write(JSON.stringify({ type: 'rejected', ...m.rejection }) + '\n');
      else if (m.type === 'plan') write(JSON.stringify({ type: 'plan', ...m.plan }) + '\n');
      else if (m.type === 'reset' || m.type === 'lagged') write(JSON.stringify(m) + '\n');
      return;
    }
    switch (m.type) {
      case 'batch': {
        if (o.quiet) return;
        const b = m.batch;
        const at = clock(b.received_at);
        const pad = ' '.repeat(at.length);
        if (!b.validated) write(`${at} ${c.dim('–')} batch ${b.batch_id} (${sourceLabel(b)}): ${c.yellow(b.notice ?? 'not validated')}\n`);
        if (b.violations.length > 0 || b.errors.length > 0) {
          write(`${at} ${c.red('✗')} batch ${b.batch_id} (${sourceLabel(b)}): ${plural(b.violations.length, 'batch-level violation')}\n`);
          for (const v of b.violations) write(`${pad}   ${c.red(v.violation)} ${v.message}\n`);
          for (const e of b.errors) write(`${pad}   ${c.yellow('error')} ${e.message}\n`);
        }
        for (const e of m.events) {
          const mark = eventMark(e);
          const n = e.violations.length;
          const where = c.dim(`[batch ${b.batch_id}${e.event_index >= 0 ? `#${e.event_index}` : ` msg ${e.message_index ?? '?'}`}${e.user ? ` · ${e.user}` : ''}]`);
          const tail = n > 0 ? c.red(` ${plural(n, 'violation')}`) : e.reason === 'not_plannable' ? c.dim(' (not planned: SDK bookkeeping)')
            : e.reason === 'not_translated' ? c.dim(` (not validated: ${e.not_translated ?? 'no Events API translation'})`) : '';
          write(`${at} ${markColor[mark](MARK_CHAR[mark])} ${shortType(e.event_type).padEnd(14)} ${eventLabel(e) || c.dim('-')} ${where}${tail}\n`);
          for (const v of e.violations) write(`${pad}   ${c.red(v.violation)} ${v.message}\n`);
          if (e.error !== undefined) write(`${pad}   ${c.yellow('error')} ${e.error}\n`);
        }
        return;
      }
      case 'rejected': {
        const r = m.rejection;
        write(`${clock(r.at)} ${c.yellow('!')} rejected ${r.method} ${r.path}: ${r.status} ${r.reason}: ${r.message}\n`);
        return;
      }
      case 'plan':
        if (m.plan.error) write(`${clock(m.plan.error.at)} ${c.red('plan error')}: ${m.plan.error.message}\n`);
        else write(`${clock(m.plan.loaded_at)} ${c.green('plan reloaded')}: ${planLine(m.plan)}\n`);
        return;
      case 'reset':
        write(`${clock(new Date().toISOString())} reset: stored events and counts cleared\n`);
        return;
      case 'lagged':
        write(`${c.yellow('!')} this viewer fell behind and missed ${m.dropped} messages\n`);
        return;
      case 'hello':
        return;
    }
  };
}
