/**
 * The spec's platform expectations (test/fixtures/expected/platform-expectations.json: one fixture batch file per rule
 * of the validation spec, with its plan) through every front door that takes batches: the core, `dataplan validate`,
 * the receiver's HTTP and WebSocket ingest, and `dataplan replay` of the capture the receiver wrote. Every door must
 * give each batch the core's verdict.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { main } from '../../src/cli/main.js';
import { socketUrl } from '../../src/stream/client.js';
import { loadPlan, type BatchResult } from '../../src/validate/index.js';
import { FIX, post, removeTempDirs, start, tempDir } from './helpers.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;
type Verdict = { validated: boolean; reason: string | null; rows: unknown[][] };
const expectations = JSON.parse(readFileSync(join(FIX, 'expected', 'platform-expectations.json'), 'utf8')).batches as Record<string, { plan: string }>;
const byPlan = new Map<string, string[]>();
for (const [file, e] of Object.entries(expectations)) byPlan.set(e.plan, [...(byPlan.get(e.plan) ?? []), file]);
const batchesOf = (file: string): unknown[] => {
  const raw = JSON.parse(readFileSync(join(FIX, 'batches', file), 'utf8'));
  return Array.isArray(raw) ? raw : [raw];
};
const verdict = (r: Json): Verdict => ({
  validated: r.validated, reason: r.reason ?? null,
  rows: r.violations.map((v: Json) => [v.event_index, v.violation, v.key, v.match_key, v.error_pointer, v.message]),
});

async function run(args: string[]): Promise<{ code: number; out: string }> {
  let out = '';
  const code = await main(args, { stdout: (s) => void (out += s), stderr: () => undefined, stdin: new PassThrough(), cwd: FIX, color: false });
  return { code, out };
}

afterAll(() => removeTempDirs());

describe('every front door gives every spec fixture batch the core\'s verdict', () => {
  for (const [planRel, files] of byPlan) {
    it(planRel, async () => {
      const planFile = join(FIX, planRel);
      const core = loadPlan(planFile);
      const want = files.flatMap((f) => batchesOf(f).map((b) => verdict(core.validateBatch(b) as BatchResult)));
      expect(want.some((v) => v.rows.length > 0)).toBe(true);

      // dataplan validate
      const v = await run(['validate', ...files.map((f) => join(FIX, 'batches', f)), '--plan', planFile, '--format', 'json']);
      expect(JSON.parse(v.out).results.map(verdict), 'validate').toEqual(want);

      // the receiver: HTTP, then WebSocket, both written to one capture
      const capture = join(tempDir(), 'session.ndjson');
      const s = await start({ planFile, capture });
      try {
        const http: Verdict[] = [];
        for (const f of files) {
          const r = await post(`${s.url}/v2/bulkevents`, batchesOf(f));
          expect(r.status).toBe(202);
          http.push(...r.json.batches.map(verdict));
        }
        expect(http, 'HTTP ingest').toEqual(want);
        const ws = new WebSocket(socketUrl(s.url, '/dataplan/ingest'));
        await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
        const viaWs: Verdict[] = [];
        for (const f of files) {
          const ack = await new Promise<Json>((resolve) => {
            ws.once('message', (d) => resolve(JSON.parse(String(d))));
            ws.send(JSON.stringify(batchesOf(f)));
          });
          expect(ack.type).toBe('ack');
          viaWs.push(...ack.batches.map(verdict));
        }
        ws.close();
        expect(viaWs, 'WebSocket ingest').toEqual(want);
      } finally {
        await s.close();
      }

      // dataplan replay of the capture: every batch twice (HTTP, then WebSocket)
      const r = await run(['replay', capture, '--plan', planFile, '--format', 'json']);
      expect(JSON.parse(r.out).results.map(verdict), 'replay').toEqual([...want, ...want]);
    }, 60_000);
  }
});
