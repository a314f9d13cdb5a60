import { createRule } from '../rule.js';

export default createRule('valid-user-attribute-value', {
  description: 'User attribute values written in the code must satisfy the plan',
  recommended: true,
  hasSuggestions: true,
});
