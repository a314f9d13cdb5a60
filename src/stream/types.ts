/** The records the receiver keeps, serves and streams: plain JSON, the same in memory, on the wire and in the TUI. */
import type { BatchResult, NotValidatedReason, Violation, ViolationCode } from '../validate/index.js';

/** Where a batch came in. */
export type Source = 'web' | 'node' | 'ws' | 'http' | 'replay' | 'demo';

/** The core's verdict on a batch, as records and acknowledgements carry it. */
export type BatchVerdict = Pick<BatchResult, 'validated' | 'reason' | 'notice' | 'plan_id' | 'plan_version' | 'event_count' | 'violations' | 'errors'> & {
  violation_count: number;
};

export interface BatchRecord extends BatchVerdict {
  batch_id: number;
  received_at: string;
  /** `POST /v3/JS/{key}/events`, `POST /v2/events`, `WS /dataplan/ingest`, … (the path as sent). */
  endpoint: string;
  source: Source;
  /** The API key the SDK sent (path, x-mp-key or Basic auth user); not a secret locally. */
  api_key?: string;
  environment?: string;
  mpid?: string;
  mp_deviceid?: string;
  context?: unknown;
  user_attributes?: unknown;
  user_identities?: unknown;
  device_info?: unknown;
  application_info?: unknown;
  /** Why the platform would refuse this batch although we accept it (size limits). */
  warnings?: string[];
  // `violations` and `errors` here are batch-level only (user attributes, identities); event ones sit on the events.
}

export interface EventRecord {
  /** Global, increasing. */
  id: number;
  batch_id: number;
  event_index: number;
  received_at: string;
  event_type: string;
  /** Event name, screen name or commerce action (or the transition type, attribute or identity for bookkeeping events). */
  name: string;
  custom_event_type?: string;
  /** The core's display match key, when the event has one. */
  match_key?: string;
  /** Judged against the plan (batch validated, event plannable and well formed). */
  validated: boolean;
  /** Why it was not: the batch's reason, `not_plannable`, or `malformed`. */
  reason?: NotValidatedReason | 'not_plannable' | 'malformed';
  violations: Violation[];
  /** The input problem with this event, if malformed. */
  error?: string;
  source: Source;
  /** Customer id, email or MPID: who sent it. */
  user?: string;
  device?: string;
  plan_version: number | null;
  /** The event's `data` as sent. */
  data: unknown;
}

/** A request the receiver turned away. */
export interface Rejection {
  at: string;
  method: string;
  path: string;
  status: number;
  reason: RejectReason;
  message: string;
}

export type RejectReason = 'malformed_json' | 'too_large' | 'not_found' | 'unauthorized' | 'forbidden' | 'bad_request' | 'timeout' | 'busy' | 'capture_failed';

export interface PlanInfo {
  file: string;
  id: string | null;
  name: string | null;
  versions: Array<{ version: number | null; environment: string | null }>;
  /** The version every batch is judged with (--version or mp.config.json), else null: each batch's own. */
  version: number | null;
  force: boolean;
  loaded_at: string;
  reloads: number;
  problems: { errors: number; warnings: number };
  /** The last reload failed: this plan is the last good one. */
  error: { message: string; at: string } | null;
}

export interface Counts {
  batches: number;
  validated_batches: number;
  not_validated_batches: number;
  events: number;
  validated_events: number;
  not_validated_events: number;
  events_with_violations: number;
  violation_count: number;
  violations: Record<ViolationCode, number>;
  /** Malformed events and batches (not plan violations). */
  input_errors: number;
  rejected: number;
  rejected_by_reason: Record<RejectReason, number>;
  identity_requests: number;
}

export interface Summary extends Counts {
  started_at: string;
  plan: PlanInfo;
  /** What the ring buffers hold now, their size, and the bytes they hold against the budget. */
  stored: { events: number; batches: number; capacity: number; bytes: number; byte_budget: number };
  /** The newest ids handed out: `?since=` cursors start here. */
  last_event_id: number;
  last_batch_id: number;
  /** `torn_bytes`: cut from the end of the file (kept in FILE.torn); `reopened`: times the file vanished and was made again. */
  capture: { file: string; records: number; torn_bytes: number; reopened: number } | null;
  memory: { rss: number; heap_used: number };
}

/** One batch's answer to the client that sent it: a bounded summary, whatever the batch's size. */
export interface BatchAck extends BatchVerdict {
  batch_id: number;
  warnings?: string[];
  /** Violations or errors counted but not listed: the answer's detail budget was spent. */
  violations_omitted?: number;
  errors_omitted?: number;
}

export interface Ack {
  accepted: number;
  events: number;
  batches: BatchAck[];
}

/** What viewers receive, in order (the TUI in-process, or over `WS /dataplan/feed`). */
export type FeedMessage =
  | { type: 'hello'; summary: Summary; url?: string }
  /** `backlog`: stored before the viewer joined (already in the hello's counts). */
  | { type: 'batch'; batch: BatchRecord; events: EventRecord[]; backlog?: boolean }
  | { type: 'rejected'; rejection: Rejection }
  | { type: 'plan'; plan: PlanInfo }
  | { type: 'reset' }
  /** Something the person running the receiver should know (the capture file vanished, …). */
  | { type: 'notice'; level: 'info' | 'error'; text: string }
  | { type: 'lagged'; dropped: number };
