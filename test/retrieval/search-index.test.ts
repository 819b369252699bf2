import { cpSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/core/logger.js';
import { openSearchIndex } from '../../src/retrieval/search-index.js';
import { retrieve } from '../../src/retrieval/hybrid-retriever.js';
import { Bm25Index, decodeBm25, encodeBm25 } from '../../src/retrieval/bm25.js';
import { CORPUS_DIR, tempDir } from '../helpers/paths.js';

const builtin = { kind: 'builtin', reason: 'test' } as const;

function copyCorpus(): string {
  const dir = path.join(tempDir(), 'corpus');
  cpSync(CORPUS_DIR, dir, { recursive: true });
  return dir;
}

describe('search index persistence and the rebuild rule', () => {
  it('builds once, then loads from disk until the corpus, chunking or embedder changes', async () => {
    const corpusDir = copyCorpus();
    const dataDir = tempDir();
    const first = await openSearchIndex({ corpusDir, dataDir, plan: builtin, logger: silentLogger });
    expect(first.rebuilt).toBe(true);
    expect(existsSync(path.join(dataDir, 'index', 'hnswlib.index'))).toBe(true);

    const second = await openSearchIndex({ corpusDir, dataDir, plan: builtin, logger: silentLogger });
    expect(second.rebuilt).toBe(false);
    expect(second.hash).toBe(first.hash);
    // The loaded index answers exactly like the freshly built one.
    const q = '网点备案有效期几年';
    const a = await retrieve(first, q);
    const b = await retrieve(second, q);
    expect(b.ranked.map((r) => r.chunk.locator.label)).toEqual(a.ranked.map((r) => r.chunk.locator.label));

    const otherChunking = await openSearchIndex({ corpusDir, dataDir, plan: builtin, logger: silentLogger, chunkOptions: { maxChars: 300 } });
    expect(otherChunking.rebuilt).toBe(true);

    const file = path.join(corpusDir, 'city-center-guideline.txt');
    writeFileSync(file, readFileSync(file, 'utf8').replace('配备 2 名及以上', '配备 3 名及以上'));
    const changed = await openSearchIndex({ corpusDir, dataDir, plan: builtin, logger: silentLogger, chunkOptions: { maxChars: 300 } });
    expect(changed.rebuilt).toBe(true);
    const thirteenth = changed.chunks.find((c) => c.locator.label === '第十三条' && c.locator.doc === 'city-center-guideline');
    expect(thirteenth?.text).toContain('配备 3 名及以上');
  });

  it('rebuilds, and answers the same, when a file of the saved index is damaged or missing', async () => {
    const corpusDir = copyCorpus();
    const dataDir = tempDir();
    const first = await openSearchIndex({ corpusDir, dataDir, plan: builtin, logger: silentLogger });
    for (const damage of [() => writeFileSync(path.join(dataDir, 'index', 'bm25-words.bin'), 'not an index'), () => rmSync(path.join(dataDir, 'index', 'corpus.json'))]) {
      damage();
      const again = await openSearchIndex({ corpusDir, dataDir, plan: builtin, logger: silentLogger });
      expect(again.rebuilt).toBe(true);
      const q = '地市级中心要几个专职人员';
      expect((await retrieve(again, q)).ranked.map((r) => r.chunk.id)).toEqual((await retrieve(first, q)).ranked.map((r) => r.chunk.id));
    }
  });

  it('keeps BM25 postings that score the same after a round trip through the file format, from any byte offset', () => {
    const docs = [['网点', '备案', '材料'], ['网点', '网点', '年度', '总结'], ['中心', '登记', '材料', '材料', '材料']];
    const built = Bm25Index.build(docs);
    const bytes = encodeBm25(built.toData());
    const shifted = Buffer.concat([Buffer.from([0]), bytes]).subarray(1);
    for (const buf of [bytes, shifted]) {
      const read = Bm25Index.fromData(decodeBm25(buf));
      for (const q of [['网点'], ['材料', '年度'], ['没有的词']]) expect([...read.score(q)]).toEqual([...built.score(q)]);
      expect(read.documentFrequency('材料')).toBe(2);
      expect(read.contains(2, '材料')).toBe(true);
      expect(read.contains(1, '材料')).toBe(false);
    }
    // More of a term in a shorter document scores higher; a term in every document weighs little.
    const scores = built.score(['材料']);
    expect(scores[2]).toBeGreaterThan(scores[0] ?? 0);
    expect(scores[1]).toBe(0);
    expect(() => decodeBm25(bytes.subarray(0, bytes.length - 3))).toThrow();
  });

  it('finds the article that states the fact with the real hnswlib index', async () => {
    const index = await openSearchIndex({ corpusDir: CORPUS_DIR, dataDir: tempDir(), plan: builtin, logger: silentLogger });
    const r = await retrieve(index, '年报啥时候交');
    expect(r.ranked[0]?.chunk.locator).toMatchObject({ doc: 'outlet-filing-measures', label: '第十七条' });
    const hits = index.vectors.search(await index.embedder.embedQuery('地市级综合性知识产权公共服务机构人员配备'), 3);
    expect(hits.length).toBe(3);
    expect(hits.map((h) => index.chunks[h.index]?.locator.doc)).toContain('city-center-guideline');
  });
});
