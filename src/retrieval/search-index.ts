import { leadNoun } from './lead-noun.js';
import { createHash } from 'node:crypto';
import { mkdir, open, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
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
import { Vocabulary } from './vocabulary.js';
import { HnswVectorIndex, type VectorIndex } from './vector-index.js';

/** Bump when ingestion, chunking or scoring code changes in a way that alters the index. */
export const PIPELINE_VERSION = 'pipeline-v6';

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
  /** nearest chunks by embedding (the VectorIndex port; hnswlib by default) */
  vectors: VectorIndex;
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
 * Opens the search index: when the persisted one's hash matches (corpus and lexicon bytes,
 * chunking, pipeline version, embedder) it is loaded — parsed corpus, vectors, both BM25 indexes,
 * lead nouns and lexicon, so start-up neither parses documents nor tokenises; otherwise the corpus
 * is loaded, chunked and tokenised once, and the index built and persisted.
 */
export async function openSearchIndex(options: OpenIndexOptions): Promise<SearchIndex> {
  const chunkOptions = options.chunkOptions ?? DEFAULT_CHUNK_OPTIONS;
  const embedderKey = options.plan.kind === 'builtin' ? 'builtin-lsa-v1' : options.plan.embedder.id;
  const dir = path.join(options.dataDir, 'index');
  const [hash, meta] = await Promise.all([computeIndexHash(options.corpusDir, chunkOptions, embedderKey), readMeta(dir)]);
  // The lexicon's bytes are in the hash: when it matches, the parsed copy kept with the index is it (YAML is slow to parse).
  const current = !options.force && meta?.hash === hash;
  const lexicon = (current ? await readStoredLexicon(dir) : undefined) ?? (await loadLexicon(options.corpusDir));
  const tokenizer = createTokenizer(lexicon);
  const loaded = current ? await loadPersisted(dir, meta.chunks, tokenizer, options) : undefined;
  if (loaded) {
    options.logger.info('search index loaded', { chunks: loaded.chunks.length, embedder: loaded.embedder.id });
    return assemble({ ...loaded, tokenizer, lexicon, rebuilt: false, hash });
  }
  const docs = await loadCorpus(options.corpusDir, options.logger);
  const chunks = chunkDocuments(docs, chunkOptions);
  options.logger.info(meta ? 'corpus, chunking or embedder changed: rebuilding the search index' : 'building the search index', { chunks: chunks.length });
  // Each chunk is tokenised once, into numbers: the embedder's features, both BM25 indexes and the lead nouns share it.
  const words = new Vocabulary();
  const bigrams = new Vocabulary();
  const wordIds = chunks.map((c) => words.encode(tokenizer.words(c.searchText)));
  const bigramIds = chunks.map((c) => bigrams.encode(tokenizer.bigrams(c.searchText)));
  const lexical = { wordIndex: Bm25Index.buildIds(wordIds, words.terms), bigramIndex: Bm25Index.buildIds(bigramIds, bigrams.terms), leadNouns: chunks.map((c) => leadNoun(c, tokenizer)) };
  let embedder: Embedder;
  let embed: (from: number, to: number) => Promise<number[][]>;
  if (options.plan.kind === 'builtin') {
    // Features: words, then bigrams after them (featuresOf marks a bigram with #).
    const features = (i: number): Uint32Array => concatShifted(wordIds[i] ?? new Uint32Array(), bigramIds[i] ?? new Uint32Array(), words.size);
    const builtin = BuiltinEmbedder.fitIds(chunks.length, features, featuresOf(words.terms, bigrams.terms), tokenizer);
    embedder = builtin;
    embed = async (from, to) => chunks.slice(from, to).map((_, j) => builtin.embedIds(features(from + j)));
  } else {
    const model = options.plan.embedder;
    embedder = model;
    embed = async (from, to) => model.embedDocuments(chunks.slice(from, to).map((c) => c.searchText));
  }
  const vectors = await buildVectors(chunks, embedder, embed, options.progress);
  await persist(dir, { vectors, embedder, ...lexical, docs, chunks, lexicon }, { hash, embedderId: embedder.id, chunks: chunks.length, builtAt: new Date().toISOString() });
  return assemble({ docs, chunks, ...lexical, vectors, embedder, tokenizer, lexicon, rebuilt: true, hash });
}

/** What the index directory holds besides meta.json. */
interface Persisted extends LexicalData {
  docs: PolicyDocument[];
  chunks: Chunk[];
  vectors: VectorIndex;
  embedder: Embedder;
}

/**
 * The persisted index, read in parallel (the HNSW file is read off the main thread while the
 * parsed corpus is decoded), or undefined when any part is missing or does not fit: then it is
 * rebuilt. The corpus is kept parsed with the index (and chunked again, which is quick): re-reading,
 * cleaning and parsing thousands of documents is most of a start-up otherwise.
 */
async function loadPersisted(dir: string, chunkCount: number, tokenizer: Tokenizer, options: OpenIndexOptions): Promise<Persisted | undefined> {
  try {
    const embedderP = options.plan.kind === 'builtin' ? BuiltinEmbedder.load(dir, tokenizer) : Promise.resolve(options.plan.embedder);
    const storeP = embedderP.then((e) => HnswVectorIndex.load(dir, e.dimensions));
    const [corpus, lexical, embedder, vectors] = await Promise.all([readCorpus(dir, options.chunkOptions ?? DEFAULT_CHUNK_OPTIONS), readLexical(dir, chunkCount), embedderP, storeP]);
    if (corpus.chunks.length !== chunkCount || vectors.size !== chunkCount) throw new Error('chunk count differs from meta.json');
    return { ...corpus, ...lexical, embedder, vectors };
  } catch (e) {
    options.logger.warn('search index unreadable: rebuilding it', { error: (e as Error).message });
    return undefined;
  }
}

function assemble(parts: Omit<SearchIndex, 'docChunks'>): SearchIndex {
  const docChunks = new Map<string, number[]>();
  parts.chunks.forEach((c, i) => {
    const list = docChunks.get(c.locator.doc);
    if (list) list.push(i);
    else docChunks.set(c.locator.doc, [i]);
  });
  return { ...parts, docChunks };
}

/** What the index keeps per chunk beyond its vector: both BM25 indexes and the lead nouns. */
interface LexicalData {
  wordIndex: Bm25Index;
  bigramIndex: Bm25Index;
  leadNouns: Array<string | undefined>;
}

const storedLexiconSchema = z.object({
  domainWords: z.string(),
  synonyms: z.array(z.tuple([z.string(), z.array(z.string())])),
  english: z.array(z.tuple([z.string(), z.array(z.string())])),
});

/** The lexicon as the build parsed it, or undefined (then it is read from the corpus again). */
async function readStoredLexicon(dir: string): Promise<Lexicon | undefined> {
  try {
    const raw = storedLexiconSchema.parse(JSON.parse((await readFile(path.join(dir, 'lexicon.json'))).toString('utf8')));
    return { domainWords: raw.domainWords, synonyms: new Map(raw.synonyms), english: new Map(raw.english) };
  } catch {
    return undefined;
  }
}

const leadNounsSchema = z.array(z.string().nullable());

/** The persisted BM25 indexes and lead nouns. @throws Error when missing or not of this corpus's size. */
async function readLexical(dir: string, chunks: number): Promise<LexicalData> {
  const [words, bigrams, nouns] = await Promise.all([readFile(path.join(dir, 'bm25-words.bin')), readFile(path.join(dir, 'bm25-bigrams.bin')), readFile(path.join(dir, 'lead-nouns.json'))]);
  const wordIndex = Bm25Index.fromData(decodeBm25(words));
  const bigramIndex = Bm25Index.fromData(decodeBm25(bigrams));
  const leadNouns = leadNounsSchema.parse(JSON.parse(nouns.toString('utf8'))).map((n) => n ?? undefined);
  if (wordIndex.size !== chunks || bigramIndex.size !== chunks || leadNouns.length !== chunks) throw new Error('persisted tokens: sizes differ from the chunks');
  return { wordIndex, bigramIndex, leadNouns };
}

/**
 * The parsed corpus as the build wrote it (chunking it again is quick; cleaning and parsing
 * thousands of documents is not). Units are written without their document's id and title,
 * restored here. Checked by type guards on every document and unit rather than by a zod schema:
 * zod copies each of 60,000 objects, a second at every start, for a file only this code writes,
 * under a hash that must match. @throws Error when missing or malformed.
 */
async function readCorpus(dir: string, chunkOptions: ChunkOptions): Promise<{ docs: PolicyDocument[]; chunks: Chunk[] }> {
  // Decoded in one call: readFile(…, 'utf8') decodes a large file piece by piece, several times slower.
  const raw = JSON.parse((await readFile(path.join(dir, 'corpus.json'))).toString('utf8')) as { docs?: unknown };
  const { docs } = raw;
  if (!Array.isArray(docs) || !docs.every(isStoredDocument)) throw new Error('corpus.json: malformed');
  for (const d of docs) {
    for (const u of d.units) {
      Object.assign(u.locator, { doc: d.id, title: d.title });
      const at = (u as { at?: unknown }).at;
      if (Array.isArray(at)) u.text = d.text.slice(Number(at[0]), Number(at[1]));
      delete (u as { at?: unknown }).at;
    }
  }
  return { docs, chunks: chunkDocuments(docs, chunkOptions) };
}

/**
 * The corpus as stored (see writeCorpus): a unit's text is verbatim document text, so it is kept as its place in the
 * document ([start, end)) where found there (half the file; the loaded strings share the text).
 */
async function writeCorpus(file: string, docs: PolicyDocument[]): Promise<void> {
  // Written document by document: one JSON string of the whole corpus would double the build's memory.
  const out = await open(file, 'w');
  try {
    await out.write('{"docs":[');
    for (const [i, d] of docs.entries()) await out.write(`${i > 0 ? ',' : ''}${JSON.stringify(storedDocument(d))}`);
    await out.write(']}');
  } finally {
    await out.close();
  }
}

function storedDocument(d: PolicyDocument): object {
  let cursor = 0;
  const units = d.units.map((u) => {
    const found = d.text.indexOf(u.text, cursor);
    const start = found >= 0 ? found : d.text.indexOf(u.text);
    if (start >= 0) cursor = start;
    const text = start >= 0 ? { at: [start, start + u.text.length], text: undefined } : { text: u.text };
    return { ...u, ...text, locator: { ...u.locator, doc: undefined, title: undefined } };
  });
  return { ...d, units };
}

const isRecord = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null;

function isStoredDocument(x: unknown): x is PolicyDocument {
  if (!isRecord(x) || typeof x['id'] !== 'string' || typeof x['title'] !== 'string' || typeof x['text'] !== 'string' || !isRecord(x['meta']) || !Array.isArray(x['units'])) return false;
  return x['units'].every((u) => isRecord(u) && (typeof u['text'] === 'string' || Array.isArray(u['at'])) && typeof u['kind'] === 'string' && Array.isArray(u['headingPath']) && isRecord(u['locator']) && typeof u['locator']['label'] === 'string' && typeof u['locator']['article'] === 'string');
}

function concatShifted(a: Uint32Array, b: Uint32Array, shift: number): Uint32Array {
  const out = new Uint32Array(a.length + b.length);
  out.set(a);
  for (let i = 0; i < b.length; i++) out[a.length + i] = (b[i] as number) + shift;
  return out;
}

/** Vectors in batches (a progress bar moves), then the HNSW index over all of them, sized once. */
async function buildVectors(chunks: Chunk[], embedder: Embedder, embed: (from: number, to: number) => Promise<number[][]>, progress?: BuildProgress): Promise<HnswVectorIndex> {
  const batch = 256;
  const vectors: number[][] = [];
  progress?.start(chunks.length);
  for (let i = 0; i < chunks.length; i += batch) {
    const to = Math.min(chunks.length, i + batch);
    vectors.push(...(await embed(i, to)));
    progress?.update(to);
  }
  const index = HnswVectorIndex.build(vectors, embedder.dimensions);
  progress?.stop();
  return index;
}

async function persist(dir: string, parts: Omit<Persisted, 'vectors'> & { vectors: HnswVectorIndex; lexicon: Lexicon }, meta: z.infer<typeof metaSchema>): Promise<void> {
  const { embedder, docs } = parts;
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  await parts.vectors.save(dir);
  await writeCorpus(path.join(dir, 'corpus.json'), docs);
  await writeFile(path.join(dir, 'lexicon.json'), JSON.stringify({ domainWords: parts.lexicon.domainWords, synonyms: [...parts.lexicon.synonyms], english: [...parts.lexicon.english] }));
  if (embedder instanceof BuiltinEmbedder) await embedder.save(dir);
  await writeFile(path.join(dir, 'bm25-words.bin'), encodeBm25(parts.wordIndex.toData()));
  await writeFile(path.join(dir, 'bm25-bigrams.bin'), encodeBm25(parts.bigramIndex.toData()));
  await writeFile(path.join(dir, 'lead-nouns.json'), JSON.stringify(parts.leadNouns.map((n) => n ?? null)));
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
    // Read a batch at a time (thousands of small files one by one is mostly waiting), hashed in order.
    for (let i = 0; i < files.length; i += HASH_READ_BATCH) {
      const batch = files.slice(i, i + HASH_READ_BATCH);
      const contents = await Promise.all(batch.map((f) => readFile(path.join(dir, f))));
      batch.forEach((f, j) => h.update(`${sub}/${f}\u0000`).update(contents[j] ?? Buffer.alloc(0)));
    }
  }
  return h.digest('hex').slice(0, 24);
}

const HASH_READ_BATCH = 64;
