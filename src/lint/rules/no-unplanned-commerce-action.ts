import { createRule } from '../rule.js';

export default createRule('no-unplanned-commerce-action', {
  description: 'Product actions, promotions and impressions must be planned, with valid SDK enum members',
  recommended: true,
  hasSuggestions: true,
});
