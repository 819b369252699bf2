/** White space is not part of a verbatim comparison: the corpus wraps lines anywhere. */
export function squashSpaces(s: string): string {
  return s.replace(/\s+/g, '');
}

/** Characters as a reader counts them (white space aside), for length guidance and chunk sizes. */
export function charCount(s: string): number {
  // Counted in place (no copy, no array of characters): chunking counts every paragraph of the corpus.
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xdc00 && c <= 0xdfff) continue; // the second half of a surrogate pair
    if (isSpace(c)) continue;
    n++;
  }
  return n;
}

/** What \s matches, by code unit. */
function isSpace(c: number): boolean {
  if (c <= 0x20) return c === 0x20 || (c >= 0x09 && c <= 0x0d);
  return c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

/** Fills {name} placeholders. Unknown placeholders stay visible rather than vanish. */
export function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (m, k: string) => (k in values ? String(values[k]) : m));
}
