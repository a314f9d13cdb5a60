/**
 * RuleTester tables: values reassigned or changed before the call. The value that reaches the call in straight-line
 * code is checked; where a branch, a loop or a callback makes it unknowable the call is unverifiable, never guessed.
 */
import plugin from '../../src/lint/index.js';
import { tester } from './helpers.js';

const { rules } = plugin;

tester().run('no-unplanned-event (reassigned names)', rules['no-unplanned-event'], {
  valid: [
    // the last straight-line assignment wins
    `let name = 'Nope'; name = 'Navbar Click'; mParticle.logEvent(name, 1, { label: 'Shop' });`,
    `var name = 'Nope'; function go() { name = 'Changed'; name = 'Navbar Click'; mParticle.logEvent(name, 1, { label: 'Shop' }); name = 'Nope again'; }`,
    // a write in a branch that cannot reach the call
    `let name = 'Navbar Click'; if (a) { name = 'Nope'; } else { mParticle.logEvent(name, 1, { label: 'Shop' }); }`,
    // compound assignment from known parts
    `let name = 'Navbar'; name += ' Click'; mParticle.logEvent(name, 1, { label: 'Shop' });`,
    // a write after the call, outside any loop, cannot reach it
    `let name = 'Navbar Click'; mParticle.logEvent(name, 1, { label: 'Shop' }); name = 'Nope';`,
    // unknowable: a branch or a loop decides (left to no-unverifiable-call)
    `let name = 'Navbar Click'; if (a) name = 'Nope'; mParticle.logEvent(name, 1, { label: 'Shop' });`,
    `let name = 'Navbar Click'; for (const x of xs) { mParticle.logEvent(name, 1, { label: 'Shop' }); name = x; }`,
    `let name = 'Navbar Click'; onChange(() => { name = 'Nope'; }); mParticle.logEvent(name, 1, { label: 'Shop' });`,
    `let name = 'Nope'; function go() { mParticle.logEvent(name, 1, { label: 'Shop' }); } name = 'Other';`,
    `let name = 'Navbar Click'; try { name = compute(); } catch { mParticle.logEvent(name, 1, { label: 'Shop' }); }`,
    // a parameter reassigned from itself: the call sites tell
    `function track(name) { name = name || 'Navbar Click'; mParticle.logEvent(name, 1, { label: 'Shop' }); } track(undefined); track('Navbar Click');`,
    // an undeclared name assigned in a script, straight before the call
    { code: `object123 = { key1: 'Navbar Click' }; mParticle.logEvent(object123.key1, 1, { label: 'Shop' });`, languageOptions: { sourceType: 'script' } },
  ],
  invalid: [
    {
      code: `var eventName = 'Navbar Click';\nfunction hi() {\n  eventName = 'changed';\n  mParticle.logEvent(eventName, 1, { label: 'Shop' });\n}`,
      errors: [{ message: 'Unplanned event: custom_event "changed" (navigation) is not in the data plan', line: 4, column: 22 }],
    },
    {
      code: `let name = 'Navbar Click';\nname = 'Navbar Clik';\nmParticle.logEvent(name, 1, { label: 'Shop' });`,
      errors: [{
        message: 'Unplanned event: custom_event "Navbar Clik" (navigation) is not in the data plan; did you mean "Navbar Click"?', line: 3, column: 20,
        suggestions: [{ desc: 'Rename to "Navbar Click"', output: `let name = 'Navbar Click';\nname = 'Navbar Click';\nmParticle.logEvent(name, 1, { label: 'Shop' });` }],
      }],
    },
    {
      code: `let name = 'Navbar Click';\nif (a) {\n  name = 'Nope';\n  mParticle.logEvent(name, 1, { label: 'Shop' });\n}`,
      errors: [{ message: 'Unplanned event: custom_event "Nope" (navigation) is not in the data plan', line: 4, column: 22 }],
    },
    {
      code: `function track(name) { name = 'Prefix ' + name; mParticle.logEvent(name, 1, { label: 'Shop' }); }\ntrack('Click');`,
      errors: [{ message: 'Unplanned event: custom_event "Prefix Click" (navigation) is not in the data plan', line: 2, column: 1 }],
    },
    {
      code: `for (const x of xs) {\n  let name = 'Navbar Click';\n  name = 'Nope';\n  mParticle.logEvent(name, 1, { label: 'Shop' });\n}`,
      errors: [{ message: 'Unplanned event: custom_event "Nope" (navigation) is not in the data plan', line: 4, column: 22 }],
    },
  ],
});

tester().run('no-missing-required-attribute (absent and changed attributes)', rules['no-missing-required-attribute'], {
  valid: [
    // attributes added to an object before the call count
    `const attrs = {}; attrs.label = 'Shop'; mParticle.logEvent('Navbar Click', 1, attrs);`,
    `const attrs = {}; attrs['label'] = 'Shop'; mParticle.logEvent('Navbar Click', 1, attrs);`,
    `let attrs = { position: 1 }; attrs = { label: 'Shop' }; mParticle.logEvent('Navbar Click', 1, attrs);`,
    // changed where it cannot be told: not reported
    `const attrs = {}; if (a) attrs.label = 'Shop'; mParticle.logEvent('Navbar Click', 1, attrs);`,
    `const attrs = {}; fill(attrs); mParticle.logEvent('Navbar Click', 1, attrs);`,
    // an object filled through a property of its holder (an analytics layer's payload)
    `const ev = { attrs: {} }; ev.attrs.label = 'Shop'; mParticle.logEvent('Navbar Click', 1, ev.attrs);`,
    `const ev = { attrs: {} }; if (a) ev.attrs.label = 'Shop'; mParticle.logEvent('Navbar Click', 1, ev.attrs);`,
    `const ev = { attrs: {} }; ev.attrs.fill(); mParticle.logEvent('Navbar Click', 1, ev.attrs);`,
    `const attrs = {}; function fill() { attrs.label = 'Shop'; } button.onclick = () => mParticle.logEvent('Navbar Click', 1, attrs);`,
    `let attrs; if (a) attrs = { label: 'Shop' }; mParticle.logEvent('Navbar Click', 1, attrs);`,
    // React: an object listed in hook dependencies is not changed by that
    `const attrs = { label: 'Shop' }; const cb = useCallback(() => mParticle.logEvent('Navbar Click', 1, attrs), [attrs]);`,
  ],
  invalid: [
    {
      // declared, never assigned: undefined, i.e. no attributes at all
      code: `var attributes;\nmParticle.logEvent('Store Locator Used', mParticle.EventType.Location, attributes);`,
      errors: [{ message: 'Missing required attribute "postal_code" on custom_event "Store Locator Used" (location)', line: 2, column: 72 }],
    },
    {
      code: `const attrs = { label: 'Shop', position: 1 };\ndelete attrs.label;\nmParticle.logEvent('Navbar Click', 1, attrs);`,
      errors: [{ message: 'Missing required attribute "label" on custom_event "Navbar Click" (navigation)', line: 3, column: 39 }],
    },
  ],
});

tester().run('no-unplanned-attribute (changed objects)', rules['no-unplanned-attribute'], {
  valid: [
    `const attrs = { label: 'Shop' }; mParticle.logEvent('Navbar Click', 1, attrs); attrs.color = 'red';`,
    `const attrs = { label: 'Shop', color: 'red' }; delete attrs.color; mParticle.logEvent('Navbar Click', 1, attrs);`,
  ],
  invalid: [
    {
      code: `const attrs = { label: 'Shop' };\nattrs.colour = 'red';\nmParticle.logEvent('Navbar Click', 1, attrs);`,
      errors: [{ message: 'Unplanned attribute "colour" on custom_event "Navbar Click" (navigation)', line: 2, column: 7 }],
    },
    {
      code: `function track(attrs) {\n  attrs.source = 'nav';\n  mParticle.logEvent('Navbar Click', 1, attrs);\n}\ntrack({ label: 'Shop' });`,
      errors: [{ message: 'Unplanned attribute "source" on custom_event "Navbar Click" (navigation)', line: 2, column: 9 }],
    },
  ],
});

// A value set through a property of its holder is the one sent (x.k.j = v on the way to the read).
tester().run('valid-attribute-value (set through a holder)', rules['valid-attribute-value'], {
  valid: [`const ev = { attrs: { label: 'Shp' } }; ev.attrs.label = 'Shop'; mParticle.logEvent('Navbar Click', 1, ev.attrs);`],
  invalid: [{
    code: `const ev = { attrs: { label: 'Shop' } };\nev.attrs.label = 'Shp';\nmParticle.logEvent('Navbar Click', 1, ev.attrs);`,
    errors: [{
      message: /^Attribute "label" on custom_event "Navbar Click" \(navigation\) should be one of .*, got "Shp"$/, line: 2,
      suggestions: [{ desc: 'Use "Shop"', output: `const ev = { attrs: { label: 'Shop' } };\nev.attrs.label = 'Shop';\nmParticle.logEvent('Navbar Click', 1, ev.attrs);` }],
    }],
  }],
});
