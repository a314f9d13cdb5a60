/**
 * JSON without precision loss: the iOS SDK sends 64-bit MPIDs as bare numbers (`"mpid": 6504934091054997508`,
 * also inside `smpids`), which JSON.parse would round. Every integer literal outside a string that is
 * not a safe integer is read as its decimal string instead. One linear pass before JSON.parse.
 */
import { parseJsonBody } from '../body.js';

// A string token (skipped whole, so digits inside strings are never touched), or a long integer literal
// that is not part of a fraction or exponent.
const TOKENS = /"[^"\\]*(?:\\.[^"\\]*)*"|(?<![\d.eE+-])-?\d{16,}(?![\d.eE])/g;

export function quoteUnsafeIntegers(text: string): string {
  if (!/\d{16}/.test(text)) return text;
  return text.replace(TOKENS, (tok) => (tok.charCodeAt(0) === 34 || Number.isSafeInteger(Number(tok)) ? tok : `"${tok}"`));
}

/** Parse a request body as JSON, keeping unsafe integers exact (as strings); errors as `parseJsonBody` gives them. */
export function parseLossless(buf: Buffer): unknown {
  const text = buf.toString('utf8');
  const quoted = quoteUnsafeIntegers(text);
  if (quoted === text) return parseJsonBody(buf);
  try {
    return JSON.parse(quoted.charCodeAt(0) === 0xfeff ? quoted.slice(1) : quoted);
  } catch {
    return parseJsonBody(buf); // throws with the position in the text as sent
  }
}
