import { createTelegramChannel, type TelegramChannel } from '../../src/channels/telegram/telegram-channel.js';
import { createApp, type AppDeps } from '../../src/compose.js';
import { loadConfig } from '../../src/config/config.js';
import { silentLogger, type Logger } from '../../src/core/logger.js';
import { CORPUS_DIR, tempDir } from './paths.js';
import { startTelegramEmulator, type TelegramEmulator } from './telegram-emulator.js';
import { freePort } from './ports.js';

export interface TelegramBot {
  emulator: TelegramEmulator;
  app: AppDeps;
  channel: TelegramChannel;
  dataDir: string;
  stop(): Promise<void>;
}

/**
 * The whole bot in this process on a fresh data dir, talking to telegram-test-api on 127.0.0.1
 * through the real Telegram channel (long polling). `env` adds or overrides configuration.
 */
export async function startTelegramBot(token: string, env: Record<string, string> = {}, logger: Logger = silentLogger): Promise<TelegramBot> {
  const emulator = await startTelegramEmulator(await freePort());
  const dataDir = tempDir();
  const config = loadConfig({ DATA_DIR: dataDir, CORPUS_DIR, EMBEDDER: 'builtin', TELEGRAM_BOT_TOKEN: token, TELEGRAM_API_ROOT: emulator.apiRoot, ...env });
  if (!config.telegram) throw new Error('telegram config missing');
  const app = await createApp(config, logger);
  const channel = createTelegramChannel({ config: config.telegram, gateway: app.gateway, logger });
  app.connect('telegram', channel.delivery);
  await channel.start();
  return {
    emulator,
    app,
    channel,
    dataDir,
    async stop() {
      channel.stop();
      await app.close();
      await emulator.stop();
    },
  };
}
