/** The records the receiver keeps, serves and streams: plain JSON, the same in memory, on the wire and in the TUI. */
import type { BatchResult, NotValidatedReason, Violation, ViolationCode } from '../validate/index.js';

/** Where a batch came in. */
export type Source = 'web' | 'node' | 'ws' | 'http' | 'replay' | 'demo' | 'ios' | 'android';

/** The app that sent a mobile upload (`ai.an`, else the package; `ai.av`; `ai.abn`). */
export interface AppInfo {
  name?: string;
  version?: string;
  build?: string;
}

/** Something in a mobile upload its Events API translation does not carry, and why. */
export interface NotTranslated {
  /** JSON pointer into the raw upload (`/msgs/3`, `/ui/2`). */
  pointer: string;
  /** The message's `dt` and index in `msgs`, for messages. */
  dt?: string;
  message_index?: number;
  reason: string;
}

/** A batch translated from another format (the mobile upload): the upload as sent, and what the translation left out. */
export interface BatchOrigin {
  raw: unknown;
  app?: AppInfo;
  not_translated?: NotTranslated[];
  /** For each event of the translated batch, the index of the message in the upload's `msgs`. */
  message_index?: number[];
}

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
  /** Mobile uploads: the app, and what of the upload is not validated (with why). */
  app?: AppInfo;
  not_translated?: NotTranslated[];
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
  /** Why it was not: the batch's reason, `not_plannable`, `malformed`, or `not_translated` (a mobile message the Events API has no shape for). */
  reason?: NotValidatedReason | 'not_plannable' | 'malformed' | 'not_translated';
  /** With `not_translated`: why. */
  not_translated?: string;
  violations: Violation[];
  /** The input problem with this event, if malformed. */
  error?: string;
  source: Source;
  /** Mobile uploads: the app, and the message's index in the upload's `msgs` (`event_index` is -1 for messages not translated). */
  app?: AppInfo;
  message_index?: number;
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

export type RejectReason = 'malformed_json' | 'too_large' | 'not_found' | 'unauthorized' | 'bad_request' | 'capture_failed';

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
  /** What the ring buffers hold now, and their size. */
  stored: { events: number; batches: number; capacity: number };
  capture: { file: string; records: number } | null;
  memory: { rss: number; heap_used: number };
}

/** One batch's answer to the client that sent it. */
export interface BatchAck extends BatchVerdict {
  batch_id: number;
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
  | { type: 'lagged'; dropped: number };
