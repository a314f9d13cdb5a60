// Plan patterns run on re2js (linear time) but must give V8's unicode-mode verdict on every value.
import { describe, expect, it } from 'vitest';
import { analysePattern, compilePattern } from '../../src/regex/index.js';

/** Values that tell dialects apart: line terminators, Unicode spaces, astral and lone surrogates, case. */
const VALUES = [
  '', 'a', 'aa', 'aaa', 'A', 'ab', 'abc', 'abc123', 'ABC', 'b', 'ba', 'x', '0', '9', '42', '-3.5', '1e10', '_', ' ', '  ',
  '\n', 'a\n', '\na', 'a\nb', '\r', 'a\r', '\r\n', '\u2028', '\u2029', '\u0085', '\t', '\v', '\f', '\u00a0', '\ufeff', '\u1680', '\u2000', '\u200a', '\u200b', '\u3000', '\u180e',
  'é', 'É', 'e\u0301', 'ß', 'Ω', 'ω', 'Σ', 'ſ', '\u212a', 'k', 'K', 'İ', 'ı', 'ﬀ', '中文', 'Ελληνικά', 'русский', 'عربى', '٣', '१२',
  '😀', 'a😀', '😀😀', '😂', '𝒜', '\ud83d', '\ude00', 'a\ud800b', '\udc00\ud800', '\ud800\udc00', '\u{10ffff}', '\u0000', '\u001f', '\u007f', '\b',
  'SKU-12345', 'SKU-1234', 'sku-12345', 'ORD-000001', 'user@example.com', 'a.b@c.io', 'not an email', '2024-02-29', '2024-13-01', '12:30', 'https://x.io/a?b=c',
  '550e8400-e29b-41d4-a716-446655440000', '+1 (555) 123-4567', 'true', 'TRUE', 'false', 'foo bar', 'foo  bar', 'foo_bar', 'foo-bar', 'FooBar', 'fooBar', 'a/b', 'a\\b', 'a.b', 'a*b',
  'word word', 'wordword', 'x'.repeat(40), 'a'.repeat(30) + '!',
];

/** Patterns a plan may hold: plain ones, and every construct whose meaning differs between dialects. */
const PATTERNS = [
  // typical plan patterns
  '^SKU-[0-9]{5}$', '^ORD-[0-9]{6}$', '^[0-9]{5}$', '^[A-Z0-9]{4,12}$', '^-?\\d+(\\.\\d+)?([eE][+\\-]?\\d+)?$', '^(true|false)$', '^([Tt][Rr][Uu][Ee]|[Ff][Aa][Ll][Ss][Ee])$',
  '^[\\w.+-]+@[\\w-]+(\\.[\\w-]+)+$', '^\\d{4}-\\d{2}-\\d{2}$', '^(?:[01]\\d|2[0-3]):[0-5]\\d$', '^https?://[^\\s/$.?#].[^\\s]*$', '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$',
  '^(\\+\\d{1,3})?\\s?\\(?\\d{3}\\)?[\\s.-]?\\d{3}[\\s.-]?\\d{4}$', '^[a-z]+(_[a-z]+)*$', '^[A-Z][a-zA-Z]*$', 'foo', 'bar|baz', '^$', '', 'a?', '^a*$', '^a+$', '^(a|ab)+$',
  // anchors: whole input, never lines (no m flag)
  '^a$', 'a$', '^a', '^\\n$', 'a\\n$', '^$\\n', '^b', 'b$', '^(a|b)$', '(^a|b$)', 'a^', '$a', '^^a$$',
  // dot and line terminators (no s flag)
  '^.$', '^..$', '^.*$', '^.+$', 'a.b', '^[^]$', '^[^]*$', '^[]$', '[]', '^[\\s\\S]$', '^[\\d\\D]+$',
  // classes and their escapes
  '^\\s$', '^\\s+$', '^\\S+$', '\\s', '^\\d+$', '^\\D+$', '^\\w+$', '^\\W+$', '^[\\w-]+$', '^[^\\w]+$', '^[^\\s]+$', '^[a-z]+$', '^[^a-z]+$', '^[A-Za-z]+$', '^[\\-a]+$', '^[a\\-z]+$', '^[-a]$', '^[a-]$',
  '\\bword\\b', '^\\bfoo\\b', '\\Bor', 'o\\B', '\\b', '\\B', '^\\b$', '^\\B$',
  '^\\t$', '^\\v$', '^\\f$', '^\\r$', '^\\0$', '^\\x41$', '^\\x7f$', '^\\u00e9$', '^\\u{1F600}$', '^\\u{10FFFF}$', '^\\cJ$', '^\\cA$', '^[\\b]$', '^\\/$', '^a\\/b$', '^\\.$', '^\\\\$', '^\\*$',
  // unicode: code points, astral, lone surrogates
  '^é$', '^[é]$', '^e\\u0301$', '^😀$', '^[😀]$', '^[😀-😂]+$', '^\\uD83D\\uDE00$', '^[\\uD83D\\uDE00]$', '^\\uD83D$', '\\uD83D', '^[\\uD800-\\uDFFF]$', '^[^\\uD800-\\uDFFF]+$', '^.\\ude00$',
  '^[\\u{1F600}-\\u{1F64F}]$', '^[^a]$', '^[^😀]$', '\\u{10ffff}', '^.{2}$', '^.{1}$', '^[^\\n]+$',
  // property escapes: V8's tables, not RE2's
  '^\\p{L}+$', '^\\P{L}+$', '^\\p{Lu}$', '^\\p{Ll}+$', '^\\p{Letter}+$', '^\\p{N}+$', '^\\p{Nd}+$', '^\\p{Script=Greek}+$', '^\\p{sc=Cyrillic}+$', '^\\p{Script_Extensions=Latin}+$',
  '^\\p{White_Space}$', '^\\p{Emoji_Presentation}$', '^\\p{Any}$', '^\\p{ASCII}+$', '^[\\p{L}\\d]+$', '^[^\\p{L}]+$', '^\\p{Lu}\\p{Ll}*$', '^\\p{Cs}$', '^\\p{Co}$', '^\\p{Cn}$',
  // quantifiers, lazy and counted
  '^a{2}$', '^a{2,}$', '^a{1,2}$', '^a{0}$', '^a{0,0}b$', '^(ab){2}$', '^a+?$', '^a*?b$', '^a??$', '^a{2,3}?$', '^(a|b){3,5}$', '^x{40}$', '^x{1000}$', '^x{0,1000}$',
  // groups
  '^(?:ab)+$', '^(a)(b)$', '^(?<first>a)b$', '^()$', '^(|a)$', '^(a|)$', '^a|b$', '^(?:a|b|)c$', '^((a)|(b))+$',
  // catastrophic ones: RE2 can run them in linear time
  '^(a+)+$', '^(a*)*$', '^(a|a)+$', '^(a|aa)+$', '^(\\w+\\s?)+$', '(x+x+)+y', '^(.*,)*$',
  // only V8 can run these: backreferences, lookarounds, large counted repeats
  '^(a)\\1$', '^(\\w)\\1+$', '^(?<c>.)\\k<c>$', '^(?=.*\\d)[a-z\\d]{3,}$', '^(?!foo).*$', '(?<=a)b', '(?<!a)b', '^x{1001}$', '^x{0,5000}$', '^(a)|\\1b$',
];

const LINEAR_ONLY = new Set(['^(a)\\1$', '^(\\w)\\1+$', '^(?<c>.)\\k<c>$', '^(?=.*\\d)[a-z\\d]{3,}$', '^(?!foo).*$', '(?<=a)b', '(?<!a)b', '^x{1001}$', '^x{0,5000}$', '^(a)|\\1b$']);

describe('plan patterns: JavaScript verdicts, linear-time engine', () => {
  it(`gives RegExp's verdict on ${PATTERNS.length} patterns × ${VALUES.length} values`, () => {
    const wrong: string[] = [];
    for (const p of PATTERNS) {
      const js = new RegExp(p, 'u');
      const m = compilePattern(p);
      expect(m.engine, p).toBe(analysePattern(p).native ? 'native' : LINEAR_ONLY.has(p) ? 'backtracking' : 'linear');
      for (const v of VALUES) {
        // Catastrophic patterns would take ages in V8 on the long almost-matching value.
        if (analysePattern(p).hazard && v.length > 20) continue;
        if (m.test(v) !== js.test(v)) wrong.push(`${p} on ${JSON.stringify(v)}: ${m.test(v)}, RegExp ${js.test(v)}`);
      }
    }
    expect(wrong).toEqual([]);
  }, 60_000);

  it('leaves to V8 only the patterns it runs in linear time', () => {
    const native = ['^SKU-[0-9]{5}$', '^[A-Z0-9]{4,12}$', '^\\d{4}-\\d{2}-\\d{2}$', 'foo', '', '^$', '^a+$', '^[\\w.-]+$', '\\bword\\b', '^(?:ab)c$', '^x{1000}$', '^\\p{L}+$', '^.*$'];
    // Repeated groups, alternation, two variable repetitions, or one that may start anywhere
    // ([a-z]+x is quadratic in V8: every start position rescans the rest).
    const other = ['^(a+)+$', '[a-z]+x', 'a+', '^a+b+$', '^a*\\d*$', 'bar|baz', '^(true|false)$', '^(ab){2}$', '^(a)\\1$', '^(?=.*\\d)[a-z\\d]{3,}$', 'a^', '$a', '^a+$b', '^[a-z]+(_[a-z]+)*$'];
    for (const p of native) expect([p, compilePattern(p).engine]).toEqual([p, 'native']);
    for (const p of other) expect([p, compilePattern(p).engine]).not.toEqual([p, 'native']);
  });

  it('runs ^(a+)+$ on an almost-matching value in linear time (V8 would take minutes)', () => {
    const m = compilePattern('^(a+)+$');
    expect(m.engine).toBe('linear');
    expect(m.test('a'.repeat(5000) + '!')).toBe(false);
    expect(m.test('a'.repeat(5000))).toBe(true);
  });

  it('refuses a catastrophic pattern only V8 could run, instead of running it', () => {
    expect(analysePattern('^(a+)+\\1$')).toMatchObject({ hazard: { fragment: '(a+)+' } });
    expect(analysePattern('^(a+)+\\1$').linear).toBeUndefined();
    expect(() => compilePattern('^(a+)+\\1$')).toThrow(/exponential time/);
    // Inside a lookahead, too.
    expect(analysePattern('^(?=(a+)+$)a').hazard?.fragment).toBe('(a+)+');
    expect(() => compilePattern('^(?=(a+)+$)a')).toThrow(/exponential time/);
  });

  it('rejects what V8 rejects in unicode mode', () => {
    for (const p of ['(', '[', 'a{2,1}', '\\k', '\\-', '{', 'a**', '\\p{Nope}', '(?<a>x)(?<a>y)', '\\1']) {
      expect(analysePattern(p).error, p).toBeDefined();
      expect(() => compilePattern(p), p).toThrow(SyntaxError);
    }
  });

  it('agrees with RegExp on random patterns and values', () => {
    // A seeded generator: every run tests the same few thousand cases.
    let seed = 20240601;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const pick = <T>(xs: readonly T[]) => xs[rnd(xs.length)];
    const ATOMS = ['a', 'b', '.', '\\s', '\\S', '\\d', '\\w', '\\W', '[ab]', '[^a]', '[a-c]', '[^\\s]', 'é', '😀', '\\n', '\\u2028', '\\p{L}', '\\P{Lu}', '[\\p{N}b]', '\\uD83D', '[^]', ' '];
    const QUANTS = ['', '', '', '*', '+', '?', '{2}', '{1,3}', '{0,2}', '*?', '{2,}'];
    const gen = (depth: number): string => {
      const n = 1 + rnd(3);
      let out = '';
      for (let i = 0; i < n; i++) {
        const r = rnd(10);
        if (r === 0 && depth < 2) out += `(${gen(depth + 1)}|${gen(depth + 1)})${pick(QUANTS)}`;
        else if (r === 1 && depth < 2) out += `(?:${gen(depth + 1)})${pick(QUANTS)}`;
        else if (r === 2) out += pick(['^', '$', '\\b', '\\B']);
        else out += pick(ATOMS) + pick(QUANTS);
      }
      return out;
    };
    const CHARS = ['a', 'b', 'c', 'A', ' ', '\n', '\r', '\u2028', '\u00a0', 'é', '😀', '\ud83d', '\ude00', '1', '_', '-', 'Σ', '\t'];
    const wrong: string[] = [];
    let cases = 0;
    for (let i = 0; i < 800; i++) {
      const p = gen(0);
      let js: RegExp;
      try {
        js = new RegExp(p, 'u');
      } catch {
        continue;
      }
      const m = compilePattern(p);
      for (let j = 0; j < 12; j++) {
        let v = '';
        for (let k = rnd(7); k > 0; k--) v += pick(CHARS);
        cases++;
        if (m.test(v) !== js.test(v)) wrong.push(`/${p}/u on ${JSON.stringify(v)}: ${m.test(v)}, RegExp ${js.test(v)}`);
      }
    }
    expect(cases).toBeGreaterThan(5000);
    expect(wrong.slice(0, 10)).toEqual([]);
  }, 60_000);
});
