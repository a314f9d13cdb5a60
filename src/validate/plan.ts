/** A plan loaded and compiled once, ready to validate many batches and events. */
import type { ErrorObject } from 'ajv';
import {
  EVENT_TYPES, KeyMap, batchIdentities, canonicalIdentityName, describeMatchKey, eventMatchKey, eventMatchKeys, formatMatchKey, isAlwaysPlannable, isObject,
  normalisePlan, own, platformEvent, readPlan,
  type EventKey, type MatchKey, type PlanPoint, type PlanProblem, type PlanSource, type PlanVersion,
} from '../plan/index.js';
import { SchemaCompiler, Undo, coerceInPlace, compilePoint, createAjv, plannedKeysAt, pointKind, type Ajv, type CompiledPoint } from '../schema/index.js';
import { finish, mapErrors, sourceMessageId } from './errors.js';
import { USER_ATTRIBUTES, USER_IDENTITIES } from './messages.js';
import { suggestEvent } from './suggest.js';
import { selectVersion, type NotValidatedReason, type SelectOptions } from './version.js';
import type { Violation } from './violation.js';

export interface ValidateOptions extends SelectOptions {
  /** Strict JSON types (no platform conversion of "42" → 42, 42 → "42", "true" → true). */
  strictTypes?: boolean;
}

/** A problem with the input itself (not a plan violation): a malformed event or batch. */
export interface InputProblem {
  event_index: number | null;
  /** JSON pointer into the batch. */
  pointer: string;
  message: string;
}

export interface BatchResult {
  validated: boolean;
  /** Why the batch was not validated. */
  reason?: NotValidatedReason;
  notice?: string;
  plan_id: string | null;
  plan_version: number | null;
  event_count: number;
  /** Indexes of events that cannot be planned (bookkeeping, lifecycle types the plan does not list). */
  not_validated_events: number[];
  violations: Violation[];
  errors: InputProblem[];
}

export interface EventResult {
  status: 'validated' | 'not_validated' | 'error';
  match_key?: string;
  violations: Violation[];
  error?: InputProblem;
}

export interface CompiledVersion {
  version: PlanVersion;
  /** Every compiled point, in plan order. */
  points: CompiledPoint[];
  index: KeyMap<CompiledPoint>;
  /** Match types present in this version. */
  types: Set<string>;
  userAttributes: CompiledPoint[];
  userIdentities: CompiledPoint[];
  /** Per identities point: IDSync name → the key the plan uses for it. */
  identityKeys: Map<CompiledPoint, Map<string, string>>;
}

export interface LoadOptions {
  ajv?: Ajv;
  /** `ajv` compiles every point with ajv (the reference engine); default: the evaluator where it applies. */
  engine?: 'auto' | 'ajv';
  /**
   * Compile each point's schema when it is first used, not at load (the ESLint plugin checks a few
   * points per run). The problems of a point's schema then join `problems` only once it is compiled.
   */
  lazy?: boolean;
}

export class CompiledPlan {
  readonly problems: PlanProblem[];
  readonly versions: CompiledVersion[];
  /** How long compiling took, in ms: what a worker thread would spend again (see parallel.ts). */
  readonly compileMs: number;

  constructor(readonly source: PlanSource, opts: LoadOptions = {}) {
    const started = performance.now();
    const compiler = new SchemaCompiler(opts.ajv ?? createAjv, opts.engine);
    this.problems = [...source.problems];
    this.versions = source.versions.map((v) => compileVersion(v, compiler, source.file, this.problems, opts.lazy === true));
    this.problems.sort((a, b) => (a.pointer < b.pointer ? -1 : a.pointer > b.pointer ? 1 : 0));
    this.compileMs = performance.now() - started;
  }

  get file(): string {
    return this.source.file;
  }
  get id(): string | undefined {
    return this.source.id;
  }
  get name(): string | undefined {
    return this.source.name;
  }
  get errors(): PlanProblem[] {
    return this.problems.filter((p) => p.severity === 'error');
  }

  /** A version by number; the only/latest loaded one when `n` is undefined. */
  getVersion(n?: number): CompiledVersion | undefined {
    const loaded = this.versions.filter((v) => v.version.loaded);
    if (n === undefined) return loaded.reduce<CompiledVersion | undefined>((b, v) => (!b || (v.version.version ?? 0) > (b.version.version ?? 0) ? v : b), undefined);
    return loaded.find((v) => v.version.version === n);
  }

  /** Why version `n` cannot be used, worded once for every front door: `has no version 3 (it has 1, 2)`. */
  noVersion(n: number): string {
    const have = this.versions.filter((v) => v.version.loaded).map((v) => v.version.version).filter((x) => x !== undefined);
    return `has no version ${n}${have.length ? ` (it has ${have.join(', ')})` : ''}`;
  }

  validateBatch(batch: unknown, opts: ValidateOptions = {}): BatchResult {
    const result: BatchResult = {
      validated: false, plan_id: this.id ?? null, plan_version: null, event_count: 0, not_validated_events: [], violations: [], errors: [],
    };
    if (!isObject(batch)) {
      result.errors.push({ event_index: null, pointer: '', message: `batch is ${batch === null ? 'null' : Array.isArray(batch) ? 'an array' : typeof batch}, expected an object with events` });
      return result;
    }
    if (!looksLikeBatch(batch)) {
      // A package.json caught by a glob: the platform would find no plan context in it, and neither does --force.
      result.reason = 'no_plan_context';
      result.notice = `not validated: this does not look like a batch (it has none of ${BATCH_FIELDS.slice(0, 6).join(', ')}, …), so it carries no plan context`;
      return result;
    }
    const events = own(batch, 'events');
    if (events !== undefined && events !== null && !Array.isArray(events)) {
      result.errors.push({ event_index: null, pointer: '/events', message: `events is ${typeof events}, expected an array` });
    }
    const list = Array.isArray(events) ? events : [];
    result.event_count = list.length;
    const choice = selectVersion(this.id, this.versions, batch, opts);
    if (!choice.version) {
      result.reason = choice.reason;
      result.notice = choice.notice;
      return result;
    }
    const cv = choice.version;
    result.validated = true;
    result.plan_version = cv.version.version ?? null;
    const strict = opts.strictTypes === true;
    for (let i = 0; i < list.length; i++) {
      if (this.checkEvent(cv, list[i], i, strict, result.violations, result.errors) === 'not_validated') result.not_validated_events.push(i);
    }
    this.checkUserAttributes(cv, batch, strict, result.violations);
    this.checkUserIdentities(cv, batch, strict, result.violations);
    return result;
  }

  /** Validate one event (as it appears in a batch's `events`) against a version. */
  validateEvent(event: unknown, opts: { version?: number; strictTypes?: boolean; eventIndex?: number } = {}): EventResult {
    const cv = this.getVersion(opts.version);
    const violations: Violation[] = [];
    if (!cv) return { status: 'not_validated', violations };
    const problems: InputProblem[] = [];
    const r = this.checkEvent(cv, event, opts.eventIndex ?? 0, opts.strictTypes === true, violations, problems);
    const ek = eventMatchKey(event);
    const match_key = ek.kind === 'key' ? formatMatchKey(ek.key) : undefined;
    if (r === 'error') return { status: 'error', violations, error: problems[0] };
    return { status: r, match_key, violations, ...(problems.length ? { error: problems[0] } : {}) };
  }

  /** Validate a user attribute map (as in a batch's `user_attributes`). */
  validateUserAttributes(attributes: unknown, opts: { version?: number; strictTypes?: boolean } = {}): Violation[] {
    const cv = this.getVersion(opts.version);
    const out: Violation[] = [];
    if (cv) this.checkUserAttributes(cv, { user_attributes: attributes }, opts.strictTypes === true, out);
    return out;
  }

  /**
   * Validate identities given by IDSync name (`customerid`, `email`, `other2`, as in a web SDK identity request's
   * `userIdentities`). Null values are removals, not values.
   */
  validateUserIdentities(identities: unknown, opts: { version?: number; strictTypes?: boolean } = {}): Violation[] {
    const cv = this.getVersion(opts.version);
    const out: Violation[] = [];
    if (!cv || !isObject(identities)) return out;
    for (const cp of cv.userIdentities) {
      const keys = cv.identityKeys.get(cp)!;
      const map: Record<string, unknown> = Object.create(null);
      for (const [name, value] of Object.entries(identities)) {
        if (value === null || value === undefined) continue;
        const k = keys.get(canonicalIdentityName(name)) ?? name;
        if (!(k in map)) map[k] = value;
      }
      this.checkMap(cv, [cp], map, USER_IDENTITIES, 'user_identities', opts.strictTypes === true, out);
    }
    return out;
  }

  private readonly undo = new Undo();

  /** Run a point's schema with platform conversion applied in place and undone; the errors, or undefined when valid. */
  private run(cp: CompiledPoint, data: unknown, strict: boolean): ErrorObject[] | undefined {
    const check = cp.check;
    if (!check) return undefined;
    // The evaluator applies platform conversion itself; ajv needs the values converted in place.
    if (cp.engine === 'evaluator') return check(data, strict);
    const undo = this.undo;
    try {
      return check(cp.coercion ? coerceInPlace(data, cp.coercion, undo, strict) : data);
    } finally {
      if (!undo.empty) undo.restore();
    }
  }

  /**
   * Check one event, pushing its violations to `out` and its input problems to `problems`. A
   * commerce event with both a product_action and a promotion_action is two parts, each matched
   * and checked against its own point; it counts as validated when either part was.
   */
  private checkEvent(cv: CompiledVersion, event: unknown, i: number, strict: boolean, out: Violation[], problems: InputProblem[]): 'validated' | 'not_validated' | 'error' {
    const seen = this.seen;
    // clear() allocates a fresh table even when empty, and most events report nothing.
    if (seen.size !== 0) seen.clear();
    const first = eventMatchKey(event);
    // The schema sees a commerce event's actions as matching does: the web SDK's promotion 1 is "view".
    if (first.eventType === 'commerce_event') event = platformEvent(event);
    let status = this.checkKey(cv, first, event, i, strict, out, problems, seen, 'not_validated');
    // Only a commerce event can have a second part (its promotion_action next to a product_action).
    if (first.eventType === 'commerce_event') {
      const parts = eventMatchKeys(event);
      if (parts.length > 1) status = this.checkKey(cv, parts[1], event, i, strict, out, problems, seen, status);
    }
    return status;
  }

  private readonly seen = new Set<string>();

  private checkKey(
    cv: CompiledVersion, ek: EventKey, event: unknown, i: number, strict: boolean, out: Violation[], problems: InputProblem[], seen: Set<string>,
    status: 'validated' | 'not_validated' | 'error',
  ): 'validated' | 'not_validated' | 'error' {
    if (ek.kind === 'malformed') {
      // A lifecycle event (an application_state_transition without its type) the plan does not judge is not
      // validated, as it would be with its type: only events the plan could match are broken input.
      if (ek.eventType !== null && EVENT_TYPES.has(ek.eventType) && !JUDGED_TYPES.has(ek.eventType) && !cv.types.has(ek.eventType)) return status;
      problems.push({ event_index: i, pointer: `/events/${i}${ek.pointer}`, message: `events[${i}]: ${ek.reason}` });
      return status === 'not_validated' ? 'error' : status;
    }
    if (ek.kind === 'key' && this.checkPart(cv, ek.key, ek.eventType, event, i, strict, out, seen)) return 'validated';
    return status;
  }

  /** One matched part of an event; false when the plan does not judge events of its kind. */
  private checkPart(cv: CompiledVersion, key: MatchKey, eventType: string, event: unknown, i: number, strict: boolean, out: Violation[], seen: Set<string>): boolean {
    const points = cv.index.get(key);
    if (!points) {
      if (!isAlwaysPlannable(key.type) && !cv.types.has(key.type)) return false;
      if (key.type === 'custom_event' && key.sub === 'attribution') return false;
      const v: Violation = { ...unplannedEvent(cv, key, eventType), event_index: i };
      const smid = sourceMessageId(event);
      if (smid) v.source_message_id = smid;
      out.push(v);
      return true;
    }
    // Read only for events that report something (most report nothing).
    let smid: string | undefined | null = null;
    for (const cp of points) {
      const errors = this.run(cp, event, strict);
      if (!errors) continue;
      if (smid === null) smid = sourceMessageId(event);
      const { subject, matchKey } = labels(points, key);
      for (const v of mapErrors(cp, errors, event, subject, eventType, i, matchKey, cv.version.blocking)) {
        // Duplicate points, and the two parts of a commerce event, may find the same thing: report it once.
        const id = `${v.violation}|${v.error_pointer}|${v.key}|${v.schema_keyword ?? ''}`;
        if (seen.has(id)) continue;
        seen.add(id);
        if (smid) v.source_message_id = smid;
        out.push(v);
      }
    }
    return true;
  }

  private checkUserAttributes(cv: CompiledVersion, batch: Record<string, unknown>, strict: boolean, out: Violation[]): void {
    if (cv.userAttributes.length === 0) return;
    const raw = own(batch, 'user_attributes');
    // No map (absent or null) has nothing to check; an empty {} is a map, with nothing in it.
    if (raw === undefined || raw === null) return;
    if (!isObject(raw)) {
      out.push(finish({
        violation: 'invalid_data_type', event_index: null, key: 'user_attributes', event_type: null, match_key: 'user_attributes', error_pointer: '#',
        schema_keyword: 'type', expected: 'object', actual: raw,
      }, USER_ATTRIBUTES, cv.version.blocking));
      return;
    }
    let attrs: Record<string, unknown> = raw;
    const deleted = own(batch, 'deleted_user_attributes');
    if (!Array.isArray(deleted) || deleted.length === 0) {
      this.checkMap(cv, cv.userAttributes, attrs, USER_ATTRIBUTES, 'user_attributes', strict, out);
      return;
    }
    // Removals are not values: never report them, neither as values nor as missing (a required attribute being removed).
    const copy: Record<string, unknown> = Object.create(null);
    for (const k of Object.keys(attrs)) if (!deleted.includes(k)) copy[k] = attrs[k];
    attrs = copy;
    const start = out.length;
    this.checkMap(cv, cv.userAttributes, attrs, USER_ATTRIBUTES, 'user_attributes', strict, out);
    for (let i = out.length - 1; i >= start; i--) if (out[i].violation === 'missing_required' && deleted.includes(out[i].key)) out.splice(i, 1);
  }

  private checkUserIdentities(cv: CompiledVersion, batch: Record<string, unknown>, strict: boolean, out: Violation[]): void {
    if (cv.userIdentities.length === 0) return;
    for (const cp of cv.userIdentities) {
      const keys = cv.identityKeys.get(cp)!;
      const map: Record<string, unknown> = Object.create(null);
      const where = new Map<string, string>();
      for (const id of batchIdentities(batch)) {
        const k = keys.get(id.name) ?? id.name;
        if (k in map) continue;
        map[k] = id.value;
        where.set(k, id.batchKey);
      }
      const start = out.length;
      this.checkMap(cv, [cp], map, USER_IDENTITIES, 'user_identities', strict, out);
      for (let j = start; j < out.length; j++) {
        const bk = where.get(out[j].key);
        if (bk) out[j].batch_key = bk;
      }
    }
  }

  private checkMap(cv: CompiledVersion, points: CompiledPoint[], map: Record<string, unknown>, subject: string, matchKey: string, strict: boolean, out: Violation[]): void {
    let seen: Set<string> | undefined;
    for (const cp of points) {
      const errors = this.run(cp, map, strict);
      if (!errors) continue;
      seen ??= new Set<string>();
      for (const v of mapErrors(cp, errors, map, subject, null, null, matchKey, cv.version.blocking)) {
        const id = `${v.violation}|${v.error_pointer}|${v.key}|${v.schema_keyword ?? ''}`;
        if (!seen.has(id)) {
          seen.add(id);
          out.push(v);
        }
      }
    }
  }
}

/** Event types whose events are always matched (their points are always plannable). */
const JUDGED_TYPES = new Set(['custom_event', 'screen_view', 'commerce_event']);

/** Top-level fields of an Events API batch (batch.md §2), most telling first. */
const BATCH_FIELDS = [
  'events', 'user_attributes', 'user_identities', 'mpid', 'environment', 'context', 'source_request_id', 'mp_deviceid', 'ip',
  'deleted_user_attributes', 'partner_identities', 'integration_attributes', 'device_info', 'application_info', 'consent_state',
  'source_info', 'attribution_info', 'timestamp_unixtime_ms', 'batch_id', 'schema_version', 'sdk_version', 'api_key', 'api_keys',
  'partner_identity', 'job_id', 'origin_mpid', 'modified',
];

/** True when an object has at least one of a batch's fields. */
export function looksLikeBatch(o: Record<string, unknown>): boolean {
  for (const f of BATCH_FIELDS) if (Object.prototype.hasOwnProperty.call(o, f)) return true;
  return false;
}

const unplannedCache = new WeakMap<CompiledVersion, Map<string, Violation>>();

/**
 * An unplanned event's violation, but for its index and source_message_id: the same for every
 * event of that match key and event type, and unplanned names repeat in real traffic, so its
 * near-miss suggestion and message are worked out once. Callers copy it.
 */
function unplannedEvent(cv: CompiledVersion, key: MatchKey, eventType: string): Violation {
  let cache = unplannedCache.get(cv);
  if (!cache) unplannedCache.set(cv, (cache = new Map()));
  const id = `${eventType}\u0000${key.type}\u0000${key.sub}\u0000${key.name}`;
  let v = cache.get(id);
  if (v === undefined) {
    v = finish({
      violation: 'unplanned_event', event_index: null, key: unplannedName(key), event_type: eventType, match_key: formatMatchKey(key), error_pointer: '#',
    }, describeMatchKey(key), cv.version.blocking, undefined, suggestEvent(cv.index, key));
    if (cache.size > 10000) cache.clear();
    cache.set(id, v);
  }
  return v;
}

const labelCache = new WeakMap<CompiledPoint[], { subject: string; matchKey: string }>();

/** A planned key's label and formatted form, made once per key (its points list stands for it). */
function labels(points: CompiledPoint[], key: MatchKey): { subject: string; matchKey: string } {
  let l = labelCache.get(points);
  if (!l) labelCache.set(points, (l = { subject: describeMatchKey(key), matchKey: formatMatchKey(key) }));
  return l;
}

function unplannedName(key: MatchKey): string {
  switch (key.type) {
    case 'custom_event':
    case 'screen_view':
    case 'product_action':
    case 'promotion_action':
      return key.name;
    case 'application_state_transition':
      return key.sub;
    default:
      return key.type;
  }
}

/** A point compiled on first use: reading any compiled field compiles it (see LoadOptions.lazy). */
class LazyPoint implements CompiledPoint {
  readonly kind: CompiledPoint['kind'];
  private done: CompiledPoint | undefined;

  constructor(readonly point: PlanPoint, private readonly compiler: SchemaCompiler, private readonly file: string, private readonly problems: PlanProblem[]) {
    this.kind = pointKind(point.matchType);
  }

  private get compiled(): CompiledPoint {
    return (this.done ??= compilePoint(this.point, this.compiler, this.file, this.problems));
  }
  get schema() {
    return this.compiled.schema;
  }
  get check() {
    return this.compiled.check;
  }
  get engine() {
    return this.compiled.engine;
  }
  get coercion() {
    return this.compiled.coercion;
  }
}

function compileVersion(version: PlanVersion, compiler: SchemaCompiler, file: string, problems: PlanProblem[], lazy: boolean): CompiledVersion {
  const cv: CompiledVersion = { version, points: [], index: new KeyMap(), types: new Set(), userAttributes: [], userIdentities: [], identityKeys: new Map() };
  for (const point of version.points) {
    const cp = lazy ? new LazyPoint(point, compiler, file, problems) : compilePoint(point, compiler, file, problems);
    cv.points.push(cp);
    if (!point.key) continue;
    cv.types.add(point.key.type);
    if (cp.kind === 'user_attributes') cv.userAttributes.push(cp);
    else if (cp.kind === 'user_identities') {
      cv.userIdentities.push(cp);
      const keys = new Map<string, string>();
      for (const k of plannedKeysAt(cp.schema, '')) keys.set(canonicalIdentityName(k), k);
      cv.identityKeys.set(cp, keys);
    } else cv.index.add(point.key, cp);
  }
  return cv;
}

/** Read, check and compile a plan file. Throws PlanError when the plan cannot be used at all. */
export function loadPlan(file: string, opts: LoadOptions = {}): CompiledPlan {
  return new CompiledPlan(readPlan(file), opts);
}

/** Compile an already-parsed plan (any shape). `file` names it in problems. */
export function compilePlan(json: unknown, file = '<plan>', opts: LoadOptions = {}): CompiledPlan {
  return new CompiledPlan(normalisePlan(json, file), opts);
}
