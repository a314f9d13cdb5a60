/** The violation record every front door reports: one type, one set of codes. */

export const VIOLATION_CODES = [
  'unplanned_event',
  'unplanned_event_attribute',
  'unplanned_product_attribute',
  'unplanned_user_attribute',
  'unplanned_user_identity',
  'missing_required',
  'invalid_data_type',
  'invalid_expected_value',
] as const;

export type ViolationCode = (typeof VIOLATION_CODES)[number];

/** A near-miss the plan does have. */
export interface Suggestion {
  /** The planned name (event/screen name, action, attribute or identity). */
  key: string;
  /** For events: the planned match key, e.g. `custom_event:navigation:Navbar Click`. */
  match_key?: string;
  /** For events planned under another custom event type. */
  custom_event_type?: string;
  reason: 'other_event_type' | 'case_or_spacing' | 'close_spelling';
}

export interface Violation {
  violation: ViolationCode;
  /** Index in the batch's `events`; null for batch-level (user attributes, identities). */
  event_index: number | null;
  /** Event name / screen name / action for unplanned events; else the attribute or identity name (unescaped). */
  key: string;
  event_type: string | null;
  /** Display form of the match key (`custom_event:navigation:Navbar Click`, `user_attributes`). */
  match_key: string;
  /** JSON pointer into the event (`#/data/...`) or into the user attribute / identity map (`#/...`). */
  error_pointer: string;
  /** The JSON Schema keyword that failed; absent for unplanned events. */
  schema_keyword?: string;
  /** What the plan expects, as JSON (a type name, allowed values, a pattern, a limit). */
  expected?: unknown;
  /** The value that was sent, as JSON. */
  actual?: unknown;
  /** One line for humans, naming the event and the attribute. */
  message: string;
  suggestion?: Suggestion;
  /** The event's `source_message_id`, to tie the violation back to what was sent. */
  source_message_id?: string;
  /** For identities: where the value sits in the batch (`customer_id`, `mp_deviceid`, `device_info.ios_idfv`). */
  batch_key?: string;
  /** Only unplanned things can be blocked. */
  blockable: boolean;
  /** Whether the plan's block settings would drop it. */
  would_block: boolean;
}

export function isUnplanned(code: ViolationCode): boolean {
  return code.startsWith('unplanned_');
}
