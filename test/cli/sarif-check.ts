/** SARIF output checked as code scanning reads it: the OASIS 2.1.0 schema (test/fixtures/schemas), a fingerprint on every result. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import addFormatsImport from 'ajv-formats';
import { expect } from 'vitest';
import { FIX } from './helpers.js';

const addFormats = ((addFormatsImport as unknown as { default?: unknown }).default ?? addFormatsImport) as (a: unknown) => void;
const ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false });
addFormats(ajv);
const validSarif = ajv.compile(JSON.parse(readFileSync(join(FIX, 'schemas', 'sarif-2.1.0.json'), 'utf8')));

/** The key every dataplan result has in `partialFingerprints`. */
export const FINGERPRINT = 'dataplanFinding/v1';

export interface SarifResult {
  ruleId: string;
  level: string;
  message: { text: string };
  locations: { physicalLocation: { artifactLocation: { uri: string; uriBaseId?: string }; region: { startLine: number; startColumn: number } } }[];
  partialFingerprints: Record<string, string>;
}

/** Parse a log; it must be valid SARIF 2.1.0 and each result must have its own fingerprint. */
export function sarif(text: string) {
  const log = JSON.parse(text);
  expect(validSarif(log), JSON.stringify(validSarif.errors?.slice(0, 3))).toBe(true);
  const run = log.runs[0];
  const results = run.results as SarifResult[];
  for (const r of results) expect(r.partialFingerprints[FINGERPRINT], r.message.text).toMatch(/^[0-9a-f]{32}$/);
  expect(new Set(results.map((r) => r.partialFingerprints[FINGERPRINT])).size).toBe(results.length);
  return { run, results };
}
