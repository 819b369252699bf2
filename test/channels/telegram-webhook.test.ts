import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTelegramChannel, type TelegramChannel } from '../../src/channels/telegram/telegram-channel.js';
import { loadConfig } from '../../src/config/config.js';
import { silentLogger } from '../../src/core/logger.js';
import { createApp, type AppDeps } from '../../src/compose.js';
import { CORPUS_DIR, tempDir } from '../helpers/paths.js';
import { startTelegramEmulator } from '../helpers/telegram-emulator.js';
import { freePorts } from '../helpers/ports.js';

const TOKEN = '987654321:WEBHOOKtokenWEBHOOKtokenWEBHOOKtoken';
let HOOK_PORT = 0;
const SECRET = 'test-secret-0123456789';

let emulator: Awaited<ReturnType<typeof startTelegramEmulator>>;
let app: AppDeps;
let channel: TelegramChannel;

beforeAll(async () => {
  const [apiPort = 0, hookPort = 0] = await freePorts(2);
  HOOK_PORT = hookPort;
  emulator = await startTelegramEmulator(apiPort);
  const config = loadConfig({
    DATA_DIR: tempDir(),
    CORPUS_DIR,
    EMBEDDER: 'builtin',
    TELEGRAM_BOT_TOKEN: TOKEN,
    TELEGRAM_API_ROOT: emulator.apiRoot,
    TELEGRAM_WEBHOOK_URL: 'https://bot.example.org/telegram-hook',
    TELEGRAM_WEBHOOK_SECRET: SECRET,
    TELEGRAM_WEBHOOK_PORT: String(HOOK_PORT),
  });
  if (config.telegram?.mode !== 'webhook') throw new Error('expected webhook mode');
  app = await createApp(config, silentLogger);
  channel = createTelegramChannel({ config: config.telegram, gateway: app.gateway, logger: silentLogger });
  app.connect('telegram', channel.delivery);
  await channel.start();
});

afterAll(async () => {
  channel.stop();
  await emulator.stop();
  await app.close();
});

const update = (id: number, text: string) => ({
  update_id: id,
  message: { message_id: id, date: 1, text, chat: { id: 77, type: 'private', first_name: 'A' }, from: { id: 77, is_bot: false, first_name: 'A' } },
});

async function post(body: unknown, secret?: string): Promise<number> {
  const res = await fetch(`http://127.0.0.1:${HOOK_PORT}/telegram-hook`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(secret ? { 'x-telegram-bot-api-secret-token': secret } : {}) },
    body: JSON.stringify(body),
  });
  return res.status;
}

const botTexts = (): string[] => emulator.sentTo(77);

describe('Telegram webhook mode', () => {
  it('rejects a request without the secret-token header and answers one with it', async () => {
    expect(await post(update(1, '年报啥时候交'))).toBe(403);
    expect(await post(update(2, '年报啥时候交'), 'wrong-secret-wrong-secret')).toBe(403);
    await new Promise((r) => setTimeout(r, 300));
    expect(botTexts()).toEqual([]);
    expect(await post(update(3, '年报啥时候交'), SECRET)).toBe(200);
    const until = Date.now() + 5000;
    while (botTexts().length === 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 25));
    expect(botTexts()[0]).toContain('1 月底前');
  });

  it('listens on 127.0.0.1 by default (behind a reverse proxy), not on every interface', () => {
    const server = (channel.bot as unknown as { webhookServer?: { address(): { address: string } | string | null } }).webhookServer;
    const address = server?.address();
    expect(typeof address === 'object' && address !== null ? address.address : address).toBe('127.0.0.1');
  });

  it('the update is recorded before Telegram gets its 200: a re-sent update is answered once', async () => {
    expect(await post(update(4, '网点备案有效期几年'), SECRET)).toBe(200);
    expect(await post(update(4, '网点备案有效期几年'), SECRET)).toBe(200);
    const until = Date.now() + 5000;
    while (botTexts().length < 2 && Date.now() < until) await new Promise((r) => setTimeout(r, 25));
    await new Promise((r) => setTimeout(r, 500));
    expect(botTexts().filter((t) => t.includes('有效期'))).toHaveLength(1);
  });
});
