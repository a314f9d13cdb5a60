/**
 * SDK call → the batch event (or attribute map) the SDK would send, as a tree of static values.
 * Mirrors the web SDK's converter (sdkToEventsApiConverter) and the Node SDK's models (spec: sdk-calls.md §2–§4, §8).
 */
import type { TSESTree } from '@typescript-eslint/types';
import {
  CUSTOM_EVENT_TYPE_BY_NUMBER, EVENT_TYPE, PRODUCT_ACTION_BY_NUMBER, PRODUCT_ACTION_TYPE, PROMOTION_TYPE, customEventType,
} from './sdk.js';
import type { CallKind, Node, SdkProblem, WrapperSetting } from './types.js';
import {
  assignedProps, evaluate, member, obj, prim, sanitizeAmountVal, sanitizeAttributes, unknown,
  type AltVal, type Env, type FileCtx, type ObjVal, type Prop, type Val,
} from './values.js';

/** One event or attribute map an SDK call produces, before it is located in the linted file. */
export interface Built {
  kind: CallKind;
  sdk: 'web' | 'node';
  method: string;
  /** What the SDK sends: an object, except for a Node `batch.user_attributes = …` that assigns something else. */
  payload: Val;
  /** Pointers whose values form the match key: when one is unknown, the event cannot be matched. */
  keyParts: string[];
  /** The event cannot be matched at all (a Node CommerceEvent with nothing set on it). */
  unmatchable?: boolean;
  problems: Array<Omit<SdkProblem, 'node'> & { at?: Val }>;
}

type Args = Val[];

function p(val: Val | undefined, node?: Node, ctx?: FileCtx): Prop {
  return { val: val ?? prim(undefined), node: node ?? val?.node, ctx: ctx ?? val?.ctx };
}

function record(entries: Array<[string, Prop | undefined]>): ObjVal {
  const props = new Map<string, Prop>();
  for (const [k, v] of entries) if (v && !(v.val.k === 'prim' && v.val.v === undefined)) props.set(k, v);
  return obj(props);
}

function isMissing(v: Val | undefined): boolean {
  return !v || (v.k === 'prim' && v.v === undefined);
}

function evalArgs(c: TSESTree.CallExpression | TSESTree.NewExpression, ctx: FileCtx, env: Env): Args {
  return c.arguments.map((a) => (a.type === 'SpreadElement' ? unknown('arguments are spread', { node: a, ctx }) : evaluate(a, ctx, env)));
}

/**
 * `prop(i)`: the value of argument i with the node it was written at (for a value chosen among alternatives, the
 * branch it was written in, with the argument as the fallback).
 */
function argsFrom(c: TSESTree.CallExpression | TSESTree.NewExpression, ctx: FileCtx, vals: Args): { vals: Args; prop: (i: number, v?: Val) => Prop | undefined } {
  return {
    vals,
    prop: (i, v) => {
      const val = v ?? vals[i];
      if (!c.arguments[i]) return v ? p(v) : undefined;
      if (val?.chosen && val.node) return { val, node: val.node, ctx: val.ctx, via: c.arguments[i], viaCtx: ctx };
      return p(val, c.arguments[i], ctx);
    },
  };
}

/** At most this many combinations of alternatives are checked for one call; the rest stay unknown. */
const MAX_COMBINATIONS = 16;

/**
 * Every combination of the alternatives in a call's arguments (`logEvent(c ? 'A' : 'B', …)` is two calls).
 * Alternatives with the same test choose together.
 */
export function combinations(vals: Val[]): Val[][] {
  const groups = new Map<string | AltVal, AltVal[]>();
  const seen = new Set<Val>();
  const collect = (v: Val, depth: number): void => {
    if (depth > 30 || seen.has(v)) return;
    seen.add(v);
    if (v.k === 'alt') {
      const key = v.test !== undefined ? `${v.test}#${v.options.length}` : v;
      let list = groups.get(key);
      if (!list) groups.set(key, (list = []));
      list.push(v);
      for (const o of v.options) collect(o, depth + 1);
    } else if (v.k === 'obj') for (const pr of v.props.values()) collect(pr.val, depth + 1);
    else if (v.k === 'arr') for (const x of v.items) collect(x, depth + 1);
  };
  for (const v of vals) collect(v, 0);
  if (groups.size === 0) return [vals];
  const keys = [...groups.keys()];
  const sizes = keys.map((k) => groups.get(k)![0].options.length);
  let count = 1;
  let kept = 0;
  while (kept < keys.length && count * sizes[kept] <= MAX_COMBINATIONS) count *= sizes[kept++];
  const choiceOf = new Map<AltVal, number>();
  const out: Val[][] = [];
  for (let n = 0; n < count; n++) {
    let rest = n;
    for (let i = 0; i < kept; i++) {
      for (const a of groups.get(keys[i])!) choiceOf.set(a, rest % sizes[i]);
      rest = Math.floor(rest / sizes[i]);
    }
    out.push(vals.map((v) => choose(v, choiceOf, 0)));
  }
  return out;
}

function choose(v: Val, choice: Map<AltVal, number>, depth: number): Val {
  if (depth > 30) return v;
  switch (v.k) {
    case 'alt': {
      const i = choice.get(v);
      if (i === undefined) return unknown(`it is one of ${v.options.length} values`, v, v.param ? { param: v.param } : undefined);
      const o = choose(v.options[i], choice, depth + 1);
      return { ...o, ...(o.node ? { chosen: true } : {}), ...(v.param ? { fromParam: v.param } : {}) };
    }
    case 'obj': {
      let changed = false;
      const props = new Map<string, Prop>();
      for (const [k, pr] of v.props) {
        const val = choose(pr.val, choice, depth + 1);
        if (val !== pr.val) changed = true;
        props.set(k, val === pr.val ? pr : { ...pr, val });
      }
      return changed ? { ...v, props } : v;
    }
    case 'arr': {
      const items = v.items.map((x) => choose(x, choice, depth + 1));
      return items.some((x, i) => x !== v.items[i]) ? { ...v, items } : v;
    }
    default:
      return v;
  }
}

const WEB_EVENT_TYPE_MEMBERS = Object.keys(EVENT_TYPE);

/** EventType argument → batch custom_event_type (web semantics: falsy is Unknown, anything else not in the enum drops the event). */
function webEventType(v: Val | undefined, problems: Built['problems'], fallback = 0): Val {
  if (isMissing(v) || (v!.k === 'prim' && !v!.v)) return { ...(v ?? prim(undefined)), k: 'prim', v: CUSTOM_EVENT_TYPE_BY_NUMBER[fallback && isMissing(v) ? fallback : 0] } as Val;
  if (v!.k === 'unknown') {
    // A member that does not exist is undefined, which the SDK replaces (logEvent: Unknown; logLink/logForm: Other).
    if (v!.bad) problems.push(badProblem(v!, '#/data/custom_event_type', 'web', `so the SDK sends the event as EventType.${WEB_EVENT_TYPE_MEMBERS[fallback]}`));
    return v!;
  }
  if (v!.k === 'prim' && typeof v!.v === 'number' && CUSTOM_EVENT_TYPE_BY_NUMBER[v!.v]) return { ...v!, v: CUSTOM_EVENT_TYPE_BY_NUMBER[v!.v] };
  if (v!.k === 'prim') {
    problems.push({
      pointer: '#/data/custom_event_type', code: 'invalid_enum_value', enumName: 'EventType', actual: JSON.stringify(v!.v), at: v,
      message: `${JSON.stringify(v!.v)} is not an mParticle.EventType (${WEB_EVENT_TYPE_MEMBERS.map((m, i) => `${m} = ${i}`).join(', ')}): the SDK drops this event`,
    });
    return unknown('the event type is not an EventType', v);
  }
  return unknown('the event type is not a constant', v);
}

function badProblem(v: Val & { k: 'unknown' }, pointer: string, sdk: 'web' | 'node' = 'web', what?: string): Built['problems'][number] {
  const b = v.bad!;
  const effect = what ?? (sdk === 'web' ? 'so the SDK drops this event' : `so the event is sent without ${pointer.split('/').pop()}`);
  return {
    pointer, code: 'invalid_enum_member', enumName: b.enumName, actual: b.actual, suggestion: b.suggestion, at: v,
    message: `${b.enumName}.${b.actual} does not exist (undefined at run time), ${effect}${b.suggestion ? `; did you mean ${b.enumName}.${b.suggestion}?` : ''}`,
  };
}

function nameValue(v: Val | undefined, pointer: string, what: string, problems: Built['problems']): Val {
  if (v?.k === 'prim' && typeof v.v !== 'string') {
    problems.push({ pointer, code: 'invalid_argument', actual: JSON.stringify(v.v), at: v, message: `the ${what} must be a string, got ${JSON.stringify(v.v)}: the SDK drops this event` });
    return unknown(`the ${what} is not a string`, v);
  }
  if (!v) return unknown(`no ${what} is given`);
  if (v.k !== 'prim' && v.k !== 'unknown') return unknown(`the ${what} is not a string`, v);
  return v;
}

/** The web SDK logs an error and drops a custom event without a name (`mParticle.logEvent()`). */
function noName(c: TSESTree.CallExpression, ctx: FileCtx): Built['problems'][number] {
  return { pointer: '#/data/event_name', code: 'invalid_argument', at: unknown('no event name is given', { node: c, ctx }), message: 'the event has no name: the SDK drops this event (logEvent needs the event name as its first argument)' };
}

function customEvent(method: string, name: Prop, type: Val, attrs: Prop | undefined, flags: Prop | undefined, problems: Built['problems'], typeNode?: Prop): Built {
  const data = record([
    ['event_name', name],
    ['custom_event_type', { ...(typeNode ?? p(type)), val: type }],
    ['custom_flags', flags && !isMissing(flags.val) ? flags : p(obj())],
    ['custom_attributes', attrs && !isMissing(attrs.val) ? { ...attrs, val: sanitizeAttributes(attrs.val) } : attrs?.node ? { ...attrs, val: prim(null) } : p(prim(null))],
  ]);
  return {
    kind: 'custom_event', sdk: 'web', method, problems,
    payload: record([['event_type', p(prim('custom_event'))], ['data', p(data)]]),
    keyParts: ['#/data/event_name', '#/data/custom_event_type'],
  };
}

function screenView(method: string, name: Prop, attrs: Prop | undefined, flags: Prop | undefined, problems: Built['problems'], sdk: 'web' | 'node' = 'web'): Built {
  // logPageView without attributes sends the page's hostname and title.
  const attributes = attrs && !isMissing(attrs.val)
    ? { ...attrs, val: sanitizeAttributes(attrs.val) }
    : sdk === 'web'
      ? p(record([['hostname', p(unknown('location.hostname at run time'))], ['title', p(unknown('document.title at run time'))]]))
      : undefined;
  const data = record([
    ['screen_name', name],
    ['custom_flags', flags && !isMissing(flags.val) ? flags : sdk === 'web' ? p(obj()) : undefined],
    ['custom_attributes', attributes],
  ]);
  return { kind: 'screen_view', sdk, method, problems, payload: record([['event_type', p(prim('screen_view'))], ['data', p(data)]]), keyParts: ['#/data/screen_name'] };
}

/** Web product (`createProduct(...)` or `{ Name, Sku, … }`) → Events API product. */
function webProduct(v: Val): Val {
  if (v.k !== 'obj') return v;
  const g = (k: string) => v.props.get(k);
  const attrs = g('Attributes');
  return {
    ...record([
      ['id', g('Sku')], ['name', g('Name')], ['brand', g('Brand')], ['category', g('Category')], ['variant', g('Variant')],
      ['total_product_amount', g('TotalAmount')], ['position', g('Position')], ['price', g('Price')], ['quantity', g('Quantity')],
      ['coupon_code', g('CouponCode')], ['custom_attributes', attrs ? { ...attrs, val: sanitizeAttributes(attrs.val) } : undefined],
    ]),
    node: v.node, ctx: v.ctx, open: v.open,
  };
}

/** A product or an array of products → array of Events API products. */
function webProducts(v: Val | undefined, convert: (x: Val) => Val = webProduct): Val | undefined {
  if (isMissing(v)) return undefined;
  if (v!.k === 'arr') return { ...v!, items: v!.items.map(convert) };
  if (v!.k === 'unknown') return v;
  return { k: 'arr', items: [convert(v!)], node: v!.node, ctx: v!.ctx };
}

/**
 * A product_action whose transaction attributes are not known statically may hold any of their
 * fields: keep it open, so nothing is reported missing that the value may well carry.
 */
function withTransaction(pa: ObjVal, t: Val | undefined): ObjVal {
  if (!t || isMissing(t)) return pa;
  if (t.k === 'unknown') {
    return { ...pa, open: [...pa.open, `the transaction attributes are not known statically (${t.reason})`], openParam: t.param, openAt: t.node ? { node: t.node, ctx: t.ctx } : undefined };
  }
  return t.k === 'obj' && t.open.length ? { ...pa, open: [...pa.open, ...t.open], openParam: t.openParam, openAt: t.openAt } : pa;
}

/** Transaction attributes (PascalCase) → product_action fields; the SDK converts the amounts it finds with sanitizeAmount. */
function transactionFields(t: Val | undefined): Array<[string, Prop | undefined]> {
  if (!t || t.k !== 'obj') return [];
  const g = (k: string) => t.props.get(k);
  const amount = (k: string) => {
    const a = g(k);
    return a && { ...a, val: sanitizeAmountVal(a.val) };
  };
  return [
    ['transaction_id', g('Id')], ['affiliation', g('Affiliation')], ['coupon_code', g('CouponCode')], ['total_amount', amount('Revenue')],
    ['shipping_amount', amount('Shipping')], ['tax_amount', amount('Tax')], ['checkout_step', g('Step')], ['checkout_options', g('Option')],
  ];
}

/** logProductAction runs each product's amounts that are set (truthy) through sanitizeAmount before sending. */
function sanitizedProduct(v: Val): Val {
  if (v.k !== 'obj') return webProduct(v);
  let props: Map<string, Prop> | undefined;
  for (const k of ['TotalAmount', 'Position', 'Price', 'Quantity']) {
    const a = v.props.get(k);
    // A value not known statically may be falsy (left as it is) or not: it stays unknown either way.
    if (!a || (a.val.k === 'prim' && !a.val.v)) continue;
    props ??= new Map(v.props);
    props.set(k, { ...a, val: sanitizeAmountVal(a.val) });
  }
  return webProduct(props ? { ...v, props } : v);
}

function commerce(kind: CallKind, method: string, sdk: 'web' | 'node', fields: Array<[string, Prop | undefined]>, problems: Built['problems'], keyPart: string | undefined): Built & { payload: ObjVal } {
  const data = record(fields);
  return { kind, sdk, method, problems, payload: record([['event_type', p(prim('commerce_event'))], ['data', p(data)]]), keyParts: keyPart ? [keyPart] : [] };
}

/**
 * A commerce call's custom attributes. Absent ones are located at the SDK call itself: through a wrapper that
 * omits them, that is the wrapper's body, where the problem is reported once (not at every call site).
 */
function attrsProp(a: Prop | undefined, call: Node, ctx: FileCtx): Prop {
  return a && !isMissing(a.val) ? { ...a, val: sanitizeAttributes(a.val) } : a?.node ? { ...a, val: prim(null) } : p(prim(null), call, ctx);
}

function productActionType(v: Val | undefined, problems: Built['problems']): Val {
  if (isMissing(v) || (v!.k === 'prim' && !v!.v)) return { ...(v ?? prim(undefined)), k: 'prim', v: 'unknown' } as Val;
  if (v!.k === 'unknown') {
    if (v!.bad) problems.push(badProblem(v!, '#/data/product_action/action'));
    return v!;
  }
  if (v!.k === 'prim' && typeof v!.v === 'number') {
    if (PRODUCT_ACTION_BY_NUMBER[v!.v]) return { ...v!, v: PRODUCT_ACTION_BY_NUMBER[v!.v] };
    if (v!.v >= 11 && v!.v <= 18) return { ...v!, v: 'unknown' };
  }
  problems.push({
    pointer: '#/data/product_action/action', code: 'invalid_enum_value', enumName: 'ProductActionType', actual: JSON.stringify((v as { v?: unknown }).v), at: v,
    message: `${JSON.stringify((v as { v?: unknown }).v)} is not an mParticle.ProductActionType (${Object.entries(PRODUCT_ACTION_TYPE).map(([m, n]) => `${m} = ${n}`).join(', ')}): the SDK drops this event`,
  });
  return unknown('the product action is not a ProductActionType', v);
}

function promotionType(v: Val | undefined, problems: Built['problems']): Val {
  if (v?.k === 'unknown') {
    if (v.bad) problems.push(badProblem(v, '#/data/promotion_action/action'));
    return v;
  }
  if (v?.k === 'prim' && (v.v === 1 || v.v === 2)) return v;
  const shown = v?.k === 'prim' ? JSON.stringify(v.v) : 'nothing';
  problems.push({
    pointer: '#/data/promotion_action/action', code: 'invalid_enum_value', enumName: 'PromotionType', actual: shown, at: v,
    message: `${shown} is not a promotion action a plan can match (mParticle.PromotionType.PromotionView = ${PROMOTION_TYPE.PromotionView} or PromotionClick = ${PROMOTION_TYPE.PromotionClick})`,
  });
  return unknown('the promotion type is not PromotionView or PromotionClick', v);
}

function attributeMap(kind: CallKind, method: string, entries: Array<{ key: Val; keyNode?: Node; value: Prop }>, ctx: FileCtx, problems: Built['problems']): Built {
  const props = new Map<string, Prop>();
  const open: string[] = [];
  let openAt: Node | undefined;
  let openParam: AltVal['param'];
  for (const e of entries) {
    if (e.key.k === 'prim' && (typeof e.key.v === 'string' || typeof e.key.v === 'number')) {
      // A name passed in by a wrapper's call site is written there (its literal), not at the wrapper's argument.
      props.set(String(e.key.v), { ...e.value, key: e.key.viaArg ? undefined : e.keyNode, node: e.keyNode ?? e.value.node, ctx, keyLit: e.key.lit, keyLitCtx: e.key.litCtx });
    } else {
      open.push(e.key.k === 'unknown' ? e.key.reason : 'the name is not a string');
      openAt ??= e.keyNode;
      // A name passed in as a parameter: the function is a wrapper, its call sites name the attribute.
      if ((e.key.k === 'unknown' || e.key.k === 'alt') && e.key.param) openParam ??= e.key.param;
    }
  }
  const payload = obj(props, open, openAt && { node: openAt, ctx });
  return { kind, sdk: 'web', method, problems, payload: openParam ? { ...payload, openParam } : payload, keyParts: [] };
}

/** Web SDK calls, by path under the namespace: one event per combination of alternative argument values. */
export function buildWeb(path: string[], c: TSESTree.CallExpression, ctx: FileCtx, env: Env): Built[] {
  return combinations(evalArgs(c, ctx, env)).map((vals) => buildWebOne(path, c, ctx, vals)).filter((b): b is Built => !!b);
}

function buildWebOne(path: string[], c: TSESTree.CallExpression, ctx: FileCtx, vals: Args): Built | undefined {
  const method = path.join('.');
  const problems: Built['problems'] = [];
  const { vals: a, prop } = argsFrom(c, ctx, vals);
  switch (method) {
    case 'logEvent': {
      if (c.arguments.length === 0) problems.push(noName(c, ctx));
      const name = prop(0, nameValue(a[0], '#/data/event_name', 'event name', problems)) ?? p(unknown('no event name is given', { node: c, ctx }));
      return customEvent(method, name, webEventType(a[1], problems), prop(2), prop(3), problems, prop(1));
    }
    case 'logLink':
    case 'logForm': {
      const name = a[1]?.k === 'fn' ? p(unknown('the event name is computed from the element at run time', a[1]), c.arguments[1], ctx) : prop(1, nameValue(a[1], '#/data/event_name', 'event name', problems)) ?? p(unknown('no event name is given', { node: c, ctx }));
      const attrs = a[3]?.k === 'fn' ? p(unknown('the attributes are computed from the element at run time', a[3]), c.arguments[3], ctx) : prop(3);
      return customEvent(method, name, webEventType(a[2], problems, EVENT_TYPE.Other), attrs, undefined, problems, prop(2));
    }
    case 'logBaseEvent': {
      const e = a[0];
      if (!e || e.k !== 'obj') return undefined;
      const mt = member(e, 'messageType', c, ctx);
      const g = (k: string) => e.props.get(k);
      if (mt.k === 'prim' && mt.v === 4) {
        const nameP = g('name');
        if (!nameP && !e.open.length) problems.push(noName(c, ctx));
        const name = nameP ? { ...nameP, val: nameValue(nameP.val, '#/data/event_name', 'event name', problems) } : p(unknown('no event name is given', e));
        return customEvent(method, name, webEventType(g('eventType')?.val, problems), g('data'), g('customFlags'), problems, g('eventType'));
      }
      if (mt.k === 'prim' && mt.v === 3) return screenView(method, g('name') ?? p(prim('PageView')), g('data') ?? p(obj()), g('customFlags'), problems);
      return undefined;
    }
    case 'logPageView': {
      let name = prop(0) ?? p(prim('PageView'));
      if (name.val.k === 'prim') {
        const v = name.val.v;
        if (typeof v === 'number') name = { ...name, val: { ...name.val, v: String(v) } };
        else if (typeof v !== 'string') name = { ...name, val: prim('PageView', name.val) };
      } else if (name.val.k !== 'unknown') name = { ...name, val: unknown('the page name is not a constant', name.val) };
      return screenView(method, name, prop(1), prop(2), problems);
    }
    case 'eCommerce.logProductAction': {
      const action = productActionType(a[0], problems);
      const products = webProducts(a[1], sanitizedProduct);
      const pa = withTransaction(record([['action', { ...(prop(0) ?? p(action)), val: action }], ...transactionFields(a[4]), ['products', products && p(products, c.arguments[1], ctx)]]), a[4]);
      return commerce('product_action', method, 'web', [['product_action', p(pa, c.arguments[0], ctx)], ['custom_attributes', attrsProp(prop(2), c, ctx)], ['custom_flags', prop(3) ?? p(obj())]], problems, '#/data/product_action/action');
    }
    case 'eCommerce.logPurchase':
    case 'eCommerce.logRefund': {
      const action = prim(method.endsWith('Purchase') ? 'purchase' : 'refund');
      const products = webProducts(a[1]);
      const pa = withTransaction(record([['action', p(action, c.callee, ctx)], ...transactionFields(a[0]), ['products', products && p(products, c.arguments[1], ctx)]]), a[0]);
      return commerce('product_action', method, 'web', [['product_action', p(pa, c.callee, ctx)], ['custom_attributes', attrsProp(prop(3), c, ctx)], ['custom_flags', prop(4) ?? p(obj())]], problems, '#/data/product_action/action');
    }
    case 'eCommerce.logCheckout': {
      const pa = record([['action', p(prim('checkout'), c.callee, ctx)], ['checkout_step', prop(0)], ['checkout_options', prop(1)]]);
      return commerce('product_action', method, 'web', [['product_action', p(pa, c.callee, ctx)], ['custom_attributes', attrsProp(prop(2), c, ctx)], ['custom_flags', prop(3) ?? p(obj())]], problems, '#/data/product_action/action');
    }
    case 'eCommerce.logPromotion': {
      const action = promotionType(a[0], problems);
      const promos = webProducts(a[1], (x) => (x.k === 'obj' ? { ...record([['id', x.props.get('Id')], ['name', x.props.get('Name')], ['creative', x.props.get('Creative')], ['position', x.props.get('Position')]]), node: x.node, ctx: x.ctx, open: x.open } : x));
      const pr = record([['action', { ...(prop(0) ?? p(action)), val: action }], ['promotions', promos && p(promos, c.arguments[1], ctx)]]);
      return commerce('promotion_action', method, 'web', [['promotion_action', p(pr, c.arguments[0], ctx)], ['custom_attributes', attrsProp(prop(2), c, ctx)], ['custom_flags', prop(3) ?? p(obj())]], problems, '#/data/promotion_action/action');
    }
    case 'eCommerce.logImpression': {
      const imps = webProducts(a[0], (x) => (x.k === 'obj'
        ? { ...record([['product_impression_list', x.props.get('Name')], ['products', (() => { const pr = x.props.get('Product'); const list = webProducts(pr?.val); return list && { ...pr!, val: list }; })()]]), node: x.node, ctx: x.ctx, open: x.open }
        : x));
      return commerce('product_impression', method, 'web', [['product_impressions', imps ? p(imps, c.arguments[0], ctx) : p(unknown('no impression is given', { node: c, ctx }))], ['custom_attributes', attrsProp(prop(1), c, ctx)], ['custom_flags', prop(2) ?? p(obj())]], problems, undefined);
    }
    case 'Identity.identify':
    case 'Identity.login':
    case 'Identity.logout':
    case 'Identity.modify':
      return identityRequest(method, a[0], c.arguments[0], ctx, problems);
    case '#user.setUserAttribute':
    case '#user.setUserAttributeList':
    case '#user.setUserTag':
    case '#user.removeUserAttribute':
    case '#user.removeUserTag': {
      if (!c.arguments[0]) return undefined;
      const m = method.slice(6);
      const remove = m.startsWith('remove');
      const value = remove || m === 'setUserTag' ? p(prim(null), c.arguments[0], ctx) : (prop(1) ?? p(prim(undefined)));
      // The SDK refuses (logs, sends nothing) a value that is undefined, an object or an array.
      if (m === 'setUserAttribute' && refusedUserValue(value.val)) return undefined;
      return attributeMap(remove ? 'user_attribute_remove' : 'user_attributes', m, [{ key: a[0], keyNode: c.arguments[0], value }], ctx, problems);
    }
    case '#user.setUserAttributes': {
      const m = a[0];
      if (!m) return undefined;
      if (m.k !== 'obj') return { kind: 'user_attributes', sdk: 'web', method: 'setUserAttributes', problems, payload: openFrom(m, 'the attributes are not an object', c.arguments[0], ctx), keyParts: [] };
      // Each member is set with setUserAttribute, which refuses some values (sends nothing for them).
      let props: Map<string, Prop> | undefined;
      for (const [k, v] of m.props) {
        if (!refusedUserValue(v.val)) continue;
        props ??= new Map(m.props);
        props.delete(k);
      }
      return { kind: 'user_attributes', sdk: 'web', method: 'setUserAttributes', problems, payload: props ? { ...m, props } : m, keyParts: [] };
    }
    default:
      return undefined;
  }
}

/** The identities an IDSync request sends (`{ userIdentities: {…} }`), as a call's or the init config's. */
function identityRequest(method: string, req: Val | undefined, at: Node, ctx: FileCtx, problems: Built['problems']): Built | undefined {
  if (isMissing(req)) return undefined;
  const ids = member(req!, 'userIdentities', at, ctx);
  if (isMissing(ids)) return undefined;
  const payload: ObjVal = ids.k === 'obj' ? { ...ids, node: ids.node ?? at, ctx: ids.ctx ?? ctx } : openFrom(ids, 'userIdentities is not an object', at, ctx);
  return { kind: 'user_identities', sdk: 'web', method, problems, payload, keyParts: [] };
}

/**
 * An attribute or identity map not known statically: open, and, when it is a parameter's value, marked so, which
 * makes the function a wrapper that is checked where it is called with a known map.
 */
function openFrom(v: Val, otherwise: string, at: Node, ctx: FileCtx): ObjVal {
  const o = obj(new Map(), [v.k === 'unknown' ? v.reason : otherwise], { node: at, ctx });
  return v.k === 'unknown' && v.param ? { ...o, openParam: v.param } : o;
}

/** The init config's `identifyRequest` (`mParticle.init(key, { identifyRequest })`): the first identify call the SDK makes. */
export function buildInitIdentify(value: TSESTree.Node, ctx: FileCtx): Built | undefined {
  return identityRequest('init.identifyRequest', evaluate(value, ctx), value, ctx, []);
}

/** A user attribute value the web SDK's setUserAttribute refuses (isValidAttributeValue): undefined, an object, an array. */
function refusedUserValue(v: Val): boolean {
  return v.k === 'obj' || v.k === 'arr' || (v.k === 'prim' && v.v === undefined);
}

/** Node SDK events: `new AppEvent(type, name)`, `new ScreenViewEvent(name)`, `new CommerceEvent()` plus the properties assigned later. */
export function buildNode(cls: string, n: TSESTree.NewExpression, ctx: FileCtx, env: Env): Built[] {
  const later = assignedProps(n, ctx, env);
  return combinations(evalArgs(n, ctx, env)).map((vals) => buildNodeOne(cls, n, ctx, vals, later)).filter((b): b is Built => !!b);
}

function buildNodeOne(cls: string, n: TSESTree.NewExpression, ctx: FileCtx, vals: Args, later: ReturnType<typeof assignedProps>): Built | undefined {
  const problems: Built['problems'] = [];
  const { vals: a, prop } = argsFrom(n, ctx, vals);
  const set = (k: string) => later?.props.get(k);
  const openAttrs = (attrs: Prop | undefined): Prop | undefined => {
    if (!later?.open.length) return attrs;
    const base = attrs?.val.k === 'obj' ? attrs.val : obj();
    return { ...(attrs ?? p(base)), val: { ...base, open: [...base.open, ...later.open] } };
  };
  switch (cls) {
    case 'AppEvent': {
      // The constructor only sets custom_event_type and event_name: assigning them afterwards (as the Node SDK's
      // usage example does) sends what was assigned.
      const laterType = set('custom_event_type');
      let type = laterType ? laterType.val : a[0];
      if (type?.k === 'unknown' && type.bad) {
        problems.push(badProblem(type, '#/data/custom_event_type', 'node'));
      } else if (type?.k === 'prim' && typeof type.v !== 'string') {
        const t = customEventType(type.v);
        type = t ? { ...type, v: t } : unknown('the event type is not a string', type);
      } else if (isMissing(type)) type = unknown('no custom event type is given', { node: n, ctx });
      const laterName = set('event_name');
      const name = laterName
        ? { ...laterName, val: nameValue(laterName.val, '#/data/event_name', 'event name', problems) }
        : prop(1, nameValue(a[1], '#/data/event_name', 'event name', problems)) ?? p(unknown('no event name is given', { node: n, ctx }));
      const data = record([
        ['event_name', name], ['custom_event_type', { ...(laterType ?? prop(0) ?? p(type)), val: type! }],
        ['custom_attributes', openAttrs(set('custom_attributes'))], ['custom_flags', set('custom_flags')],
      ]);
      return { kind: 'custom_event', sdk: 'node', method: 'new AppEvent', problems, payload: record([['event_type', p(prim('custom_event'))], ['data', p(data)]]), keyParts: ['#/data/event_name', '#/data/custom_event_type'] };
    }
    case 'ScreenViewEvent': {
      const laterName = set('screen_name');
      const name = laterName
        ? { ...laterName, val: nameValue(laterName.val, '#/data/screen_name', 'screen name', problems) }
        : prop(0, nameValue(a[0], '#/data/screen_name', 'screen name', problems)) ?? p(unknown('no screen name is given', { node: n, ctx }));
      const b = screenView('new ScreenViewEvent', name, openAttrs(set('custom_attributes')), set('custom_flags'), problems, 'node');
      return b;
    }
    case 'CommerceEvent': {
      const fields: Array<[string, Prop | undefined]> = [
        ['product_action', set('product_action')], ['promotion_action', set('promotion_action')], ['product_impressions', set('product_impressions')],
        ['custom_attributes', openAttrs(set('custom_attributes'))], ['custom_flags', set('custom_flags')], ['currency_code', set('currency_code')],
      ];
      const has = (k: string) => !!set(k);
      const kind: CallKind = has('product_action') ? 'product_action' : has('promotion_action') ? 'promotion_action' : 'product_impression';
      const keyPart = kind === 'product_action' ? '#/data/product_action/action' : kind === 'promotion_action' ? '#/data/promotion_action/action' : undefined;
      const b = commerce(kind, 'new CommerceEvent', 'node', fields, problems, keyPart);
      if (!has('product_action') && !has('promotion_action') && !has('product_impressions')) {
        const why = later?.open.length ? later.open[0] : 'no product_action, promotion_action or product_impressions is set on it';
        b.payload.props.get('data')!.val = { ...(b.payload.props.get('data')!.val as ObjVal), open: [why] };
        b.problems.push({ pointer: '#/data', code: 'invalid_argument', message: `the commerce event cannot be matched: ${why}`, at: unknown(why, { node: n, ctx }) });
        b.unmatchable = true;
      }
      for (const [k, pr] of [['product_action', set('product_action')], ['promotion_action', set('promotion_action')]] as const) {
        if (pr?.val.k === 'obj') {
          const action = pr.val.props.get('action');
          if (action?.val.k === 'unknown' && action.val.bad) problems.push(badProblem(action.val, `#/data/${k}/action`, 'node'));
        }
      }
      return b;
    }
    default:
      return undefined;
  }
}

/** `batch.user_attributes = {...}` / `batch.user_attributes.key = value` on a Node SDK Batch. */
export function buildNodeUserAttributes(a: TSESTree.AssignmentExpression, whole: boolean, keyVal: Val | undefined, ctx: FileCtx, env: Env): Built {
  const value = evaluate(a.right, ctx, env);
  if (whole) {
    // A known value that is not a map (`['gold']`, `'gold'`) is sent as it is: the core reports it (docs/semantics.md).
    const sent = value.k === 'prim' || (value.k === 'arr' && !value.open && value.items.every((i) => i.k === 'prim'));
    const payload: Val = value.k === 'obj' || sent ? value : obj(new Map(), [value.k === 'unknown' ? value.reason : 'the attributes are not an object'], { node: a.right, ctx });
    return { kind: 'user_attributes', sdk: 'node', method: 'batch.user_attributes', problems: [], payload, keyParts: [] };
  }
  const lhs = a.left as TSESTree.MemberExpression;
  return attributeMap('user_attributes', 'batch.user_attributes[key]', [{ key: keyVal ?? unknown('computed'), keyNode: lhs.property, value: p(value, a.right, ctx) }], ctx, []);
}

/** A call through a wrapper declared in settings. */
export function buildDeclared(w: WrapperSetting, c: TSESTree.CallExpression, ctx: FileCtx, env: Env): Built[] {
  return combinations(evalArgs(c, ctx, env)).map((vals) => buildDeclaredOne(w, c, ctx, vals));
}

function buildDeclaredOne(w: WrapperSetting, c: TSESTree.CallExpression, ctx: FileCtx, vals: Args): Built {
  const problems: Built['problems'] = [];
  const { vals: a, prop } = argsFrom(c, ctx, vals);
  const ni = w.nameArg ?? 0;
  const ai = w.attributesArg ?? 1;
  const kind = w.kind ?? 'custom_event';
  const name = prop(ni, nameValue(a[ni], kind === 'screen_view' ? '#/data/screen_name' : '#/data/event_name', kind === 'screen_view' ? 'screen name' : 'event name', problems)) ?? p(unknown(`no argument ${ni} is given`, { node: c, ctx }));
  const attrs = ai >= 0 ? prop(ai) : undefined;
  if (kind === 'screen_view') {
    const b = screenView(`wrapper ${w.name}`, name, attrs ?? p(obj()), undefined, problems);
    return b;
  }
  let type: Val;
  let typeProp: Prop | undefined;
  if (w.typeArg !== undefined) {
    const t = a[w.typeArg];
    typeProp = prop(w.typeArg);
    if (t?.k === 'prim' && typeof t.v === 'string') {
      const s = customEventType(t.v);
      type = s ? { ...t, v: s } : unknown(`${JSON.stringify(t.v)} is not a custom event type`, t);
      if (!s) problems.push({ pointer: '#/data/custom_event_type', code: 'invalid_enum_value', enumName: 'EventType', actual: JSON.stringify(t.v), at: t, message: `${JSON.stringify(t.v)} is not a custom event type (${CUSTOM_EVENT_TYPE_BY_NUMBER.join(', ')})` });
    } else type = webEventType(t, problems);
  } else {
    const s = w.type === undefined ? 'unknown' : customEventType(w.type);
    type = s ? prim(s) : unknown(`settings.dataplan.wrappers: type ${JSON.stringify(w.type)} of ${w.name} is not a custom event type`);
  }
  return customEvent(`wrapper ${w.name}`, name, type, attrs, undefined, problems, typeProp);
}
