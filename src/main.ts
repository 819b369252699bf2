import path from 'node:path';
import { loadConfig } from './config/config.js';
import { createLogger } from './core/logger.js';
import { systemClock } from './core/ports.js';
import { createRouter } from './core/router.js';
import { isAppError } from './core/errors.js';
import { createQaServices } from './compose.js';
import { terminalProgress } from './cli/progress-bar.js';
import { openDatabase } from './storage/database.js';
import { QuestionLogRepository } from './storage/question-log-repository.js';
import { runTerminalChannel } from './channels/terminal.js';

/** Composition root: config → logger → storage → services → router → channels; graceful shutdown. */
async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const logger = createLogger(config.logLevel);
  const db = openDatabase(path.join(config.dataDir, 'bot.sqlite'));
  const shutdown = (code: number): never => {
    db.close();
    process.exit(code);
  };
  process.once('SIGINT', () => shutdown(0));
  process.once('SIGTERM', () => shutdown(0));

  const { answers, messages } = await createQaServices(config, logger, terminalProgress());
  const router = createRouter({
    answers,
    messages,
    questionLog: new QuestionLogRepository(db),
    clock: systemClock,
    logger,
    maxMessageChars: config.maxMessageChars,
  });
  logger.info('terminal channel ready', { data: config.dataDir });
  await runTerminalChannel({ router });
  shutdown(0);
}

main().catch((e: unknown) => {
  process.stderr.write(`${isAppError(e) ? e.message : String((e as Error)?.stack ?? e)}\n`);
  process.exit(1);
});
