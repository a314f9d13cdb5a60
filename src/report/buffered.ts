/**
 * Output in large writes: a report of 200k events is tens of thousands of small strings, and a
 * write call each costs more than rendering them. What is held is written when it passes 64 KB,
 * when the run yields to the event loop (so piped output still streams), and at the end.
 */
import type { Write } from './types.js';

const LIMIT = 64 * 1024;

export interface Buffered {
  write: Write;
  flush: () => void;
}

export function buffered(out: Write): Buffered {
  let held = '';
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    if (held === '') return;
    const s = held;
    held = '';
    out(s);
  };
  return {
    write(s) {
      held += s;
      if (held.length >= LIMIT) flush();
      else if (!scheduled) {
        scheduled = true;
        setImmediate(flush);
      }
    },
    flush,
  };
}
