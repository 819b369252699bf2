import { spawn } from 'node:child_process';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, silentLogger } from '../../src/core/logger.js';
import { waitUntil } from '../helpers/bot-process.js';
import { ROOT } from '../helpers/paths.js';
import { startTelegramBot, type TelegramBot } from '../helpers/telegram-bot.js';
import type { TelegramEmulator } from '../helpers/telegram-emulator.js';

const TOKEN = '123456789:FLTtokenFLTtokenFLTtokenFLTtokenFLTt';
let bot: TelegramBot;
let emulator: TelegramEmulator;
let dataDir: string;

beforeAll(async () => {
  bot = await startTelegramBot(TOKEN, { RATE_LIMIT_PER_MINUTE: '1000' }, process.env['DEBUG_FAULTS'] ? createLogger('debug') : silentLogger);
  ({ emulator, dataDir } = bot);
});

afterAll(async () => {
  await bot.stop();
});

const sentTo = (chatId: number): string[] => emulator.sentTo(chatId);

/** A user sends n messages, each an unknown command whose reply names it; returns the numbers the replies name, in arrival order. */
async function burst(userId: number, n: number): Promise<() => number[]> {
  const c = emulator.server.getClient(TOKEN, { userId, chatId: userId, firstName: `U${userId}`, userName: `u${userId}` });
  for (let i = 0; i < n; i++) await c.sendMessage(c.makeMessage(`/f${userId}x${i}`));
  return () => sentTo(userId).map((t) => Number(new RegExp(`/f${userId}x(\\d+)`).exec(t)?.[1] ?? -1));
}

const inOrder = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

describe('Bot API faults (telegram-test-api with a fault-injecting route layer)', () => {
  it.concurrent('sendMessage answers 500 for 10 s: every reply is delivered afterwards, once, in order', async () => {
    const user = 5001;
    const until = Date.now() + 10_000;
    emulator.inject({ method: 'sendMessage', chatId: String(user), status: 500, until });
    const got = await burst(user, 6);
    await new Promise((r) => setTimeout(r, 2000));
    expect(got()).toEqual([]); // nothing got through during the outage
    expect(await waitUntil(() => got().length >= 6, 30_000)).toBe(true);
    expect(Date.now()).toBeGreaterThanOrEqual(until);
    await new Promise((r) => setTimeout(r, 500));
    expect(got()).toEqual(inOrder(6));
  }, 45_000);

  it.concurrent('sendMessage answers 429 with retry_after for 10 s: replies wait as told, then all arrive in order', async () => {
    const user = 5002;
    emulator.inject({ method: 'sendMessage', chatId: String(user), status: 429, retryAfter: 3, until: Date.now() + 10_000 });
    const got = await burst(user, 6);
    expect(await waitUntil(() => got().length >= 6, 30_000)).toBe(true);
    await new Promise((r) => setTimeout(r, 500));
    expect(got()).toEqual(inOrder(6));
  }, 45_000);

  it.concurrent('sendMessage takes 6 s: replies still arrive in the order of the messages, and other chats are not held up', async () => {
    const slow = 5003;
    const other = 5004;
    emulator.inject({ method: 'sendMessage', chatId: String(slow), delayMs: 6000, until: Date.now() + 7000 });
    const got = await burst(slow, 4);
    const started = Date.now();
    const otherGot = await burst(other, 3);
    expect(await waitUntil(() => otherGot().length >= 3, 5000)).toBe(true);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(await waitUntil(() => got().length >= 4, 40_000)).toBe(true);
    expect(got()).toEqual(inOrder(4));
  }, 60_000);

  it.concurrent('a user who blocked the bot (403): recorded as failed, no more attempts for that chat', async () => {
    const user = 5005;
    emulator.inject({ method: 'sendMessage', chatId: String(user), status: 403, until: Date.now() + 60_000 });
    await burst(user, 3);
    const db = new Database(path.join(dataDir, 'bot.sqlite'), { readonly: true });
    const failed = (): number => (db.prepare(`SELECT COUNT(*) AS n FROM outbox WHERE chat_id = ? AND status = 'failed'`).get(String(user)) as { n: number }).n;
    expect(await waitUntil(() => failed() === 3, 10_000)).toBe(true);
    const attempts = (db.prepare(`SELECT SUM(attempts) AS n FROM outbox WHERE chat_id = ?`).get(String(user)) as { n: number }).n;
    await new Promise((r) => setTimeout(r, 2000));
    expect((db.prepare(`SELECT SUM(attempts) AS n FROM outbox WHERE chat_id = ?`).get(String(user)) as { n: number }).n).toBe(attempts);
    expect(attempts).toBeLessThanOrEqual(3);
    db.close();
  }, 30_000);

  it.concurrent('a 40-message paste is answered in full, in order', async () => {
    const user = 5006;
    const got = await burst(user, 40);
    expect(await waitUntil(() => got().length >= 40, 20_000)).toBe(true);
    expect(got()).toEqual(inOrder(40));
  }, 30_000);
});

describe('SQLite locked by another process', () => {
  it('holding the write lock for 10 s delays messages, loses none', async () => {
    const file = path.join(dataDir, 'bot.sqlite');
    // Another process takes the write lock and keeps it for 10 s.
    const holder = spawn(process.execPath, ['-e', `const D=require('better-sqlite3');const d=new D(${JSON.stringify(file)});d.pragma('busy_timeout = 5000');d.exec('BEGIN IMMEDIATE');console.log('locked');setTimeout(()=>{d.exec('COMMIT');d.close();},10000);`], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    const exited = new Promise((resolve) => holder.on('exit', resolve));
    await new Promise<void>((resolve) => holder.stdout?.once('data', () => resolve()));
    const locked = Date.now();
    const got = await burst(5101, 5);
    expect(await waitUntil(() => got().length >= 5, 30_000)).toBe(true);
    expect(Date.now() - locked).toBeGreaterThanOrEqual(9000); // nothing could be recorded before the lock went
    expect(got()).toEqual(inOrder(5));
    await exited;
  }, 45_000);
});
