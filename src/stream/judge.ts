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

/** One judged batch, without its ids. */
export interface JudgedBatch {
  /** The capture line after `{"capture":1,"batch_id":N` (the records are built from it when read). */
  line: Uint8Array;
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
const LINE_END = Buffer.from('}\n');

function warningsFor(size: number, body: { bytes: number } | undefined, c: JudgeConfig): string[] | undefined {
  if (!body) return undefined;
  const out: string[] = [];
  if (size > c.platformBatchBytes) out.push(`batch is ${formatSize(size)}: the mParticle platform rejects batches over ${formatSize(c.platformBatchBytes)}`);
  if (body.bytes > c.platformRequestBytes) out.push(`request is ${formatSize(body.bytes)}: the mParticle platform rejects requests over ${formatSize(c.platformRequestBytes)}`);
  return out.length ? out : undefined;
}

/**
 * `JSON.stringify(o)` for a flat record whose values may already be serialised: `known` maps a value
 * (by identity) to its JSON, so a verdict's violations are serialised once for the capture line and the
 * acknowledgement both.
 */
function stringifyWith(o: object, known: Map<unknown, string>): string {
  let out = '';
  for (const [k, v] of Object.entries(o)) {
    const text = (typeof v === 'object' && v !== null ? known.get(v) : undefined) ?? (JSON.stringify(v) as string | undefined);
    if (text === undefined) continue;
    out += `${out ? ',' : '{'}${JSON.stringify(k)}:${text}`;
  }
  return out ? `${out}}` : '{}';
}

/** The capture line after its id; `raw`: the batch's own bytes (see `ParsedBody.raw`), written as they are. */
function captureTail(record: CaptureRecord, raw: Buffer | undefined, known: Map<unknown, string>): { line: Buffer; chars: number } {
  if (!raw) {
    const text = stringifyWith(record, known);
    return { line: Buffer.from(`${text.slice(LINE_HEAD.length)}\n`), chars: text.length };
  }
  const head = stringifyWith({ ...record, batch: undefined }, known);
  const tail = `${head.slice(LINE_HEAD.length, -1)},"batch":`;
  const n = Buffer.byteLength(tail);
  const line = Buffer.allocUnsafe(n + raw.length + LINE_END.length);
  line.write(tail, 0, 'utf8');
  raw.copy(line, n);
  LINE_END.copy(line, n + raw.length);
  return { line, chars: head.length };
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
  const arrival: Arrival = { ...from, received_at: from.received_at ?? new Date().toISOString() };
  const sizes = body?.sizes ?? batches.map((b) => Buffer.byteLength(JSON.stringify(b) ?? ''));
  const budget = new AckBudget(c.ackDetailBytes);
  const out: JudgedBatch[] = new Array(batches.length);
  const noId = () => 0;
  for (let i = 0; i < batches.length; i++) {
    const batch = batches[i];
    const result = validate(batch);
    const origin = origins?.[i];
    const size = sizes[i] ?? 0;
    const warnings = warningsFor(size, body, c);
    const record: CaptureRecord = {
      capture: 1, batch_id: 0, received_at: arrival.received_at, endpoint: arrival.endpoint, source: arrival.source,
      ...(arrival.api_key ? { api_key: arrival.api_key } : {}), ...(warnings ? { warnings } : {}), result, batch,
      ...(origin ? { raw: origin.raw, ...(origin.app ? { app: origin.app } : {}), not_translated: origin.not_translated ?? [] } : {}),
    };
    const known = new Map<unknown, string>([[result.violations, JSON.stringify(result.violations)], [result.errors, JSON.stringify(result.errors)]]);
    known.set(result, stringifyWith(result, known));
    const { line, chars } = captureTail(record, origin ? undefined : body?.raw?.[i], known);
    // The verdict's length bounds the acknowledgement's detail when the capture holds it (as it always did).
    const ack = stringifyWith(batchAck(0, result, budget, warnings, c.capture ? chars : undefined), known).slice(ACK_HEAD.length);
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

/** The records of a batch stored as its capture line, built when first read. */
export function recordsFromLine(line: Uint8Array, id: number, firstEventId: number): { batch: BatchRecord; events: EventRecord[] } {
  const r = JSON.parse(LINE_HEAD + Buffer.from(line.buffer, line.byteOffset, line.byteLength).toString('utf8')) as CaptureRecord;
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

/** The capture line of batch `id`, in pieces. */
export function captureParts(id: number, tail: Uint8Array): Buffer[] {
  return [Buffer.from(`{"capture":1,"batch_id":${id}`), Buffer.from(tail.buffer, tail.byteOffset, tail.byteLength)];
}
