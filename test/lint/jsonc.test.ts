/** tsconfig/jsconfig text read without TypeScript: what editors accept in those files, and nothing more. */
import { describe, expect, it } from 'vitest';
import { parseJsonc } from '../../src/lint/recognize/jsonc.js';

describe('parseJsonc', () => {
  it.each([
    ['line and block comments', '{\n  // paths\n  "a": 1, /* inline */ "b": [2]\n}', { a: 1, b: [2] }],
    ['trailing commas in objects and arrays', '{ "a": [1, 2,], "b": { "c": 3, }, }', { a: [1, 2], b: { c: 3 } }],
    ['a trailing comma before a comment', '{ "a": 1, // last\n}', { a: 1 }],
    ['comment markers and commas inside strings stay', '{ "p": "src/*", "u": "http://x,/*y*/", "q": "a\\"//b" }', { p: 'src/*', u: 'http://x,/*y*/', q: 'a"//b' }],
    ['an unterminated block comment ends the text', '{ "a": 1 } /* never closed', { a: 1 }],
  ])('%s', (_name, text, expected) => {
    expect(parseJsonc(text)).toEqual(expected);
  });

  it('still rejects what is not JSON once comments are gone', () => {
    expect(() => parseJsonc('{ a: 1 }')).toThrow(SyntaxError);
    expect(() => parseJsonc('{ "a": 1,, }')).toThrow(SyntaxError);
  });
});
