import { createRule } from '../rule.js';

export default createRule('no-unplanned-screen', {
  description: 'Screen views (logPageView, Node ScreenViewEvent) must be planned',
  recommended: true,
  hasSuggestions: true,
});
