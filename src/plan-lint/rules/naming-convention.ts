/** Names follow the team's casing, per kind: event names, screen names, attribute names. */
import { CASINGS, matchesCasing, toCasing, type Casing } from '../casing.js';
import { attributesOf, pointName, type AttributeKind, type NameKind } from '../points.js';
import type { PlanRule } from '../types.js';

type Convention = Casing | { pattern: string; description?: string } | null;

export interface NamingOptions {
  event_name: Convention;
  screen_name: Convention;
  event_attribute: Convention;
  product_attribute: Convention;
  user_attribute: Convention;
  /** Regular expressions; names matching any are not checked (reserved `$` user attributes by default). */
  ignore: string[];
}

const KIND_WORDS: Record<NameKind | AttributeKind, string> = {
  event_name: 'event name', screen_name: 'screen name', event_attribute: 'event attribute',
  product_attribute: 'product attribute', user_attribute: 'user attribute', user_identity: 'user identity',
};

const convention = { anyOf: [{ enum: [...CASINGS] }, { type: 'null' }, { type: 'object', properties: { pattern: { type: 'string', format: 'regex' }, description: { type: 'string' } }, required: ['pattern'], additionalProperties: false }] };

export const namingConvention: PlanRule<NamingOptions, 'casing' | 'pattern'> = {
  id: 'naming-convention',
  meta: {
    description: 'event names, screen names and attribute names follow a casing (per kind, configurable)',
    messages: {
      casing: '{{kind}} "{{name}}" is not {{casing}} (expected e.g. "{{suggestion}}")',
      pattern: '{{kind}} "{{name}}" does not match the naming pattern {{pattern}}{{why}}',
    },
    schema: {
      type: 'object',
      properties: {
        event_name: convention, screen_name: convention, event_attribute: convention, product_attribute: convention, user_attribute: convention,
        ignore: { type: 'array', items: { type: 'string', format: 'regex' } },
      },
      additionalProperties: false,
    },
    defaultOptions: {
      event_name: 'Title Case', screen_name: 'Title Case', event_attribute: 'snake_case', product_attribute: 'snake_case', user_attribute: 'snake_case',
      ignore: ['^\\$'],
    },
  },
  check(ctx) {
    const o = ctx.options;
    const ignore = o.ignore.map((p) => new RegExp(p, 'u'));
    const check = (kind: NameKind | AttributeKind, name: string, pointer: string, point: Parameters<typeof ctx.report>[0]['point']) => {
      if (kind === 'user_identity') return; // identity names are fixed by IDSync
      const conv = o[kind];
      if (!conv || ignore.some((r) => r.test(name))) return;
      if (typeof conv === 'string') {
        if (!matchesCasing(name, conv)) ctx.report({ point, pointer, messageId: 'casing', data: { kind: KIND_WORDS[kind], name, casing: conv, suggestion: toCasing(name, conv) } });
      } else if (!new RegExp(conv.pattern, 'u').test(name)) {
        ctx.report({ point, pointer, messageId: 'pattern', data: { kind: KIND_WORDS[kind], name, pattern: `/${conv.pattern}/`, why: conv.description ? ` (${conv.description})` : '' } });
      }
    };
    for (const point of ctx.version.version.points) {
      const n = pointName(point);
      if (n) check(n.kind, n.name, n.pointer, point);
      for (const a of attributesOf(point)) check(a.kind, a.name, a.pointer, point);
    }
  },
};
