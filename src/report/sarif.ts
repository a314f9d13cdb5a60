/** SARIF 2.1.0 for code-scanning UIs: one rule per violation code, results located by line:column. */
import { readFileSync } from 'node:fs';
import { VIOLATION_CODES, type Violation } from '../validate/violation.js';
import { collectingReporter } from './collect.js';
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

export function sarifReporter(write: Write, version: string): Reporter {
  return collectingReporter(({ info, entries, inputErrors }) => {
    const results: unknown[] = [];
    const artifact = (uri: string) => ({ uri: uri.replace(/\\/g, '/') });
    for (const e of entries) {
      const bulk = bulkIndexOf(e);
      if (!e.result.validated) {
        // A note, so every input is named: a batch the platform would skip, or a file with no batch.
        results.push({
          ruleId: 'input/not-validated', level: 'note', message: { text: e.result.notice ?? 'not validated' },
          locations: [{ physicalLocation: { artifactLocation: artifact(e.source), region: { startLine: e.line ?? 1, startColumn: 1 } } }],
          properties: { batch: e.batch, reason: e.result.reason },
        });
      }
      for (const v of e.result.violations) {
        const at = violationPointer(v, bulk);
        const loc = batchLocation(e, at);
        results.push({
          ruleId: v.violation,
          level: 'error',
          message: { text: v.message },
          locations: [{ physicalLocation: { artifactLocation: artifact(e.source), region: { startLine: loc.line, startColumn: loc.column } } }],
          properties: { match_key: v.match_key, key: v.key, error_pointer: v.error_pointer, event_index: v.event_index, batch: e.batch },
        });
      }
    }
    for (const p of info.problems) {
      let region = { startLine: 1, startColumn: 1 };
      try {
        const loc = locatePointer(readFileSync(p.file, 'utf8'), p.pointer);
        region = { startLine: loc.line, startColumn: loc.column };
      } catch {
        /* the location is a convenience */
      }
      results.push({
        ruleId: `plan/${p.code}`, level: p.severity === 'error' ? 'error' : 'warning', message: { text: p.message },
        locations: [{ physicalLocation: { artifactLocation: artifact(p.file), region } }],
      });
    }
    for (const e of inputErrors) {
      results.push({
        ruleId: 'input/invalid', level: 'error', message: { text: e.message },
        locations: [{ physicalLocation: { artifactLocation: artifact(e.file), region: { startLine: e.line ?? 1, startColumn: e.column ?? 1 } } }],
      });
    }
    const sarif = {
      $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
      version: '2.1.0',
      runs: [{
        tool: {
          driver: {
            name: 'dataplan', version, informationUri: 'https://github.com/dataplan/dataplan',
            rules: VIOLATION_CODES.map((id) => ({ id, shortDescription: { text: RULE_TEXT[id] }, defaultConfiguration: { level: 'error' } })),
          },
        },
        results,
      }],
    };
    write(JSON.stringify(sarif, null, 2) + '\n');
  });
}

/** For a batch inside a bulk array document, its index in that array; for NDJSON lines and single batches, null. */
export function bulkIndexOf(e: ResultEntry): number | null {
  return e.text !== undefined && e.text.trimStart().startsWith('[') ? e.batch : null;
}
