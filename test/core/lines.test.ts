// The byte-level line reader under validate: any chunking gives the same lines, limits and errors.
import { describe, expect, it } from 'vitest';
import { LineSplitter, badUtf8, depthOffset, parseNested, type RawLine } from '../../src/validate/lines.js';

function split(input: Buffer, chunk: number, maxLine: number): string[] {
  const s = new LineSplitter(maxLine);
  const out: RawLine[] = [];
  for (let i = 0; i < input.length; i += chunk) out.push(...s.push(input.subarray(i, i + chunk)));
  out.push(...s.end());
  return out.map((l) => `${l.line}@${l.offset}:${'bytes' in l ? l.bytes.toString('latin1') : 'TOO LONG'}`);
}

describe('LineSplitter', () => {
  const text = Buffer.from('ab\r\n\ncdefghij\nk\r\nlmnopqrstuvwxyz\nend');
  const expected = ['1@0:ab', '2@4:', '3@5:cdefghij', '4@14:k', '5@17:TOO LONG', '6@33:end'];
  for (const chunk of [1, 2, 3, 5, 7, 64]) {
    it(`cuts the same lines in chunks of ${chunk} bytes, dropping the one over the limit`, () => {
      expect(split(text, chunk, 10)).toEqual(expected);
    });
  }
  it('a final line over the limit without a newline is reported once', () => {
    expect(split(Buffer.from('x'.repeat(50)), 7, 10)).toEqual(['1@0:TOO LONG']);
  });
});

describe('badUtf8', () => {
  const cases: number[][] = [
    [0x61], [0xc3, 0xa9], [0xe2, 0x82, 0xac], [0xf0, 0x9f, 0x98, 0x80], [0xef, 0xbb, 0xbf], // valid
    [0xff], [0xc0, 0x80], [0xc3], [0xe0, 0x80, 0x80], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xf0, 0x9f, 0x98], [0x80], [0xc3, 0x28], [0xf5, 0x80, 0x80, 0x80],
  ];
  it('agrees with a fatal TextDecoder and points at the first bad sequence', () => {
    for (const c of cases) {
      const b = Buffer.from([0x61, 0x62, ...c, 0x63]);
      let valid = true;
      try {
        new TextDecoder('utf-8', { fatal: true }).decode(b);
      } catch {
        valid = false;
      }
      expect(badUtf8(b), c.map((x) => x.toString(16)).join(' ')).toBe(valid ? -1 : 2);
    }
  });
});

describe('nesting limit', () => {
  it('parses up to 1000 levels and refuses the 1001st, locating it', () => {
    expect('value' in parseNested('['.repeat(1000) + ']'.repeat(1000))).toBe(true);
    const deep = parseNested('{"a":"[[[","b":' + '['.repeat(1000) + ']'.repeat(1000) + '}');
    expect(deep).toEqual({ error: expect.stringMatching(/nested deeper than 1000 levels/), offset: 15 + 999 });
    expect(depthOffset('['.repeat(5000))).toBe(1000);
  });

  it('counts objects and arrays together, and brackets inside strings do not make a batch too deep', () => {
    const mixed = (objects: number, arrays: number) => '{"a":'.repeat(objects) + '['.repeat(arrays) + ']'.repeat(arrays) + '}'.repeat(objects);
    expect('value' in parseNested(mixed(600, 400))).toBe(true);
    expect(parseNested(mixed(600, 401))).toEqual({ error: expect.stringMatching(/nested deeper than 1000 levels/), offset: 5 * 600 + 400 });
    // 1,500 brackets, all inside a string: shallow.
    expect('value' in parseNested(JSON.stringify({ text: '{['.repeat(750), pad: 'x'.repeat(2000) }))).toBe(true);
  });
});
