import { createRule } from '../rule.js';

export default createRule('no-unplanned-user-attribute', {
  description: 'User attributes must be planned',
  recommended: true,
  hasSuggestions: true,
});
