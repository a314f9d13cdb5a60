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
