/** What the terminal UI shows, apart from how: rows, filters, selection, pause, counts. No blessed here. */
import { Ring, countBatch, countRejection, emptyCounts } from '../stream/store.js';
import type { BatchRecord, Counts, EventRecord, FeedMessage, PlanInfo, Rejection } from '../stream/types.js';
import { eventLabel, shortType } from './labels.js';

/** A list row: an event, or a batch that has batch-level violations (user attributes, identities). */
export interface Row {
  key: number;
  batch: BatchRecord;
  event?: EventRecord;
}

export const ROW_CAPACITY = 5000;
const RATE_SECONDS = 60;

export class TuiModel {
  rows: Ring<Row>;
  /** Rows that arrived while paused; shown on resume. */
  pending: Row[] = [];
  paused = false;
  violationsOnly = false;
  /** Event type shown, or null for all. */
  typeFilter: string | null = null;
  /** Event types seen so far, in order of first arrival, for the type filter. */
  types: string[] = [];
  search = '';
  /** Key of the selected row; null follows the newest. */
  selected: number | null = null;
  raw = false;
  help = false;
  detailScroll = 0;
  counts: Counts = emptyCounts();
  plan: PlanInfo | null = null;
  lastRejection: Rejection | null = null;
  /** The plan version that judged the latest validated batch. */
  lastVersion: number | null = null;
  notice: { text: string; level: 'info' | 'error'; at: number } | null = null;
  lagged = 0;
  /** Events per second, newest last. */
  rate: number[] = new Array(RATE_SECONDS).fill(0);
  private rateSecond = Math.floor(Date.now() / 1000);
  private nextKey = 1;
  private viewCache: Row[] | null = null;

  constructor(readonly capacity = ROW_CAPACITY) {
    this.rows = new Ring(capacity);
  }

  apply(m: FeedMessage, now = Date.now()): void {
    switch (m.type) {
      case 'hello':
        this.counts = { ...emptyCounts(), ...pickCounts(m.summary) };
        this.plan = m.summary.plan;
        break;
      case 'batch': {
        if (m.batch.validated) this.lastVersion = m.batch.plan_version;
        if (!m.backlog) {
          countBatch(this.counts, m.batch, m.events);
          this.tick(now, m.events.length);
        }
        const add: Row[] = [];
        if (m.batch.violations.length > 0 || m.batch.errors.length > 0) add.push({ key: this.nextKey++, batch: m.batch });
        for (const e of m.events) add.push({ key: this.nextKey++, batch: m.batch, event: e });
        for (const e of m.events) if (!this.types.includes(e.event_type)) this.types.push(e.event_type);
        if (this.paused) {
          this.pending.push(...add);
          if (this.pending.length > this.capacity) this.pending.splice(0, this.pending.length - this.capacity);
        } else this.push(add);
        break;
      }
      case 'rejected':
        countRejection(this.counts, m.rejection);
        this.lastRejection = m.rejection;
        break;
      case 'plan':
        this.plan = m.plan;
        this.notice = m.plan.error
          ? { text: `plan error: ${m.plan.error.message}`, level: 'error', at: now }
          : { text: `plan reloaded at ${new Date(m.plan.loaded_at).toLocaleTimeString('en-GB')}`, level: 'info', at: now };
        break;
      case 'reset':
        this.counts = emptyCounts();
        this.clear();
        break;
      case 'lagged':
        this.lagged += m.dropped;
        break;
      case 'notice':
        this.notice = { text: m.text, level: m.level, at: now };
        break;
    }
  }

  private push(add: Row[]): void {
    for (const r of add) this.rows.push(r);
    this.viewCache = null;
  }

  /** Count arrivals into per-second buckets for the sparkline. */
  tick(now = Date.now(), events = 0): void {
    const sec = Math.floor(now / 1000);
    const gap = Math.min(sec - this.rateSecond, RATE_SECONDS);
    if (gap > 0) {
      this.rate.splice(0, gap);
      for (let i = 0; i < gap; i++) this.rate.push(0);
      this.rateSecond = sec;
    }
    this.rate[this.rate.length - 1] += events;
  }

  /** Events per second over the last complete seconds. */
  eventsPerSecond(window = 5): number {
    const done = this.rate.slice(-window - 1, -1);
    return done.reduce((a, b) => a + b, 0) / Math.max(1, done.length);
  }

  /** The rows the filters let through, oldest first. */
  view(): Row[] {
    if (this.viewCache) return this.viewCache;
    const q = this.search.toLowerCase();
    const out: Row[] = [];
    for (const r of this.rows) {
      const e = r.event;
      if (this.violationsOnly && !(e ? e.violations.length > 0 || e.error !== undefined : true)) continue;
      if (this.typeFilter !== null && e?.event_type !== this.typeFilter) continue;
      if (q && !matches(r, q)) continue;
      out.push(r);
    }
    this.viewCache = out;
    return out;
  }

  /** Index of the selected row in the view (the newest when following). */
  selectedIndex(): number {
    const v = this.view();
    if (v.length === 0) return -1;
    if (this.selected === null) return v.length - 1;
    const i = v.findIndex((r) => r.key === this.selected);
    return i >= 0 ? i : v.length - 1;
  }

  selectedRow(): Row | undefined {
    const i = this.selectedIndex();
    return i >= 0 ? this.view()[i] : undefined;
  }

  /** Move the selection; reaching the newest row follows again. */
  move(delta: number): void {
    const v = this.view();
    if (v.length === 0) return;
    const i = Math.max(0, Math.min(v.length - 1, this.selectedIndex() + delta));
    this.selected = i === v.length - 1 && delta > 0 ? null : v[i].key;
    this.detailScroll = 0;
  }

  first(): void {
    const v = this.view();
    if (v.length) this.selected = v[0].key;
    this.detailScroll = 0;
  }

  follow(): void {
    this.selected = null;
    this.detailScroll = 0;
  }

  togglePause(): void {
    this.paused = !this.paused;
    if (!this.paused) {
      this.push(this.pending);
      this.pending = [];
    }
  }

  toggleViolations(): void {
    this.violationsOnly = !this.violationsOnly;
    this.viewCache = null;
  }

  /** All → each type seen → all. */
  cycleType(step = 1): void {
    const all: (string | null)[] = [null, ...this.types];
    const i = all.indexOf(this.typeFilter);
    this.typeFilter = all[(i + step + all.length) % all.length];
    this.viewCache = null;
  }

  setSearch(s: string): void {
    this.search = s;
    this.viewCache = null;
  }

  /** Empty the list (filters stay; counts are the receiver's and stay too). */
  clear(): void {
    this.rows.clear();
    this.pending = [];
    this.selected = null;
    this.detailScroll = 0;
    this.viewCache = null;
  }
}

/** The counts of a summary, copied: the viewer counts on from there without touching the receiver's. */
function pickCounts(s: Counts): Counts {
  const c = emptyCounts();
  for (const k of Object.keys(c) as (keyof Counts)[]) {
    const v = s[k];
    (c as unknown as Record<string, unknown>)[k] = typeof v === 'object' && v !== null ? { ...v } : v;
  }
  return c;
}

function matches(r: Row, q: string): boolean {
  const e = r.event;
  const hay = e
    ? [eventLabel(e), e.event_type, shortType(e.event_type), e.match_key ?? '', e.user ?? '', e.device ?? '', ...e.violations.map((v) => `${v.violation} ${v.message}`)]
    : ['batch', r.batch.mpid ?? '', ...r.batch.violations.map((v) => `${v.violation} ${v.message}`)];
  return hay.some((s) => s.toLowerCase().includes(q));
}
