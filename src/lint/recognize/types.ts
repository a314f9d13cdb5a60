/** Public data types of the call recognizer (shared by the ESLint plugin and `dataplan scan`). */
import type { TSESTree } from '@typescript-eslint/types';
import type { MatchKey } from '../../plan/index.js';

export type Node = TSESTree.Node;

/**
 * What a recognized call produces:
 * - `custom_event`, `screen_view`, `product_action`, `promotion_action`, `product_impression`: one batch event;
 * - `user_attributes`: user attributes set (`setUserAttribute`, `setUserAttributeList`, `setUserAttributes`, `setUserTag`,
 *   Node `batch.user_attributes = {…}`);
 * - `user_attribute_remove`: user attributes removed (`removeUserAttribute`, `removeUserTag`);
 * - `user_identities`: an IDSync request's `userIdentities` (`Identity.identify/login/logout/modify`).
 */
export type CallKind =
  | 'custom_event'
  | 'screen_view'
  | 'product_action'
  | 'promotion_action'
  | 'product_impression'
  | 'user_attributes'
  | 'user_attribute_remove'
  | 'user_identities';

export const EVENT_KINDS: ReadonlySet<CallKind> = new Set(['custom_event', 'screen_view', 'product_action', 'promotion_action', 'product_impression']);

/** Source positions, 1-based lines and 0-based columns (ESTree). */
export interface Loc {
  start: { line: number; column: number };
  end: { line: number; column: number };
}

/** Where a part of the payload sits in the linted file. Every node here belongs to the file passed in. */
export interface Site {
  /** The node to report on: the argument, the object property, the call. */
  node: Node;
  /** For object properties: the key node (rename fixes). */
  key?: Node;
  /** A key passed as a string argument (`setUserAttribute('tier', …)`), when it can be rewritten. */
  keyLiteral?: TSESTree.Literal | TSESTree.TemplateLiteral;
  /**
   * The string/number literal (or template without expressions) the value was read from, when it is in this
   * file and can be rewritten by a fix; absent when the value was computed, comes from the SDK or another file.
   */
  literal?: TSESTree.Literal | TSESTree.TemplateLiteral;
  /** For enum member values (`mParticle.EventType.Other`): the member expression in this file. */
  member?: TSESTree.MemberExpression;
  /**
   * For calls through a detected wrapper: the key / the value is written inside the wrapper's body (so a problem with
   * it belongs to the wrapper, and is reported there), not at this call site.
   */
  keyInWrapper?: boolean;
  valueInWrapper?: boolean;
}

/** A part of the payload the recognizer could not resolve statically. */
export interface UnknownPart {
  /** JSON pointer into `payload` (`#/data/event_name`, `#/data/custom_attributes/label`, `#/loyalty_tier`). */
  pointer: string;
  /** `value`: the value at pointer is unknown (the key is known); `keys`: the object at pointer may have more keys (spread of an unknown object, computed key) or is unknown as a whole. */
  part: 'value' | 'keys';
  /** Why, for humans: "`name` is a function parameter", "`getLabel()` is a call". */
  reason: string;
  node: Node;
  /** The value is a parameter of the wrapper this call sits in (see `RecognizedCall.wrapper`): its call sites say what it is. */
  parameter?: string;
  /** For calls through a detected wrapper: the unresolved part is written inside the wrapper's body, not at this call site. */
  inWrapper?: boolean;
}

/** Something the SDK itself rejects at run time: the event is dropped (or the value ignored) before any plan applies. */
export interface SdkProblem {
  pointer: string;
  /**
   * `invalid_enum_member`: `mParticle.ProductActionType.AddToWishList` (undefined at run time);
   * `invalid_enum_value`: `logEvent('x', 42)`; `invalid_argument`: an argument of the wrong kind (`logEvent(42)`).
   */
  code: 'invalid_enum_member' | 'invalid_enum_value' | 'invalid_argument';
  /** One line for humans. */
  message: string;
  /** The SDK enum, e.g. `EventType`, `ProductActionType`, `AppEvent.CustomEventType`. */
  enumName?: string;
  /** What was written (`AddToWishList`, `42`). */
  actual?: string;
  /** The closest valid member, when there is one. */
  suggestion?: string;
  node: Node;
}

/** A wrapper the call went through, outermost first. */
export interface ViaWrapper {
  /** How it is called (`track`, `analytics.track`). */
  name: string;
  /** `settings`: declared in settings.dataplan.wrappers; `detected`: its body passes its parameters to an SDK call. */
  how: 'settings' | 'detected';
  /** File that defines it (detected wrappers). */
  file?: string;
  loc?: Loc;
}

export interface RecognizedCall {
  kind: CallKind;
  sdk: 'web' | 'node';
  /** The SDK call, e.g. `logEvent`, `eCommerce.logProductAction`, `Identity.login`, `setUserAttribute`, `new AppEvent`, `batch.user_attributes`. */
  method: string;
  /** How the call reads in the source (`mParticle.logEvent`, `window.mParticle?.eCommerce.logPurchase`, `track`). */
  callee: string;
  /** The call in this file: the wrapper's call site when `via` is set. */
  node: Node;
  loc: Loc;
  via: ViaWrapper[];
  /**
   * Set when this call is the body of a detected wrapper (a named function that passes its parameters to it and is
   * called, or exported): the parts coming from the parameters are Unknown (`UnknownPart.parameter`), and each call
   * site of the wrapper is recognized as a call of its own, with `via`.
   */
  wrapper?: { name: string };
  /**
   * What the SDK would send, with unresolved values as `Unknown` instances:
   * events: the batch event `{ event_type, data: {…} }` (Events API names, as the SDK's converter builds it);
   * `user_attributes` / `user_attribute_remove`: the attribute map; `user_identities`: IDSync name → value.
   */
  payload: unknown;
  /** The data point key the event matches (core `MatchKey`), when the event's name/type/action are all known. */
  key?: MatchKey;
  /** Source locations of payload parts, by JSON pointer (`#`, `#/data/event_name`, `#/data/custom_attributes/label`). */
  sites: Record<string, Site>;
  unknowns: UnknownPart[];
  sdkProblems: SdkProblem[];
}

/** A value the recognizer could not resolve (found inside `payload`). */
export class Unknown {
  constructor(readonly reason: string) {}
  toJSON(): string {
    return `<unknown: ${this.reason}>`;
  }
}

/** A wrapper declared in settings: how to read an event out of its call sites. */
export interface WrapperSetting {
  /** Callee as written: `track`, `analytics.track`, `this.analytics.track`. */
  name: string;
  /** `custom_event` (default) or `screen_view`. */
  kind?: 'custom_event' | 'screen_view';
  /** Argument index of the event/screen name (default 0). */
  nameArg?: number;
  /** Argument index of the attributes object (default 1; -1 for none). */
  attributesArg?: number;
  /** Argument index of the custom event type (an `EventType` number or member, or a type name such as `navigation`). */
  typeArg?: number;
  /** Fixed custom event type when there is no `typeArg`: `navigation`, `Navigation` or `1`. Default `unknown`, as logEvent. */
  type?: string | number;
}

export interface RecognizeOptions {
  /** Absolute path of the source file (needed to resolve imports of project modules). */
  file?: string;
  wrappers?: readonly WrapperSetting[];
  /** Follow imports of project modules for constants and wrappers (default true). */
  followImports?: boolean;
}

/** What the recognizer needs from a parsed file; ESLint's `SourceCode` has it. */
export interface SourceLike {
  readonly ast: { type: string };
  /** eslint-scope's or @typescript-eslint/scope-manager's ScopeManager. */
  readonly scopeManager: unknown;
  readonly text: string;
  readonly visitorKeys?: Readonly<Record<string, readonly string[]>>;
}
