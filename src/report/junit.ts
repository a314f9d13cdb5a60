/**
 * JUnit XML: a test suite per source, a test case per batch. A case has at most one outcome: an
 * `<error>` (input it could not judge: malformed events or batch, an unreadable file, plan errors),
 * else one `<failure>` listing all its violations, else `<skipped>` (not validated). Every count on
 * `<testsuites>` is the sum of the suites'. Cases are rendered as they arrive; only their XML is kept.
 */
import type { InputError } from '../plan/index.js';
import type { Violation } from '../validate/violation.js';
import { ciPath } from './ci.js';
import { problemLine } from './format.js';
import type { Reporter, ResultEntry, Write } from './types.js';

export function xml(s: string): string {
  return s.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[ch]!)
    // Control characters are not allowed in XML 1.0.
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');
}

type Outcome = 'passed' | 'failure' | 'error' | 'skipped';

interface Suite {
  name: string;
  tests: number;
  failures: number;
  errors: number;
  skipped: number;
  /** Milliseconds, the sum of the cases' (each rounded), so the totals add up. */
  ms: number;
  cases: string[];
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(3);
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** `3 violations (2 invalid_expected_value, 1 unplanned_event)` */
function violationSummary(vs: Violation[]): string {
  const by = new Map<string, number>();
  for (const v of vs) by.set(v.violation, (by.get(v.violation) ?? 0) + 1);
  return `${plural(vs.length, 'violation')} (${[...by].map(([k, n]) => `${n} ${k}`).join(', ')})`;
}

function violationLine(v: Violation): string {
  const at = v.error_pointer.replace(/^#/, '');
  return `${v.violation}: ${v.message} [${v.match_key}${v.event_index !== null ? ` events[${v.event_index}]` : ''}${at ? ` ${at}` : ''}]`;
}

/** A batch's case: its outcome and the element that says it. */
function batchCase(e: ResultEntry): { outcome: Outcome; body: string } {
  const r = e.result;
  if (r.errors.length) {
    const lines = [...r.errors.map((er) => `input error: ${er.message} [#${er.pointer}]`), ...r.violations.map(violationLine)];
    const message = `${plural(r.errors.length, 'input error')}${r.violations.length ? `, ${violationSummary(r.violations)}` : ''}`;
    return { outcome: 'error', body: `<error type="input_error" message="${xml(message)}">${xml(lines.join('\n'))}</error>` };
  }
  if (r.violations.length) {
    const codes = new Set(r.violations.map((v) => v.violation));
    const type = codes.size === 1 ? r.violations[0].violation : 'violations';
    return { outcome: 'failure', body: `<failure type="${type}" message="${xml(violationSummary(r.violations))}">${xml(r.violations.map(violationLine).join('\n'))}</failure>` };
  }
  if (!r.validated) return { outcome: 'skipped', body: `<skipped message="${xml(r.notice ?? 'not validated')}"/>` };
  return { outcome: 'passed', body: '' };
}

export function junitReporter(write: Write, opts: { cwd?: string } = {}): Reporter {
  const suites = new Map<string, Suite>();
  let last = 0;
  // Keyed apart from sources, so a file named "inputs" is its own suite.
  const suite = (key: string, name = key) => {
    let s = suites.get(key);
    if (!s) suites.set(key, (s = { name, tests: 0, failures: 0, errors: 0, skipped: 0, ms: 0, cases: [] }));
    return s;
  };
  /** Time since the previous case: what judging this one took, reading included. */
  const elapsed = () => {
    const now = performance.now();
    const ms = Math.round(now - last);
    last = now;
    return ms;
  };
  const add = (s: Suite, classname: string, name: string, c: { outcome: Outcome; body: string }, ms: number) => {
    s.tests++;
    if (c.outcome === 'failure') s.failures++;
    else if (c.outcome === 'error') s.errors++;
    else if (c.outcome === 'skipped') s.skipped++;
    s.ms += ms;
    const head = `    <testcase classname="${xml(classname)}" name="${xml(name)}" time="${seconds(ms)}"`;
    s.cases.push(c.body ? `${head}>\n      ${c.body}\n    </testcase>` : `${head}/>`);
  };
  return {
    start(info) {
      last = performance.now();
      if (!info.problems.length) return;
      const errs = info.problems.filter((p) => p.severity === 'error');
      const warns = info.problems.filter((p) => p.severity === 'warning');
      const parts = [];
      if (errs.length) parts.push(`<error type="plan_error" message="${plural(errs.length, 'plan error')}">${xml(errs.map(problemLine).join('\n'))}</error>`);
      if (warns.length) parts.push(`<system-out>${xml(warns.map(problemLine).join('\n'))}</system-out>`);
      const plan = opts.cwd ? ciPath(info.planFile, opts.cwd) : info.planFile;
      add(suite('\0plan', `plan ${plan}`), 'plan', plan, { outcome: errs.length ? 'error' : 'passed', body: parts.join('\n      ') }, 0);
    },
    result(e) {
      const line = e.line !== undefined && e.line > 1 ? ` (line ${e.line})` : '';
      add(suite(e.source), e.source, `batch ${e.batch}${line}`, batchCase(e), elapsed());
    },
    inputError(e: InputError) {
      add(suite('\0inputs', 'inputs'), 'inputs', e.where, { outcome: 'error', body: `<error type="input_error" message="${xml(e.message)}">${xml(e.where)}</error>` }, elapsed());
    },
    end() {
      const all = [...suites.values()];
      const sum = (k: 'tests' | 'failures' | 'errors' | 'skipped' | 'ms') => all.reduce((n, s) => n + s[k], 0);
      const counts = (s: { tests: number; failures: number; errors: number; skipped: number }) => `tests="${s.tests}" failures="${s.failures}" errors="${s.errors}" skipped="${s.skipped}"`;
      const out = ['<?xml version="1.0" encoding="UTF-8"?>'];
      out.push(`<testsuites name="dataplan" ${counts({ tests: sum('tests'), failures: sum('failures'), errors: sum('errors'), skipped: sum('skipped') })} time="${seconds(sum('ms'))}">`);
      for (const s of all) {
        out.push(`  <testsuite name="${xml(s.name)}" ${counts(s)} time="${seconds(s.ms)}">`, ...s.cases, '  </testsuite>');
      }
      out.push('</testsuites>');
      write(out.join('\n') + '\n');
    },
  };
}
