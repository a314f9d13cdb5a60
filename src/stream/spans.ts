/**
 * The top-level elements of a JSON array body, found by scanning bytes before parsing: a request of a
 * million tiny batches is refused without building a million objects, and each batch's size in bytes
 * is known (for the platform's 128 KB notice and the memory budget).
 */

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;

/** JSON whitespace, as a byte or a UTF-16 code unit (undefined past the end: not whitespace). */
export function isSpace(b: number | undefined): boolean {
  return b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;
}

export type Spans =
  /** Not an array (or not JSON we can scan): parse it and see. */
  | { kind: 'single' }
  /** An array: the byte offset and length of each element (stops counting after `max + 1`). */
  | { kind: 'array'; sizes: number[]; starts: number[]; more: boolean };

/** Scan `buf` (UTF-8 JSON). `max`: stop once more than this many elements are seen. */
export function arraySpans(buf: Buffer, max: number): Spans {
  let i = 0;
  if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) i = 3;
  while (i < buf.length && isSpace(buf[i])) i++;
  if (buf[i] !== OPEN_ARRAY) return { kind: 'single' };
  i++;
  const sizes: number[] = [];
  const starts: number[] = [];
  let depth = 1;
  let start = -1;
  for (; i < buf.length; i++) {
    const b = buf[i];
    if (b === QUOTE) {
      if (start < 0) start = i;
      // Jump to the closing quote: one that is not escaped by an odd run of backslashes.
      let j = i;
      for (;;) {
        j = buf.indexOf(QUOTE, j + 1);
        if (j < 0) return { kind: 'single' };
        let k = j - 1;
        while (buf[k] === BACKSLASH) k--;
        if ((j - 1 - k) % 2 === 0) break;
      }
      i = j;
      continue;
    }
    if (isSpace(b)) continue;
    if (b === OPEN_ARRAY || b === OPEN_OBJECT) {
      if (depth === 1 && start < 0) start = i;
      depth++;
      continue;
    }
    if (b === CLOSE_ARRAY || b === CLOSE_OBJECT) {
      depth--;
      if (depth === 0) {
        if (start >= 0) {
          sizes.push(i - start);
          starts.push(start);
        }
        return { kind: 'array', sizes, starts, more: false };
      }
      continue;
    }
    if (depth === 1 && b === COMMA) {
      sizes.push(start < 0 ? 0 : i - start);
      starts.push(start < 0 ? i : start);
      start = -1;
      if (sizes.length > max) return { kind: 'array', sizes, starts, more: true };
      continue;
    }
    if (depth === 1 && start < 0) start = i;
  }
  return { kind: 'single' };
}
