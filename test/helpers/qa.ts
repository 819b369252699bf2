import { loadConfig } from '../../src/config/config.js';
import { silentLogger } from '../../src/core/logger.js';
import { createQaServices, type QaServices } from '../../src/compose.js';
import { CORPUS_DIR, tempDir } from './paths.js';

/** The real question-answering stack over the real corpus, with the built-in embedder and a temp data dir. */
export async function openQa(dataDir = tempDir()): Promise<QaServices> {
  const config = loadConfig({ DATA_DIR: dataDir, CORPUS_DIR: CORPUS_DIR, EMBEDDER: 'builtin' });
  return createQaServices(config, silentLogger);
}
