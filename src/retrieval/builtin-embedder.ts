import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Embeddings } from '@langchain/core/embeddings';
import { z } from 'zod';
import { AppError } from '../core/errors.js';
import type { Embedder } from './embedder.js';
import { gramOperator, topEigenpairs, type SparseRow } from './linear-algebra.js';
import type { Tokenizer } from './tokenizer.js';
import { countIds } from './vocabulary.js';

/** The most chunks the SVD is fitted on; a larger corpus is sampled evenly. */
const FIT_SAMPLE = 3000;
/** Subspace iterations of the randomised SVD. */
const ITERATIONS = 4;

const modelMetaSchema = z.object({
  version: z.literal(1),
  dimensions: z.number().int().positive(),
  vocabulary: z.array(z.string()),
  idf: z.array(z.number()),
  hash: z.string(),
});

/**
 * The built-in offline embedder: TF-IDF over jieba words and character bigrams,
 * reduced by a truncated SVD fitted on the corpus (latent semantic analysis).
 * Needs no weights from anywhere; fitting takes well under a second for the seed corpus.
 */
export class BuiltinEmbedder extends Embeddings implements Embedder {
  readonly id: string;
  readonly description = 'built-in offline embedder (TF-IDF over jieba words + character bigrams, SVD-reduced)';
  private readonly index: Map<string, number>;

  private constructor(
    private readonly tokenizer: Tokenizer,
    private readonly vocabulary: string[],
    private readonly idf: Float64Array,
    /** vocabulary.length × dimensions, row-major */
    private readonly projection: Float32Array,
    readonly dimensions: number,
    readonly hash: string,
  ) {
    super({});
    this.index = new Map(vocabulary.map((t, i) => [t, i]));
    this.id = `builtin-lsa-v1:${hash}`;
  }

  /**
   * Fits the model on the corpus's features, numbered (`vocabulary[id]`, see featuresOf): the index
   * tokenises each chunk once and shares the numbers with BM25. k (dimensions) defaults to 128,
   * capped by corpus size.
   */
  static fitIds(count: number, row: (i: number) => Uint32Array, vocabulary: readonly string[], tokenizer: Tokenizer, k = 128): BuiltinEmbedder {
    if (count < 2) throw new AppError('corpus_invalid', 'the built-in embedder needs at least two chunks');
    // Rows are asked for one at a time (the caller may assemble them on the fly): never all held at once.
    const df = new Uint32Array(vocabulary.length);
    for (let i = 0; i < count; i++) for (const id of countIds(row(i)).ids) df[id] = (df[id] as number) + 1;
    const idf = Float64Array.from(df, (n) => Math.log((1 + count) / (1 + n)) + 1);
    // A truncated SVD of the sparse TF-IDF matrix through its Gram matrix, never formed (cost in
    // non-zeros). A large corpus is fitted on an even sample of its chunks: the term projection
    // it yields embeds every chunk, and the fit stays within seconds (the seed corpus is all of it).
    const stride = Math.ceil(count / FIT_SAMPLE);
    const sample: SparseRow[] = [];
    for (let i = 0; i < count; i += stride) sample.push(tfidf(row(i), idf));
    // The fit works on the terms the sample uses, numbered compactly (smaller, cache-friendly blocks).
    const { rows, terms } = compact(sample);
    const dims = Math.min(k, rows.length - 1);
    const { values, vectors } = topEigenpairs(rows.length, gramOperator(rows, terms.length, Math.min(rows.length, dims + 10), ITERATIONS + 1), dims, ITERATIONS);
    // projection[term] = Σ_i x(i, term) · u_j(i) / σ_j, row by row so each term's dims are written together.
    const projection = new Float32Array(vocabulary.length * dims);
    const scale = values.map((lambda) => 1 / Math.sqrt(Math.max(lambda, 1e-12)));
    const w = new Float64Array(dims);
    rows.forEach((row, i) => {
      for (let j = 0; j < dims; j++) w[j] = ((vectors[j] as Float64Array)[i] as number) * (scale[j] as number);
      for (const [local, x] of row) {
        const base = (terms[local] as number) * dims;
        for (let j = 0; j < dims; j++) projection[base + j] = (projection[base + j] as number) + x * (w[j] as number);
      }
    });
    const hash = createHash('sha256').update(vocabulary.join('\u0001')).update(Buffer.from(projection.buffer)).digest('hex').slice(0, 16);
    return new BuiltinEmbedder(tokenizer, [...vocabulary], idf, projection, dims, hash);
  }

  async save(dir: string): Promise<void> {
    const meta = { version: 1 as const, dimensions: this.dimensions, vocabulary: this.vocabulary, idf: [...this.idf], hash: this.hash };
    await writeFile(path.join(dir, 'builtin-embedder.json'), JSON.stringify(meta));
    await writeFile(path.join(dir, 'builtin-embedder.f32'), Buffer.from(this.projection.buffer));
  }

  /** @throws AppError('index_mismatch') when the saved model is missing or corrupt. */
  static async load(dir: string, tokenizer: Tokenizer): Promise<BuiltinEmbedder> {
    try {
      const meta = modelMetaSchema.parse(JSON.parse(await readFile(path.join(dir, 'builtin-embedder.json'), 'utf8')));
      const buf = await readFile(path.join(dir, 'builtin-embedder.f32'));
      const projection = new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
      if (projection.length !== meta.vocabulary.length * meta.dimensions) throw new Error('projection size mismatch');
      return new BuiltinEmbedder(tokenizer, meta.vocabulary, Float64Array.from(meta.idf), projection, meta.dimensions, meta.hash);
    } catch (e) {
      throw new AppError('index_mismatch', `built-in embedder model unreadable: ${(e as Error).message}`, { cause: e });
    }
  }

  embedSync(text: string): number[] {
    const ids: number[] = [];
    for (const t of features(this.tokenizer, text)) {
      const id = this.index.get(t);
      if (id !== undefined) ids.push(id);
    }
    return this.embedIds(Uint32Array.from(ids));
  }

  /** The embedding of a text given as feature numbers of this model's vocabulary (fitIds). */
  embedIds(ids: Uint32Array): number[] {
    const row = tfidf(ids, this.idf);
    const dims = this.dimensions;
    const out = new Float64Array(dims);
    for (const [term, x] of row) {
      const base = term * dims;
      for (let j = 0; j < dims; j++) out[j] = (out[j] as number) + x * (this.projection[base + j] as number);
    }
    let norm = 0;
    for (let j = 0; j < dims; j++) norm += (out[j] as number) ** 2;
    norm = Math.sqrt(norm) || 1;
    return Array.from(out, (v) => v / norm);
  }

  async embedDocuments(texts: string[]): Promise<number[][]> {
    return texts.map((t) => this.embedSync(t));
  }

  async embedQuery(text: string): Promise<number[]> {
    return this.embedSync(text);
  }
}

/** Rows renumbered over the terms they use: `terms[local]` is the vocabulary index. */
function compact(rows: SparseRow[]): { rows: SparseRow[]; terms: number[] } {
  const local = new Map<number, number>();
  const terms: number[] = [];
  // Sorted by the new numbers again: a sparse dot product walks two rows in column order.
  const renumbered = rows.map((row) =>
    row
      .map(([t, x]): [number, number] => {
        let l = local.get(t);
        if (l === undefined) {
          l = terms.length;
          local.set(t, l);
          terms.push(t);
        }
        return [l, x];
      })
      .sort((a, b) => a[0] - b[0]),
  );
  return { rows: renumbered, terms };
}

function features(tokenizer: Tokenizer, text: string): string[] {
  return featuresOf(tokenizer.words(text), tokenizer.bigrams(text));
}

/** The embedder's features of a text: its words and its bigrams (marked, so 专利 the word and the bigram differ). */
export function featuresOf(words: readonly string[], bigrams: readonly string[]): string[] {
  return [...words, ...bigrams.map((b) => `#${b}`)];
}

/** Sublinear tf × idf, L2-normalised, as [termIndex, weight] pairs sorted by term. */
function tfidf(ids: Uint32Array, idf: Float64Array): Array<[number, number]> {
  const { ids: terms, counts } = countIds(ids);
  const row: Array<[number, number]> = Array.from(terms, (t, j) => [t, (1 + Math.log(counts[j] as number)) * (idf[t] ?? 0)]);
  const norm = Math.sqrt(row.reduce((s, [, w]) => s + w * w, 0)) || 1;
  for (const r of row) r[1] /= norm;
  return row;
}
