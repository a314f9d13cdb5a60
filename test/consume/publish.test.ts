/** `dataplan publish`: files and stdin into a JetStream subject, one message per NDJSON line or per batch. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../cli/helpers.js';
import { FIX, readStream, removeTempDirs, startNats, tempDir, type NatsServer } from './helpers.js';

let srv: NatsServer;

beforeAll(async () => {
  srv = await startNats();
}, 60_000);
afterAll(async () => {
  await srv?.stop();
  removeTempDirs();
});

const batch = (name: string) => JSON.parse(readFileSync(join(FIX, 'batches', name), 'utf8'));

describe('dataplan publish', () => {
  it('sends each NDJSON line as it is, each batch of a JSON document on its own, and reports bad lines by place', async () => {
    const dir = tempDir();
    const one = JSON.stringify(batch('clean-minimal.json'));
    const two = JSON.stringify([batch('violation-minimal.json'), batch('clean-minimal.json')]);
    const last = JSON.stringify(batch('violation-user-attributes.json'));
    const ndjson = join(dir, 'day.ndjson');
    writeFileSync(ndjson, [one, two, '{"events": [', '', last].join('\n') + '\n');
    const doc = join(FIX, 'batches', 'bulk-two-batches.json');

    const r = await cli(['publish', ndjson, doc, '--nats', srv.url, '--subject', 'pub.in', '--stream', 'PUB']);
    expect(r.stderr).toMatch(/created stream PUB for subject pub\.in/);
    expect(r.stderr).toContain(`${ndjson}:3:13: error: invalid JSON`);
    expect(r.stderr).toMatch(/published 5 messages \(6 batches, \d+ events\) from 2 sources to pub\.in \(stream PUB\)/);
    expect(r.code).toBe(2);

    const stored = (await readStream(srv, 'PUB')).map((m) => m.body);
    const bulk = JSON.parse(readFileSync(doc, 'utf8'));
    expect(stored).toEqual([JSON.parse(one), JSON.parse(two), JSON.parse(last), bulk[0], bulk[1]]);
  }, 60_000);

  it('reads stdin and exits 0 when everything was stored', async () => {
    const lines = [batch('clean-minimal.json'), batch('violation-minimal.json')].map((b) => JSON.stringify(b)).join('\n');
    const r = await cli(['publish', '-', '--nats', srv.url, '--subject', 'stdin.in', '--stream', 'STDIN'], { stdin: lines });
    expect(r.code).toBe(0);
    expect((await readStream(srv, 'STDIN')).map((m) => m.body)).toEqual(lines.split('\n').map((l) => JSON.parse(l)));
  }, 60_000);

  it('says what to do when no stream stores the subject', async () => {
    const r = await cli(['publish', join(FIX, 'batches', 'clean-minimal.json'), '--nats', srv.url, '--subject', 'nowhere.in']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no JetStream stream stores subject nowhere\.in: pass --stream NAME/);
  }, 60_000);
});
