import { describe, expect, it } from 'vitest';
import { findCatastrophicBacktracking } from '../../src/regex/index.js';

// Patterns a backtracking matcher can take exponential time on, with the repetition to blame.
const CATASTROPHIC: [string, string][] = [
  ['^(a+)+$', '(a+)+'],
  ['^(a*)*$', '(a*)*'],
  ['^(\\w+\\s?)+$', '(\\w+\\s?)+'],
  ['^(\\s?\\w+)*$', '(\\s?\\w+)*'],
  ['(x+x+)+y', '(x+x+)+'],
  ['^(a|a)+$', '(a|a)+'],
  ['^(a|aa)+$', '(a|aa)+'],
  ['^(a|a?)+$', '(a|a?)+'],
  ['^(.*,)*$', '(.*,)*'],
  ['^(.|\\s)*$', '(.|\\s)*'],
  ['^(\\d+\\.?\\d*)+$', '(\\d+\\.?\\d*)+'],
  ['^([a-zA-Z0-9]+\\s?)*$', '([a-zA-Z0-9]+\\s?)*'],
  ['^(\\w|\\d)+$', '(\\w|\\d)+'],
  ['^(?:[a-z]+)+@', '(?:[a-z]+)+'],
  ['^(a|a){1,30}$', '(a|a){1,30}'],
  ['^(([a-z])+.)+[A-Z]([a-z])+$', '(([a-z])+.)+'],
  // Inside a lookaround, the body is matched all the same.
  ['^(?=(a+)+$)a', '(a+)+'],
  ['(?<!(x|x)+)y', '(x|x)+'],
  // A backreference matches what its group matched: (ab|abab)+ in disguise.
  ['^((ab)\\2?)+$', '((ab)\\2?)+'],
  ['^(?<w>\\w)(\\k<w>|\\w)+$', '(\\k<w>|\\w)+'],
];

// Look alike, but every input has one way (or a few) to match.
const SAFE = [
  '^SKU-[0-9]{5}$',
  '^([a-z]+\\.)+[a-z]+$',
  '^(a|ab)+$',
  'a*a*',
  '^[\\w.+-]+@[\\w-]+(\\.[\\w-]+)+$',
  '^-?\\d+(\\.\\d+)?([eE][+\\-]?\\d+)?$',
  '^([Tt][Rr][Uu][Ee]|[Ff][Aa][Ll][Ss][Ee])$',
  '^([^,]*,)*$',
  '^(a?)+$',
  '^[a-z]{1,64}$',
  '^(?:\\d{3}-){2}\\d{4}$',
  '^(\\+\\d{1,3})?\\s?\\(?\\d{3}\\)?[\\s.-]?\\d{3}[\\s.-]?\\d{4}$',
  '^(foo|bar)+$',
  '^(?=.*\\d)[a-z\\d]{8,}$',
  '^https?://[^\\s/$.?#].[^\\s]*$',
  '^\\w+(\\s\\w+)*$',
  '^(\\w+)\\s\\1$',
  '^(?!.*--)[a-z-]+$',
  '^(a)\\1*$',
];

describe('catastrophic backtracking', () => {
  for (const [p, fragment] of CATASTROPHIC) {
    it(`flags ${p}`, () => {
      const r = findCatastrophicBacktracking(p);
      expect(r, p).toBeDefined();
      expect(r!.fragment).toBe(fragment);
    });
  }
  for (const p of SAFE) {
    it(`passes ${p}`, () => {
      expect(findCatastrophicBacktracking(p)).toBeUndefined();
    });
  }
  it('names the kind of hazard', () => {
    expect(findCatastrophicBacktracking('^(a+)+$')!.kind).toBe('nested_quantifier');
    expect(findCatastrophicBacktracking('^(a|aa)+$')!.kind).toBe('ambiguous_alternation');
  });
});
