/** Names that differ only in case, separators or one typo ("Add to Cart" vs "Add To Cart"). */
import { fold, type PlanPoint } from '../../plan/index.js';
import { attributesOf, describePoint, pointName, type AttributeKind } from '../points.js';
import type { PlanRule } from '../types.js';

export interface NearDuplicateOptions {
  /** Also report event and screen names one edit apart (typos, plurals), not only case/separator variants. */
  closeSpelling: boolean;
  /** Compare attribute names within each data point ("point"), also across the whole plan ("plan"), or not at all ("off"). */
  attributes: 'plan' | 'point' | 'off';
}

type Ids = 'caseOrSpacing' | 'spelling' | 'otherType' | 'attribute' | 'attributeAcross';

/** Optimal-string-alignment distance, bounded: transpositions count as one edit. */
export function osaDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 0; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    let rowMin = Infinity;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2][j - 2] + 1);
      d[i][j] = v;
      rowMin = Math.min(rowMin, v);
    }
    if (rowMin > max) return max + 1;
  }
  return d[a.length][b.length];
}

/** "Step 1" vs "Step 2", "v2" vs "v3": numbered names are deliberate, not typos. */
function differsOnlyInDigits(a: string, b: string): boolean {
  return a.length === b.length && [...a].every((c, i) => c === b[i] || (/\d/.test(c) && /\d/.test(b[i])));
}

export function nearKind(a: string, b: string, closeSpelling: boolean): 'caseOrSpacing' | 'spelling' | undefined {
  if (a === b) return undefined;
  const fa = fold(a);
  const fb = fold(b);
  if (fa === fb) return 'caseOrSpacing';
  if (!closeSpelling || Math.min(fa.length, fb.length) < 6 || differsOnlyInDigits(fa, fb)) return undefined;
  return osaDistance(fa, fb, 1) <= 1 ? 'spelling' : undefined;
}

interface Named {
  point: PlanPoint;
  name: string;
  pointer: string;
  label: string;
}

export const nearDuplicateNames: PlanRule<NearDuplicateOptions, Ids> = {
  id: 'near-duplicate-names',
  meta: {
    description: 'no two event names, screen names or attribute names that differ only in case, separators or a typo',
    messages: {
      caseOrSpacing: '{{kind}} "{{name}}" differs from "{{other}}" ({{where}}) only in case or separators',
      spelling: '{{kind}} "{{name}}" is one edit away from "{{other}}" ({{where}}); a typo?',
      otherType: 'event name "{{name}}" is also planned with custom_event_type "{{otherType}}" (data point {{index}}); one name, two event types',
      attribute: '{{kind}} "{{name}}" differs from "{{other}}" in the same data point only in case or separators',
      attributeAcross: '{{kind}} "{{name}}" is spelled "{{other}}" elsewhere in the plan ({{where}})',
    },
    schema: {
      type: 'object',
      properties: { closeSpelling: { type: 'boolean' }, attributes: { enum: ['plan', 'point', 'off'] } },
      additionalProperties: false,
    },
    defaultOptions: { closeSpelling: true, attributes: 'plan' },
  },
  check(ctx) {
    const points = ctx.version.version.points;
    const byKind: Record<'event_name' | 'screen_name', Named[]> = { event_name: [], screen_name: [] };
    for (const point of points) {
      const n = pointName(point);
      if (n) byKind[n.kind].push({ point, name: n.name, pointer: n.pointer, label: describePoint(point) });
    }
    for (const [kind, list] of Object.entries(byKind)) {
      const word = kind === 'event_name' ? 'event name' : 'screen name';
      for (let j = 1; j < list.length; j++) {
        for (let i = 0; i < j; i++) {
          const a = list[i];
          const b = list[j];
          if (a.name === b.name) {
            if (kind === 'event_name' && a.point.criteria.custom_event_type !== b.point.criteria.custom_event_type) {
              ctx.report({ point: b.point, pointer: b.pointer, messageId: 'otherType', data: { name: b.name, otherType: String(a.point.criteria.custom_event_type), index: a.point.index } });
              break;
            }
            continue; // same key twice: the core's duplicate_match_key
          }
          const near = nearKind(b.name, a.name, ctx.options.closeSpelling);
          if (near) {
            ctx.report({ point: b.point, pointer: b.pointer, messageId: near, data: { kind: word, name: b.name, other: a.name, where: a.label } });
            break;
          }
        }
      }
    }
    if (ctx.options.attributes === 'off') return;
    // First spelling seen of each folded attribute name, per kind family (event/product vs user).
    const canonical = new Map<string, { name: string; label: string }>();
    const family = (k: AttributeKind) => (k === 'user_attribute' ? 'user' : k === 'user_identity' ? 'identity' : 'event');
    for (const point of points) {
      const attrs = attributesOf(point);
      const seenHere = new Map<string, string>();
      for (const a of attrs) {
        if (a.kind === 'user_identity') continue;
        const f = `${a.kind}|${fold(a.name)}`;
        const kind = a.kind.replace('_', ' ');
        const local = seenHere.get(f);
        if (local !== undefined && local !== a.name) {
          ctx.report({ point, pointer: a.pointer, messageId: 'attribute', data: { kind, name: a.name, other: local } });
          continue;
        }
        seenHere.set(f, a.name);
        if (ctx.options.attributes !== 'plan') continue;
        const g = `${family(a.kind)}|${fold(a.name)}`;
        const first = canonical.get(g);
        if (!first) canonical.set(g, { name: a.name, label: describePoint(point) });
        else if (first.name !== a.name) ctx.report({ point, pointer: a.pointer, messageId: 'attributeAcross', data: { kind, name: a.name, other: first.name, where: first.label } });
      }
    }
  },
};
