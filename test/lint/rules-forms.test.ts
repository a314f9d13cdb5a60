/**
 * RuleTester tables generated over every receiver form and every value form: each must find the same unplanned
 * event (and only that), on ESLint 10 and 9.
 */
import plugin from '../../src/lint/index.js';
import { tester, ts } from './helpers.js';

const MSG = 'Unplanned event: custom_event "Chat Opened" (other) is not in the data plan';

/** [name, setup code, receiver expression] */
const RECEIVERS: Array<[string, string, string]> = [
  ['global', '', 'mParticle'],
  ['window', '', 'window.mParticle'],
  ['globalThis, optional', '', 'globalThis.mParticle?'],
  ['self', '', 'self.mParticle'],
  ['default import', `import mp from '@mparticle/web-sdk';`, 'mp'],
  ['namespace import', `import * as mp from '@mparticle/web-sdk';`, 'mp.default'],
  ['require', `const mp = require('@mparticle/web-sdk');`, 'mp'],
  ['alias of window.mParticle', `const mp = window.mParticle;`, 'mp'],
  ['getInstance()', ``, `mParticle.getInstance('second')`],
  ['alias of an instance', `const mp = mParticle.getInstance();`, 'mp?'],
];

const valid: string[] = [];
const invalid: Array<{ code: string; errors: Array<{ message: string }> }> = [];
for (const [, setup, recv] of RECEIVERS) {
  const r = recv.endsWith('?') ? recv.slice(0, -1) : recv;
  valid.push(`${setup}\n${recv}.logEvent('Navbar Click', ${r}.EventType.Navigation, { label: 'Shop' });`);
  invalid.push({ code: `${setup}\n${recv}.logEvent('Chat Opened', ${r}.EventType.Other);`, errors: [{ message: MSG }] });
}
// Destructured and named forms
for (const [setup, call] of [
  [`const { logEvent } = mParticle;`, `logEvent('Chat Opened', 8)`],
  [`const { logEvent: send, EventType } = window.mParticle;`, `send('Chat Opened', EventType.Other)`],
  [`import { logEvent } from '@mparticle/web-sdk';`, `logEvent('Chat Opened', 8)`],
  [`const send = mParticle.logEvent;`, `send('Chat Opened', 8)`],
]) {
  invalid.push({ code: `${setup}\n${call};`, errors: [{ message: MSG }] });
}

/** [name, declarations, name expression, type expression]; all TypeScript. */
const VALUES: Array<[string, string, string, string]> = [
  ['string literal', '', `'Chat Opened'`, '8'],
  ['template literal', '', '`Chat Opened`', '8'],
  ['const', `const N = 'Chat Opened'; const T = mParticle.EventType.Other;`, 'N', 'T'],
  ['object map', `const E = { chat: { name: 'Chat Opened', type: 8 } };`, 'E.chat.name', 'E.chat.type'],
  ['as const map, computed key', `const E = { 'chat-opened': 'Chat Opened' } as const; const k = 'chat-opened';`, 'E[k]', '8 as const'],
  ['TS string and numeric enums', `enum Ev { Chat = 'Chat Opened' } enum Ty { Other = 8 }`, 'Ev.Chat', 'Ty.Other'],
  ['numeric enum auto-increment', `enum Ty { Unknown, Navigation, Location, Search, Transaction, UserContent, UserPreference, Social, Other }`, `'Chat Opened'`, 'Ty.Other'],
  ['assertions', `const N: string | undefined = 'Chat Opened';`, 'N! as string', '<number>8'],
  ['concatenation', `const P = 'Chat';`, 'P + \' Opened\'', '4 * 2'],
  ['template with constant parts', `const P = 'Chat';`, '`${P} Opened`', '8'],
  ['spread of known object', `const base = { name: 'Chat Opened' }; const E = { ...base, type: 8 };`, 'E.name', 'E.type'],
  ['destructuring', `const { name, type = 8 } = { name: 'Chat Opened' };`, 'name', 'type'],
  ['Object.freeze', `const E = Object.freeze({ n: 'Chat Opened' });`, 'E.n', 'mParticle.EventType.Other'],
];
const valueInvalid = VALUES.map(([, decl, name, type]) => ({ code: `${decl}\nmParticle.logEvent(${name}, ${type});`, ...ts, errors: [{ message: MSG }] }));

tester().run('no-unplanned-event: receiver forms', plugin.rules['no-unplanned-event'], { valid, invalid });
tester().run('no-unplanned-event: value forms', plugin.rules['no-unplanned-event'], {
  valid: [
    // negative numbers are values too (-1 is not an EventType, so the call is reported by no-wrong-event-type instead)
    { code: `mParticle.logEvent('Chat Opened', -1)`, ...ts },
  ],
  invalid: valueInvalid,
});
