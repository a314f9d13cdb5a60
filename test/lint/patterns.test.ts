/** The plugin runs plan patterns on the core's linear-time engine: a catastrophic one cannot freeze the editor. */
import { join } from 'node:path';
import plugin from '../../src/lint/index.js';
import { FIXTURES, tester } from './helpers.js';

const A = 'a'.repeat(32) + '!';
const search = (attrs: string) => `mParticle.logEvent('Search', mParticle.EventType.Search, ${attrs})`;

tester({ plan: join(FIXTURES, 'redos', 'redos_plan.document.json') }).run('valid-attribute-value', plugin.rules['valid-attribute-value'], {
  valid: [search(`{ query: '${'a'.repeat(5000)}', code: '1ab' }`)],
  invalid: [
    {
      code: search(`{ query: '${A}', code: 'ab1' }`),
      errors: [
        { message: `Attribute "query" on custom_event "Search" (search) should match the pattern "^(a+)+$", got "${A}"` },
        { message: 'Attribute "code" on custom_event "Search" (search) should match the pattern "^(?=\\\\d)[0-9a-z]{3}$", got "ab1"' },
      ],
    },
  ],
});
