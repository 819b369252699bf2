import { leadNoun } from './lead-noun.js';
import { createHash } from 'node:crypto';
import { mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Document } from '@langchain/core/documents';
import { HNSWLib } from '@langchain/community/vectorstores/hnswlib';
import type { VectorStore } from '@langchain/core/vectorstores';
import { z } from 'zod';
import type { Logger } from '../core/logger.js';
import { chunkDocuments, DEFAULT_CHUNK_OPTIONS, type ChunkOptions } from '../corpus/chunk.js';
import { loadCorpus } from '../corpus/load-corpus.js';
import type { Chunk, PolicyDocument } from '../corpus/types.js';
import { Bm25Index, decodeBm25, encodeBm25 } from './bm25.js';
import { BuiltinEmbedder, featuresOf } from './builtin-embedder.js';
import type { Embedder } from './embedder.js';
import { loadLexicon, type Lexicon } from './lexicon.js';
import type { EmbedderPlan } from './select-embedder.js';
import { createTokenizer, type Tokenizer } from './tokenizer.js';

/** Bump when ingestion, chunking or scoring code changes in a way that alters the index. */
export const PIPELINE_VERSION = 'pipeline-v4';

const metaSchema = z.object({
  hash: z.string(),
  embedderId: z.string(),
  chunks: z.number().int(),
  builtAt: z.string(),
});

export interface SearchIndex {
  docs: PolicyDocument[];
  chunks: Chunk[];
  tokenizer: Tokenizer;
  lexicon: Lexicon;
  wordIndex: Bm25Index;
  bigramIndex: Bm25Index;
  /** per chunk, what its lead-in announces (条件, 材料, 程序 …), see lead-noun.ts */
  leadNouns: Array<string | undefined>;
  /**
   * Retrieval uses only LangChain's VectorStore interface (similaritySearchVectorWithScore), so a
   * LangChain store for pgvector or Qdrant can replace hnswlib here without touching retrieval.
   */
  vectorStore: VectorStore;
  embedder: Embedder;
  /** document id → its chunks' indices */
  docChunks: Map<string, number[]>;
  /** true when this call built the index, false when it was loaded from disk */
  rebuilt: boolean;
  hash: string;
}

export interface BuildProgress {
  start(total: number): void;
  update(done: number): void;
  stop(): void;
}

export interface OpenIndexOptions {
  corpusDir: string;
  dataDir: string;
  plan: EmbedderPlan;
  logger: Logger;
  chunkOptions?: ChunkOptions;
  progress?: BuildProgress;
  /** rebuild even when the hash matches (the /reindex command) */
  force?: boolean;
}

/**
 * Opens the search index: loads and chunks the corpus, then loads the persisted vector
 * index when its hash matches (corpus bytes, lexicon, chunking, pipeline version and
 * embedder) or rebuilds and persists it, with both BM25 indexes and the lead nouns, so start-up
 * tokenises nothing.
 */
export async function openSearchIndex(options: OpenIndexOptions): Promise<SearchIndex> {
  const chunkOptions = options.chunkOptions ?? DEFAULT_CHUNK_OPTIONS;
  const [docs, lexicon] = await Promise.all([loadCorpus(options.corpusDir, options.logger), loadLexicon(options.corpusDir)]);
  const chunks = chunkDocuments(docs, chunkOptions);
  const tokenizer = createTokenizer(lexicon);
  const embedderKey = options.plan.kind === 'builtin' ? 'builtin-lsa-v1' : options.plan.embedder.id;
  const hash = await computeIndexHash(options.corpusDir, chunkOptions, embedderKey);
  const dir = path.join(options.dataDir, 'index');
  const meta = await readMeta(dir);

  let vectorStore: VectorStore;
  let embedder: Embedder;
  let lexical: LexicalData | undefined;
  let rebuilt = false;
  if (!options.force && meta?.hash === hash && meta.chunks === chunks.length) {
    embedder = options.plan.kind === 'builtin' ? await BuiltinEmbedder.load(dir, tokenizer) : options.plan.embedder;
    vectorStore = await HNSWLib.load(dir, embedder);
    // Tokens are not recomputed at start-up (jieba over every chunk): the index keeps their postings.
    lexical = await readLexical(dir, chunks.length, options.logger);
    options.logger.info('search index loaded', { chunks: chunks.length, embedder: embedder.id });
  } else {
    options.logger.info(meta ? 'corpus, chunking or embedder changed: rebuilding the search index' : 'building the search index', { chunks: chunks.length });
    // Each chunk is tokenised once: the embedder's features, both BM25 indexes and the lead nouns share it.
    const words = chunks.map((c) => tokenizer.words(c.searchText));
    const bigrams = chunks.map((c) => tokenizer.bigrams(c.searchText));
    const features = (i: number): string[] => featuresOf(words[i] ?? [], bigrams[i] ?? []);
    const builtin = options.plan.kind === 'builtin' ? BuiltinEmbedder.fitFeatures(chunks.map((_, i) => features(i)), tokenizer) : undefined;
    embedder = builtin ?? (options.plan.kind === 'builtin' ? unreachable() : options.plan.embedder);
    lexical = lexicalData(chunks, words, bigrams, tokenizer);
    const embed = builtin ? async (from: number, to: number) => chunks.slice(from, to).map((_, j) => builtin.embedFeatures(features(from + j))) : async (from: number, to: number) => embedder.embedDocuments(chunks.slice(from, to).map((c) => c.searchText));
    const built = await buildVectorStore(chunks, embedder, embed, options.progress);
    await persist(dir, built, embedder, lexical, { hash, embedderId: embedder.id, chunks: chunks.length, builtAt: new Date().toISOString() });
    vectorStore = built;
    rebuilt = true;
  }
  lexical ??= lexicalData(chunks, chunks.map((c) => tokenizer.words(c.searchText)), chunks.map((c) => tokenizer.bigrams(c.searchText)), tokenizer);
  const docChunks = new Map<string, number[]>();
  chunks.forEach((c, i) => {
    const list = docChunks.get(c.locator.doc);
    if (list) list.push(i);
    else docChunks.set(c.locator.doc, [i]);
  });
  return { docs, chunks, tokenizer, lexicon, ...lexical, vectorStore, embedder, rebuilt, hash, docChunks };
}

/** What the index keeps per chunk beyond its vector: both BM25 indexes and the lead nouns. */
interface LexicalData {
  wordIndex: Bm25Index;
  bigramIndex: Bm25Index;
  leadNouns: Array<string | undefined>;
}

function lexicalData(chunks: Chunk[], words: string[][], bigrams: string[][], tokenizer: Tokenizer): LexicalData {
  return { wordIndex: Bm25Index.build(words), bigramIndex: Bm25Index.build(bigrams), leadNouns: chunks.map((c) => leadNoun(c, tokenizer)) };
}

const leadNounsSchema = z.array(z.string().nullable());

/** The persisted lexical data, or undefined (and a log line) when it is missing or does not fit: then it is recomputed. */
async function readLexical(dir: string, chunks: number, logger: Logger): Promise<LexicalData | undefined> {
  try {
    const [words, bigrams, nouns] = await Promise.all([readFile(path.join(dir, 'bm25-words.bin')), readFile(path.join(dir, 'bm25-bigrams.bin')), readFile(path.join(dir, 'lead-nouns.json'), 'utf8')]);
    const wordIndex = Bm25Index.fromData(decodeBm25(words));
    const bigramIndex = Bm25Index.fromData(decodeBm25(bigrams));
    const leadNouns = leadNounsSchema.parse(JSON.parse(nouns)).map((n) => n ?? undefined);
    if (wordIndex.size !== chunks || bigramIndex.size !== chunks || leadNouns.length !== chunks) throw new Error('sizes differ from the chunks');
    return { wordIndex, bigramIndex, leadNouns };
  } catch (e) {
    logger.warn('persisted tokens unreadable: tokenising the corpus again', { error: (e as Error).message });
    return undefined;
  }
}

function unreachable(): never {
  throw new Error('unreachable');
}

/**
 * Vectors in batches (a progress bar moves), then into the HNSW index in one call: LangChain sizes
 * the index for the first call's vectors and resizes it on every later one, so one call sizes it once.
 */
async function buildVectorStore(chunks: Chunk[], embedder: Embedder, embed: (from: number, to: number) => Promise<number[][]>, progress?: BuildProgress): Promise<HNSWLib> {
  const store = new HNSWLib(embedder, { space: 'cosine', numDimensions: embedder.dimensions });
  const batch = 256;
  const vectors: number[][] = [];
  progress?.start(chunks.length);
  for (let i = 0; i < chunks.length; i += batch) {
    const to = Math.min(chunks.length, i + batch);
    vectors.push(...(await embed(i, to)));
    progress?.update(to);
  }
  // The docstore keeps ids, not text: retrieval reads chunkIndex and the chunks are in memory.
  const documents = chunks.map((c, i) => new Document({ pageContent: c.id, metadata: { chunkIndex: i, chunkId: c.id, doc: c.locator.doc, label: c.locator.label } }));
  await store.addVectors(vectors, documents);
  progress?.stop();
  return store;
}

async function persist(dir: string, store: HNSWLib, embedder: Embedder, lexical: LexicalData, meta: z.infer<typeof metaSchema>): Promise<void> {
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  await store.save(dir);
  if (embedder instanceof BuiltinEmbedder) await embedder.save(dir);
  await writeFile(path.join(dir, 'bm25-words.bin'), encodeBm25(lexical.wordIndex.toData()));
  await writeFile(path.join(dir, 'bm25-bigrams.bin'), encodeBm25(lexical.bigramIndex.toData()));
  await writeFile(path.join(dir, 'lead-nouns.json'), JSON.stringify(lexical.leadNouns.map((n) => n ?? null)));
  // meta.json last: a crash mid-write leaves no meta, so the next start rebuilds.
  await writeFile(path.join(dir, 'meta.json'), JSON.stringify(meta, null, 2));
}

async function readMeta(dir: string): Promise<z.infer<typeof metaSchema> | undefined> {
  try {
    return metaSchema.parse(JSON.parse(await readFile(path.join(dir, 'meta.json'), 'utf8')));
  } catch {
    return undefined;
  }
}

/** Hash of everything the index depends on: corpus and lexicon bytes, chunk options, pipeline version, embedder. */
export async function computeIndexHash(corpusDir: string, chunkOptions: ChunkOptions, embedderKey: string): Promise<string> {
  const h = createHash('sha256');
  h.update(PIPELINE_VERSION).update(JSON.stringify(chunkOptions)).update(embedderKey);
  for (const sub of ['', 'lexicon']) {
    const dir = path.join(corpusDir, sub);
    let files: string[] = [];
    try {
      files = (await readdir(dir, { withFileTypes: true })).filter((e) => e.isFile()).map((e) => e.name).sort();
    } catch {
      continue;
    }
    for (const f of files) h.update(`${sub}/${f}\u0000`).update(await readFile(path.join(dir, f)));
  }
  return h.digest('hex').slice(0, 24);
}
