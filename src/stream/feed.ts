/**
 * Fan-out to feed viewers. Each message is serialised and framed once; every tick the frames queued
 * so far go to each viewer as one shared buffer (one write per viewer, however many messages), so
 * viewers cost ingest almost nothing. A viewer that falls `feedLimit` behind misses messages and is
 * told how many once it catches up; when all viewers together fall `feedBudget` behind, the slowest
 * are dropped first.
 */
import type { Writable } from 'node:stream';
import type { WebSocket } from 'ws';
import type { FeedMessage } from './types.js';

/** A WebSocket text frame as a server sends it (unmasked). */
export function textFrame(text: string): Buffer {
  const n = Buffer.byteLength(text);
  const head = n < 126 ? 2 : n < 65536 ? 4 : 10;
  const out = Buffer.allocUnsafe(head + n);
  out[0] = 0x81;
  if (n < 126) out[1] = n;
  else if (n < 65536) {
    out[1] = 126;
    out.writeUInt16BE(n, 2);
  } else {
    out[1] = 127;
    out.writeBigUInt64BE(BigInt(n), 2);
  }
  out.write(text, head, 'utf8');
  return out;
}

/** Queued frames past this many bytes are sent at once rather than at the end of the tick. */
const FLUSH_BYTES = 256 * 1024;

interface Viewer {
  ws: WebSocket;
  socket: Writable;
  dropped: number;
  waiting: boolean;
}

export interface FeedLimits {
  feedLimit: number;
  feedBudget: number;
  maxViewers: number;
}

export class FeedHub {
  private readonly viewers = new Set<Viewer>();
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private scheduled = false;
  /** Viewers dropped for being the slowest. */
  cut = 0;

  constructor(private readonly l: FeedLimits) {}

  get size(): number {
    return this.viewers.size;
  }

  get full(): boolean {
    return this.viewers.size >= this.l.maxViewers;
  }

  /** Queue a message for every viewer (nothing to do when nobody watches). */
  readonly publish = (m: FeedMessage): void => {
    if (this.viewers.size === 0) return;
    const frame = textFrame(JSON.stringify(m));
    this.pending.push(frame);
    this.pendingBytes += frame.length;
    // A burst with no pause in between is sent in pieces, so the queue itself stays small.
    if (this.pendingBytes >= FLUSH_BYTES) return this.flush();
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
  };

  /** Send what is queued: one buffer, written to each viewer. */
  flush(): void {
    this.scheduled = false;
    if (this.pending.length === 0) return;
    const n = this.pending.length;
    const chunk = n === 1 ? this.pending[0] : Buffer.concat(this.pending);
    this.pending = [];
    this.pendingBytes = 0;
    for (const v of this.viewers) this.offer(v, chunk, n);
    this.trim();
  }

  private offer(v: Viewer, chunk: Buffer, n: number): void {
    if (v.socket.destroyed || v.ws.readyState !== v.ws.OPEN) return;
    if (v.socket.writableLength <= this.l.feedLimit) {
      v.socket.write(chunk);
      return;
    }
    v.dropped += n;
    if (v.waiting) return;
    v.waiting = true;
    // Once it has caught up, tell it how much it missed (even if nothing new arrives).
    v.socket.once('drain', () => {
      v.waiting = false;
      if (v.dropped > 0 && !v.socket.destroyed) v.socket.write(textFrame(JSON.stringify({ type: 'lagged', dropped: v.dropped })));
      v.dropped = 0;
    });
  }

  /** All viewers together too far behind: drop the slowest until the rest fit. */
  private trim(): void {
    let total = 0;
    for (const v of this.viewers) total += v.socket.writableLength;
    if (total <= this.l.feedBudget) return;
    const slowest = [...this.viewers].sort((a, b) => b.socket.writableLength - a.socket.writableLength);
    for (const v of slowest) {
      if (total <= this.l.feedBudget) break;
      total -= v.socket.writableLength;
      this.viewers.delete(v);
      this.cut++;
      v.ws.terminate();
    }
  }

  /** Add a viewer: first `greeting` (hello, backlog) to it alone, then everything published from now on. */
  join(ws: WebSocket, socket: Writable, greeting: Buffer[]): void {
    // Messages queued before this viewer joined are already in its greeting's counts.
    this.flush();
    const v: Viewer = { ws, socket, dropped: 0, waiting: false };
    if (greeting.length) socket.write(greeting.length === 1 ? greeting[0] : Buffer.concat(greeting));
    this.viewers.add(v);
    const leave = () => this.viewers.delete(v);
    ws.on('close', leave);
    ws.on('error', leave);
  }

  close(): void {
    for (const v of this.viewers) v.ws.terminate();
    this.viewers.clear();
    this.pending = [];
    this.pendingBytes = 0;
  }
}
