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
import { Bm25Index } from './bm25.js';
import { BuiltinEmbedder } from './builtin-embedder.js';
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
 * embedder) or rebuilds and persists it. BM25 is rebuilt in memory on every start (milliseconds).
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
  let rebuilt = false;
  if (!options.force && meta?.hash === hash && meta.chunks === chunks.length) {
    embedder = options.plan.kind === 'builtin' ? await BuiltinEmbedder.load(dir, tokenizer) : options.plan.embedder;
    vectorStore = await HNSWLib.load(dir, embedder);
    options.logger.info('search index loaded', { chunks: chunks.length, embedder: embedder.id });
  } else {
    options.logger.info(meta ? 'corpus, chunking or embedder changed: rebuilding the search index' : 'building the search index', { chunks: chunks.length });
    embedder = options.plan.kind === 'builtin' ? BuiltinEmbedder.fit(chunks.map((c) => c.searchText), tokenizer) : options.plan.embedder;
    const built = await buildVectorStore(chunks, embedder, options.progress);
    await persist(dir, built, embedder, { hash, embedderId: embedder.id, chunks: chunks.length, builtAt: new Date().toISOString() });
    vectorStore = built;
    rebuilt = true;
  }
  return {
    docs,
    chunks,
    tokenizer,
    lexicon,
    wordIndex: new Bm25Index(chunks.map((c) => tokenizer.words(c.searchText))),
    bigramIndex: new Bm25Index(chunks.map((c) => tokenizer.bigrams(c.searchText))),
    leadNouns: chunks.map((c) => leadNoun(c, tokenizer)),
    vectorStore,
    embedder,
    rebuilt,
    hash,
  };
}

async function buildVectorStore(chunks: Chunk[], embedder: Embedder, progress?: BuildProgress): Promise<HNSWLib> {
  const store = new HNSWLib(embedder, { space: 'cosine', numDimensions: embedder.dimensions });
  const batch = 32;
  progress?.start(chunks.length);
  for (let i = 0; i < chunks.length; i += batch) {
    const slice = chunks.slice(i, i + batch);
    const vectors = await embedder.embedDocuments(slice.map((c) => c.searchText));
    const documents = slice.map(
      (c, j) => new Document({ pageContent: c.text, metadata: { chunkIndex: i + j, chunkId: c.id, doc: c.locator.doc, label: c.locator.label } }),
    );
    await store.addVectors(vectors, documents);
    progress?.update(Math.min(chunks.length, i + batch));
  }
  progress?.stop();
  return store;
}

async function persist(dir: string, store: HNSWLib, embedder: Embedder, meta: z.infer<typeof metaSchema>): Promise<void> {
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  await store.save(dir);
  if (embedder instanceof BuiltinEmbedder) await embedder.save(dir);
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
