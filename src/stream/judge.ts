/**
 * Everything the receiver does to one request before it touches shared state: parse within bounds,
 * judge each batch with the core, and encode its capture line, its acknowledgement and its records.
 * Ids are left out (the receiver hands them out in capture order), so this runs the same on the main
 * thread and in an ingest worker.
 */
import { isObject, own } from '../plan/index.js';
import type { BatchResult } from '../validate/index.js';
import { formatSize, parseBatches, type ParsedBody } from './body.js';
import type { CaptureRecord } from './capture.js';
import { AckBudget, batchAck, batchRecord, eventRecords, type Arrival } from './records.js';
import { RECORD_BYTES, recordBytes, tallyRecords, violationBytes, type RecordBytes, type Tally } from './store.js';
import type { BatchOrigin, BatchRecord, EventRecord } from './types.js';

export interface JudgeConfig {
  /** Sizes the platform refuses (accepted here with a warning). */
  platformBatchBytes: number;
  platformRequestBytes: number;
  /** Bytes of verdict detail one acknowledgement lists. */
  ackDetailBytes: number;
  /** Encode capture lines (the receiver has a capture file). */
  capture: boolean;
}

export interface BodyBounds {
  maxBatches: number;
  maxEvents: number;
}

/**
 * A capture line after `{"capture":1,"batch_id":N`: `text`, then, when the batch's own bytes are
 * written as they came, `raw` and `}\n` (else `text` ends the line).
 */
export interface LineTail {
  /** A string as judged; bytes once stored (compact, and off the JS heap). */
  text: string | Uint8Array;
  raw?: Uint8Array;
}

const utf8 = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('utf8');

/** One judged batch, without its ids. */
export interface JudgedBatch {
  /** The capture line (the records are built from it when read). */
  line: LineTail;
  /** The acknowledgement after `{"batch_id":N`. */
  ack: string;
  tally: Tally;
  bytes: RecordBytes;
  /** Records built already: a translated upload (they carry what the line does not say), or a batch someone is watching. */
  made?: { batch: BatchRecord; events: EventRecord[] };
}

export interface JudgedRequest {
  received_at: string;
  batches: JudgedBatch[];
}

/** Where a request came from; `received_at` defaults to now. */
export type From = Omit<Arrival, 'received_at'> & { received_at?: string };

const LINE_HEAD = '{"capture":1,"batch_id":0';
const ACK_HEAD = '{"batch_id":0';
const BATCH_KEY = ',"batch":';

function warningsFor(size: number, body: { bytes: number } | undefined, c: JudgeConfig): string[] | undefined {
  if (!body) return undefined;
  const out: string[] = [];
  if (size > c.platformBatchBytes) out.push(`batch is ${formatSize(size)}: the mParticle platform rejects batches over ${formatSize(c.platformBatchBytes)}`);
  if (body.bytes > c.platformRequestBytes) out.push(`request is ${formatSize(body.bytes)}: the mParticle platform rejects requests over ${formatSize(c.platformRequestBytes)}`);
  return out.length ? out : undefined;
}

/** Now, as a request's `received_at`: made once per millisecond (requests arrive many to a millisecond under load). */
let lastMs = -1;
let lastIso = '';
export function arrivalTime(): string {
  const ms = Date.now();
  if (ms !== lastMs) {
    lastMs = ms;
    lastIso = new Date(ms).toISOString();
  }
  return lastIso;
}

/** `"key":` for each key seen (a handful of fixed names). */
const keyTexts = new Map<string, string>();
function keyText(k: string): string {
  let t = keyTexts.get(k);
  if (t === undefined) {
    t = `${JSON.stringify(k)}:`;
    if (keyTexts.size < 1000) keyTexts.set(k, t);
  }
  return t;
}

/**
 * `JSON.stringify(o)` for a flat record whose values may already be serialised: `known` maps a value
 * (by identity) to its JSON, so a verdict's violations are serialised once for the capture line and the
 * acknowledgement both.
 */
function stringifyWith(o: object, known: Map<unknown, string>): string {
  let out = '';
  for (const k in o) {
    const v = (o as Record<string, unknown>)[k];
    const text = (typeof v === 'object' && v !== null ? known.get(v) : undefined) ?? (JSON.stringify(v) as string | undefined);
    if (text === undefined) continue;
    out += `${out ? ',' : '{'}${keyText(k)}${text}`;
  }
  return out ? `${out}}` : '{}';
}

/** `,"key":value` as `JSON.stringify` writes it inside an object (nothing for undefined). */
function field(k: string, v: unknown): string {
  const text = JSON.stringify(v) as string | undefined;
  return text === undefined ? '' : `,${keyText(k)}${text}`;
}

/** What every batch of a request repeats: its arrival, as the capture line has it after the id. */
function arrivalText(a: Arrival): string {
  return `${field('received_at', a.received_at)}${field('endpoint', a.endpoint)}${field('source', a.source)}${a.api_key ? field('api_key', a.api_key) : ''}`;
}

/**
 * The acknowledgement after its id when it lists the whole verdict: what `batchAck` gives then, written
 * straight from the parts already serialised (a test holds the two equal).
 */
function wholeAck(result: BatchResult, violations: string, errors: string, warnings: string | undefined): string {
  let t = field('validated', result.validated);
  if (result.reason) t += field('reason', result.reason);
  if (result.notice) t += field('notice', result.notice);
  t += field('plan_id', result.plan_id) + field('plan_version', result.plan_version) + field('event_count', result.event_count);
  t += `,"violation_count":${result.violations.length},"violations":${violations},"errors":${errors}`;
  if (warnings !== undefined) t += `,"warnings":${warnings}`;
  return `${t}}`;
}

/**
 * Judge parsed batches. `body`: the bytes they arrived as (sizes, platform warnings, capture bytes);
 * `origins[i]`: batch i was translated from this upload (mobile).
 */
export function judgeBatches(
  validate: (batch: unknown) => BatchResult,
  batches: unknown[],
  from: From,
  c: JudgeConfig,
  body?: ParsedBody,
  origins?: Array<BatchOrigin | undefined>,
  records = false,
): JudgedRequest {
  const arrival: Arrival = { ...from, received_at: from.received_at ?? arrivalTime() };
  const sizes = body?.sizes ?? batches.map((b) => Buffer.byteLength(JSON.stringify(b) ?? ''));
  const budget = new AckBudget(c.ackDetailBytes);
  const out: JudgedBatch[] = new Array(batches.length);
  const noId = () => 0;
  let arrived: string | undefined;
  for (let i = 0; i < batches.length; i++) {
    const batch = batches[i];
    const result = validate(batch);
    const origin = origins?.[i];
    const size = sizes[i] ?? 0;
    const warnings = warningsFor(size, body, c);
    const violations = JSON.stringify(result.violations);
    const errors = JSON.stringify(result.errors);
    const known = new Map<unknown, string>([[result.violations, violations], [result.errors, errors]]);
    const verdict = stringifyWith(result, known);
    const warned = warnings && JSON.stringify(warnings);
    const raw = origin ? undefined : body?.raw?.[i];
    let line: LineTail;
    /** The length of the capture line without its batch (or with it, when the batch is serialised). */
    let chars: number;
    if (raw) {
      arrived ??= arrivalText(arrival);
      const text = `${arrived}${warned !== undefined ? `,"warnings":${warned}` : ''},"result":${verdict}${BATCH_KEY}`;
      line = { text, raw };
      chars = LINE_HEAD.length + text.length - BATCH_KEY.length + 1;
    } else {
      const record: CaptureRecord = {
        capture: 1, batch_id: 0, received_at: arrival.received_at, endpoint: arrival.endpoint, source: arrival.source,
        ...(arrival.api_key ? { api_key: arrival.api_key } : {}), ...(warnings ? { warnings } : {}), result, batch,
        ...(origin ? { raw: origin.raw, ...(origin.app ? { app: origin.app } : {}), not_translated: origin.not_translated ?? [] } : {}),
      };
      known.set(result, verdict);
      const text = stringifyWith(record, known);
      line = { text: `${text.slice(LINE_HEAD.length)}\n` };
      chars = text.length;
    }
    // The verdict's length bounds the acknowledgement's detail when the capture holds it (as it always did).
    const ack = budget.takeAll(c.capture ? chars : undefined)
      ? wholeAck(result, violations, errors, warned)
      : stringifyWith(batchAck(0, result, budget, warnings), known).slice(ACK_HEAD.length);
    // Records for a viewer are built here, not parsed back from the capture line a moment later.
    if (origin || records) {
      const rec = batchRecord(0, batch, result, arrival, origin, warnings);
      const events = eventRecords(rec, batch, result, noId, origin);
      out[i] = { line, ack, tally: tallyRecords(rec, events), bytes: recordBytes(rec, events, size), made: { batch: rec, events } };
    } else out[i] = { line, ack, ...tallyOf(batch, result, size) };
  }
  return { received_at: arrival.received_at, batches: out };
}

/**
 * What a batch's records would count and weigh, without building them: the same as `tallyRecords` and
 * `recordBytes` of `batchRecord` and `eventRecords` (a test holds them equal).
 */
export function tallyOf(batch: unknown, result: BatchResult, size: number): { tally: Tally; bytes: RecordBytes } {
  const list = isObject(batch) && Array.isArray(own(batch, 'events')) ? (own(batch, 'events') as unknown[]) : [];
  const n = list.length;
  const share = size / (n + 1);
  const tally: Tally = { validated: result.validated, events: n, validated_events: 0, events_with_violations: 0, violation_count: result.violations.length, input_errors: 0, codes: [] };
  const perEvent = new Array<number>(n).fill(RECORD_BYTES + share);
  const violating = new Set<number>();
  let batchBytes = RECORD_BYTES + share;
  for (const v of result.violations) {
    if (v.event_index === null) {
      tally.codes.push(v.violation);
      batchBytes += violationBytes([v]);
    } else if (v.event_index < n) {
      tally.codes.push(v.violation);
      perEvent[v.event_index] += violationBytes([v]);
      violating.add(v.event_index);
    }
  }
  const errors = new Map<number, string>();
  for (const e of result.errors) {
    if (e.event_index === null) {
      tally.input_errors++;
      batchBytes += violationBytes([e]);
    } else errors.set(e.event_index, e.message);
  }
  const notPlannable = new Set(result.not_validated_events);
  for (let i = 0; i < n; i++) {
    const error = errors.get(i);
    if (error !== undefined) {
      tally.input_errors++;
      perEvent[i] += error.length;
    }
    const reason = !result.validated ? result.reason : error !== undefined ? 'malformed' : notPlannable.has(i) ? 'not_plannable' : undefined;
    if (reason === undefined) tally.validated_events++;
  }
  tally.events_with_violations = violating.size;
  return { tally, bytes: { batch: batchBytes, events: perEvent } };
}

/** The text of a capture line after its id (without its newline). */
export function lineText(line: LineTail): string {
  const text = typeof line.text === 'string' ? line.text : utf8(line.text);
  return line.raw ? `${text}${utf8(line.raw)}}` : text;
}

/** The records of a batch stored as its capture line, built when first read. */
export function recordsFromLine(line: LineTail, id: number, firstEventId: number): { batch: BatchRecord; events: EventRecord[] } {
  const r = JSON.parse(LINE_HEAD + lineText(line)) as CaptureRecord;
  const arrival: Arrival = { endpoint: r.endpoint, source: r.source, ...(r.api_key ? { api_key: r.api_key } : {}), received_at: r.received_at };
  const batch = batchRecord(id, r.batch, r.result, arrival, undefined, r.warnings);
  let next = firstEventId;
  return { batch, events: eventRecords(batch, r.batch, r.result, () => next++) };
}

/** Parse a request body within `bounds` (throws BodyError) and judge its batches; `records`: build their records too. */
export function judgeBody(validate: (batch: unknown) => BatchResult, buf: Buffer, from: From, c: JudgeConfig, bounds: BodyBounds, records = false): JudgedRequest {
  const body = parseBatches(buf, bounds.maxBatches, bounds.maxEvents);
  return judgeBatches(validate, body.batches, from, c, body, undefined, records);
}

/**
 * The capture lines of batches `ids[0]`, `ids[1]`, … in pieces for `CaptureWriter.appendLines`: text
 * (ids, verdicts) and the batches' own bytes, copied only once, into the file's write.
 */
export function captureParts(ids: number[], lines: LineTail[]): Array<string | Uint8Array> {
  const parts: Array<string | Uint8Array> = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    // The line's text as its own piece: joined to another string it would be copied again.
    parts.push(`${i && lines[i - 1].raw ? '}\n' : ''}{"capture":1,"batch_id":${ids[i]}`, line.text);
    if (line.raw) parts.push(line.raw);
  }
  if (lines.length && lines[lines.length - 1].raw) parts.push('}\n');
  return parts;
}
