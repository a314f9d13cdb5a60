/** Human wording of violations, in one place: the CLI, the ESLint plugin and the receiver all say the same. */
import type { Suggestion, ViolationCode } from './violation.js';

export interface MessageInput {
  violation: ViolationCode;
  key: string;
  /** `custom_event "Navbar Click" (navigation)`, `screen_view "Home"`, …; empty for batch-level. */
  subject: string;
  schema_keyword?: string;
  expected?: unknown;
  actual?: unknown;
  /** True when the attribute sits inside a product (index given). */
  product?: number;
  /** The index of the promotion an attribute sits on. */
  promotion?: number;
  suggestion?: Suggestion;
}

export function show(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (typeof v === 'string') return JSON.stringify(v);
  return JSON.stringify(v) ?? String(v);
}

function list(values: unknown): string {
  if (!Array.isArray(values)) return show(values);
  const shown = values.slice(0, 8).map(show).join(', ');
  return values.length > 8 ? `${shown}, … (${values.length} values)` : shown;
}

const TYPE_WORDS: Record<string, string> = {
  string: 'a string', number: 'a number', integer: 'an integer', boolean: 'a boolean', null: 'null', object: 'an object', array: 'an array',
};

function typeWords(t: unknown): string {
  const ts = Array.isArray(t) ? t : [t];
  return ts.map((x) => TYPE_WORDS[String(x)] ?? String(x)).join(' or ');
}

/** An enum's values in words, made once per enum: its array is the plan's own, the same for every violation of it. */
const listed = new WeakMap<object, string>();

/** What the plan expects, in words, for a keyword and its `expected` value. */
export function expectation(keyword: string | undefined, expected: unknown): string {
  if (keyword !== 'enum' || expected === null || typeof expected !== 'object') return wording(keyword, expected);
  let text = listed.get(expected);
  if (text === undefined) listed.set(expected, (text = wording(keyword, expected)));
  return text;
}

function wording(keyword: string | undefined, expected: unknown): string {
  switch (keyword) {
    case 'type': return `be ${typeWords(expected)}`;
    case 'enum': return `be one of ${list(expected)}`;
    case 'const': return `be ${show(expected)}`;
    case 'pattern': return `match the pattern ${show(expected)}`;
    case 'format': return `be a valid ${String(expected)}`;
    case 'minimum': return `be >= ${show(expected)}`;
    case 'maximum': return `be <= ${show(expected)}`;
    case 'exclusiveMinimum': return `be > ${show(expected)}`;
    case 'exclusiveMaximum': return `be < ${show(expected)}`;
    case 'minLength': return `be at least ${show(expected)} characters long`;
    case 'maxLength': return `be at most ${show(expected)} characters long`;
    case 'multipleOf': return `be a multiple of ${show(expected)}`;
    case 'minItems': return `have at least ${show(expected)} items`;
    case 'maxItems': return `have at most ${show(expected)} items`;
    case 'anyOf': return 'match at least one of the schemas in anyOf';
    case 'oneOf': return 'match exactly one of the schemas in oneOf';
    case 'not': return 'not match the schema in not';
    // ajv's own wording ("must …") reads after "should" without its verb.
    default: return typeof expected === 'string' ? expected.replace(/^must /, '') : `satisfy "${keyword ?? 'the schema'}"`;
  }
}

export function suggestionText(s: Suggestion | undefined): string {
  if (!s) return '';
  if (s.reason === 'other_event_type') return `; "${s.key}" is planned as custom_event_type ${s.custom_event_type}`;
  return `; did you mean "${s.key}"?`;
}

function noun(m: MessageInput): string {
  if (m.subject === USER_ATTRIBUTES) return m.key === 'user_attributes' && m.schema_keyword === 'type' ? 'the user_attributes map' : `user attribute "${m.key}"`;
  if (m.subject === USER_IDENTITIES) return `user identity "${m.key}"`;
  const on = m.subject ? ` on ${m.subject}` : '';
  if (m.product !== undefined) return `product attribute "${m.key}" (product ${m.product})${on}`;
  if (m.promotion !== undefined) return `attribute "${m.key}" (promotion ${m.promotion})${on}`;
  return `attribute "${m.key}"${on}`;
}

export const USER_ATTRIBUTES = 'user attributes';
export const USER_IDENTITIES = 'user identities';

/** The one-line message for a violation. */
export function violationMessage(m: MessageInput): string {
  const hint = suggestionText(m.suggestion);
  switch (m.violation) {
    case 'unplanned_event':
      return `Unplanned event: ${m.subject} is not in the data plan${hint}`;
    case 'unplanned_event_attribute':
    case 'unplanned_product_attribute':
    case 'unplanned_user_attribute':
    case 'unplanned_user_identity':
      return `Unplanned ${noun(m)}${hint}`;
    case 'missing_required':
      return `Missing required ${noun(m)}`;
    case 'invalid_data_type':
    case 'invalid_expected_value':
      return `${capital(noun(m))} should ${expectation(m.schema_keyword, m.expected)}, got ${show(m.actual)}${hint}`;
  }
}

function capital(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
