import { createRule } from '../rule.js';

export default createRule('no-unplanned-user-identity', {
  description: 'Identities in IDSync requests (identify, login, modify) must be planned',
  recommended: true,
  hasSuggestions: true,
});
