/** The NATS JetStream transport: a durable pull consumer shared by every worker, verdicts stored with de-duplication. */
import { AckPolicy, DeliverPolicy, JetStreamApiCodes, JetStreamApiError, StorageType, jetstream, jetstreamManager, type ConsumerConfig, type JetStreamClient, type JetStreamManager, type JsMsg } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { OutputGone, type Connection, type Feed, type InputMessage, type Sink, type Source } from './transport.js';

export interface NatsWorkerOptions {
  url: string;
  stream: string;
  subject: string;
  durable: string;
  verdicts: string;
  /** Seconds JetStream waits for an ack before redelivering; sets the consumer's ack_wait. */
  ackWait?: number;
  /** Messages to keep buffered in this worker. */
  buffer: number;
}

export interface NatsWorker {
  source: Source;
  sink: Sink;
  connection: Connection;
  /** Things set up or worth knowing, for stderr. */
  notes: string[];
}

const NS = 1_000_000_000;
const DEFAULT_ACK_WAIT = 30;
/** How long a JetStream request (publish ack, API call) may take on a busy server. */
const REQUEST_TIMEOUT_MS = 30_000;

function apiCode(err: unknown): number | undefined {
  return err instanceof JetStreamApiError ? err.code : undefined;
}

async function open(url: string, name: string): Promise<{ nc: NatsConnection; jsm: JetStreamManager; js: JetStreamClient }> {
  let nc: NatsConnection;
  try {
    // noAsyncTraces: a stack trace per request costs more than judging a small batch.
    nc = await connect({ servers: url, name, maxReconnectAttempts: -1, reconnectTimeWait: 500, noAsyncTraces: true });
  } catch (err) {
    throw new Error(`cannot connect to NATS at ${url}: ${(err as Error).message}`, { cause: err });
  }
  try {
    const jsm = await jetstreamManager(nc, { timeout: REQUEST_TIMEOUT_MS });
    return { nc, jsm, js: jetstream(nc, { timeout: REQUEST_TIMEOUT_MS }) };
  } catch (err) {
    await nc.close();
    throw new Error(`${url} has no JetStream (start nats-server with -js): ${(err as Error).message}`, { cause: err });
  }
}

function connection(nc: NatsConnection): Connection {
  return {
    close: async () => {
      if (!nc.isClosed()) await nc.drain();
    },
    closed: async () => (await nc.closed()) ?? undefined,
  };
}

/** The stream that stores `subject`, if any. */
async function streamFor(jsm: JetStreamManager, subject: string): Promise<string | undefined> {
  try {
    return await jsm.streams.find(subject);
  } catch (err) {
    if (apiCode(err) === JetStreamApiCodes.StreamNotFound || /no stream matches subject/i.test((err as Error).message)) return undefined;
    throw err;
  }
}

/** Create stream `name` for `subjects` unless it exists; true when this call created it. Safe when workers race. */
async function ensureStream(jsm: JetStreamManager, name: string, subjects: string[], duplicateWindowS?: number): Promise<boolean> {
  try {
    await jsm.streams.info(name);
    return false;
  } catch (err) {
    if (apiCode(err) !== JetStreamApiCodes.StreamNotFound) throw err;
  }
  try {
    await jsm.streams.add({ name, subjects, storage: StorageType.File, ...(duplicateWindowS ? { duplicate_window: duplicateWindowS * NS } : {}) });
    return true;
  } catch (err) {
    // Another worker created it a moment ago.
    await jsm.streams.info(name).catch(() => {
      throw err;
    });
    return false;
  }
}

async function ensureConsumer(jsm: JetStreamManager, o: NatsWorkerOptions, notes: string[]): Promise<number> {
  const wanted: Partial<ConsumerConfig> = {
    durable_name: o.durable, ack_policy: AckPolicy.Explicit, deliver_policy: DeliverPolicy.All, filter_subject: o.subject,
    ack_wait: (o.ackWait ?? DEFAULT_ACK_WAIT) * NS,
    // Room for many workers, each with its buffer and its verdicts in flight.
    max_ack_pending: 20_000,
  };
  let info;
  try {
    info = await jsm.consumers.info(o.stream, o.durable);
  } catch (err) {
    if (apiCode(err) !== JetStreamApiCodes.ConsumerNotFound) throw err;
    try {
      info = await jsm.consumers.add(o.stream, wanted);
      notes.push(`created durable pull consumer "${o.durable}" on stream ${o.stream} (explicit acks, ack wait ${o.ackWait ?? DEFAULT_ACK_WAIT}s)`);
    } catch (addErr) {
      info = await jsm.consumers.info(o.stream, o.durable).catch(() => {
        throw addErr;
      });
    }
  }
  const c = info.config;
  if (c.deliver_subject) throw new Error(`consumer "${o.durable}" on stream ${o.stream} is a push consumer; workers share a pull consumer: choose another --durable`);
  if (c.ack_policy !== AckPolicy.Explicit) throw new Error(`consumer "${o.durable}" on stream ${o.stream} does not use explicit acks: choose another --durable`);
  const filters = c.filter_subjects ?? (c.filter_subject ? [c.filter_subject] : []);
  if (filters.length > 0 && !(filters.length === 1 && filters[0] === o.subject)) {
    throw new Error(`consumer "${o.durable}" on stream ${o.stream} reads ${filters.join(', ')}, not ${o.subject}: choose another --durable`);
  }
  if (o.ackWait !== undefined && c.ack_wait !== o.ackWait * NS) {
    info = await jsm.consumers.update(o.stream, o.durable, { ack_wait: o.ackWait * NS });
    notes.push(`set ack wait of consumer "${o.durable}" to ${o.ackWait}s`);
  }
  return (info.config.ack_wait ?? DEFAULT_ACK_WAIT * NS) / NS;
}

/** The stream verdicts go to: the one storing --verdicts, else <STREAM>_VERDICTS (created, or given the subject). */
async function ensureVerdictStream(jsm: JetStreamManager, o: NatsWorkerOptions, ackWait: number, notes: string[]): Promise<string> {
  const found = await streamFor(jsm, o.verdicts);
  if (found === o.stream) throw new Error(`verdicts on ${o.verdicts} would be stored in the input stream ${o.stream}: choose a --verdicts subject it does not capture`);
  if (found) return found;
  const name = `${o.stream}_VERDICTS`;
  // Redeliveries come after ack_wait; their verdicts must still fall inside the duplicate window.
  const window = Math.max(120, 4 * ackWait);
  if (await ensureStream(jsm, name, [o.verdicts], window)) {
    notes.push(`created stream ${name} for verdicts on ${o.verdicts} (duplicate window ${window}s)`);
    return name;
  }
  const info = await jsm.streams.info(name);
  const subjects = info.config.subjects ?? [];
  if (!subjects.includes(o.verdicts)) {
    await jsm.streams.update(name, { subjects: [...subjects, o.verdicts] });
    notes.push(`stream ${name} now also stores verdicts on ${o.verdicts}`);
  }
  return name;
}

function inputMessage(m: JsMsg): InputMessage {
  const stream = m.info.stream;
  return {
    stream, seq: m.seq, subject: m.subject, id: `${stream}:${m.seq}`, data: m.data,
    redelivered: m.redelivered, pending: m.info.pending,
    ack: () => m.ack(),
    retry: (delayMs) => m.nak(delayMs),
  };
}

/** Connect a worker: input stream and durable consumer (created if missing), verdict stream (created if missing). */
export async function openNatsWorker(o: NatsWorkerOptions): Promise<NatsWorker> {
  const { nc, jsm, js } = await open(o.url, `dataplan consume ${o.durable}`);
  const notes: string[] = [];
  try {
    if (await ensureStream(jsm, o.stream, [o.subject])) notes.push(`created stream ${o.stream} for subject ${o.subject}`);
    const ackWait = await ensureConsumer(jsm, o, notes);

    const verdictStream = await ensureVerdictStream(jsm, o, ackWait, notes);
    const vinfo = await jsm.streams.info(verdictStream);
    if (vinfo.config.duplicate_window < 2 * ackWait * NS) {
      notes.push(`warning: stream ${verdictStream} drops duplicate verdicts only within ${vinfo.config.duplicate_window / NS}s, less than twice the ack wait (${ackWait}s); raise its duplicate_window`);
    }

    const consumer = await js.consumers.get(o.stream, o.durable);
    let iter: Awaited<ReturnType<typeof consumer.consume>> | undefined;
    let stopped = false;
    const source: Source = {
      describe: `${o.url} stream ${o.stream} (${o.subject}), consumer "${o.durable}"`,
      async *messages() {
        if (stopped) return;
        iter = await consumer.consume({ max_messages: o.buffer });
        if (stopped) iter.stop();
        for await (const m of iter) yield inputMessage(m);
      },
      async lag() {
        const info = await jsm.consumers.info(o.stream, o.durable);
        return info.num_pending;
      },
      stop() {
        stopped = true;
        iter?.stop();
      },
    };
    const target = verdictStream;
    const sink: Sink = {
      describe: `${o.verdicts} (stream ${target})`,
      maxPayload: nc.info?.max_payload ?? 1024 * 1024,
      async store(id, body) {
        try {
          const ack = await js.publish(o.verdicts, body, { msgID: id, expect: { streamName: target } });
          return { duplicate: ack.duplicate };
        } catch (err) {
          // No responders: nothing stores the subject any more (the stream was deleted or changed).
          if ((err as Error).name === 'JetStreamNotEnabled') throw new OutputGone(`no JetStream stream stores ${o.verdicts} any more (it was stream ${target})`, { cause: err });
          throw err;
        }
      },
    };
    return { source, sink, connection: connection(nc), notes };
  } catch (err) {
    await nc.close();
    throw err;
  }
}

export interface NatsFeedOptions {
  url: string;
  subject: string;
  /** Create this stream for the subject when no stream stores it. */
  stream?: string;
}

/** Connect a publisher; the subject must be stored by a stream (or `stream` names one to create). */
export async function openNatsFeed(o: NatsFeedOptions): Promise<{ feed: Feed; connection: Connection; notes: string[] }> {
  const { nc, jsm, js } = await open(o.url, 'dataplan publish');
  const notes: string[] = [];
  try {
    let stream = await streamFor(jsm, o.subject);
    if (!stream && o.stream) {
      if (await ensureStream(jsm, o.stream, [o.subject])) notes.push(`created stream ${o.stream} for subject ${o.subject}`);
      stream = await streamFor(jsm, o.subject);
    }
    if (!stream) throw new Error(`no JetStream stream stores subject ${o.subject}: pass --stream NAME to create one, or start \`dataplan consume\` first (it creates its stream)`);
    if (o.stream && stream !== o.stream) throw new Error(`subject ${o.subject} is stored by stream ${stream}, not ${o.stream}`);
    const target = stream;
    const feed: Feed = {
      describe: `${o.subject} (stream ${target})`,
      maxPayload: nc.info?.max_payload ?? 1024 * 1024,
      async send(data) {
        await js.publish(o.subject, data, { expect: { streamName: target } });
      },
    };
    return { feed, connection: connection(nc), notes };
  } catch (err) {
    await nc.close();
    throw err;
  }
}
