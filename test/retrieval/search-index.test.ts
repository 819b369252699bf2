import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/core/logger.js';
import { openSearchIndex } from '../../src/retrieval/search-index.js';
import { retrieve } from '../../src/retrieval/hybrid-retriever.js';
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

  it('finds the article that states the fact with the real hnswlib index', async () => {
    const index = await openSearchIndex({ corpusDir: CORPUS_DIR, dataDir: tempDir(), plan: builtin, logger: silentLogger });
    const r = await retrieve(index, '年报啥时候交');
    expect(r.ranked[0]?.chunk.locator).toMatchObject({ doc: 'outlet-filing-measures', label: '第十七条' });
    const hits = await index.vectorStore.similaritySearch('地市级综合性知识产权公共服务机构人员配备', 3);
    expect(hits.length).toBe(3);
    expect(hits.map((h) => h.metadata['doc'])).toContain('city-center-guideline');
  });
});
