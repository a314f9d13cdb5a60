import { createRule } from '../rule.js';

export default createRule('no-unplanned-event', {
  description: 'Custom events (logEvent, logLink/logForm, Node AppEvent, wrappers) must be planned',
  recommended: true,
  hasSuggestions: true,
});
