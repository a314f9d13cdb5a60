/** Turn a JSON pointer into a line:column in the JSON text it came from (for SARIF and annotations). */
import { lineColumn, unescapePointer } from '../plan/index.js';

/** Position of the value at `ptr` (`#/events/0/data` or `/events/0`), or of the deepest ancestor found. */
export function locatePointer(text: string, ptr: string): { line: number; column: number } {
  const segs = ptr.replace(/^#/, '').split('/').slice(1).map(unescapePointer);
  let pos = skipWs(text, 0);
  let found = pos;
  for (const seg of segs) {
    const ch = text[pos];
    let next = -1;
    if (ch === '{') {
      let p = skipWs(text, pos + 1);
      while (p < text.length && text[p] !== '}') {
        const keyEnd = skipString(text, p);
        const key = safeParse(text.slice(p, keyEnd));
        p = skipWs(text, keyEnd);
        p = skipWs(text, p + 1); // ':'
        if (key === seg) {
          next = p;
          break;
        }
        p = skipWs(text, skipValue(text, p));
        if (text[p] === ',') p = skipWs(text, p + 1);
      }
    } else if (ch === '[') {
      const want = Number(seg);
      let p = skipWs(text, pos + 1);
      for (let i = 0; p < text.length && text[p] !== ']'; i++) {
        if (i === want) {
          next = p;
          break;
        }
        p = skipWs(text, skipValue(text, p));
        if (text[p] === ',') p = skipWs(text, p + 1);
      }
    }
    if (next < 0) break;
    pos = found = next;
  }
  return lineColumn(text, found);
}

function safeParse(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return undefined;
  }
}

function skipWs(t: string, p: number): number {
  while (p < t.length && (t[p] === ' ' || t[p] === '\n' || t[p] === '\r' || t[p] === '\t')) p++;
  return p;
}

function skipString(t: string, p: number): number {
  p++; // opening quote
  while (p < t.length && t[p] !== '"') p += t[p] === '\\' ? 2 : 1;
  return p + 1;
}

function skipValue(t: string, p: number): number {
  const ch = t[p];
  if (ch === '"') return skipString(t, p);
  if (ch === '{' || ch === '[') {
    let depth = 0;
    while (p < t.length) {
      const c = t[p];
      if (c === '"') {
        p = skipString(t, p);
        continue;
      }
      if (c === '{' || c === '[') depth++;
      else if (c === '}' || c === ']') {
        depth--;
        if (depth === 0) return p + 1;
      }
      p++;
    }
    return p;
  }
  while (p < t.length && !',}] \n\r\t'.includes(t[p])) p++;
  return p;
}
