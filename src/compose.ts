import type { Config } from './config/config.js';
import type { Logger } from './core/logger.js';
import { createAnswerService, type AnswerService } from './answer/answer-service.js';
import { loadMessages, type Messages } from './answer/messages.js';
import { openSearchIndex, type BuildProgress, type SearchIndex } from './retrieval/search-index.js';
import { planEmbedder } from './retrieval/select-embedder.js';

export interface QaServices {
  index: SearchIndex;
  answers: AnswerService;
  messages: Messages;
}

/**
 * Builds the question-answering part of the app: embedder choice (logged with its reason),
 * the search index (loaded or rebuilt), and the answer service. Shared by the bot, ask, eval and bench.
 */
export async function createQaServices(config: Config, logger: Logger, progress?: BuildProgress): Promise<QaServices> {
  const plan = await planEmbedder(config.embedder, logger);
  const index = await openSearchIndex({ corpusDir: config.corpusDir, dataDir: config.dataDir, plan, logger, ...(progress ? { progress } : {}) });
  logger.info(`embedder: ${index.embedder.description}`, { reason: plan.reason, id: index.embedder.id });
  const messages = loadMessages();
  const answers = createAnswerService({ index, messages, ...(config.refusalThreshold === undefined ? {} : { refusalThreshold: config.refusalThreshold }) });
  return { index, answers, messages };
}
