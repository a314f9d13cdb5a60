/** What the plan's block settings would drop, applied to a copy of the batch. */
import { constants, createWriteStream, lstatSync, mkdirSync, openSync, realpathSync, renameSync, statSync, type Stats, type WriteStream } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { InputError, isObject, own, unescapePointer } from '../plan/index.js';
import type { Violation } from './violation.js';

export interface BlockReport {
  events: number;
  event_attributes: number;
  user_attributes: number;
  user_identities: number;
}

function at(root: unknown, ptr: string): unknown {
  let cur = root;
  for (const raw of ptr.replace(/^#/, '').split('/').slice(1)) {
    const seg = unescapePointer(raw);
    if (Array.isArray(cur)) cur = cur[Number(seg)];
    else if (isObject(cur)) cur = own(cur, seg);
    else return undefined;
  }
  return cur;
}

/** A copy of `batch` with every violation marked `would_block` removed. */
export function applyBlocking(batch: Record<string, unknown>, violations: Violation[]): { batch: Record<string, unknown>; dropped: BlockReport } {
  const out = structuredClone(batch);
  const dropped: BlockReport = { events: 0, event_attributes: 0, user_attributes: 0, user_identities: 0 };
  const dropEvents = new Set<number>();
  const events = Array.isArray(out.events) ? (out.events as unknown[]) : [];
  for (const v of violations) {
    if (!v.would_block) continue;
    switch (v.violation) {
      case 'unplanned_event':
        if (v.event_index !== null) dropEvents.add(v.event_index);
        break;
      case 'unplanned_event_attribute':
      case 'unplanned_product_attribute': {
        const holder = v.event_index === null ? undefined : at(events[v.event_index], v.error_pointer);
        if (isObject(holder) && Object.prototype.hasOwnProperty.call(holder, v.key)) {
          delete holder[v.key];
          dropped.event_attributes++;
        }
        break;
      }
      case 'unplanned_user_attribute': {
        const ua = out.user_attributes;
        if (isObject(ua) && Object.prototype.hasOwnProperty.call(ua, v.key)) {
          delete ua[v.key];
          dropped.user_attributes++;
        }
        break;
      }
      case 'unplanned_user_identity': {
        const bk = v.batch_key ?? v.key;
        const [holder, key] = bk === 'mp_deviceid' ? [out, 'mp_deviceid'] : bk.startsWith('device_info.') ? [out.device_info, bk.slice(12)] : [out.user_identities, bk];
        if (isObject(holder) && Object.prototype.hasOwnProperty.call(holder, key)) {
          delete holder[key];
          dropped.user_identities++;
        }
        break;
      }
    }
  }
  if (dropEvents.size) {
    out.events = events.filter((_, i) => !dropEvents.has(i));
    dropped.events = dropEvents.size;
  }
  return { batch: out, dropped };
}

/**
 * Where `--block --out DIR` writes each input's filtered copy: at the input's path relative to the
 * deepest folder holding all the inputs (`a/x.json` and `b/x.json` stay apart; one file or one
 * folder keeps its own names), stdin as `stdin.ndjson`. Refused (an InputError, before anything is
 * written) when a copy would replace an input, or a path in DIR is a symbolic link.
 */
export function planBlockOutput(dir: string, files: string[]): { root: string; targets: Map<string, string> } {
  mkdirSync(dir, { recursive: true });
  const root = realpathSync(dir);
  const named = files.filter((f) => f !== '-');
  const base = commonDir(named.map((f) => dirname(resolve(f))));
  const inputs = new Map<string, string>();
  for (const f of named) {
    const s = statOrUndefined(f, false);
    if (s) inputs.set(`${s.dev}:${s.ino}`, f);
  }
  const targets = new Map<string, string>();
  const taken = new Map<string, string>();
  for (const f of files) {
    const rel = f === '-' ? 'stdin.ndjson' : relative(base, resolve(f));
    const target = join(root, rel);
    checkNoLinks(root, rel, dir);
    const s = statOrUndefined(target, true);
    const input = s ? inputs.get(`${s.dev}:${s.ino}`) : undefined;
    if (input !== undefined) throw new InputError(`--out would overwrite the input ${input} with its filtered copy; choose an output folder that holds no input`, join(dir, rel));
    const other = taken.get(target);
    if (other !== undefined) throw new InputError(`--out would write the copies of ${other} and ${f} to the same file`, join(dir, rel));
    taken.set(target, f);
    targets.set(f, target);
  }
  return { root, targets };
}

function statOrUndefined(p: string, link: boolean): Stats | undefined {
  try {
    return link ? lstatSync(p) : statSync(p);
  } catch {
    return undefined;
  }
}

function commonDir(dirs: string[]): string {
  if (dirs.length === 0) return process.cwd();
  let common = dirs[0].split(sep);
  for (const d of dirs.slice(1)) {
    const parts = d.split(sep);
    let i = 0;
    while (i < common.length && i < parts.length && common[i] === parts[i]) i++;
    common = common.slice(0, i);
  }
  return common.join(sep) || sep;
}

/** Every existing step from `root` to `rel` is a real folder (the last a file, or absent): no link is followed. */
function checkNoLinks(root: string, rel: string, shown: string): void {
  const parts = rel.split(sep);
  let at = root;
  for (let i = 0; i < parts.length; i++) {
    at = join(at, parts[i]);
    const s = statOrUndefined(at, true);
    if (!s) return;
    const where = join(shown, ...parts.slice(0, i + 1));
    if (s.isSymbolicLink()) throw new InputError('is a symbolic link in the --out folder; dataplan does not write through links', where);
    if (i < parts.length - 1 ? !s.isDirectory() : !s.isFile()) throw new InputError(`is in the way of a filtered copy (expected ${i < parts.length - 1 ? 'a folder' : 'a file'})`, where);
  }
}

/**
 * One filtered copy, written beside its target under a temporary name that did not exist (no link
 * followed, nothing truncated) and renamed over the target when complete.
 */
export class BlockFile {
  private readonly temp: string;
  private readonly stream: WriteStream;

  constructor(readonly target: string, root: string) {
    const rel = relative(root, target);
    checkNoLinks(root, rel, root);
    let at = root;
    for (const part of rel.split(sep).slice(0, -1)) {
      at = join(at, part);
      if (!statOrUndefined(at, true)) mkdirSync(at);
    }
    checkNoLinks(root, rel, root);
    this.temp = `${target}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    const fd = openSync(this.temp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0), 0o644);
    this.stream = createWriteStream('', { fd });
  }

  /** A promise only when the stream is full: await it before writing more. */
  write(text: string): Promise<void> | undefined {
    if (this.stream.write(text)) return undefined;
    return new Promise((res) => this.stream.once('drain', res));
  }

  async close(): Promise<void> {
    await new Promise<void>((res, rej) => this.stream.end((err?: Error | null) => (err ? rej(err) : res())));
    renameSync(this.temp, this.target);
  }
}
