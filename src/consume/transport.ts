/**
 * What `dataplan consume` and `dataplan publish` need from a message system. NATS JetStream
 * implements it (nats.ts); a Kafka or Kinesis adapter would sit beside it and map the same ideas:
 * a group of workers sharing one input, a position per message, a durable verdict output.
 */

/** One input message, as a transport hands it to a worker. */
export interface InputMessage {
  /** Where it is stored: stream (NATS), topic (Kafka) or stream (Kinesis). */
  stream: string;
  /** Its position there: stream sequence, offset, sequence number. Stable across redeliveries. */
  seq: number;
  /** The subject (NATS), key or partition it was published under. */
  subject: string;
  /** A key unique to this message, stable across redeliveries: verdicts are de-duplicated on it. */
  id: string;
  data: Uint8Array;
  /** Delivered before, to this worker or another one. */
  redelivered: boolean;
  /** Messages still waiting for the group after this one, when the transport knows. */
  pending?: number;
  /** Done: never deliver it again. Call only once its verdict is stored. */
  ack(): void;
  /** Not done: deliver it again (to any worker), after `delayMs`. */
  retry(delayMs?: number): void;
}

/** A verdict the output stored, or had already stored (a re-delivered input judged twice). */
export interface Stored {
  duplicate: boolean;
}

/** The input side of a worker: one shared, durable group of workers. */
export interface Source {
  /** A human description for logs: "nats://host:4222 stream EVENTS, consumer workers". */
  readonly describe: string;
  /** Messages for this worker until `stop()`; what was already handed over is still yielded. */
  messages(): AsyncIterable<InputMessage>;
  /** Messages the group has not received yet (consumer lag), when the transport can tell. */
  lag(): Promise<number | undefined>;
  /** Ask for no more messages. */
  stop(): void;
}

/** The output cannot take verdicts at all (nothing stores them): retrying will not help, the worker stops. */
export class OutputGone extends Error {
  override name = 'OutputGone';
}

/** The output side: where verdicts go. Resolves only once the verdict is durably stored. */
export interface Sink {
  readonly describe: string;
  /** Largest message the system takes, in bytes. */
  readonly maxPayload: number;
  store(id: string, body: Uint8Array): Promise<Stored>;
}

/** A publisher for `dataplan publish`: resolves once the message is durably stored. */
export interface Feed {
  readonly describe: string;
  /** Largest message the system takes, in bytes. */
  readonly maxPayload: number;
  send(data: Uint8Array): Promise<void>;
}

/** A live connection; `close` flushes what is buffered. */
export interface Connection {
  close(): Promise<void>;
  /** Resolves when the connection is lost for good (not on a reconnect). */
  closed(): Promise<Error | undefined>;
}
