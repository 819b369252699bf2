import { loadConfig } from './config/config.js';
import { createLogger } from './core/logger.js';
import { isAppError } from './core/errors.js';
import { createApp } from './compose.js';
import { terminalProgress } from './cli/progress-bar.js';
import { runTerminalChannel, terminalDelivery } from './channels/terminal.js';

/** Composition root: config → logger → app core → channels and the reminder scheduler; graceful shutdown. */
async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const logger = createLogger(config.logLevel);
  const app = await createApp(config, logger, { progress: terminalProgress() });
  const stops: Array<() => Promise<void> | void> = [];
  let stopping = false;
  const shutdown = async (code: number): Promise<never> => {
    if (!stopping) {
      stopping = true;
      logger.info('shutting down');
      // Channels first (nothing new comes in), then the core: the messages being handled commit,
      // the deliveries under way finish, the database closes.
      for (const stop of stops.reverse()) await Promise.resolve(stop()).catch(() => undefined);
      await app.close();
      logger.info('stopped');
    }
    process.exit(code);
  };
  process.once('SIGINT', () => void shutdown(0));
  process.once('SIGTERM', () => void shutdown(0));

  // Channel libraries load only when configured: the terminal-only default starts fast.
  if (config.telegram) {
    const { createTelegramChannel } = await import('./channels/telegram/telegram-channel.js');
    const telegram = createTelegramChannel({ config: config.telegram, gateway: app.gateway, logger, onFatal: () => void shutdown(1), health: () => app.health() });
    app.connect('telegram', telegram.delivery);
    stops.push(() => telegram.stop());
    await telegram.start();
  }
  if (config.wechat) {
    const { createWechatChannel } = await import('./channels/wechat/wechat-channel.js');
    const { createPuppet } = await import('./channels/wechat/create-puppet.js');
    const wechat = createWechatChannel({ config: config.wechat, puppet: await createPuppet(config.wechat), gateway: app.gateway, logger, dataDir: config.dataDir });
    app.connect('wechat', wechat.delivery);
    stops.push(() => wechat.stop());
    await wechat.start();
  }
  // What the WeChat channels say themselves, read once for both.
  const channelTexts = config.officialAccount || config.wecom ? (await import('./channels/channel-texts.js')).loadChannelTexts() : undefined;
  if (config.officialAccount && channelTexts) {
    const { createOaChannel } = await import('./channels/wechat-oa/oa-channel.js');
    const oa = createOaChannel({ config: config.officialAccount, gateway: app.gateway, consents: app.consents, texts: channelTexts, logger, dataDir: config.dataDir, clock: app.clock, health: () => app.health() });
    app.connect('wechat-oa', oa.delivery, () => oa.listening());
    stops.push(() => oa.stop());
    await oa.start();
  }
  if (config.wecom && channelTexts) {
    const { createWecomChannel } = await import('./channels/wecom/wecom-channel.js');
    const wecom = createWecomChannel({ config: config.wecom, gateway: app.gateway, feedback: app.feedback, texts: channelTexts, logger });
    app.connect('wecom', wecom.delivery, () => wecom.client.isConnected);
    stops.push(() => wecom.stop());
    await wecom.start();
  }
  if (config.console) {
    const { createConsole } = await import('./console/server.js');
    const server = await createConsole({ config: config.console, app, corpusDir: config.corpusDir, dataDir: config.dataDir, timeZone: config.timeZone, logger });
    await server.listen({ host: config.console.host, port: config.console.port });
    stops.push(() => server.close());
    logger.info('operator console listening', { host: config.console.host, port: config.console.port });
  }
  app.scheduler.start(config.reminders.tickSeconds * 1000);
  if (config.terminal) {
    app.connect('terminal', terminalDelivery(process.stdout, config.dataDir));
    logger.info('terminal channel ready', { data: config.dataDir });
    await runTerminalChannel({ gateway: app.gateway, dataDir: config.dataDir });
    await shutdown(0);
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`${isAppError(e) ? e.message : String((e as Error)?.stack ?? e)}\n`);
  process.exit(1);
});
