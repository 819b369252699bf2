import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBotProcess, waitUntil } from '../helpers/bot-process.js';
import { CORPUS_DIR, tempDir } from '../helpers/paths.js';
import { startTelegramEmulator, type TelegramEmulator } from '../helpers/telegram-emulator.js';

const TOKEN = '123456789:TERMtokenTERMtokenTERMtokenTERMtoken';
const PORT = 20000 + Math.floor(Math.random() * 20000);
let emulator: TelegramEmulator;

beforeAll(async () => {
  emulator = await startTelegramEmulator(PORT);
});
afterAll(async () => {
  await emulator.stop();
});

describe('graceful shutdown (SIGTERM)', () => {
  it('mid-burst: the process exits cleanly, what it was handling and sending is finished, nothing is sent twice, the rest is answered after the restart', async () => {
    const dataDir = tempDir();
    const env = { DATA_DIR: dataDir, CORPUS_DIR, EMBEDDER: 'builtin', TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_API_ROOT: emulator.apiRoot, RATE_LIMIT_PER_MINUTE: '1000' };
    let bot = await startBotProcess(env);
    const users = Array.from({ length: 10 }, (_, u) => 5100 + u);
    const sending = users.map(async (u) => {
      const c = emulator.server.getClient(TOKEN, { userId: u, chatId: u, firstName: `U${u}`, userName: `u${u}` });
      for (let i = 0; i < 10; i++) await c.sendMessage(c.makeMessage(`/t${u}x${i}`));
    });
    const answered = (): number => users.reduce((n, u) => n + emulator.sentTo(u).length, 0);
    await waitUntil(() => answered() >= 20, 30_000, 2);
    expect(await bot.stop()).toBe(0);
    const atStop = answered();
    expect(bot.stderr()).toContain('stopped');
    await Promise.all(sending);
    bot = await startBotProcess(env);
    const numbersOf = (u: number): number[] => emulator.sentTo(u).map((t) => Number(new RegExp(`/t${u}x(\\d+)`).exec(t)?.[1] ?? -1));
    await waitUntil(() => users.every((u) => numbersOf(u).length >= 10), 60_000);
    await new Promise((r) => setTimeout(r, 500));
    expect(await bot.stop()).toBe(0);
    expect(atStop).toBeLessThan(100); // the stop did land mid-burst
    process.stdout.write(`SIGTERM at ${atStop}/100 answered\n`);
    // unlike kill -9, no delivery was cut off: every reply exactly once, in order
    for (const u of users) expect(numbersOf(u), `user ${u}`).toEqual(Array.from({ length: 10 }, (_, i) => i));
  }, 120_000);
});
