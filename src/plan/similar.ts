/** Edit distance (Levenshtein), bounded: returns max+1 as soon as it is exceeded. */
export function editDistance(a: string, b: string, max = Infinity): number {
  if (a === b) return 0;
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev = new Array<number>(b.length + 1);
  let cur = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    let rowMin = cur[0];
    for (let j = 1; j <= b.length; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
      if (cur[j] < rowMin) rowMin = cur[j];
    }
    if (rowMin > max) return max + 1;
    [prev, cur] = [cur, prev];
  }
  return prev[b.length];
}

/** Lower-case and drop spaces, `_`, `-` and `.`: "Add To Cart", "add_to_cart" and "addToCart" fold together. */
export function fold(s: string): string {
  return s.toLowerCase().replace(/[\s_.-]+/g, '');
}

export type Nearness = 'case_or_spacing' | 'close_spelling';

/** How close `candidate` is to `wanted`, or undefined when it is not a plausible near-miss. */
export function nearness(wanted: string, candidate: string): Nearness | undefined {
  if (wanted === candidate) return undefined;
  const fw = fold(wanted);
  const fc = fold(candidate);
  if (fw === fc) return 'case_or_spacing';
  const limit = fw.length <= 4 ? 1 : fw.length <= 12 ? 2 : 3;
  if (editDistance(fw, fc, limit) <= limit) return 'close_spelling';
  return undefined;
}

/** The best near-miss for `wanted` among `candidates` (case/spacing first, then fewest edits). */
export function closest(wanted: string, candidates: Iterable<string>): { value: string; nearness: Nearness } | undefined {
  let best: { value: string; nearness: Nearness; d: number } | undefined;
  const fw = fold(wanted);
  for (const c of candidates) {
    const n = nearness(wanted, c);
    if (!n) continue;
    const d = n === 'case_or_spacing' ? -1 : editDistance(fw, fold(c));
    if (!best || d < best.d) best = { value: c, nearness: n, d };
  }
  return best && { value: best.value, nearness: best.nearness };
}
