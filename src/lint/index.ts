/**
 * dataplan/eslint: an ESLint flat-config plugin that checks mParticle SDK calls against a data plan.
 *
 * ```js
 * // eslint.config.js
 * import dataplan from 'dataplan/eslint';
 * export default [
 *   dataplan.configs.recommended,
 *   { settings: { dataplan: { plan: './plans/acme_web_shop.json' } } },
 * ];
 * ```
 */
import type { ESLint, Linter, Rule } from 'eslint';
import { PACKAGE_VERSION } from '../meta.js';
import type { RuleName } from './check.js';
import noMissingRequiredAttribute from './rules/no-missing-required-attribute.js';
import noUnplannedAttribute from './rules/no-unplanned-attribute.js';
import noUnplannedCommerceAction from './rules/no-unplanned-commerce-action.js';
import noUnplannedEvent from './rules/no-unplanned-event.js';
import noUnplannedScreen from './rules/no-unplanned-screen.js';
import noUnplannedUserAttribute from './rules/no-unplanned-user-attribute.js';
import noUnplannedUserIdentity from './rules/no-unplanned-user-identity.js';
import noUnverifiableCall from './rules/no-unverifiable-call.js';
import noWrongEventType from './rules/no-wrong-event-type.js';
import validAttributeValue from './rules/valid-attribute-value.js';
import validUserAttributeValue from './rules/valid-user-attribute-value.js';
import validUserIdentityValue from './rules/valid-user-identity-value.js';

export type { DataplanSettings } from './settings.js';
export type { WrapperSetting } from './recognize/index.js';


const rules: Record<RuleName, Rule.RuleModule> = {
  'no-unplanned-event': noUnplannedEvent,
  'no-wrong-event-type': noWrongEventType,
  'no-unplanned-screen': noUnplannedScreen,
  'no-unplanned-commerce-action': noUnplannedCommerceAction,
  'no-unplanned-attribute': noUnplannedAttribute,
  'no-missing-required-attribute': noMissingRequiredAttribute,
  'valid-attribute-value': validAttributeValue,
  'no-unplanned-user-attribute': noUnplannedUserAttribute,
  'valid-user-attribute-value': validUserAttributeValue,
  'no-unplanned-user-identity': noUnplannedUserIdentity,
  'valid-user-identity-value': validUserIdentityValue,
  'no-unverifiable-call': noUnverifiableCall,
};

function ruleSet(all: boolean): Linter.RulesRecord {
  const out: Linter.RulesRecord = {};
  for (const [name, rule] of Object.entries(rules)) {
    if (all || rule.meta?.docs?.recommended) out[`dataplan/${name}`] = 'error';
  }
  return out;
}

interface Plugin extends ESLint.Plugin {
  meta: { name: string; version: string; namespace: string };
  rules: Record<RuleName, Rule.RuleModule>;
  configs: { recommended: Linter.Config; strict: Linter.Config };
}

const plugin: Plugin = {
  meta: { name: 'dataplan', version: PACKAGE_VERSION, namespace: 'dataplan' },
  rules,
  configs: {} as Plugin['configs'],
};

plugin.configs.recommended = { name: 'dataplan/recommended', plugins: { dataplan: plugin }, rules: ruleSet(false) };
plugin.configs.strict = { name: 'dataplan/strict', plugins: { dataplan: plugin }, rules: ruleSet(true) };

export default plugin;
