/**
 * tsconfig.json / jsconfig.json text as JSON: comments and trailing commas removed, strings kept. Reading
 * `paths` this way does not load TypeScript (which a JavaScript project linted with espree never needs).
 */
export function parseJsonc(text: string): unknown {
  const n = text.length;
  /** The index of the next character that is neither white space nor inside a comment. */
  const skip = (i: number): number => {
    for (;;) {
      while (i < n && /\s/.test(text[i])) i++;
      if (text[i] === '/' && text[i + 1] === '/') {
        while (i < n && text[i] !== '\n') i++;
      } else if (text[i] === '/' && text[i + 1] === '*') {
        const end = text.indexOf('*/', i + 2);
        i = end < 0 ? n : end + 2;
      } else return i;
    }
  };
  let out = '';
  let i = 0;
  while (i < n) {
    const c = text[i];
    if (c === '"') {
      let j = i + 1;
      while (j < n && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j + 1;
    } else if (c === '/' && (text[i + 1] === '/' || text[i + 1] === '*')) {
      i = skip(i);
      out += ' ';
    } else if (c === ',') {
      const next = skip(i + 1);
      // A trailing comma (before } or ]) is dropped.
      if (text[next] !== '}' && text[next] !== ']') out += c;
      i++;
    } else {
      out += c;
      i++;
    }
  }
  return JSON.parse(out);
}
