/** Naming conventions: check a name against a casing, and show what it would look like in that casing. */

export const CASINGS = ['Title Case', 'Sentence case', 'lower case', 'snake_case', 'camelCase', 'PascalCase', 'kebab-case', 'SCREAMING_SNAKE_CASE'] as const;
export type Casing = (typeof CASINGS)[number];

/** Small words Title Case leaves in lower case ("Add to Cart"), except as the first word. */
const MINOR = new Set(['a', 'an', 'and', 'as', 'at', 'but', 'by', 'for', 'from', 'in', 'into', 'of', 'on', 'or', 'per', 'the', 'to', 'via', 'vs', 'with']);

const startsUpperOrOther = (w: string) => !/^\p{Ll}/u.test(w);

function spacedWords(name: string): string[] | undefined {
  if (name === '' || /^\s|\s$|\s\s|[_\t\n]/.test(name)) return undefined;
  return name.split(' ');
}

export function matchesCasing(name: string, casing: Casing): boolean {
  switch (casing) {
    case 'Title Case': {
      const words = spacedWords(name);
      return !!words && words.every((w, i) => startsUpperOrOther(w) || (i > 0 && MINOR.has(w)));
    }
    case 'Sentence case': {
      const words = spacedWords(name);
      // Later words start lower case unless they are acronyms or contain digits ("Add to cart", "View PDP").
      return !!words && startsUpperOrOther(words[0]) && words.slice(1).every((w) => /^\p{Ll}/u.test(w) || !/\p{Ll}/u.test(w) || /\d/.test(w));
    }
    case 'lower case': {
      const words = spacedWords(name);
      return !!words && !/\p{Lu}/u.test(name);
    }
    case 'snake_case': return /^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$/.test(name);
    case 'SCREAMING_SNAKE_CASE': return /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*$/.test(name);
    case 'kebab-case': return /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/.test(name);
    case 'camelCase': return /^[a-z][a-zA-Z0-9]*$/.test(name);
    case 'PascalCase': return /^[A-Z][a-zA-Z0-9]*$/.test(name);
  }
}

/** Split any spelling into words: "addToCart", "Add to cart", "add_to-cart" → add, to, cart. */
export function words(name: string): string[] {
  return name
    .replace(/([\p{Ll}\d])(\p{Lu})/gu, '$1 $2')
    .replace(/(\p{Lu})(\p{Lu}\p{Ll})/gu, '$1 $2')
    .split(/[\s_\-.]+/)
    .filter(Boolean);
}

const cap = (w: string) => w.charAt(0).toUpperCase() + w.slice(1);

/** The name rewritten in a casing, for "did you mean" hints. */
export function toCasing(name: string, casing: Casing): string {
  const ws = words(name);
  const lower = ws.map((w) => w.toLowerCase());
  switch (casing) {
    case 'Title Case': return ws.map((w, i) => (i > 0 && MINOR.has(w.toLowerCase()) ? w.toLowerCase() : cap(w))).join(' ');
    case 'Sentence case': return ws.map((w, i) => (i === 0 ? cap(w) : /\p{Ll}/u.test(w) ? w.toLowerCase() : w)).join(' ');
    case 'lower case': return lower.join(' ');
    case 'snake_case': return lower.join('_');
    case 'SCREAMING_SNAKE_CASE': return lower.join('_').toUpperCase();
    case 'kebab-case': return lower.join('-');
    case 'camelCase': return lower.map((w, i) => (i === 0 ? w : cap(w))).join('');
    case 'PascalCase': return lower.map(cap).join('');
  }
}
