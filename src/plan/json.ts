import { readFileSync } from 'node:fs';

/** A problem in an input file, located by JSON pointer and/or line:column. */
export class InputError extends Error {
  constructor(
    message: string,
    readonly file: string,
    readonly pointer?: string,
    readonly line?: number,
    readonly column?: number,
  ) {
    super(message);
    this.name = 'InputError';
  }

  /** `file:line:col` or `file#/pointer`, for messages. */
  get where(): string {
    if (this.line !== undefined) return `${this.file}:${this.line}:${this.column ?? 1}`;
    if (this.pointer !== undefined) return `${this.file}#${this.pointer}`;
    return this.file;
  }
}

/** Line and column (1-based) of a character offset. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/**
 * Where JSON text first goes wrong, and what was expected there. V8's own messages often omit the
 * position ("Unexpected token '}'"), so failed parses are re-scanned to find it.
 */
export function jsonSyntaxError(text: string): { offset: number; expected: string } | undefined {
  let p = 0;
  const ws = () => {
    while (p < text.length && (text[p] === ' ' || text[p] === '\n' || text[p] === '\r' || text[p] === '\t')) p++;
  };
  class Stop {
    constructor(readonly expected: string) {}
  }
  const str = () => {
    p++;
    while (p < text.length && text[p] !== '"') {
      const c = text.charCodeAt(p);
      if (c < 0x20) throw new Stop('a closing quote (control characters must be escaped)');
      if (text[p] === '\\') {
        const e = text[p + 1];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(p + 2, p + 6))) throw new Stop('four hex digits after \\u');
          p += 6;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) p += 2;
        else throw new Stop('a valid escape (\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u)');
      } else p++;
    }
    if (p >= text.length) throw new Stop('a closing quote');
    p++;
  };
  const value = (): void => {
    ws();
    const c = text[p];
    if (c === '{') {
      p++;
      ws();
      if (text[p] === '}') return void p++;
      for (;;) {
        ws();
        if (text[p] !== '"') throw new Stop('a double-quoted property name');
        str();
        ws();
        if (text[p] !== ':') throw new Stop("':' after the property name");
        p++;
        value();
        ws();
        if (text[p] === ',') {
          p++;
          continue;
        }
        if (text[p] === '}') return void p++;
        throw new Stop("',' or '}' after the property value");
      }
    }
    if (c === '[') {
      p++;
      ws();
      if (text[p] === ']') return void p++;
      for (;;) {
        value();
        ws();
        if (text[p] === ',') {
          p++;
          continue;
        }
        if (text[p] === ']') return void p++;
        throw new Stop("',' or ']' after the array element");
      }
    }
    if (c === '"') return str();
    const m = /^(?:-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)/.exec(text.slice(p, p + 400));
    if (!m) throw new Stop(p >= text.length ? 'a value (the text ends too early)' : 'a value (object, array, string, number, true, false or null)');
    p += m[0].length;
  };
  try {
    value();
    ws();
    if (p < text.length) throw new Stop('the end of the document (one JSON value per document)');
    return undefined;
  } catch (e) {
    if (e instanceof Stop) return { offset: p, expected: e.expected };
    throw e;
  }
}

/** A JSON.parse failure as an InputError with line:column and what was expected. */
export function jsonError(text: string, file: string, what = 'a JSON document', lineOffset = 0): InputError {
  const found = jsonSyntaxError(text) ?? { offset: text.length, expected: what };
  const { line, column } = lineColumn(text, found.offset);
  const near = text.slice(found.offset, found.offset + 12).split('\n')[0];
  const what2 = near ? `, found ${JSON.stringify(near)}` : found.offset < text.length ? ', found a line break' : ', found the end of the text';
  return new InputError(`invalid JSON: expected ${found.expected}${what2}`, file, undefined, line + lineOffset, column);
}

/** Parse JSON text; a syntax error becomes an InputError with line:column. */
export function parseJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw jsonError(text, file);
  }
}

export function readJsonFile(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'file not found' : code === 'EISDIR' ? 'is a directory, expected a JSON file' : (err as Error).message;
    throw new InputError(`cannot read: ${why}`, file);
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return parseJson(text, file);
}

/** Escape one JSON-pointer segment (RFC 6901). */
export function escapePointer(segment: string | number): string {
  return String(segment).replace(/~/g, '~0').replace(/\//g, '~1');
}

export function unescapePointer(segment: string): string {
  return segment.replace(/~1/g, '/').replace(/~0/g, '~');
}

export function pointer(...segments: (string | number)[]): string {
  return segments.map((s) => '/' + escapePointer(s)).join('');
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Own-property read that treats `__proto__` and friends as plain data. */
export function own(obj: Record<string, unknown>, key: string): unknown {
  return Object.prototype.hasOwnProperty.call(obj, key) ? obj[key] : undefined;
}

export function describeType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return 'an object';
  return `a ${typeof v}`;
}
