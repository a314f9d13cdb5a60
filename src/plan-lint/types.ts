import type { PlanPoint } from '../plan/index.js';
import type { CompiledPlan, CompiledVersion } from '../validate/index.js';

export type Severity = 'error' | 'warning';
export type RuleLevel = Severity | 'off';

/** One thing a rule found, located in the plan file. */
export interface Finding {
  rule: string;
  severity: Severity;
  message: string;
  file: string;
  /** JSON pointer into the plan file. */
  pointer: string;
  /** The data point's match key (`custom_event:navigation:Navbar Click`); null for findings about the version itself. */
  match_key: string | null;
  /** The data point's match type, when the finding is about a data point. */
  match_type: string | null;
  /** Index of the data point in its version's `data_points`. */
  data_point: number | null;
  version: number | null;
  /** For `plan-check` findings: the core's problem code. */
  code?: string;
  line?: number;
  column?: number;
}

export interface ReportDescriptor<M extends string> {
  point?: PlanPoint;
  pointer: string;
  messageId: M;
  data?: Record<string, string | number>;
  /** Overrides the rule's severity downwards (plan-check keeps the core's warnings as warnings). */
  severity?: Severity;
  code?: string;
}

export interface RuleContext<O, M extends string> {
  plan: CompiledPlan;
  version: CompiledVersion;
  options: O;
  report(d: ReportDescriptor<M>): void;
}

/** A plan rule, shaped like an ESLint rule: messages with {{placeholders}}, an options schema, a check. */
export interface PlanRule<O = Record<string, unknown>, M extends string = string> {
  id: string;
  meta: {
    description: string;
    messages: Record<M, string>;
    /** JSON Schema for the options object. */
    schema: Record<string, unknown>;
    defaultOptions: O;
  };
  check(ctx: RuleContext<O, M>): void;
}

// Rules are typed individually; the registry holds them with their types erased.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyPlanRule = PlanRule<any, string>;
