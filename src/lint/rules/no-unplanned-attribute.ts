import { createRule } from '../rule.js';

export default createRule('no-unplanned-attribute', {
  description: 'Event and product attributes must be planned for their event',
  recommended: true,
  hasSuggestions: true,
});
