import { createRule } from '../rule.js';

export default createRule('valid-attribute-value', {
  description: 'Attribute values written in the code must satisfy the plan (type, allowed values, pattern, range)',
  recommended: true,
  hasSuggestions: true,
});
