/**
 * Terms numbered in the order first seen. Building an index over tens of thousands of chunks keeps
 * each chunk's tokens as a Uint32Array of these numbers, not as millions of short strings (which
 * cost more memory than the corpus text and most of the build's time in garbage collection).
 */
export class Vocabulary {
  private readonly ids = new Map<string, number>();
  readonly terms: string[] = [];

  /** The numbers of the tokens, adding the new ones. */
  encode(tokens: readonly string[]): Uint32Array {
    const out = new Uint32Array(tokens.length);
    tokens.forEach((t, i) => {
      let id = this.ids.get(t);
      if (id === undefined) {
        id = this.terms.length;
        this.ids.set(t, id);
        this.terms.push(t);
      }
      out[i] = id;
    });
    return out;
  }

  get size(): number {
    return this.terms.length;
  }
}

/** Distinct ids with their counts, in id order (sorted copy, then runs). */
export function countIds(ids: Uint32Array): { ids: Uint32Array; counts: Uint32Array } {
  const sorted = Uint32Array.from(ids).sort();
  const outIds: number[] = [];
  const counts: number[] = [];
  for (let i = 0; i < sorted.length; i++) {
    const id = sorted[i] as number;
    if (i > 0 && sorted[i - 1] === id) counts[counts.length - 1] = (counts[counts.length - 1] as number) + 1;
    else {
      outIds.push(id);
      counts.push(1);
    }
  }
  return { ids: Uint32Array.from(outIds), counts: Uint32Array.from(counts) };
}
