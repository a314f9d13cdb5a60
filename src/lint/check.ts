/**
 * Check recognized calls through the core: build the batch event the SDK would send, validate it with the plan, and
 * give each violation to the rule that owns it, located on the node where it belongs.
 */
import type { TSESTree } from '@typescript-eslint/types';
import { closest } from '../plan/index.js';
import { schemaAt, type SchemaObject } from '../schema/index.js';
import { type CompiledPlan, type CompiledVersion, type Violation } from '../validate/index.js';
import { fixEventType, fixMember, renameKey, replaceLiteral, type Fix } from './fixes.js';
import { EVENT_KINDS, Unknown, type Node, type RecognizedCall, type Site, type UnknownPart } from './recognize/index.js';

export type RuleName =
  | 'no-unplanned-event'
  | 'no-wrong-event-type'
  | 'no-unplanned-screen'
  | 'no-unplanned-commerce-action'
  | 'no-unplanned-attribute'
  | 'no-missing-required-attribute'
  | 'valid-attribute-value'
  | 'no-unplanned-user-attribute'
  | 'valid-user-attribute-value'
  | 'no-unplanned-user-identity'
  | 'valid-user-identity-value'
  | 'no-unverifiable-call';

export interface SuggestionFinding {
  messageId: string;
  data: Record<string, string>;
  fix: Fix;
}

export interface Finding {
  rule: RuleName;
  /** `violation` (core wording in data.message), `sdk` (the SDK rejects the call), `unverifiable`. */
  messageId: 'violation' | 'sdk' | 'unverifiable';
  data: { message: string };
  node: Node;
  suggest: SuggestionFinding[];
}

export interface CheckOptions {
  strictTypes?: boolean;
  /** Source text of the linted file (fixes copy the SDK receiver from it). */
  text: string;
}

const PLACEHOLDER = '\u0000unknown';

/**
 * The JSON the SDK would send, for the core: Unknown markers become a placeholder (violations about them are dropped
 * afterwards) and undefined values disappear, as in JSON.
 */
function forCore(v: unknown): unknown {
  if (v instanceof Unknown) return PLACEHOLDER;
  if (Array.isArray(v)) return v.map((x) => (x === undefined ? null : forCore(x)));
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) if (x !== undefined) out[k] = forCore(x);
    return out;
  }
  return v;
}

function under(ptr: string, base: string): boolean {
  return ptr === base || ptr.startsWith(base + '/');
}

/** Violations that only exist because a value or key set was not known statically. */
function causedByUnknown(v: Violation, unknowns: UnknownPart[]): boolean {
  for (const u of unknowns) {
    if (u.part === 'value' && v.violation !== 'unplanned_event' && under(v.error_pointer, u.pointer)) return true;
    if (v.violation === 'missing_required' && under(v.error_pointer, u.pointer)) return true;
  }
  return false;
}

function esc(k: string): string {
  return k.replace(/~/g, '~0').replace(/\//g, '~1');
}

function siteAt(call: RecognizedCall, ptr: string): Site {
  let p = ptr;
  for (;;) {
    const s = call.sites[p];
    if (s) return s;
    const i = p.lastIndexOf('/');
    if (i <= 0) return call.sites['#'];
    p = p.slice(0, i);
  }
}

function ruleForUnplannedEvent(kind: RecognizedCall['kind']): RuleName {
  if (kind === 'custom_event') return 'no-unplanned-event';
  if (kind === 'screen_view') return 'no-unplanned-screen';
  return 'no-unplanned-commerce-action';
}

const NAME_POINTER: Record<string, string> = {
  custom_event: '#/data/event_name',
  screen_view: '#/data/screen_name',
  product_action: '#/data/product_action/action',
  promotion_action: '#/data/promotion_action/action',
  product_impression: '#/data/product_impressions',
};

const SDK_PROBLEM_RULE: Array<[string, RuleName]> = [
  ['#/data/custom_event_type', 'no-wrong-event-type'],
  ['#/data/event_name', 'no-unplanned-event'],
  ['#/data/screen_name', 'no-unplanned-screen'],
  ['#/data', 'no-unplanned-commerce-action'],
];

/** What checking a file's calls found: the core's findings now, and the unverifiable calls when a rule asks (off in configs.recommended). */
export interface Checked {
  findings: Finding[];
  unverifiable(): Finding[];
}

/** A call with unresolved parts, kept until someone asks which of them the plan constrains. */
interface Pending {
  call: RecognizedCall;
  unknowns: UnknownPart[];
  /** The planned schemas the call is checked against; undefined when the call has no match key. */
  points?: SchemaObject[];
  /** The core could not read the event: `unknowns` is that one reason. */
  malformed?: boolean;
}

export function checkCalls(calls: RecognizedCall[], plan: CompiledPlan, cv: CompiledVersion, opts: CheckOptions): Checked {
  const out: Finding[] = [];
  const pending: Pending[] = [];
  const version = cv.version.version;
  const verdicts = verdictsFor(plan, version, opts.strictTypes === true);
  for (const call of calls) {
    const throughWrapper = call.via.some((v) => v.how === 'detected');
    // What a wrapper's body writes is reported in the body (once), not at each call site; what its parameters
    // receive is reported at the call sites, not in the body.
    const unknowns = call.unknowns.length ? call.unknowns.filter((u) => !u.parameter && !(throughWrapper && u.inWrapper)) : call.unknowns;
    for (const p of call.sdkProblems) {
      const rule = SDK_PROBLEM_RULE.find(([ptr]) => under(p.pointer, ptr))?.[1] ?? 'no-unplanned-commerce-action';
      const suggest: SuggestionFinding[] = [];
      if (p.code === 'invalid_enum_member' && p.suggestion && p.node.type === 'MemberExpression') {
        const f = fixMember(p.node, p.suggestion);
        if (f) suggest.push({ messageId: 'useMember', data: { member: `${p.enumName}.${p.suggestion}` }, fix: f });
      }
      out.push({ rule, messageId: 'sdk', data: { message: capital(p.message) }, node: p.node, suggest });
    }
    if (call.kind === 'user_attribute_remove') continue;
    let violations: Violation[];
    const isEvent = EVENT_KINDS.has(call.kind);
    if (isEvent) {
      if (!call.key) {
        if (call.sdkProblems.length === 0 && unknowns.length) pending.push({ call, unknowns });
        continue;
      }
      const r = verdicts.event(call);
      if (r.status === 'error') {
        pending.push({ call, unknowns: [{ pointer: '#', part: 'value', reason: r.error?.message ?? 'the event is malformed', node: call.node }], points: [], malformed: true });
        continue;
      }
      if (r.status === 'not_validated') continue;
      violations = r.violations;
    } else {
      violations = verdicts.map(call);
      // One call sets some attributes; only a whole Node batch map can miss a required one. An IDSync request names
      // the identities it changes.
      if (call.kind === 'user_identities' || call.method !== 'batch.user_attributes') violations = violations.filter((v) => v.violation !== 'missing_required');
    }
    const kept = violations.filter((v) => !causedByUnknown(v, call.unknowns) && !(throughWrapper && writtenInWrapper(call, v)));
    for (const v of kept) out.push(finding(call, v, opts.text));
    if (unknowns.length && !violations.some((v) => v.violation === 'unplanned_event')) {
      const points = isEvent ? (cv.index.get(call.key!) ?? []) : call.kind === 'user_attributes' ? cv.userAttributes : cv.userIdentities;
      pending.push({ call, unknowns, points: points.map((cp) => cp.schema).filter((s): s is SchemaObject => !!s) });
    }
  }
  let later: Finding[] | undefined;
  return {
    findings: dedupe(out),
    unverifiable: () => (later ??= dedupe(unverifiableOf(pending))),
  };
}

function unverifiableOf(pending: Pending[]): Finding[] {
  const out: Finding[] = [];
  for (const { call, unknowns, points, malformed } of pending) {
    const relevant = malformed ? unknowns : points ? unknowns.filter((u) => matters(u, points)) : unknowns.filter((u) => KEY_POINTERS.has(u.pointer));
    if (relevant.length) out.push(unverifiable(call, relevant));
  }
  return out;
}

type EventVerdict = ReturnType<CompiledPlan['validateEvent']>;

interface Verdicts {
  event(call: RecognizedCall): EventVerdict;
  /** User attributes or identities. */
  map(call: RecognizedCall): Violation[];
}

/** Verdicts kept per plan object: an edited plan is compiled into a new object, so an old verdict is never reused. */
const verdictCache = new WeakMap<CompiledPlan, Map<string, EventVerdict | Violation[]>>();
/** Distinct call shapes remembered per plan (a whole project has a few thousand). */
const MAX_VERDICTS = 20000;

/**
 * The core's verdict on a call, by what the call sends: the same call shape (the same event with the same literal
 * attributes) recurs across a project's files, and the core gives it the same violations every time.
 */
function verdictsFor(plan: CompiledPlan, version: number | undefined, strictTypes: boolean): Verdicts {
  let cache = verdictCache.get(plan);
  if (!cache) verdictCache.set(plan, (cache = new Map()));
  const memo = cache;
  const opts = { version, strictTypes };
  const lookup = <T extends EventVerdict | Violation[]>(call: RecognizedCall, judge: () => T): T => {
    const key = `${call.kind}|${version}|${strictTypes ? 's' : ''}|${shapeKey(call.payload)}`;
    const hit = memo.get(key);
    if (hit) return hit as T;
    const v = judge();
    if (memo.size >= MAX_VERDICTS) memo.clear();
    memo.set(key, v);
    return v;
  };
  return {
    event: (call) => lookup(call, () => {
      const event = forCore(call.payload) as { data?: Record<string, unknown> };
      if (call.kind === 'product_impression' && event.data && !Array.isArray(event.data.product_impressions)) event.data.product_impressions = [];
      return plan.validateEvent(event, opts);
    }),
    map: (call) => lookup(call, () => (call.kind === 'user_attributes' ? plan.validateUserAttributes(forCore(call.payload), opts) : plan.validateUserIdentities(forCore(call.payload), opts))),
  };
}

/**
 * A string that differs whenever what `forCore` gives the core differs: key order, types, -0, NaN and the Infinities
 * included (JSON.stringify would merge some of them).
 */
function shapeKey(v: unknown): string {
  if (v instanceof Unknown) return '?';
  switch (typeof v) {
    case 'string':
      return JSON.stringify(v);
    case 'number':
      return Object.is(v, -0) ? '-0' : `#${v}`;
    case 'boolean':
      return v ? 't' : 'f';
    case 'undefined':
      return 'u';
    case 'object': {
      if (v === null) return 'n';
      if (Array.isArray(v)) {
        let s = '[';
        for (const x of v) s += (x === undefined ? 'n' : shapeKey(x)) + ',';
        return s + ']';
      }
      let s = '{';
      for (const k in v) {
        if (!Object.prototype.hasOwnProperty.call(v, k)) continue;
        const x = (v as Record<string, unknown>)[k];
        if (x !== undefined) s += `${JSON.stringify(k)}:${shapeKey(x)},`;
      }
      return s + '}';
    }
    default:
      // Not produced by the recognizer; never shared.
      return `!${Math.random()}`;
  }
}

const KEY_POINTERS = new Set(['#/data/event_name', '#/data/custom_event_type', '#/data/screen_name', '#/data/product_action/action', '#/data/promotion_action/action', '#/data/product_impressions', '#/data']);

/**
 * For a call through a wrapper: whether everything the violation is about is written in the wrapper's body. A problem
 * with attributes belongs to the body only when the event (its name and type) is written there too: when the call
 * site names the event, only the call site can be told what the event lacks.
 */
function writtenInWrapper(call: RecognizedCall, v: Violation): boolean {
  const keyParts = call.kind === 'custom_event' ? ['#/data/event_name', '#/data/custom_event_type'] : NAME_POINTER[call.kind] ? [NAME_POINTER[call.kind]] : [];
  if (v.violation !== 'unplanned_event' && EVENT_KINDS.has(call.kind) && !keyParts.every((p) => call.sites[p]?.valueInWrapper)) return false;
  switch (v.violation) {
    case 'unplanned_event': {
      const parts = call.kind === 'custom_event' ? ['#/data/event_name', '#/data/custom_event_type'] : [NAME_POINTER[call.kind]];
      return parts.every((p) => call.sites[p]?.valueInWrapper);
    }
    case 'missing_required': {
      const at = call.sites[v.error_pointer];
      if (!at?.valueInWrapper) return false;
      const children = Object.entries(call.sites).filter(([p]) => p.startsWith(v.error_pointer + '/') && !p.slice(v.error_pointer.length + 1).includes('/'));
      return children.every(([, s]) => s.keyInWrapper);
    }
    case 'invalid_data_type':
    case 'invalid_expected_value':
      return !!call.sites[v.error_pointer]?.valueInWrapper;
    default:
      return !!call.sites[`${v.error_pointer}/${esc(v.key)}`]?.keyInWrapper;
  }
}

/** Whether the plan constrains what is unknown: an unknown value of an attribute planned with rules, or unknown keys of an object with closed or required keys. */
function matters(u: UnknownPart, schemas: SchemaObject[]): boolean {
  const path = u.pointer.slice(1);
  for (const s of schemas) {
    const at = schemaAt(s, path);
    if (!at) {
      // Under a property the plan does not describe: an unplanned attribute is reported as such.
      continue;
    }
    if (u.part === 'keys') {
      if (at.additionalProperties === false || (Array.isArray(at.required) && at.required.length > 0)) return true;
      continue;
    }
    const rules = Object.keys(at).filter((k) => k !== 'description' && k !== 'title' && k !== 'examples' && k !== '$comment');
    if (rules.length) return true;
  }
  return false;
}

function unverifiable(call: RecognizedCall, parts: UnknownPart[]): Finding {
  const reasons = [...new Set(parts.map((u) => `${partName(u.pointer, u.part, call.kind)}: ${u.reason}`))];
  const shown = reasons.slice(0, 3).join('; ') + (reasons.length > 3 ? `; and ${reasons.length - 3} more` : '');
  const nodes = new Set(parts.map((u) => u.node));
  const node = nodes.size === 1 ? parts[0].node : call.node;
  const through = call.via.length ? ` (through ${call.via.map((v) => v.name).join(' → ')})` : '';
  return {
    rule: 'no-unverifiable-call', messageId: 'unverifiable', node, suggest: [],
    data: { message: `Cannot verify ${call.callee}${through} against the data plan: ${shown}` },
  };
}

function partName(ptr: string, part: UnknownPart['part'], kind: RecognizedCall['kind']): string {
  const segs = ptr.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  const last = segs[segs.length - 1];
  const noun = kind === 'user_identities' ? 'identity' : 'user attribute';
  if (ptr === '#') return part === 'keys' ? `${noun} names` : 'the call';
  if (!EVENT_KINDS.has(kind)) return `${noun} "${last}"`;
  switch (ptr) {
    case '#/data/event_name': return 'event name';
    case '#/data/custom_event_type': return 'event type';
    case '#/data/screen_name': return 'screen name';
    case '#/data/product_action/action': return 'product action';
    case '#/data/promotion_action/action': return 'promotion type';
    case '#/data/custom_attributes': return part === 'keys' ? 'attribute names' : 'attributes';
    default:
      if (segs[0] !== 'data') return `"${last}"`;
      if (segs.includes('custom_attributes') && segs.includes('products')) return part === 'keys' ? 'product attribute names' : `product attribute "${last}"`;
      if (segs[1] === 'custom_attributes') return `attribute "${last}"`;
      return /^\d+$/.test(last) ? segs.slice(1).join('.') : `"${last}"`;
  }
}

function finding(call: RecognizedCall, v: Violation, text: string): Finding {
  const base = { messageId: 'violation' as const, data: { message: v.message }, suggest: [] as SuggestionFinding[] };
  switch (v.violation) {
    case 'unplanned_event': {
      const nameSite = siteAt(call, NAME_POINTER[call.kind]);
      if (call.kind === 'custom_event' && v.suggestion?.reason === 'other_event_type') {
        const typeSite = call.sites['#/data/custom_event_type'];
        const explicit = typeSite && typeSite.node !== call.sites['#'].node && typeSite.node !== nameSite.node;
        const f = fixEventType(call, v.suggestion.custom_event_type!, text);
        return {
          ...base, rule: 'no-wrong-event-type', node: explicit ? typeSite.node : nameSite.node,
          suggest: f ? [{ messageId: 'useEventType', data: { type: v.suggestion.custom_event_type!, key: v.suggestion.match_key ?? '' }, fix: f }] : [],
        };
      }
      const suggest: SuggestionFinding[] = [];
      if (v.suggestion && v.suggestion.reason !== 'other_event_type' && nameSite.literal && call.kind !== 'product_action' && call.kind !== 'promotion_action') {
        suggest.push({ messageId: 'rename', data: { name: v.suggestion.key }, fix: replaceLiteral(nameSite.literal, v.suggestion.key) });
      }
      return { ...base, rule: ruleForUnplannedEvent(call.kind), node: nameSite.node, suggest };
    }
    case 'unplanned_event_attribute':
    case 'unplanned_product_attribute':
    case 'unplanned_user_attribute':
    case 'unplanned_user_identity': {
      const site = siteAt(call, `${v.error_pointer}/${esc(v.key)}`);
      const rule: RuleName = v.violation === 'unplanned_user_attribute' ? 'no-unplanned-user-attribute' : v.violation === 'unplanned_user_identity' ? 'no-unplanned-user-identity' : 'no-unplanned-attribute';
      const suggest: SuggestionFinding[] = [];
      if (v.suggestion) {
        const f = renameKey(site, v.suggestion.key);
        if (f) suggest.push({ messageId: 'rename', data: { name: v.suggestion.key }, fix: f });
      }
      return { ...base, rule, node: site.key ?? site.keyLiteral ?? site.node, suggest };
    }
    case 'missing_required':
      return { ...base, rule: 'no-missing-required-attribute', node: siteAt(call, v.error_pointer).node };
    case 'invalid_data_type':
    case 'invalid_expected_value': {
      const site = siteAt(call, v.error_pointer);
      const rule: RuleName = call.kind === 'user_attributes' ? 'valid-user-attribute-value' : call.kind === 'user_identities' ? 'valid-user-identity-value' : 'valid-attribute-value';
      const suggest: SuggestionFinding[] = [];
      if (v.schema_keyword === 'enum' && typeof v.actual === 'string' && Array.isArray(v.expected) && site.literal) {
        const best = closest(v.actual, v.expected.filter((x): x is string => typeof x === 'string'));
        if (best) suggest.push({ messageId: 'useValue', data: { value: best.value }, fix: replaceLiteral(site.literal, best.value) });
      }
      return { ...base, rule, node: site.node, suggest };
    }
  }
}

function capital(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function dedupe(fs: Finding[]): Finding[] {
  const seen = new Set<string>();
  return fs.filter((f) => {
    const k = `${f.rule}|${(f.node as TSESTree.Node).range.join(':')}|${f.data.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

