/** SARIF 2.1.0 for validate and replay: one rule per violation code, results located by line:column. */
import { VIOLATION_CODES, type Violation } from '../validate/violation.js';
import { inputErrorFinding, planProblemFinding, sarifText, type CiFinding, type CiRule } from './ci.js';
import { locatePointer } from './locate.js';
import type { Reporter, ResultEntry, Write } from './types.js';

const RULE_TEXT: Record<string, string> = {
  unplanned_event: 'Event not in the data plan',
  unplanned_event_attribute: 'Event attribute not in the data plan',
  unplanned_product_attribute: 'Product attribute not in the data plan',
  unplanned_user_attribute: 'User attribute not in the data plan',
  unplanned_user_identity: 'User identity not in the data plan',
  missing_required: 'Required attribute missing',
  invalid_data_type: 'Attribute value of the wrong type',
  invalid_expected_value: 'Attribute value outside what the plan allows',
};

/** Where a pointer inside a batch is in its source file. */
export function batchLocation(e: ResultEntry, pointer: string): { line: number; column: number } {
  if (!e.text) return { line: e.line ?? 1, column: 1 };
  const loc = locatePointer(e.text, pointer);
  return { line: (e.line ?? 1) + loc.line - 1, column: loc.column };
}

/** JSON pointer of a violation inside its source document (bulk arrays prefixed by the batch index). */
export function violationPointer(v: Violation, bulkIndex: number | null): string {
  const base = bulkIndex === null ? '' : `/${bulkIndex}`;
  let inner = v.error_pointer.replace(/^#/, '');
  // Point at the offending key or name, not at the object that holds it.
  if (v.violation.startsWith('unplanned_') && v.violation !== 'unplanned_event' && v.match_key !== 'user_identities') inner += `/${v.key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
  if (v.event_index !== null) {
    if (v.violation === 'unplanned_event') {
      const mk = v.match_key;
      inner = mk.startsWith('custom_event:') ? '/data/event_name' : mk.startsWith('screen_view:') ? '/data/screen_name'
        : mk.startsWith('product_action:') ? '/data/product_action/action' : mk.startsWith('promotion_action:') ? '/data/promotion_action/action'
          : mk === 'product_impression' ? '/data/product_impressions' : '/event_type';
    }
    return `${base}/events/${v.event_index}${inner}`;
  }
  if (v.match_key === 'user_identities') {
    const bk = v.batch_key;
    if (!bk) return `${base}/user_identities`;
    if (bk === 'mp_deviceid') return `${base}/mp_deviceid`;
    return bk.startsWith('device_info.') ? `${base}/device_info/${bk.slice(12)}` : `${base}/user_identities/${bk}`;
  }
  return `${base}/user_attributes${inner}`;
}

const VALIDATE_RULES: CiRule[] = [
  ...VIOLATION_CODES.map((id) => ({ id, text: RULE_TEXT[id], level: 'error' as const })),
  { id: 'input/malformed', text: 'Event or batch that is not what the platform accepts', level: 'error' },
  { id: 'input/not-validated', text: 'Batch the platform would not validate, or a file with no batch', level: 'note' },
  { id: 'input/unusable', text: 'Input that cannot be read or parsed', level: 'error' },
];

/**
 * What one batch shows in CI: each violation at its place in the file, each malformed event, or a
 * note that it was not validated (so every input is named). Identities use the batch and JSON
 * pointer, never the line, so fingerprints hold when unrelated lines move.
 */
export function batchFindings(e: ResultEntry): CiFinding[] {
  const out: CiFinding[] = [];
  const r = e.result;
  const bulk = bulkIndexOf(e);
  // A batch that is not even an object is an input error below, not also a note.
  if (!r.validated && r.errors.length === 0) {
    out.push({
      ruleId: 'input/not-validated', level: 'note', message: r.notice ?? 'not validated', file: e.source, line: e.line ?? 1, column: 1,
      title: 'dataplan: batch not validated', identity: `batch ${e.batch}\0${r.reason ?? ''}`, properties: { batch: e.batch, reason: r.reason },
    });
  }
  for (const v of r.violations) {
    const at = violationPointer(v, bulk);
    const loc = batchLocation(e, at);
    out.push({
      ruleId: v.violation, level: 'error', message: v.message, file: e.source, line: loc.line, column: loc.column,
      identity: `batch ${e.batch}\0${at}\0${v.message}`,
      properties: { match_key: v.match_key, key: v.key, error_pointer: v.error_pointer, event_index: v.event_index, batch: e.batch },
    });
  }
  for (const er of r.errors) {
    const at = `${bulk === null ? '' : `/${bulk}`}${er.pointer}`;
    const loc = batchLocation(e, at);
    out.push({
      ruleId: 'input/malformed', level: 'error', message: er.message, file: e.source, line: loc.line, column: loc.column,
      title: 'dataplan input error', identity: `batch ${e.batch}\0${at}\0${er.message}`, properties: { event_index: er.event_index, batch: e.batch },
    });
  }
  return out;
}

/** SARIF for validate and replay: findings are made as batches arrive, so no batch text is kept. */
export function sarifReporter(write: Write, opts: { cwd: string; version?: string }): Reporter {
  const findings: CiFinding[] = [];
  return {
    start(info) {
      for (const p of info.problems) findings.push(planProblemFinding(p));
    },
    result(e) {
      // Not push(...list): a batch can hold more violations than a call takes arguments.
      for (const f of batchFindings(e)) findings.push(f);
    },
    inputError(e) {
      findings.push(inputErrorFinding(e));
    },
    end(summary) {
      write(sarifText(findings, VALIDATE_RULES, opts.cwd, summary.exit_code, opts.version));
    },
  };
}

/** For a batch inside a bulk array document, its index in that array; for NDJSON lines and single batches, null. */
export function bulkIndexOf(e: ResultEntry): number | null {
  return e.text !== undefined && e.text.trimStart().startsWith('[') ? e.batch : null;
}
