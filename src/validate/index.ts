export { CompiledPlan, loadPlan, compilePlan, type BatchResult, type EventResult, type InputProblem, type ValidateOptions, type CompiledVersion, type LoadOptions } from './plan.js';
export { VIOLATION_CODES, isUnplanned, type Violation, type ViolationCode, type Suggestion } from './violation.js';
export { violationMessage, expectation, suggestionText, show, USER_ATTRIBUTES, USER_IDENTITIES, type MessageInput } from './messages.js';
export { selectVersion, batchPlanContext, batchEnvironment, type NotValidatedReason, type SelectOptions } from './version.js';
export { suggestEvent, suggestKey } from './suggest.js';
