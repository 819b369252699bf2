/**
 * Okapi BM25 over pre-tokenised documents. Small and exact: the corpus is hundreds of
 * chunks, so a posting-list scan per query term is well under a millisecond.
 */
export class Bm25Index {
  private readonly postings = new Map<string, Array<[doc: number, tf: number]>>();
  private readonly lengths: number[];
  private readonly avgLength: number;
  readonly size: number;

  constructor(
    docs: string[][],
    private readonly k1 = 1.2,
    private readonly b = 0.75,
  ) {
    this.size = docs.length;
    this.lengths = docs.map((d) => d.length);
    this.avgLength = this.lengths.reduce((a, n) => a + n, 0) / Math.max(1, docs.length);
    docs.forEach((tokens, i) => {
      const tf = new Map<string, number>();
      for (const t of tokens) tf.set(t, (tf.get(t) ?? 0) + 1);
      for (const [t, n] of tf) {
        const list = this.postings.get(t) ?? [];
        list.push([i, n]);
        this.postings.set(t, list);
      }
    });
  }

  /** Inverse document frequency (BM25+ style, never negative). Unknown terms get the maximum. */
  idf(term: string): number {
    const df = this.postings.get(term)?.length ?? 0;
    return Math.log(1 + (this.size - df + 0.5) / (df + 0.5));
  }

  documentFrequency(term: string): number {
    return this.postings.get(term)?.length ?? 0;
  }

  /** Scores for every document (0 where no term matches). Repeated query terms count once. */
  score(queryTokens: string[]): Float64Array {
    const scores = new Float64Array(this.size);
    for (const term of new Set(queryTokens)) {
      const list = this.postings.get(term);
      if (!list) continue;
      const idf = this.idf(term);
      for (const [doc, tf] of list) {
        const norm = this.k1 * (1 - this.b + (this.b * (this.lengths[doc] ?? 0)) / this.avgLength);
        scores[doc] = (scores[doc] ?? 0) + (idf * tf * (this.k1 + 1)) / (tf + norm);
      }
    }
    return scores;
  }

  /** Does document i contain the term? */
  contains(doc: number, term: string): boolean {
    return this.postings.get(term)?.some(([d]) => d === doc) ?? false;
  }
}
