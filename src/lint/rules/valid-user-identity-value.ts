import { createRule } from '../rule.js';

export default createRule('valid-user-identity-value', {
  description: 'Identity values written in the code must satisfy the plan',
  recommended: true,
  hasSuggestions: true,
});
