/** Answers for the mobile SDKs: config (with an ETag), event uploads (translated, then judged like any batch), audiences. */
import { createHash, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { batchesOf, readBody } from '../body.js';
import { send } from '../http.js';
import type { Receiver } from '../receiver.js';
import { parseLossless } from './json.js';
import type { MobileCall } from './routes.js';
import { isMobileUpload, translateUpload } from './translate.js';

export interface MobileContext {
  receiver: Receiver;
  maxBody: number;
}

/**
 * What a config answer must hold: `"dt":"ac"` (iOS uploads nothing until it has one), no kits, no
 * forced settings, so the app's own configuration stands.
 */
const CONFIG = { dbg: false, cue: 'appdefined', cnp: 'appdefined', pmk: ['mp_message', 'alert', 'a', 'message'], soc: 0, oo: false, eks: [], flags: {} };
const CONFIG_ETAG = `"${createHash('sha256').update(JSON.stringify(CONFIG)).digest('hex').slice(0, 32)}"`;

function etagMatches(header: string | string[] | undefined): boolean {
  if (typeof header !== 'string') return false;
  const bare = CONFIG_ETAG.slice(1, -1);
  return header.split(',').some((t) => {
    const v = t.trim().replace(/^W\//, '');
    return v === CONFIG_ETAG || v === bare || v === '*';
  });
}

export async function handleMobile(ctx: MobileContext, req: IncomingMessage, res: ServerResponse, call: MobileCall, apiKey: string, url: URL): Promise<void> {
  switch (call) {
    case 'config':
      if (etagMatches(req.headers['if-none-match'])) {
        res.writeHead(304, { ETag: CONFIG_ETAG });
        res.end();
        return;
      }
      return send(req, res, 200, { dt: 'ac', id: randomUUID(), ct: Date.now(), ...CONFIG }, { ETag: CONFIG_ETAG });
    case 'audience':
      return send(req, res, 200, { audience_memberships: [] });
    case 'events': {
      const body = parseLossless(await readBody(req, ctx.maxBody));
      const endpoint = `${req.method} ${url.pathname}`;
      if (!isMobileUpload(body)) {
        // An Events API batch sent to the mobile path: judge it as it is.
        const ack = await ctx.receiver.ingest(batchesOf(body), { endpoint, source: 'http', api_key: apiKey });
        return send(req, res, 202, ack);
      }
      const t = translateUpload(body, req.headers['user-agent']);
      const ack = await ctx.receiver.ingest([t.batch], { endpoint, source: t.platform, api_key: apiKey }, [
        { raw: body, app: t.app, not_translated: t.not_translated, message_index: t.message_index },
      ]);
      // Android needs a JSON object (an empty body makes it retry forever); no `ci`, so the SDK keeps its cookies and MPID.
      return send(req, res, 202, { dt: 'rh', id: randomUUID(), ct: Date.now(), msgs: [], dataplan: ack });
    }
  }
}
