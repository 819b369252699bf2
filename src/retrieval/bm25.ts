/**
 * Okapi BM25 over pre-tokenised documents, in typed arrays: the postings of all terms in one
 * array (compressed sparse rows, a term's postings contiguous), each posting holding its document
 * and its term-frequency weight with the length norm already applied, so a query term is one
 * multiply-add per posting. A corpus of 60,000 chunks scores a question in milliseconds and the
 * whole structure is a handful of buffers that persist with the index (see toData/fromData).
 */
export interface Bm25Data {
  terms: string[];
  /** postings of term t: offsets[t] … offsets[t + 1] */
  offsets: Uint32Array;
  docs: Uint32Array;
  /** tf · (k1 + 1) / (tf + k1 · (1 − b + b · len / avgLen)) per posting */
  weights: Float32Array;
  size: number;
}

export class Bm25Index {
  private readonly termIds: Map<string, number>;
  readonly size: number;

  private constructor(private readonly data: Bm25Data) {
    this.size = data.size;
    this.termIds = new Map(data.terms.map((t, i) => [t, i]));
  }

  static build(docs: ReadonlyArray<readonly string[]>, k1 = 1.2, b = 0.75): Bm25Index {
    const ids = new Map<string, number>();
    const counts: number[] = [];
    const perDoc = docs.map((tokens) => {
      const tf = new Map<number, number>();
      for (const t of tokens) {
        let id = ids.get(t);
        if (id === undefined) {
          id = ids.size;
          ids.set(t, id);
          counts.push(0);
        }
        tf.set(id, (tf.get(id) ?? 0) + 1);
      }
      for (const id of tf.keys()) counts[id] = (counts[id] ?? 0) + 1;
      return tf;
    });
    const offsets = new Uint32Array(ids.size + 1);
    for (let t = 0; t < ids.size; t++) offsets[t + 1] = (offsets[t] as number) + (counts[t] as number);
    const total = offsets[ids.size] as number;
    const postingDocs = new Uint32Array(total);
    const weights = new Float32Array(total);
    const fill = offsets.slice(0, ids.size);
    const avgLength = docs.reduce((n, d) => n + d.length, 0) / Math.max(1, docs.length);
    perDoc.forEach((tf, doc) => {
      const norm = k1 * (1 - b + (b * (docs[doc]?.length ?? 0)) / Math.max(avgLength, 1e-9));
      for (const [id, n] of tf) {
        const at = fill[id] as number;
        postingDocs[at] = doc;
        weights[at] = (n * (k1 + 1)) / (n + norm);
        fill[id] = at + 1;
      }
    });
    return new Bm25Index({ terms: [...ids.keys()], offsets, docs: postingDocs, weights, size: docs.length });
  }

  static fromData(data: Bm25Data): Bm25Index {
    return new Bm25Index(data);
  }

  toData(): Bm25Data {
    return this.data;
  }

  /** Inverse document frequency (BM25+ style, never negative). Unknown terms get the maximum. */
  idf(term: string): number {
    const df = this.documentFrequency(term);
    return Math.log(1 + (this.size - df + 0.5) / (df + 0.5));
  }

  documentFrequency(term: string): number {
    const id = this.termIds.get(term);
    return id === undefined ? 0 : (this.data.offsets[id + 1] as number) - (this.data.offsets[id] as number);
  }

  /** Scores for every document (0 where no term matches). Repeated query terms count once. */
  score(queryTokens: readonly string[]): Float64Array {
    const scores = new Float64Array(this.size);
    const { offsets, docs, weights } = this.data;
    for (const term of new Set(queryTokens)) {
      const id = this.termIds.get(term);
      if (id === undefined) continue;
      const idf = this.idf(term);
      const end = offsets[id + 1] as number;
      for (let p = offsets[id] as number; p < end; p++) {
        const doc = docs[p] as number;
        scores[doc] = (scores[doc] as number) + idf * (weights[p] as number);
      }
    }
    return scores;
  }

  /** Does document i contain the term? (postings are in document order: binary search) */
  contains(doc: number, term: string): boolean {
    const id = this.termIds.get(term);
    if (id === undefined) return false;
    let lo = this.data.offsets[id] as number;
    let hi = (this.data.offsets[id + 1] as number) - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const d = this.data.docs[mid] as number;
      if (d === doc) return true;
      if (d < doc) lo = mid + 1;
      else hi = mid - 1;
    }
    return false;
  }
}

/** The binary layout of Bm25Data on disk: a JSON header line, then the three arrays back to back. */
export function encodeBm25(data: Bm25Data): Buffer {
  const header = Buffer.from(`${JSON.stringify({ size: data.size, terms: data.terms, postings: data.docs.length })}\n`, 'utf8');
  return Buffer.concat([header, typedBytes(data.offsets), typedBytes(data.docs), typedBytes(data.weights)]);
}

/** @throws Error when the bytes are not an encoded index (the caller rebuilds). */
export function decodeBm25(buf: Buffer): Bm25Data {
  const newline = buf.indexOf(0x0a);
  const header = JSON.parse(buf.subarray(0, newline).toString('utf8')) as { size: number; terms: string[]; postings: number };
  if (!Array.isArray(header.terms) || !Number.isInteger(header.size) || !Number.isInteger(header.postings)) throw new Error('bm25 header unreadable');
  // Copied into an aligned buffer: typed arrays need offsets that are multiples of their element size.
  const body = new Uint8Array(buf.subarray(newline + 1)).buffer;
  const offsetsBytes = (header.terms.length + 1) * 4;
  if (body.byteLength !== offsetsBytes + header.postings * 8) throw new Error('bm25 body size mismatch');
  return {
    terms: header.terms,
    size: header.size,
    offsets: new Uint32Array(body, 0, header.terms.length + 1),
    docs: new Uint32Array(body, offsetsBytes, header.postings),
    weights: new Float32Array(body, offsetsBytes + header.postings * 4, header.postings),
  };
}

function typedBytes(a: Uint32Array | Float32Array): Buffer {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength);
}
