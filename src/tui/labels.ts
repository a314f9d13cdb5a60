/** How events and violations are named on screen and in printed lines: one wording for every view. */
import type { BatchRecord, EventRecord } from '../stream/types.js';

const SHORT_TYPES: Record<string, string> = {
  application_state_transition: 'app_state',
  user_attribute_change: 'user_attribute',
  user_identity_change: 'user_identity',
  network_performance: 'network_perf',
  push_registration: 'push_register',
};

/** `custom_event`, `screen_view`, `commerce_event`, `app_state`, … (fits 14 columns). */
export function shortType(type: string): string {
  return SHORT_TYPES[type] ?? type;
}

/** `Navbar Click (navigation)`, `Home`, `add_to_cart`, `application_initialized`. */
export function eventLabel(e: EventRecord): string {
  if (e.custom_event_type !== undefined) return `${e.name} (${e.custom_event_type})`;
  return e.name;
}

export type Mark = 'ok' | 'bad' | 'skip' | 'error';

/** ✓ judged and clean, ✗ violations, – not judged (why is in `reason`), ! malformed. */
export function eventMark(e: EventRecord): Mark {
  if (e.error !== undefined) return 'error';
  if (e.violations.length > 0) return 'bad';
  return e.validated ? 'ok' : 'skip';
}

export const MARK_CHAR: Record<Mark, string> = { ok: '✓', bad: '✗', skip: '–', error: '!' };

export function whyNotValidated(e: EventRecord, b?: BatchRecord): string {
  if (e.reason === 'not_plannable') return `${e.event_type} events are SDK bookkeeping the plan does not cover`;
  if (e.reason === 'malformed') return e.error ?? 'malformed event';
  if (e.reason === 'not_translated') return `not validated: ${e.not_translated ?? 'this mobile message has no Events API translation'}`;
  return b?.notice ?? (e.reason ? `not validated (${e.reason})` : '');
}

/** `web`, `node`, `ios · Acme Shop 4.2 (17)`: where a batch came from, with the app for mobile uploads. */
export function sourceLabel(b: Pick<BatchRecord, 'source' | 'app'>): string {
  const a = b.app;
  if (!a || (a.name === undefined && a.version === undefined)) return b.source;
  return `${b.source} · ${[a.name, a.version].filter((x) => x !== undefined).join(' ')}${a.build !== undefined ? ` (${a.build})` : ''}`;
}

/** `11:02:05` in local time. */
export function clock(iso: string): string {
  const d = new Date(iso);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

export function plural(n: number, word: string, many = `${word}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? word : many}`;
}

/** Truncate to `width` columns with an ellipsis, pad to exactly `width`. */
export function fit(s: string, width: number): string {
  if (width <= 0) return '';
  if (s.length > width) return width === 1 ? '…' : s.slice(0, width - 1) + '…';
  return s.padEnd(width);
}
