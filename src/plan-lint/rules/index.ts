import type { AnyPlanRule } from '../types.js';
import { catastrophicRegex } from './catastrophic-regex.js';
import { descriptionRequired } from './description-required.js';
import { invalidRegex } from './invalid-regex.js';
import { namingConvention } from './naming-convention.js';
import { nearDuplicateNames } from './near-duplicate-names.js';
import { permissivePoint } from './permissive-point.js';
import { planCheck } from './plan-check.js';
import { unplannableMatchType } from './unplannable-match-type.js';
import { unsupportedKeyword } from './unsupported-keyword.js';

export const RULES: readonly AnyPlanRule[] = [
  planCheck, namingConvention, descriptionRequired, nearDuplicateNames, permissivePoint, invalidRegex, catastrophicRegex, unplannableMatchType, unsupportedKeyword,
];

export const RULES_BY_ID: ReadonlyMap<string, AnyPlanRule> = new Map(RULES.map((r) => [r.id, r]));
