/**
 * A batch result as output text, computed where the result is produced (a worker thread can render
 * its own results, so the main thread only writes). The batch's index in its source is the one
 * thing a worker cannot know (an earlier line may hold a bulk array), so a rendering is returned as
 * the text before and after that index; a rendering without the index is one piece.
 */
import { createRequire } from 'node:module';
import { basename } from 'node:path';
import type Picocolors from 'picocolors';
import type { Violation } from '../validate/violation.js';
import type { ResultEntry } from './types.js';

/** Colours, loaded only for the pretty format (the API's validation path loads no terminal code). */
function palette(enabled: boolean): ReturnType<typeof Picocolors.createColors> {
  return (createRequire(import.meta.url)('picocolors') as typeof Picocolors).createColors(enabled);
}

/** What a worker needs to render results exactly as the reporter would (plain data: it is posted). */
export type RenderSpec =
  | { format: 'json' }
  | { format: 'pretty'; color: boolean; quiet: boolean; block: boolean; plan: string };

/** The entry without its batch index: the renderer puts the index between the pieces. */
export type Unnumbered = Omit<ResultEntry, 'batch'>;

export type Renderer = (entry: Unnumbered) => [string] | [string, string];

/** One batch in `results`: what `validate --format json` prints and `dataplan consume` publishes. */
export function jsonResult({ source, batch, line, result: r }: ResultEntry): Record<string, unknown> {
  return {
    source, batch, ...(line !== undefined ? { line } : {}),
    validated: r.validated, plan_version: r.plan_version,
    ...(r.notice ? { notice: r.notice, reason: r.reason } : {}),
    event_count: r.event_count, not_validated_events: r.not_validated_events,
    violations: r.violations, errors: r.errors,
  };
}

/** Each source's opening text, kept while its batches are rendered. */
let lastSource: string | undefined;
let lastOpening = '';

/**
 * `{"source":…,"batch":` and the rest, with the same bytes as JSON.stringify(jsonResult(entry)).
 * Written out field by field: the envelope is the same for every batch, so building an object per
 * batch only to stringify it was wasted work (about a fifth of rendering, measured in-process).
 */
function renderJson({ source, line, result: r }: Unnumbered): [string, string] {
  if (source !== lastSource) {
    lastSource = source;
    lastOpening = `{"source":${JSON.stringify(source)},"batch":`;
  }
  let after = line !== undefined ? `,"line":${line}` : '';
  after += `,"validated":${r.validated},"plan_version":${JSON.stringify(r.plan_version)}`;
  if (r.notice) {
    after += `,"notice":${JSON.stringify(r.notice)}`;
    if (r.reason !== undefined) after += `,"reason":${JSON.stringify(r.reason)}`;
  }
  after += `,"event_count":${r.event_count},"not_validated_events":${JSON.stringify(r.not_validated_events)}`;
  after += `,"violations":${JSON.stringify(r.violations)},"errors":${JSON.stringify(r.errors)}}`;
  return [lastOpening, after];
}

export function prettyPlanLabel(planId: string | undefined, planFile: string): string {
  return planId ?? basename(planFile);
}

function prettyRenderer(spec: Extract<RenderSpec, { format: 'pretty' }>): Renderer {
  const c = palette(spec.color);
  const plan = spec.plan;
  return ({ source, line, result: r }) => {
    // A source with no batch at all is named on its own.
    if (r.reason === 'no_batches') return [spec.quiet ? '' : `${c.yellow('–')} ${source}: ${r.notice}\n`];
    const at = `${source}${line !== undefined && line > 1 ? `:${line}` : ''} [batch `;
    if (!r.validated) {
      let after = '';
      for (const e of r.errors) after += `  ${c.red('error')} ${e.message}\n`;
      if (spec.quiet) return [after];
      return [`${c.yellow('–')} ${at}`, `]: ${r.notice}\n${after}`];
    }
    const n = r.violations.length;
    if (n === 0 && r.errors.length === 0) {
      if (spec.quiet) return [''];
      return [`${c.green('✓')} ${at}`, `]: ${r.event_count} events, no violations (${plan} v${r.plan_version ?? '-'})\n`];
    }
    // c.bold wraps the whole place, index included: split its escape codes around the index.
    const [open, close] = c.bold('\u0000').split('\u0000');
    let after = `]${close}: ${n} violation${n === 1 ? '' : 's'} in ${r.event_count} events (${plan} v${r.plan_version ?? '-'})\n`;
    for (const e of r.errors) after += `  ${c.red('error')} ${e.message} ${c.dim('#' + e.pointer)}\n`;
    const groups = new Map<string, Violation[]>();
    for (const v of r.violations) {
      const g = v.event_index === null ? v.match_key.replace('_', ' ') : `events[${v.event_index}]`;
      const list = groups.get(g);
      if (list) list.push(v);
      else groups.set(g, [v]);
    }
    for (const [g, vs] of groups) {
      for (const v of vs) {
        const blocked = spec.block && v.would_block ? c.yellow(' [would be blocked]') : '';
        after += `  ${c.dim(g.padEnd(15))} ${c.red(v.violation.padEnd(27))} ${v.message}${blocked} ${c.dim(v.error_pointer)}\n`;
      }
    }
    return [`${c.red('✗')} ${open}${at}`, after];
  };
}

export function createRenderer(spec: RenderSpec): Renderer {
  return spec.format === 'json' ? renderJson : prettyRenderer(spec);
}

/** Join a rendering with its batch index. */
export function joinRendering(parts: [string] | [string, string], batch: number): string {
  return parts.length === 1 ? parts[0] : parts[0] + batch + parts[1];
}
