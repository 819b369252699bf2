import type { Config } from './config/config.js';
import type { Logger } from './core/logger.js';
import { createAnswerService, type AnswerService } from './answer/answer-service.js';
import { loadMessages, type Messages } from './answer/messages.js';
import { openSearchIndex, type BuildProgress, type SearchIndex } from './retrieval/search-index.js';
import { planEmbedder } from './retrieval/select-embedder.js';
import { AppError } from './core/errors.js';
import { createCatalog, type ProgrammeCatalog } from './programmes/catalog.js';
import { loadProgrammes, unverifiedSources } from './programmes/load-programmes.js';

export interface QaServices {
  index: SearchIndex;
  catalog: ProgrammeCatalog;
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
  const catalog = await openCatalog(config.corpusDir, index);
  const answers = createAnswerService({ index, messages, catalog, ...(config.refusalThreshold === undefined ? {} : { refusalThreshold: config.refusalThreshold }) });
  return { index, catalog, answers, messages };
}

/**
 * Loads the programme data and refuses to start when a rule's quote is not at the clause it
 * cites: a bot that states rules must never state one the policy does not contain.
 */
async function openCatalog(corpusDir: string, index: SearchIndex): Promise<ProgrammeCatalog> {
  const data = await loadProgrammes(corpusDir);
  const bad = unverifiedSources(data, index.docs);
  if (bad.length > 0) {
    const first = bad[0];
    throw new AppError('corpus_invalid', `programme data cites text not found at its clause (${bad.length}): ${first?.where} → ${first?.source.doc} ${first?.source.article} “${first?.source.quote}”`);
  }
  return createCatalog(data, index.docs);
}
