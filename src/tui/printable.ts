/**
 * Text from the wire made safe for a terminal: control characters (C0, DEL, C1: `ESC ]0;title`,
 * `ESC [2J`, a bare CSI), line and paragraph separators and bidirectional overrides are shown as
 * escapes (`\x1b`, `\n`, `\u202e`) instead of acting on the terminal.
 */
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const UNSAFE_IN_JSON = /[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function escape(ch: string): string {
  const code = ch.charCodeAt(0);
  return NAMED[ch] ?? (code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`);
}

export function printable(s: string): string {
  return s.replace(UNSAFE, escape);
}

/** JSON text for a terminal or a log: JSON.stringify already escapes C0; this escapes the rest (still valid JSON). */
export function printableJson(value: unknown): string {
  return JSON.stringify(value).replace(UNSAFE_IN_JSON, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
