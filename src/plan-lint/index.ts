export { lintPlan, chooseVersions, type LintOptions, type LintResult } from './lint.js';
export { loadRuleSet, resolveRuleSetRef, ruleSetToJson, RuleSetError, RULES_DIR, DEFAULT_RULE_SET, PROJECT_RULES_FILE, type RuleSet, type RuleSetting } from './rule-set.js';
export { formatPretty, formatJson } from './format.js';
export { formatGithub, formatSarif } from './ci-format.js';
export { RULES, RULES_BY_ID } from './rules/index.js';
export { findCatastrophicBacktracking, type BacktrackingReport } from '../regex/index.js';
export { matchesCasing, toCasing, CASINGS, type Casing } from './casing.js';
export type { Finding, PlanRule, Severity, RuleLevel } from './types.js';
