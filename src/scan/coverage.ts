/**
 * Coverage: run the shared call recognizer (the ESLint plugin's) on every project file, match each
 * call to the plan with the core, and aggregate: data points never called, calls not in the plan,
 * calls that cannot be verified (and why), and the call sites of every data point.
 */
import { relative } from 'node:path';
import { recognizeFile, Unknown, type RecognizedCall, type UnknownPart, type WrapperSetting } from '../lint/recognize/index.js';
import { mayWrap } from '../lint/recognize/modules.js';
import { eventMatchKey, formatMatchKey, type PlanPoint } from '../plan/index.js';
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
  unreadable: { file: string; message: string }[];
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
    for (const [k, x] of Object.entries(v)) out[k] = known(x, placeholder);
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

export function scanCoverage(plan: CompiledPlan, files: string[], opts: CoverageOptions): ScanResult {
  const cv = plan.getVersion(opts.version);
  if (!cv) throw new Error(`${plan.file} has no version ${opts.version}`);
  const version = cv.version.version;
  const points = new Map<PlanPoint, PointCoverage>();
  for (const p of cv.version.points) points.set(p, pointEntry(p));
  const pointsByMatchKey = (k: string) => cv.version.points.filter((p) => p.matchKey === k);
  const result: ScanResult = {
    plan: plan.file, plan_id: plan.id ?? null, version: version ?? null, root: opts.root, configs: opts.configs ?? [],
    data_points: [], unplanned: [], unverifiable: [], violations: [], unreadable: [],
    summary: { files: files.length, files_parsed: 0, files_with_calls: 0, calls: 0, data_points: 0, checked: 0, covered: 0, uncovered: 0, not_checked: 0, coverage: 1, unplanned: 0, unverifiable: 0, violations: 0, unreadable: 0 },
  };
  const setKeys = { user_attributes: new Set<string>(), user_identities: new Set<string>() };
  const wrappers = opts.wrappers ?? [];
  const wrapperNames = wrappers.map((w) => w.name.split('.').pop()!);

  files.forEach((file, i) => {
    opts.onProgress?.(i, files.length);
    // The recognizer's own test of whether a module can reach the SDK: most files are never parsed.
    if (!mayWrap(file, wrapperNames)) return;
    let calls: RecognizedCall[];
    try {
      result.summary.files_parsed++;
      calls = recognizeFile(file, { wrappers });
    } catch (err) {
      result.unreadable.push({ file: relative(opts.root, file), message: (err as Error).message.split('\n')[0] });
      return;
    }
    if (calls.length) result.summary.files_with_calls++;
    for (const call of calls) {
      if (call.kind === 'user_attribute_remove') continue;
      result.summary.calls++;
      const site = siteOf(call, file, opts.root);
      if (EVENT_KINDS.has(call.kind)) checkEvent(call, site);
      else checkMap(call, site);
    }
  });
  opts.onProgress?.(files.length, files.length);

  function checkEvent(call: RecognizedCall, site: CallSite): void {
    if (call.sdkProblems.length) {
      result.unverifiable.push({ ...site, kind: call.kind, part: 'event', reasons: call.sdkProblems.map((p) => ({ pointer: p.pointer, reason: `the SDK drops this call: ${p.message}` })) });
      return;
    }
    const keyUnknowns = call.unknowns.filter((u) => KEY_POINTERS.some((k) => under(k, u.pointer) || under(u.pointer, k)));
    if (!call.key || keyUnknowns.length) {
      result.unverifiable.push({ ...site, kind: call.kind, part: 'event', reasons: (keyUnknowns.length ? keyUnknowns : call.unknowns).map((u) => ({ pointer: u.pointer, reason: u.reason })) });
      return;
    }
    const payload = known(call.payload);
    const r = plan.validateEvent(payload, { version });
    if (r.status === 'error') {
      result.unverifiable.push({ ...site, kind: call.kind, part: 'event', reasons: [{ pointer: r.error?.pointer ?? '#', reason: r.error?.message ?? 'malformed event' }] });
      return;
    }
    const unplanned = r.violations.find((v) => v.violation === 'unplanned_event');
    const ek = eventMatchKey(payload);
    const matchKey = r.match_key ?? (ek.kind === 'key' ? formatMatchKey(ek.key) : '');
    if (unplanned) {
      const key = ek.kind === 'key' ? ek.key : call.key;
      result.unplanned.push({
        ...site, kind: call.kind, name: key.name, ...(key.type === 'custom_event' ? { custom_event_type: key.sub } : {}), match_key: matchKey,
        message: unplanned.message, ...(unplanned.suggestion ? { suggestion: unplanned.suggestion } : {}),
      });
      return;
    }
    if (ek.kind === 'key') for (const cp of cv!.index.get(ek.key) ?? []) points.get(cp.point)?.call_sites.push(site);
    else for (const p of pointsByMatchKey(matchKey)) points.get(p)?.call_sites.push(site);
    addViolations(certain(r.violations, call.unknowns), site, matchKey);
    openKeys(call, site);
  }

  function checkMap(call: RecognizedCall, site: CallSite): void {
    const kind = call.kind as 'user_attributes' | 'user_identities';
    const list = kind === 'user_attributes' ? cv!.userAttributes : cv!.userIdentities;
    if (list.length === 0) return; // no such point: the plan does not check these
    // Identity values of null are removals, so an unknown identity value stands in as a string.
    const map = known(call.payload, kind === 'user_identities' ? '' : null) as Record<string, unknown>;
    const violations = kind === 'user_attributes' ? plan.validateUserAttributes(map, { version }) : plan.validateUserIdentities(map, { version });
    for (const cp of list) points.get(cp.point)?.call_sites.push(site);
    const unplannedCode = kind === 'user_attributes' ? 'unplanned_user_attribute' : 'unplanned_user_identity';
    for (const v of certain(violations, call.unknowns)) {
      if (v.violation === unplannedCode) {
        result.unplanned.push({ ...site, kind, name: v.key, match_key: kind, message: v.message, ...(v.suggestion ? { suggestion: v.suggestion } : {}) });
      } else addViolations([v], site, kind);
    }
    const sent = call.payload as Record<string, unknown>;
    for (const k of Object.keys(sent)) if (sent[k] !== null || kind === 'user_attributes') setKeys[kind].add(k);
    openKeys(call, site);
  }

  function addViolations(vs: Violation[], site: CallSite, matchKey: string): void {
    for (const v of vs) result.violations.push({ ...site, match_key: matchKey, violation: v.violation, key: v.key, message: v.message });
  }

  /** Attribute objects whose keys are not all known (spread of an unknown object, computed key). */
  function openKeys(call: RecognizedCall, site: CallSite): void {
    const open = call.unknowns.filter((u) => u.part === 'keys');
    if (open.length) result.unverifiable.push({ ...site, kind: call.kind, part: 'attributes', reasons: open.map((u) => ({ pointer: u.pointer, reason: u.reason })) });
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
