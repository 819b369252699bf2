import { access } from 'node:fs/promises';
import path from 'node:path';
import { Embeddings } from '@langchain/core/embeddings';
import { AppError } from '../core/errors.js';
import type { Embedder } from './embedder.js';

export interface TransformersEmbedderOptions {
  model: string;
  modelDir: string;
  allowDownload: boolean;
  dtype: 'fp32' | 'q8';
  /** bge models use the [CLS] vector; others mean-pool. Default: cls for names containing "bge". */
  pooling?: 'cls' | 'mean';
}

type Extractor = (texts: string[], options: { pooling: 'cls' | 'mean'; normalize: boolean }) => Promise<{ tolist(): number[][] }>;

/**
 * A sentence-embedding model run by transformers.js on the CPU. Reads the model from
 * `<modelDir>/<model>/` (config.json, tokenizer.json, tokenizer_config.json, onnx/model.onnx);
 * reaches the Hugging Face hub only when allowDownload is true.
 */
export class TransformersEmbedder extends Embeddings implements Embedder {
  readonly id: string;
  readonly description: string;

  private constructor(
    private readonly extractor: Extractor,
    private readonly pooling: 'cls' | 'mean',
    readonly dimensions: number,
    options: TransformersEmbedderOptions,
  ) {
    super({});
    this.id = `transformers:${options.model}:${options.dtype}:${pooling}`;
    this.description = `transformers.js sentence model ${options.model} (${options.dtype}, ${pooling} pooling)`;
  }

  /** @throws AppError('embedder_unavailable') when the model is missing locally and download is not allowed, or fails to load. */
  static async create(options: TransformersEmbedderOptions): Promise<TransformersEmbedder> {
    const local = await modelIsLocal(options);
    if (!local && !options.allowDownload) {
      throw new AppError('embedder_unavailable', `model ${options.model} not found in ${options.modelDir} and downloads are disabled (EMBEDDING_ALLOW_DOWNLOAD=false)`);
    }
    try {
      const transformers = await import('@huggingface/transformers');
      // env must be set before the pipeline is created: it decides where files come from.
      transformers.env.localModelPath = options.modelDir.endsWith(path.sep) ? options.modelDir : options.modelDir + path.sep;
      transformers.env.allowLocalModels = true;
      transformers.env.allowRemoteModels = options.allowDownload;
      if (options.allowDownload) transformers.env.cacheDir = options.modelDir;
      const pipe = await transformers.pipeline('feature-extraction', options.model, { dtype: options.dtype });
      const extractor: Extractor = async (texts, opts) => (await pipe(texts, opts)) as unknown as { tolist(): number[][] };
      const pooling = options.pooling ?? (/bge/i.test(options.model) ? 'cls' : 'mean');
      const probe = (await extractor(['测试'], { pooling, normalize: true })).tolist()[0] ?? [];
      return new TransformersEmbedder(extractor, pooling, probe.length, options);
    } catch (e) {
      throw new AppError('embedder_unavailable', `cannot load ${options.model}: ${(e as Error).message}`, { cause: e });
    }
  }

  async embedDocuments(texts: string[]): Promise<number[][]> {
    const out: number[][] = [];
    for (let i = 0; i < texts.length; i += 16) {
      out.push(...(await this.extractor(texts.slice(i, i + 16), { pooling: this.pooling, normalize: true })).tolist());
    }
    return out;
  }

  async embedQuery(text: string): Promise<number[]> {
    const [v] = (await this.extractor([text], { pooling: this.pooling, normalize: true })).tolist();
    return v ?? [];
  }
}

async function modelIsLocal(options: TransformersEmbedderOptions): Promise<boolean> {
  const file = options.dtype === 'q8' ? 'model_quantized.onnx' : 'model.onnx';
  try {
    await access(path.join(options.modelDir, options.model, 'onnx', file));
    await access(path.join(options.modelDir, options.model, 'tokenizer.json'));
    return true;
  } catch {
    return false;
  }
}
