import { createRule } from '../rule.js';

export default createRule('no-unverifiable-call', {
  description: 'Report analytics calls whose event, type or planned attribute values cannot be resolved statically',
  recommended: false,
  hasSuggestions: false,
});
