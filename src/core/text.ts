/** White space is not part of a verbatim comparison: the corpus wraps lines anywhere. */
export function squashSpaces(s: string): string {
  return s.replace(/\s+/g, '');
}

/** Characters as a reader counts them (white space aside), for length guidance and chunk sizes. */
export function charCount(s: string): number {
  return [...squashSpaces(s)].length;
}
