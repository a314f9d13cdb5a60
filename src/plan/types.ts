import type { MatchKey } from './match.js';

export type Severity = 'error' | 'warning';

/** A problem found in a plan file, located by JSON pointer. */
export interface PlanProblem {
  severity: Severity;
  /** Stable code, e.g. `invalid_regex`, `unknown_match_type`, `duplicate_match_key`. */
  code: string;
  message: string;
  file: string;
  /** JSON pointer into the plan file. */
  pointer: string;
  /** What was expected there, in words. */
  expected?: string;
}

export type PlanShape =
  | 'data_plan'
  | 'plan_version'
  | 'builder_export'
  | 'version_document'
  | 'sdk_config'
  | 'validate_request';

export type ActivatedEnvironment = 'none' | 'development' | 'production';

export interface BlockSettings {
  /** Block unplanned events. */
  events: boolean;
  /** Block unplanned event (and product) attributes. */
  eventAttributes: boolean;
  /** Block unplanned user attributes. */
  userAttributes: boolean;
  /** Block unplanned user identities. */
  userIdentities: boolean;
}

/** One data point as loaded: its match key and raw schema, before compilation. */
export interface PlanPoint {
  /** Index in the version's `data_points`. */
  index: number;
  /** JSON pointer of the data point in the plan file. */
  pointer: string;
  description: string;
  matchType: string;
  criteria: Record<string, unknown>;
  /** Undefined when the point cannot match anything (unknown type, bad criteria). */
  key?: MatchKey;
  /** Display form of the key (`custom_event:navigation:Navbar Click`). */
  matchKey: string;
  /** `validator.definition` when usable, else undefined (accept anything). */
  definition?: Record<string, unknown>;
}

export interface PlanVersion {
  /** Undefined for files without a version number (bare document, builder export). */
  version?: number;
  environment?: ActivatedEnvironment;
  description?: string;
  /** Pointer of this version's `version_document` in the file. */
  pointer: string;
  /** False for list-style versions that carry no document. */
  loaded: boolean;
  points: PlanPoint[];
  blocking: BlockSettings;
}

export interface PlanSource {
  file: string;
  shape: PlanShape;
  id?: string;
  name?: string;
  versions: PlanVersion[];
  problems: PlanProblem[];
}
