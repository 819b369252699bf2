import { loadConfig } from './config/config.js';
import { createLogger } from './core/logger.js';
import { isAppError } from './core/errors.js';
import { createApp } from './compose.js';
import { terminalProgress } from './cli/progress-bar.js';
import { runTerminalChannel, terminalDelivery } from './channels/terminal.js';

/** Composition root: config → logger → app core → channels; graceful shutdown. */
async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const logger = createLogger(config.logLevel);
  const app = await createApp(config, logger, { progress: terminalProgress() });
  const shutdown = (code: number): never => {
    app.scheduler.stop();
    app.db.close();
    process.exit(code);
  };
  process.once('SIGINT', () => shutdown(0));
  process.once('SIGTERM', () => shutdown(0));
  app.deliveries.set('terminal', terminalDelivery(process.stdout));
  app.scheduler.start(config.reminders.tickSeconds * 1000);
  logger.info('terminal channel ready', { data: config.dataDir });
  await runTerminalChannel({ router: app.router, dataDir: config.dataDir });
  shutdown(0);
}

main().catch((e: unknown) => {
  process.stderr.write(`${isAppError(e) ? e.message : String((e as Error)?.stack ?? e)}\n`);
  process.exit(1);
});
