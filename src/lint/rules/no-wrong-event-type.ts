import { createRule } from '../rule.js';

export default createRule('no-wrong-event-type', {
  description: 'Custom events must use the custom_event_type the plan gives their name, and a valid EventType',
  recommended: true,
  hasSuggestions: true,
});
