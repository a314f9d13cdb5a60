/** Sets of code points as sorted, disjoint [lo, hi] ranges: enough to ask "can these two overlap?". */

export type CharSet = readonly (readonly [number, number])[];

export const MAX_CP = 0x10ffff;
export const ANY: CharSet = [[0, MAX_CP]];
export const EMPTY: CharSet = [];

export function single(cp: number): CharSet {
  return [[cp, cp]];
}

/** Normalise any list of ranges: sort, merge overlapping and adjacent ones. */
export function union(...sets: CharSet[]): CharSet {
  const all = sets.flat().map(([a, b]) => [Math.min(a, b), Math.max(a, b)] as [number, number]).sort((x, y) => x[0] - y[0]);
  const out: [number, number][] = [];
  for (const r of all) {
    const last = out[out.length - 1];
    if (last && r[0] <= last[1] + 1) last[1] = Math.max(last[1], r[1]);
    else out.push([r[0], r[1]]);
  }
  return out;
}

export function complement(set: CharSet): CharSet {
  const out: [number, number][] = [];
  let next = 0;
  for (const [a, b] of union(set)) {
    if (a > next) out.push([next, a - 1]);
    next = b + 1;
  }
  if (next <= MAX_CP) out.push([next, MAX_CP]);
  return out;
}

export function intersects(x: CharSet, y: CharSet): boolean {
  let i = 0;
  let j = 0;
  while (i < x.length && j < y.length) {
    if (x[i][1] < y[j][0]) i++;
    else if (y[j][1] < x[i][0]) j++;
    else return true;
  }
  return false;
}

const cp = (s: string) => s.codePointAt(0)!;

export const DIGIT: CharSet = [[cp('0'), cp('9')]];
export const WORD: CharSet = union(DIGIT, [[cp('A'), cp('Z')]], [[cp('_'), cp('_')]], [[cp('a'), cp('z')]]);
export const SPACE: CharSet = union(
  [[9, 13]], single(0x20), single(0xa0), single(0x1680), [[0x2000, 0x200a]], [[0x2028, 0x2029]], single(0x202f), single(0x205f), single(0x3000), single(0xfeff),
);
const LINE_TERMINATORS: CharSet = union(single(10), single(13), [[0x2028, 0x2029]]);
/** `.` without the s flag. */
export const DOT: CharSet = complement(LINE_TERMINATORS);

const properties = new Map<string, CharSet | undefined>();

/**
 * The code points `\p{name}` matches, read from V8 itself so its Unicode version is the one
 * JavaScript uses. Undefined for a name V8 does not know. About 10 ms the first time per name.
 */
export function propertySet(name: string): CharSet | undefined {
  if (properties.has(name)) return properties.get(name);
  let set: CharSet | undefined;
  try {
    set = enumerate(new RegExp(`\\p{${name}}+`, 'gu'));
  } catch {
    set = undefined;
  }
  properties.set(name, set);
  return set;
}

/** Runs of code points a global `re` matches, found in one pass over every code point in order. */
function enumerate(re: RegExp): CharSet {
  const parts: string[] = [];
  for (let lo = 0; lo <= MAX_CP; lo += 0x1000) {
    const cps: number[] = [];
    for (let c = lo; c < lo + 0x1000; c++) if (c < 0xd800 || c > 0xdfff) cps.push(c);
    parts.push(String.fromCodePoint(...cps));
  }
  const text = parts.join('');
  const out: [number, number][] = [];
  for (const m of text.matchAll(re)) {
    const first = m[0].codePointAt(0)!;
    const last = m[0].codePointAt(m[0].length - (m[0].length > 1 && m[0].charCodeAt(m[0].length - 1) >= 0xdc00 && m[0].charCodeAt(m[0].length - 1) <= 0xdfff ? 2 : 1))!;
    // Surrogates are not in the text: a run across the gap is two ranges.
    if (first < 0xd800 && last > 0xdfff) out.push([first, 0xd7ff], [0xe000, last]);
    else out.push([first, last]);
  }
  // Lone surrogates are code points too in unicode mode; test them one by one.
  const one = new RegExp(`^(?:${re.source})$`, 'u');
  for (let c = 0xd800; c <= 0xdfff; c++) if (one.test(String.fromCharCode(c))) out.push([c, c]);
  return union(out);
}
