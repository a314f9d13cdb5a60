/** `scan --format sarif|github`: coverage problems as code-scanning results or pull-request annotations. */
import { join } from 'node:path';
import { githubCommand, locateInFile, type CiFinding, type CiLevel, type CiRule } from '../report/ci.js';
import type { ScanResult } from './coverage.js';
import { reasons } from './format.js';

export type ScanCategory = 'unplanned' | 'unverifiable' | 'uncovered' | 'violations';

/** Findings in the categories `--fail-on` names are errors; the rest are warnings (never-called points: notes). */
export function scanFindings(r: ScanResult, failOn: ReadonlySet<ScanCategory>): CiFinding[] {
  const level = (c: ScanCategory, otherwise: CiLevel = 'warning'): CiLevel => (failOn.has(c) ? 'error' : otherwise);
  const out: CiFinding[] = [];
  for (const u of r.unplanned) {
    out.push({ ruleId: 'scan/unplanned', level: level('unplanned'), message: u.message, file: join(r.root, u.file), line: u.line, column: u.column,
      title: 'dataplan: call not in the plan', identity: `${u.match_key}\0${u.callee}`, properties: { match_key: u.match_key, callee: u.callee } });
  }
  for (const v of r.violations) {
    out.push({ ruleId: v.violation, level: level('violations'), message: v.message, file: join(r.root, v.file), line: v.line, column: v.column,
      title: `dataplan ${v.violation}`, identity: `${v.match_key}\0${v.key}\0${v.callee}`, properties: { match_key: v.match_key, key: v.key, callee: v.callee } });
  }
  for (const u of r.unverifiable) {
    out.push({ ruleId: 'scan/unverifiable', level: level('unverifiable'), message: `${u.callee}: cannot check ${reasons(u)}`, file: join(r.root, u.file), line: u.line, column: u.column,
      title: 'dataplan: call cannot be verified', identity: `${u.callee}\0${u.part}\0${u.reasons.map((x) => x.pointer).join(',')}`, properties: { callee: u.callee, part: u.part } });
  }
  for (const d of r.data_points) {
    if (d.status !== 'uncovered') continue;
    const at = locateInFile(r.plan, d.pointer);
    out.push({ ruleId: 'scan/uncovered', level: level('uncovered', 'note'), message: `No code calls ${d.match_key}${d.description ? ` (${d.description})` : ''}`, file: r.plan, line: at?.line, column: at?.column,
      title: 'dataplan: data point never called', identity: d.match_key, properties: { match_key: d.match_key, pointer: d.pointer } });
  }
  for (const u of r.unreadable) {
    out.push({ ruleId: 'scan/unreadable', level: 'warning', message: `cannot parse: ${u.message}`, file: join(r.root, u.file), line: u.line, column: u.column, title: 'dataplan: file not scanned' });
  }
  return out;
}

export const SCAN_RULES: CiRule[] = [
  { id: 'scan/unplanned', text: 'Analytics call sends something the data plan does not have', level: 'warning' },
  { id: 'scan/unverifiable', text: 'Analytics call whose data point or attributes cannot be known without running it', level: 'warning' },
  { id: 'scan/uncovered', text: 'Data point no code calls', level: 'note' },
  { id: 'scan/unreadable', text: 'Source file that could not be parsed', level: 'warning' },
];

export function formatGithub(r: ScanResult, failOn: ReadonlySet<ScanCategory>, cwd: string): string {
  const s = r.summary;
  return scanFindings(r, failOn).map((f) => githubCommand(f, cwd)).join('') +
    `dataplan scan: ${s.covered} of ${s.checked} data points called, ${s.uncovered} never called, ${s.unplanned} calls not in the plan, ${s.unverifiable} unverifiable, ${s.violations} attribute problems\n`;
}
