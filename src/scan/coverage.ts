/**
 * Coverage: run the shared call recognizer (the ESLint plugin's) on every project file, match each
 * call to the plan with the core, and aggregate: data points never called, calls not in the plan,
 * calls that cannot be verified (and why), and the call sites of every data point.
 */
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { mayWrap, recognizeFile, setParseCacheLimit, Unknown, type Loc, type RecognizedCall, type UnknownPart, type WrapperSetting } from '../lint/recognize/index.js';
import { canonicalIdentityName, eventMatchKey, formatMatchKey, type PlanPoint } from '../plan/index.js';
import type { CompiledPlan, Suggestion, Violation } from '../validate/index.js';

export interface CallSite {
  /** Relative to the scanned directory. */
  file: string;
  line: number;
  column: number;
  /** How the call reads (`mParticle.logEvent`, `trackSearch`). */
  callee: string;
  /** The SDK method in the end (`logEvent`, `eCommerce.logProductAction`). */
  method: string;
  /** Wrappers the call goes through, outermost first. */
  via: { name: string; file?: string; line?: number }[];
}

export type PointStatus = 'covered' | 'uncovered' | 'not_checked';

export interface PointCoverage {
  match_key: string;
  match_type: string;
  description: string;
  /** JSON pointer of the data point in the plan file. */
  pointer: string;
  status: PointStatus;
  /** Why a point is not checked. */
  reason?: string;
  call_sites: CallSite[];
  /** user_attributes / user_identities: which planned keys some call sets, and which none does. */
  keys?: { planned: string[]; never_set: string[] };
}

export interface UnplannedCall extends CallSite {
  kind: string;
  /** The event/screen name, product or promotion action, or the attribute/identity key. */
  name: string;
  /** custom_event only. */
  custom_event_type?: string;
  match_key: string;
  message: string;
  suggestion?: Suggestion;
}

export interface UnverifiableCall extends CallSite {
  kind: string;
  /** What cannot be checked: which data point the call is (`event`), or which attributes it sends (`attributes`). */
  part: 'event' | 'attributes';
  reasons: { pointer: string; reason: string }[];
}

export interface CallViolation extends CallSite {
  match_key: string;
  violation: Violation['violation'];
  key: string;
  message: string;
}

export interface ScanSummary {
  files: number;
  files_parsed: number;
  files_with_calls: number;
  calls: number;
  data_points: number;
  checked: number;
  covered: number;
  uncovered: number;
  not_checked: number;
  /** covered / checked, 0..1 (1 when nothing is checkable). */
  coverage: number;
  unplanned: number;
  unverifiable: number;
  violations: number;
  unreadable: number;
}

export interface ScanResult {
  plan: string;
  plan_id: string | null;
  version: number | null;
  root: string;
  configs: string[];
  data_points: PointCoverage[];
  unplanned: UnplannedCall[];
  unverifiable: UnverifiableCall[];
  violations: CallViolation[];
  unreadable: { file: string; line?: number; column?: number; message: string }[];
  summary: ScanSummary;
}

export interface CoverageOptions {
  root: string;
  configs?: string[];
  version?: number;
  wrappers?: readonly WrapperSetting[];
  onProgress?: (done: number, total: number) => void;
}

const EVENT_KINDS = new Set(['custom_event', 'screen_view', 'product_action', 'promotion_action', 'product_impression']);
const CHECKED_TYPES = new Set([...EVENT_KINDS, 'user_attributes', 'user_identities']);
const NOT_CHECKED: Record<string, string> = {
  session_start: 'sent by the SDKs themselves', session_end: 'sent by the SDKs themselves', application_state_transition: 'sent by the SDKs themselves',
  crash_report: 'scan does not follow logError calls', opt_out: 'scan does not follow setOptOut calls',
  first_run: 'mobile SDKs only', breadcrumb: 'mobile SDKs only', network_performance: 'mobile SDKs only', uninstall: 'mobile SDKs only',
};
/** Payload pointers that hold the parts of a match key. */
const KEY_POINTERS = ['#/event_type', '#/data/event_name', '#/data/custom_event_type', '#/data/screen_name', '#/data/product_action/action', '#/data/promotion_action/action', '#/data/product_impressions'];

function under(ptr: string, base: string): boolean {
  return ptr === base || ptr.startsWith(`${base}/`);
}

/**
 * The payload with unknown values as null: their keys stay (an unplanned key is unplanned whatever its value),
 * and whatever the core then says about those values is dropped by `certain`.
 */
function known(v: unknown, placeholder: unknown = null): unknown {
  if (v instanceof Unknown) return placeholder;
  if (Array.isArray(v)) return v.map((x) => known(x, placeholder));
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    // undefined is what a missing property reads as: the SDK sends nothing for it.
    for (const [k, x] of Object.entries(v)) if (x !== undefined) out[k] = known(x, placeholder);
    return out;
  }
  return v;
}

/** Violations that unknown values could be causing are not reported: only what is certain. */
function certain(violations: Violation[], unknowns: UnknownPart[]): Violation[] {
  return violations.filter((v) => {
    const at = v.violation === 'missing_required' ? `${v.error_pointer}/${v.key}` : v.error_pointer;
    if (unknowns.some((u) => under(at, u.pointer))) return false;
    if (v.violation === 'missing_required' && unknowns.some((u) => u.part === 'keys' && u.pointer === v.error_pointer)) return false;
    return true;
  });
}

/** A recognized call without references into its file's syntax tree. */
function detach(call: RecognizedCall): RecognizedCall {
  return {
    ...call,
    node: undefined as unknown as RecognizedCall['node'],
    sites: {},
    unknowns: call.unknowns.map((u) => ({ ...u, node: undefined as unknown as RecognizedCall['node'] })),
    sdkProblems: call.sdkProblems.map((p) => ({ ...p, node: undefined as unknown as RecognizedCall['node'] })),
  };
}

interface Found {
  call: RecognizedCall;
  file: string;
  site: CallSite;
}

function within(outer: Loc, inner: Loc): boolean {
  const before = (a: Loc['start'], b: Loc['start']) => a.line < b.line || (a.line === b.line && a.column <= b.column);
  return before(outer.start, inner.start) && before(inner.end, outer.end);
}

/** A wrapper body `b` is reached by `c` when `c` went through the function that contains `b`. */
function reaches(c: Found, b: Found): boolean {
  return c.call.via.some((v) => v.file === b.file && v.loc !== undefined && within(v.loc, b.call.loc));
}

function signature(v: Violation): string {
  return `${v.violation}|${v.error_pointer}|${v.key}|${v.message}`;
}

export function scanCoverage(plan: CompiledPlan, files: string[], opts: CoverageOptions): ScanResult {
  const cv = plan.getVersion(opts.version);
  if (!cv) throw new Error(`${plan.file} has no version ${opts.version}`);
  const version = cv.version.version;
  const points = new Map<PlanPoint, PointCoverage>();
  for (const p of cv.version.points) points.set(p, pointEntry(p));
  const result: ScanResult = {
    plan: plan.file, plan_id: plan.id ?? null, version: version ?? null, root: opts.root, configs: opts.configs ?? [],
    data_points: [], unplanned: [], unverifiable: [], violations: [], unreadable: [],
    summary: { files: files.length, files_parsed: 0, files_with_calls: 0, calls: 0, data_points: 0, checked: 0, covered: 0, uncovered: 0, not_checked: 0, coverage: 1, unplanned: 0, unverifiable: 0, violations: 0, unreadable: 0 },
  };
  const setKeys = { user_attributes: new Set<string>(), user_identities: new Set<string>() };
  // One pass over the project: keep few syntax trees (memory stays flat on big projects).
  setParseCacheLimit(64);
  const wrappers = opts.wrappers ?? [];
  const wrapperNames = wrappers.map((w) => w.name.split('.').pop()!);

  // 1. Every call of every file that can reach the SDK.
  const found: Found[] = [];
  files.forEach((file, i) => {
    opts.onProgress?.(i, files.length);
    // The recognizer's own test of whether a module can reach the SDK: most files are never parsed.
    if (!mayWrap(file, wrapperNames)) return;
    let calls: RecognizedCall[];
    try {
      result.summary.files_parsed++;
      calls = recognizeFile(file, { wrappers });
    } catch (err) {
      const loc = (err as { location?: { start?: { line?: number; column?: number } } }).location?.start;
      result.unreadable.push({ file: relative(opts.root, file), ...(loc?.line ? { line: loc.line, column: (loc.column ?? 0) + 1 } : {}), message: (err as Error).message.split('\n')[0] });
      return;
    }
    calls = calls.filter((c) => c.kind !== 'user_attribute_remove');
    if (calls.length) result.summary.files_with_calls++;
    // Keep plain data only: syntax nodes would keep every file's tree alive for the whole scan.
    for (const call of calls) found.push({ call: detach(call), file, site: siteOf(call, file, opts.root) });
  });
  opts.onProgress?.(files.length, files.length);

  // 2. Wrapper bodies first: what they write themselves is reported there, once.
  const bodies = found.filter((f) => f.call.wrapper);
  const bodyViolations = new Map<Found, Set<string>>();
  let identifiers: Map<string, number> | undefined;
  /** Distinct call sites that count (a wrapper call expanding to several SDK calls is one). */
  const counted = new Set<string>();
  for (const b of bodies) {
    if (found.some((c) => c !== b && reaches(c, b))) {
      // Parameters are known at the wrapper's call sites, which count; what the body itself writes is reported here.
      bodyViolations.set(b, classify(b, b.call.unknowns.filter((u) => !u.parameter), { count: false, unplanned: false }));
    } else if (referenced(b.call.wrapper!.name)) {
      // Used, but not through a call scan can follow (a component rendered by JSX, a callback): the body is the call.
      counted.add(`${b.site.file}:${b.site.line}:${b.site.column}`);
      bodyViolations.set(b, classify(b, b.call.unknowns, { count: true, unplanned: true }));
    } else {
      // Nothing here calls it (an export used elsewhere, or dead code): it counts for no data point, but what its
      // body writes itself is still wrong, and the ESLint plugin reports it too.
      bodyViolations.set(b, classify(b, b.call.unknowns.filter((u) => !u.parameter), { count: false, unplanned: true }));
    }
  }
  // 3. Every other call, including each call site of a wrapper (less what its body already reported).
  for (const f of found) {
    if (f.call.wrapper) continue;
    counted.add(`${f.site.file}:${f.site.line}:${f.site.column}`);
    const skip = new Set<string>();
    for (const b of bodies) if (reaches(f, b)) for (const sig of bodyViolations.get(b) ?? []) skip.add(sig);
    classify(f, f.call.unknowns, { count: true, unplanned: true, skip });
  }
  result.summary.calls = counted.size;

  /** Whether a wrapper's name is used anywhere but its own declaration (identifier counts over the project's files). */
  function referenced(name: string): boolean {
    if (!/^[A-Za-z_$][\w$]*$/.test(name)) return true;
    if (!identifiers) {
      identifiers = new Map();
      for (const f of files) {
        let text = '';
        try {
          text = readFileSync(f, 'utf8');
        } catch {
          // unreadable: no identifiers
        }
        for (const m of text.matchAll(/[A-Za-z_$][\w$]*/g)) identifiers.set(m[0], (identifiers.get(m[0]) ?? 0) + 1);
      }
    }
    return (identifiers.get(name) ?? 0) > 1;
  }

  /**
   * Match one call to the plan and file it: call site of its data points, not in the plan, or unverifiable; returns
   * the signatures of the attribute violations it reported.
   */
  function classify(f: Found, unknowns: UnknownPart[], how: { count: boolean; unplanned: boolean; skip?: Set<string> }): Set<string> {
    const { call, site } = f;
    const reported = new Set<string>();
    const isBody = !!call.wrapper;
    const cannot = (part: UnverifiableCall['part'], reasons: { pointer: string; reason: string }[]) => {
      const left = reasons.filter((r) => !how.skip?.has(`?|${r.pointer}|${r.reason}`));
      for (const r of left) reported.add(`?|${r.pointer}|${r.reason}`);
      if (left.length) result.unverifiable.push({ ...site, kind: call.kind, part, reasons: left });
    };
    if (call.sdkProblems.length) {
      cannot('event', call.sdkProblems.map((p) => ({ pointer: p.pointer, reason: `the SDK drops this call: ${p.message}` })));
      return reported;
    }
    let violations: Violation[];
    let matchKey: string;
    let targets: PlanPoint[] = [];
    if (EVENT_KINDS.has(call.kind)) {
      const keyUnknowns = call.unknowns.filter((u) => KEY_POINTERS.some((k) => under(k, u.pointer) || under(u.pointer, k)));
      if (!call.key || keyUnknowns.length) {
        // In a wrapper body, a name that comes from a parameter is known at each call site.
        const own = keyUnknowns.filter((u) => unknowns.includes(u));
        if (own.length || (!isBody && keyUnknowns.length === 0)) cannot('event', (own.length ? own : call.unknowns).map((u) => ({ pointer: u.pointer, reason: u.reason })));
        return reported;
      }
      const payload = known(call.payload);
      const r = plan.validateEvent(payload, { version });
      if (r.status === 'error') {
        cannot('event', [{ pointer: r.error?.pointer ?? '#', reason: r.error?.message ?? 'malformed event' }]);
        return reported;
      }
      const ek = eventMatchKey(payload);
      matchKey = r.match_key ?? (ek.kind === 'key' ? formatMatchKey(ek.key) : '');
      const unplanned = r.violations.find((v) => v.violation === 'unplanned_event');
      if (unplanned) {
        if (how.unplanned) {
          const key = ek.kind === 'key' ? ek.key : call.key;
          result.unplanned.push({
            ...site, kind: call.kind, name: key.name, ...(key.type === 'custom_event' ? { custom_event_type: key.sub } : {}), match_key: matchKey,
            message: unplanned.message, ...(unplanned.suggestion ? { suggestion: unplanned.suggestion } : {}),
          });
        }
        return reported;
      }
      if (ek.kind === 'key') targets = (cv!.index.get(ek.key) ?? []).map((cp) => cp.point);
      violations = r.violations;
    } else {
      const kind = call.kind as 'user_attributes' | 'user_identities';
      const list = kind === 'user_attributes' ? cv!.userAttributes : cv!.userIdentities;
      if (list.length === 0) return reported; // no such point: the plan does not check these
      // Identity values of null are removals, so an unknown identity value stands in as a string.
      const map = known(call.payload, kind === 'user_identities' ? '' : null) as Record<string, unknown>;
      violations = kind === 'user_attributes' ? plan.validateUserAttributes(map, { version }) : plan.validateUserIdentities(map, { version });
      matchKey = kind;
      // A call counts for the point when it sets some planned key (or keys scan cannot see).
      const sentKeys = Object.keys(map);
      const openKeys = call.unknowns.some((u) => u.part === 'keys' && u.pointer === '#');
      targets = list.map((cp) => cp.point).filter((p) => openKeys || sentKeys.some((k) => isPlannedKey(p, k, kind)));
      const unplannedCode = kind === 'user_attributes' ? 'unplanned_user_attribute' : 'unplanned_user_identity';
      const rest: Violation[] = [];
      for (const v of certain(violations, call.unknowns)) {
        if (v.violation !== unplannedCode) rest.push(v);
        else if (how.skip?.has(signature(v))) continue;
        else {
          reported.add(signature(v));
          result.unplanned.push({ ...site, kind, name: v.key, match_key: kind, message: v.message, ...(v.suggestion ? { suggestion: v.suggestion } : {}) });
        }
      }
      violations = rest;
      const sent = call.payload as Record<string, unknown>;
      for (const k of sentKeys) if (sent[k] !== null || kind === 'user_attributes') setKeys[kind].add(k);
    }
    if (how.count) {
      for (const p of targets) {
        const list = points.get(p)?.call_sites;
        // One call site can expand to several SDK calls (a wrapper with branches): list it once.
        if (list && !list.some((x) => x.file === site.file && x.line === site.line && x.column === site.column)) list.push(site);
      }
    }
    for (const v of certain(violations, call.unknowns)) {
      if (how.skip?.has(signature(v))) continue;
      reported.add(signature(v));
      result.violations.push({ ...site, match_key: matchKey, violation: v.violation, key: v.key, message: v.message });
    }
    // Attribute objects whose keys are not all known (spread of an unknown object, computed key).
    const open = unknowns.filter((u) => u.part === 'keys' && !KEY_POINTERS.includes(u.pointer));
    if (open.length) cannot('attributes', open.map((u) => ({ pointer: u.pointer, reason: u.reason })));
    return reported;
  }

  // Per-point results.
  for (const [p, entry] of points) {
    if (entry.status !== 'not_checked') entry.status = entry.call_sites.length ? 'covered' : 'uncovered';
    if (p.matchType === 'user_attributes' || p.matchType === 'user_identities') {
      const planned = Object.keys((p.definition?.properties as Record<string, unknown> | undefined) ?? {});
      entry.keys = { planned, never_set: planned.filter((k) => !setKeys[p.matchType as 'user_attributes'].has(k)) };
    }
    result.data_points.push(entry);
  }
  const s = result.summary;
  s.data_points = result.data_points.length;
  s.covered = result.data_points.filter((d) => d.status === 'covered').length;
  s.uncovered = result.data_points.filter((d) => d.status === 'uncovered').length;
  s.not_checked = s.data_points - s.covered - s.uncovered;
  s.checked = s.covered + s.uncovered;
  s.coverage = s.checked ? s.covered / s.checked : 1;
  s.unplanned = result.unplanned.length;
  s.unverifiable = result.unverifiable.length;
  s.violations = result.violations.length;
  s.unreadable = result.unreadable.length;
  return result;
}

function isPlannedKey(p: PlanPoint, key: string, kind: 'user_attributes' | 'user_identities'): boolean {
  const props = (p.definition?.properties as Record<string, unknown> | undefined) ?? {};
  if (Object.prototype.hasOwnProperty.call(props, key)) return true;
  return kind === 'user_identities' && Object.keys(props).some((k) => canonicalIdentityName(k) === canonicalIdentityName(key));
}

function pointEntry(p: PlanPoint): PointCoverage {
  const base = { match_key: p.matchKey || p.matchType, match_type: p.matchType, description: p.description, pointer: p.pointer, call_sites: [] };
  if (!p.key) return { ...base, status: 'not_checked', reason: 'the data point matches nothing (see dataplan plan check)' };
  if (!CHECKED_TYPES.has(p.matchType)) return { ...base, status: 'not_checked', reason: NOT_CHECKED[p.matchType] ?? 'no SDK call produces it' };
  return { ...base, status: 'uncovered' };
}

function siteOf(call: RecognizedCall, file: string, root: string): CallSite {
  return {
    file: relative(root, file),
    line: call.loc.start.line,
    column: call.loc.start.column + 1,
    callee: call.callee,
    method: call.method,
    via: call.via.map((w) => ({ name: w.name, ...(w.file ? { file: relative(root, w.file) } : {}), ...(w.loc ? { line: w.loc.start.line } : {}) })),
  };
}
