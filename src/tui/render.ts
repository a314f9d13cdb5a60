/** Text of each part of the screen, as blessed-tagged lines. Pure functions of the model and a width. */
import { escapePointer, isObject } from '../plan/index.js';
import type { BatchRecord, EventRecord } from '../stream/types.js';
import type { Violation } from '../validate/index.js';
import { clock, eventLabel, eventMark, fit, MARK_CHAR, plural, shortType, sourceLabel, whyNotValidated, type Mark } from './labels.js';
import type { Row, TuiModel } from './model.js';

/** Escape text for blessed tags. */
export function esc(s: string): string {
  return s.replace(/[{}]/g, (ch) => (ch === '{' ? '{open}' : '{close}'));
}

const MARK_TAG: Record<Mark, string> = { ok: 'green-fg', bad: 'red-fg', skip: 'gray-fg', error: 'yellow-fg' };
const SPARK = '▁▂▃▄▅▆▇█';
const ENV_SHORT: Record<string, string> = { development: 'dev', production: 'prod' };

export function sparkline(values: number[]): string {
  const max = Math.max(1, ...values);
  return values.map((v) => (v === 0 ? ' ' : SPARK[Math.min(SPARK.length - 1, Math.floor((v / max) * (SPARK.length - 1)))])).join('');
}

export function headerLines(m: TuiModel, width: number, where: string): string[] {
  const p = m.plan;
  const versions = p ? p.versions.map((v) => `v${v.version ?? '?'}${v.environment ? ` ${ENV_SHORT[v.environment] ?? v.environment}` : ''}`).join(', ') : '';
  const planText = p ? `${p.id ?? p.name ?? 'plan'}${p.version !== null ? ` v${p.version} (pinned)` : ` ${versions}`}${p.force ? ' --force' : ''}` : 'no plan yet';
  const judged = m.lastVersion !== null && p?.version === null ? ` · judged by v${m.lastVersion}` : '';
  const left1 = ` dataplan stream · ${planText}${judged}`;
  const right1 = `${where} `;
  const line1 = `{bold}${esc(fit(left1, Math.max(0, width - right1.length)))}{/bold}${esc(right1)}`;

  const c = m.counts;
  const eps = m.eventsPerSecond();
  const spark = sparkline(m.rate.slice(-Math.max(8, Math.min(30, width - 64))));
  const parts = [
    `${plural(c.events, 'event')}`,
    c.events_with_violations > 0 ? `{red-fg}✗ ${c.events_with_violations}{/red-fg}` : '{green-fg}✗ 0{/green-fg}',
    c.not_validated_batches > 0 ? `– ${c.not_validated_batches} batch${c.not_validated_batches === 1 ? '' : 'es'} not validated` : '',
    c.rejected > 0 ? `{yellow-fg}rejected ${c.rejected}{/yellow-fg}` : 'rejected 0',
  ].filter(Boolean);
  const line2 = ` ${parts.join('  ')}  {cyan-fg}${spark}{/cyan-fg} ${eps.toFixed(eps < 10 ? 1 : 0)}/s`;

  const badges: string[] = [];
  if (m.paused) badges.push(`{black-fg}{yellow-bg} PAUSED +${m.pending.length} {/yellow-bg}{/black-fg}`);
  if (m.violationsOnly) badges.push('{red-fg}[violations only]{/red-fg}');
  if (m.typeFilter) badges.push(`[type: ${esc(m.typeFilter)}]`);
  if (m.search) badges.push(`[/${esc(m.search)}]`);
  let note = '';
  if (p?.error) note = `{red-fg}${esc(fit(`plan error: ${p.error.message}`, width - 2))}{/red-fg}`;
  else if (m.notice && Date.now() - m.notice.at < 10_000) note = m.notice.level === 'error' ? `{red-fg}${esc(m.notice.text)}{/red-fg}` : `{green-fg}${esc(m.notice.text)}{/green-fg}`;
  else if (m.lastRejection) {
    const r = m.lastRejection;
    note = `{yellow-fg}${esc(fit(`last rejected ${clock(r.at)} ${r.method} ${r.path}: ${r.status} ${r.message}`, width - 2 - badges.join(' ').length))}{/yellow-fg}`;
  } else if (m.lagged > 0) note = `{yellow-fg}missed ${m.lagged} messages (viewer too slow){/yellow-fg}`;
  const line3 = ` ${[...badges, note].filter(Boolean).join(' ')}`;
  return [line1, line2, line3];
}

/** Column widths for a list of `width` columns. */
function columns(width: number) {
  const user = width >= 100 ? 20 : width >= 70 ? 12 : 0;
  const type = 14;
  const name = Math.max(8, width - 8 - 1 - 1 - 1 - 2 - 1 - type - 1 - (user ? user + 1 : 0));
  return { type, name, user };
}

export function listHeader(width: number): string {
  const w = columns(width);
  return `{underline}${esc(fit(`time     ✓ #  ${'type'.padEnd(w.type)} ${'name'.padEnd(w.name)}${w.user ? ` ${'user'.padEnd(w.user)}` : ''}`, width))}{/underline}`;
}

export function rowLine(r: Row, width: number, selected: boolean): string {
  const w = columns(width);
  const e = r.event;
  let mark: Mark;
  let count: string;
  let type: string;
  let name: string;
  let user: string;
  if (e) {
    mark = eventMark(e);
    count = e.violations.length > 0 ? String(e.violations.length) : '';
    type = shortType(e.event_type);
    name = eventLabel(e) || '-';
    user = e.user ?? e.device ?? '';
  } else {
    mark = 'bad';
    count = String(r.batch.violations.length + r.batch.errors.length);
    type = 'batch';
    name = `batch ${r.batch.batch_id}: user attributes / identities`;
    user = r.batch.mpid ?? '';
  }
  const text = `${clock(e?.received_at ?? r.batch.received_at)} ${MARK_CHAR[mark]} ${fit(count, 2)} ${fit(type, w.type)} ${fit(name, w.name)}${w.user ? ` ${fit(user, w.user)}` : ''}`;
  const line = esc(fit(text, width));
  // The mark keeps its colour; a violating row's name is red, like Live Stream's highlight.
  const at = 9;
  const colored = `${line.slice(0, at)}{${MARK_TAG[mark]}}${line.slice(at, at + 1)}{/${MARK_TAG[mark]}}${mark === 'bad' ? `{red-fg}${line.slice(at + 1)}{/red-fg}` : line.slice(at + 1)}`;
  return selected ? `{inverse}${colored}{/inverse}` : colored;
}

/** Where a violation points inside its event (or user attribute map), to line it up with the value. */
function violationPointer(v: Violation): string {
  if (v.violation === 'unplanned_event') return '';
  const base = v.error_pointer.replace(/^#/, '');
  if (v.violation === 'missing_required' || v.violation.startsWith('unplanned_')) return `${base}/${escapePointer(v.key)}`;
  return base;
}

/** Bookkeeping fields every web event carries; they only add noise to the detail pane. */
const QUIET_FIELDS = new Set(['timestamp_unixtime_ms', 'session_uuid', 'session_start_unixtime_ms', 'source_message_id', 'session_id', 'event_id', 'location', 'custom_flags']);

interface Field {
  pointer: string;
  path: string;
  value: string;
}

function flatten(value: unknown, pointer: string, path: string, out: Field[], keep: Set<string>, depth = 0): void {
  if (out.length > 300) return;
  if (isObject(value) || Array.isArray(value)) {
    const entries: [string, unknown][] = Array.isArray(value) ? value.map((v, i) => [String(i), v]) : Object.entries(value);
    if (entries.length === 0 || depth > 4) {
      out.push({ pointer, path, value: Array.isArray(value) ? '[]' : '{}' });
      return;
    }
    if (keep.has(pointer)) out.push({ pointer, path, value: Array.isArray(value) ? `[${entries.length}]` : '{…}' });
    for (const [k, v] of entries) {
      const child = `${pointer}/${escapePointer(k)}`;
      if (depth === 0 && QUIET_FIELDS.has(k) && !keep.has(child)) continue;
      if (v === null && !keep.has(child)) continue;
      flatten(v, child, Array.isArray(value) ? `${path}[${k}]` : path ? `${path}.${k}` : k, out, keep, depth + 1);
    }
    return;
  }
  out.push({ pointer, path, value: JSON.stringify(value) ?? String(value) });
}

/** Fields with their violations; violations on absent fields become rows of their own. */
function fieldLines(root: unknown, base: string, violations: Violation[], width: number): { lines: string[]; loose: Violation[] } {
  const byPointer = new Map<string, Violation[]>();
  for (const v of violations) {
    const p = violationPointer(v);
    if (!p.startsWith(base) && base !== '') continue;
    const list = byPointer.get(p);
    if (list) list.push(v);
    else byPointer.set(p, [v]);
  }
  const fields: Field[] = [];
  flatten(root, base, '', fields, new Set(byPointer.keys()));
  const seen = new Set(fields.map((f) => f.pointer));
  for (const p of byPointer.keys()) {
    if (p === '' || seen.has(p) || !p.startsWith(base)) continue;
    const path = p.slice(base.length).split('/').filter(Boolean).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~')).join('.');
    fields.push({ pointer: p, path, value: '(missing)' });
  }
  const keyWidth = Math.min(34, Math.max(8, ...fields.map((f) => f.path.length)) + 1);
  const beside = width >= 100;
  const lines: string[] = [];
  // Violating fields first: a small pane still shows what is wrong.
  const ordered = [...fields.filter((f) => byPointer.has(f.pointer)), ...fields.filter((f) => !byPointer.has(f.pointer))];
  for (const f of ordered) {
    const vs = byPointer.get(f.pointer) ?? [];
    const text = `${fit(f.path, keyWidth)} ${f.value}`;
    if (vs.length === 0) {
      lines.push(`  ${esc(fit(text, width - 2))}`);
      continue;
    }
    if (beside) {
      const left = fit(text, Math.max(20, Math.floor(width * 0.45)));
      lines.push(`{red-fg}✗ ${esc(left)} ${esc(fit(vs[0].message, width - left.length - 3))}{/red-fg}`);
      for (const v of vs.slice(1)) lines.push(`{red-fg}  ${' '.repeat(left.length)} ${esc(fit(v.message, width - left.length - 3))}{/red-fg}`);
    } else {
      lines.push(`{red-fg}✗ ${esc(fit(text, width - 2))}{/red-fg}`);
      for (const v of vs) for (const l of wrapText(v.message, width, '    ')) lines.push(`{red-fg}${esc(l)}{/red-fg}`);
    }
  }
  const matched = new Set(fields.map((f) => f.pointer));
  const loose = violations.filter((v) => !matched.has(violationPointer(v)));
  return { lines, loose };
}

function wrapText(s: string, width: number, indent: string): string[] {
  const out: string[] = [];
  let rest = s;
  const w = Math.max(10, width - indent.length);
  while (rest.length > w) {
    let cut = rest.lastIndexOf(' ', w);
    if (cut <= 0) cut = w;
    out.push(indent + rest.slice(0, cut));
    rest = rest.slice(cut).trimStart();
  }
  out.push(indent + rest);
  return out;
}

export function detailLines(r: Row | undefined, width: number, raw: boolean): string[] {
  if (!r) return ['{gray-fg} no event selected: events appear here as they arrive{/gray-fg}'];
  const b = r.batch;
  const e = r.event;
  if (raw) {
    const json = e ? JSON.stringify({ event_type: e.event_type, data: e.data }, null, 2) : JSON.stringify(b, null, 2);
    return [`{bold}raw JSON{/bold} {gray-fg}(r: back to attributes){/gray-fg}`, ...json.split('\n').map((l) => esc(fit(l, width)))];
  }
  const out: string[] = [];
  const meta = (s: string) => out.push(`{gray-fg}${esc(fit(s, width))}{/gray-fg}`);
  if (e) {
    const mark = eventMark(e);
    const n = e.violations.length;
    const title = `${MARK_CHAR[mark]} ${e.event_type} ${eventLabel(e) ? `"${e.name}"${e.custom_event_type ? ` (${e.custom_event_type})` : ''}` : ''}`;
    out.push(`{bold}{${MARK_TAG[mark]}}${esc(fit(title, Math.max(10, width - 16)))}{/${MARK_TAG[mark]}}{/bold} ${n > 0 ? `{red-fg}${plural(n, 'violation')}{/red-fg}` : ''}`);
    meta(`batch ${b.batch_id} ${e.event_index >= 0 ? `#${e.event_index}` : `msg ${e.message_index ?? '?'}`} · ${sourceLabel(b)} · ${b.plan_id ?? 'no plan'}${b.plan_version !== null ? ` v${b.plan_version}` : ''} · ${clock(e.received_at)}${e.user ? ` · ${e.user}` : ''}${b.mpid ? ` · mpid ${b.mpid}` : ''}`);
    if (!e.validated) for (const l of wrapText(whyNotValidated(e, b), width, '')) out.push(`{yellow-fg}${esc(l)}{/yellow-fg}`);
    const { lines, loose } = fieldLines(e.data, '/data', e.violations, width);
    for (const v of loose) for (const l of wrapText(`${v.violation}: ${v.message}`, width, '')) out.push(`{red-fg}${esc(l)}{/red-fg}`);
    out.push('{bold}Attributes{/bold}');
    out.push(...(lines.length ? lines : ['  (none)']));
  } else {
    out.push(`{bold}{red-fg}${esc(fit(`✗ batch ${b.batch_id}: ${plural(b.violations.length, 'batch-level violation')}`, width))}{/red-fg}{/bold}`);
    meta(`${sourceLabel(b)} · ${b.endpoint} · ${b.plan_id ?? 'no plan'}${b.plan_version !== null ? ` v${b.plan_version}` : ''}${b.mpid ? ` · mpid ${b.mpid}` : ''}`);
    for (const er of b.errors) out.push(`{yellow-fg}${esc(fit(er.message, width))}{/yellow-fg}`);
    const attrs = b.violations.filter((v) => v.match_key === 'user_attributes');
    const ids = b.violations.filter((v) => v.match_key !== 'user_attributes');
    const ua = fieldLines(b.user_attributes ?? {}, '', attrs, width);
    out.push('{bold}User attributes{/bold}');
    out.push(...(ua.lines.length ? ua.lines : ['  (none)']));
    for (const v of [...ua.loose, ...ids]) for (const l of wrapText(`${v.violation}: ${v.message}`, width, '')) out.push(`{red-fg}${esc(l)}{/red-fg}`);
    if (isObject(b.user_identities)) {
      out.push('{bold}User identities{/bold}');
      for (const [k, v] of Object.entries(b.user_identities)) if (v !== null) out.push(`  ${esc(fit(`${k} ${JSON.stringify(v)}`, width - 2))}`);
    }
  }
  return out;
}

const KEYS: Array<[string, string]> = [['↑↓', 'select'], ['v', 'violations'], ['t', 'type'], ['/', 'search'], ['p', 'pause'], ['c', 'clear'], ['r', 'raw'], ['?', 'help'], ['q', 'quit']];

/** The keys, spaced to fit the width. */
export function keysLine(width: number): string {
  const items = KEYS.map(([k, w]) => `${k} ${w}`);
  const wide = ` ${items.join('  ')}`;
  return wide.length <= width ? wide : ` ${items.join(' ')}`;
}

export const HELP = [
  '{bold}dataplan stream: keys{/bold}',
  '',
  '  ↑ ↓  k j      select an event (at the bottom the list follows new events)',
  '  PgUp PgDn     page through the list',
  '  g  G / End    first event / newest, following again',
  '  v             violations only, on/off',
  '  t  T          filter by event type: next / previous type seen, then all',
  '  /             search names, types, users, violation messages; Esc clears',
  '  space  p      pause / resume (events keep arriving and being counted)',
  '  c             clear the list (counts stay)',
  '  r  enter      raw JSON of the selected event, on/off',
  '  J  K          scroll the detail pane',
  '  ?             this help',
  '  q  Ctrl-C     quit',
  '',
  ' ✓ in plan  ✗ violations  – not validated (why: in the details)  ! malformed',
];

export function statusLine(m: TuiModel, editing: string | null, width: number): string {
  if (editing !== null) return `{inverse}${esc(fit(` search: ${editing}█  (Enter apply, Esc cancel)`, width))}{/inverse}`;
  return `{inverse}${esc(fit(keysLine(width), width))}{/inverse}`;
}

export type { EventRecord, BatchRecord };
