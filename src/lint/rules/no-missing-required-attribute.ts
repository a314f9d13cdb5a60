import { createRule } from '../rule.js';

export default createRule('no-missing-required-attribute', {
  description: 'Attributes the plan requires must be sent',
  recommended: true,
  hasSuggestions: false,
});
