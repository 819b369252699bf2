import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { silentLogger } from '../../src/core/logger.js';
import { createQaServices } from '../../src/compose.js';
import { planEmbedder } from '../../src/retrieval/select-embedder.js';
import { TransformersEmbedder } from '../../src/retrieval/transformers-embedder.js';
import { CORPUS_DIR, tempDir } from '../helpers/paths.js';
import { writeTinyModel } from '../helpers/tiny-model.js';

const corpusChars = [...new Set(readFileSync(path.join(CORPUS_DIR, 'outlet-filing-measures.txt'), 'utf8').replace(/\s/g, ''))];

describe('transformers.js embedder with a local model (no hub)', () => {
  it('loads the model from the model folder with remote models disabled and embeds Chinese', async () => {
    const modelDir = tempDir();
    writeTinyModel(modelDir, 'tiny-zh', corpusChars);
    const embedder = await TransformersEmbedder.create({ model: 'tiny-zh', modelDir, allowDownload: false, dtype: 'fp32', pooling: 'mean' });
    expect(embedder.dimensions).toBe(16);
    expect(embedder.id).toBe('transformers:tiny-zh:fp32:mean');
    const [a, b] = await embedder.embedDocuments(['网点备案', '专职人员']);
    expect(a).toHaveLength(16);
    expect(Math.hypot(...(a ?? []))).toBeCloseTo(1, 5);
    expect(a).not.toEqual(b);
    expect(await embedder.embedQuery('网点备案')).toEqual(a);
  });

  it('refuses to download when the model is missing and downloads are not allowed', async () => {
    await expect(TransformersEmbedder.create({ model: 'absent-model', modelDir: tempDir(), allowDownload: false, dtype: 'fp32' })).rejects.toThrow(
      /not found .* downloads are disabled/,
    );
  });

  it('auto mode falls back to the built-in embedder and says why; explicit mode fails loudly', async () => {
    const plan = await planEmbedder({ choice: 'auto', model: 'absent-model', modelDir: tempDir(), allowDownload: false, dtype: 'fp32' }, silentLogger);
    expect(plan.kind).toBe('builtin');
    expect(plan.reason).toContain('downloads are disabled');
    await expect(planEmbedder({ choice: 'transformers', model: 'absent-model', modelDir: tempDir(), allowDownload: false, dtype: 'fp32' }, silentLogger)).rejects.toThrow();
  });

  it('serves the whole Q&A stack when configured, and the index records which embedder built it', async () => {
    const modelDir = tempDir();
    writeTinyModel(modelDir, 'tiny-zh', corpusChars);
    const dataDir = tempDir();
    const config = loadConfig({ DATA_DIR: dataDir, CORPUS_DIR, EMBEDDER: 'transformers', EMBEDDING_MODEL: 'tiny-zh', EMBEDDING_MODEL_DIR: modelDir });
    const qa = await createQaServices(config, silentLogger);
    expect(qa.index.embedder.id).toBe('transformers:tiny-zh:fp32:mean');
    const meta = JSON.parse(readFileSync(path.join(dataDir, 'index', 'meta.json'), 'utf8')) as { embedderId: string };
    expect(meta.embedderId).toBe('transformers:tiny-zh:fp32:mean');
    const answer = await qa.answers.answer('年报啥时候交');
    expect(answer.citations[0]?.article).toBe('第十七条');
    // Switching back to the built-in embedder rebuilds rather than querying vectors of another model.
    const builtin = await createQaServices(loadConfig({ DATA_DIR: dataDir, CORPUS_DIR, EMBEDDER: 'builtin' }), silentLogger);
    expect(builtin.index.rebuilt).toBe(true);
  });
});
