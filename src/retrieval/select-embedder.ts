import type { Config } from '../config/config.js';
import type { Logger } from '../core/logger.js';
import { isAppError } from '../core/errors.js';
import { TransformersEmbedder } from './transformers-embedder.js';
import type { Embedder } from './embedder.js';

export type EmbedderPlan = { kind: 'builtin'; reason: string } | { kind: 'transformers'; embedder: Embedder; reason: string };

/**
 * Decides which embedder serves this run and says why.
 * - builtin: always the built-in one.
 * - transformers: the local sentence model, or fail (the operator asked for it).
 * - auto: the sentence model when it loads from the model folder (or may be downloaded), else the built-in one.
 * The built-in embedder is fitted on the corpus, so it is created by the index builder, not here.
 */
export async function planEmbedder(config: Config['embedder'], logger: Logger): Promise<EmbedderPlan> {
  if (config.choice === 'builtin') return { kind: 'builtin', reason: 'EMBEDDER=builtin' };
  try {
    const embedder = await TransformersEmbedder.create(config);
    return { kind: 'transformers', embedder, reason: `EMBEDDER=${config.choice}, model found in ${config.modelDir}` };
  } catch (e) {
    if (config.choice === 'transformers') throw e;
    const why = isAppError(e) ? e.message : String(e);
    logger.debug('sentence model unavailable, using the built-in embedder', { why });
    return { kind: 'builtin', reason: `EMBEDDER=auto and ${why}` };
  }
}
