import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Embeddings } from '@langchain/core/embeddings';
import { z } from 'zod';
import { AppError } from '../core/errors.js';
import type { Embedder } from './embedder.js';
import { topEigenpairs } from './linear-algebra.js';
import type { Tokenizer } from './tokenizer.js';

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

  /** Fits the model on the corpus texts. k (dimensions) defaults to 128, capped by corpus size. */
  static fit(texts: string[], tokenizer: Tokenizer, k = 128): BuiltinEmbedder {
    if (texts.length < 2) throw new AppError('corpus_invalid', 'the built-in embedder needs at least two chunks');
    const docs = texts.map((t) => features(tokenizer, t));
    const df = new Map<string, number>();
    for (const d of docs) for (const t of new Set(d)) df.set(t, (df.get(t) ?? 0) + 1);
    const vocabulary = [...df.keys()].sort();
    const idf = Float64Array.from(vocabulary, (t) => Math.log((1 + texts.length) / (1 + (df.get(t) ?? 0))) + 1);
    const index = new Map(vocabulary.map((t, i) => [t, i]));
    const rows = docs.map((d) => tfidf(d, index, idf));
    const dims = Math.min(k, texts.length - 1);
    const gram = rows.map((a) => Float64Array.from(rows, (b) => sparseDot(a, b)));
    const { values, vectors } = topEigenpairs(gram, dims);
    const projection = new Float32Array(vocabulary.length * dims);
    values.forEach((lambda, j) => {
      const sigma = Math.sqrt(Math.max(lambda, 1e-12));
      const u = vectors[j] as Float64Array;
      rows.forEach((row, i) => {
        const w = (u[i] ?? 0) / sigma;
        for (const [term, x] of row) projection[term * dims + j] = (projection[term * dims + j] ?? 0) + x * w;
      });
    });
    const hash = createHash('sha256').update(vocabulary.join('\u0001')).update(Buffer.from(projection.buffer)).digest('hex').slice(0, 16);
    return new BuiltinEmbedder(tokenizer, vocabulary, idf, projection, dims, hash);
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
    const row = tfidf(features(this.tokenizer, text), this.index, this.idf);
    const out = new Float64Array(this.dimensions);
    for (const [term, x] of row) {
      const base = term * this.dimensions;
      for (let j = 0; j < this.dimensions; j++) out[j] = (out[j] ?? 0) + x * (this.projection[base + j] ?? 0);
    }
    const norm = Math.sqrt(out.reduce((s, v) => s + v * v, 0)) || 1;
    return Array.from(out, (v) => v / norm);
  }

  async embedDocuments(texts: string[]): Promise<number[][]> {
    return texts.map((t) => this.embedSync(t));
  }

  async embedQuery(text: string): Promise<number[]> {
    return this.embedSync(text);
  }
}

function features(tokenizer: Tokenizer, text: string): string[] {
  return [...tokenizer.words(text), ...tokenizer.bigrams(text).map((b) => `#${b}`)];
}

/** Sublinear tf × idf, L2-normalised, as sorted [termIndex, weight] pairs. */
function tfidf(tokens: string[], index: Map<string, number>, idf: Float64Array): Array<[number, number]> {
  const tf = new Map<number, number>();
  for (const t of tokens) {
    const i = index.get(t);
    if (i !== undefined) tf.set(i, (tf.get(i) ?? 0) + 1);
  }
  const row: Array<[number, number]> = [...tf].map(([i, n]) => [i, (1 + Math.log(n)) * (idf[i] ?? 0)]);
  const norm = Math.sqrt(row.reduce((s, [, w]) => s + w * w, 0)) || 1;
  return row.map(([i, w]) => [i, w / norm] as [number, number]).sort((a, b) => a[0] - b[0]);
}

function sparseDot(a: Array<[number, number]>, b: Array<[number, number]>): number {
  let i = 0;
  let j = 0;
  let s = 0;
  while (i < a.length && j < b.length) {
    const ai = a[i] as [number, number];
    const bj = b[j] as [number, number];
    if (ai[0] === bj[0]) {
      s += ai[1] * bj[1];
      i++;
      j++;
    } else if (ai[0] < bj[0]) i++;
    else j++;
  }
  return s;
}
