import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TelegramClient } from 'telegram-test-api/lib/modules/telegramClient.js';
import { createTelegramChannel, type TelegramChannel } from '../../src/channels/telegram/telegram-channel.js';
import { loadConfig } from '../../src/config/config.js';
import { silentLogger } from '../../src/core/logger.js';
import { createApp, type AppDeps } from '../../src/compose.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { readDocx } from '../helpers/docx-reader.js';
import { CORPUS_DIR, tempDir } from '../helpers/paths.js';
import { freePort } from '../helpers/ports.js';
import { emulatedUser, startTelegramEmulator, type BotMessage, type EmulatedUser, type SentDocument } from '../helpers/telegram-emulator.js';

const TOKEN = '123456789:TESTtokenTESTtokenTESTtokenTESTtoken';

let emulator: Awaited<ReturnType<typeof startTelegramEmulator>>;
let app: AppDeps;
let channel: TelegramChannel;
let documents: SentDocument[];
const clock = new FakeClock(Date.parse('2024-12-31T12:00:00+08:00'));

beforeAll(async () => {
  emulator = await startTelegramEmulator(await freePort());
  documents = emulator.documents;
  const config = loadConfig({ DATA_DIR: tempDir(), CORPUS_DIR, EMBEDDER: 'builtin', TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_API_ROOT: emulator.apiRoot, TELEGRAM_ADMIN_IDS: '9001', RATE_LIMIT_PER_MINUTE: '40' });
  if (!config.telegram) throw new Error('telegram config missing');
  app = await createApp(config, silentLogger, { clock });
  channel = createTelegramChannel({ config: config.telegram, gateway: app.gateway, logger: silentLogger });
  app.connect('telegram', channel.delivery);
  await channel.start();
});

afterAll(async () => {
  channel.stop();
  await emulator.stop();
  await app.close();
});

const users = new WeakMap<TelegramClient, EmulatedUser>();
function client(userId: number, options: { chatId?: number; type?: 'private' | 'group' } = {}): TelegramClient {
  const user = emulatedUser(emulator, TOKEN, userId, options);
  users.set(user.client, user);
  return user.client;
}
const userOf = (c: TelegramClient): EmulatedUser => {
  const u = users.get(c);
  if (!u) throw new Error('unknown client');
  return u;
};
const replies = (c: TelegramClient, count: number, timeoutMs?: number): Promise<BotMessage[]> => userOf(c).replies(count, timeoutMs);
const say = (c: TelegramClient, text: string, expect?: number, timeoutMs?: number): Promise<BotMessage[]> => userOf(c).say(text, expect, timeoutMs);
const press = (c: TelegramClient, from: BotMessage, label: string, expect?: number): Promise<BotMessage[]> => userOf(c).press(from, label, expect);

const last = (ms: BotMessage[]): BotMessage => {
  const m = ms[ms.length - 1];
  if (!m) throw new Error('no reply');
  return m;
};

describe('Telegram channel against a Bot API emulator', () => {
  it('answers a question with the cited clause, HTML-escaped', async () => {
    const [answer] = await say(client(1001), '网点备案需要几名专职人员？');
    expect(answer?.message.text).toContain('5名及以上专职人员');
    expect(answer?.message.text).toContain('《国家知识产权信息公共服务网点备案实施办法（修订）》第五条');
    expect(answer?.message.parse_mode).toBe('HTML');
  });

  it('completes the self-check by pressing buttons; each keyboard is removed after use', async () => {
    const c = client(1002);
    let ms = await say(c, '/check', 2);
    const q = last(ms);
    expect(q.message.text).toContain('第 1/14 步');
    ms = await press(c, q, '备案国家知识产权信息公共服务网点');
    const kindQuestion = last(ms);
    expect(emulator.server.storage.botMessages.find((u) => u.messageId === q.messageId)?.message.reply_markup).toEqual({ inline_keyboard: [] });
    ms = await press(c, kindQuestion, '高校');
    ms = await press(c, last(ms), '是');
    ms = await press(c, last(ms), '是');
    ms = await say(c, '6');
    ms = await say(c, '2');
    for (let i = 0; i < 7; i++) ms = await press(c, last(ms), '是');
    const verdictMessages = await press(c, last(ms), '省级知识产权局推荐，且已是省级网点');
    const verdict = last(verdictMessages);
    expect(verdict.message.text).toContain('结论：按您的回答，各项条件均已满足。');
    expect(verdict.message.reply_markup?.inline_keyboard[0]?.[0]?.callback_data).toBe('/register');
  });

  it('completes a registration and receives the .docx as a document', async () => {
    const c = client(1003);
    await say(c, '/register', 1);
    const answers = ['地市级', '某市知识产权服务中心', '某省知识产权局', '确认', '某省', '某市', '某路1号', '事业单位', '财政拨款', '某市市场监管局', '5', '3', '陈主任', '13812345678', '赵科长', '13812345679', '孙八', '13900001111', 'sun@example.cn', '周九', '13900002222', 'zhou@example.cn', '咨询、检索、培训', '案例一：为企业开展专利检索服务。'.repeat(10)];
    let ms: BotMessage[] = [];
    for (const a of answers) ms = await say(c, a, 1);
    ms = [...ms, ...(await say(c, '跳过', 3))];
    expect(ms.map((m) => m.message.text).join('\n')).toContain('草稿已生成');
    const doc = documents.find((d) => d.chatId === '1003');
    expect(doc?.filename).toBe('地市级综合性知识产权公共服务机构登记表-草稿.docx');
    const docx = await readDocx(doc?.data ?? Buffer.alloc(0));
    expect(docx.tables[0]?.[0]).toEqual(['名称', '某市知识产权服务中心']);
  });

  it('sets a reminder and receives the nudge when the fake clock reaches it', async () => {
    const c = client(1004);
    const set = await say(c, '/remind 网点 2024-03-15', 2);
    expect(set[0]?.message.text).toContain('已记录备案日期：2024年3月15日');
    clock.set('2025-01-01T09:30:00+08:00');
    const result = await app.scheduler.tick();
    expect(result.queued).toBeGreaterThanOrEqual(1);
    const [nudge] = await replies(c, 1);
    expect(nudge?.message.text).toContain('⏰ 提醒：每年 1 月底前报送上一年度工作总结');
    expect(nudge?.message.text).toContain('截止日期：2025年1月31日（还有 30 天）');
  });

  it('tells a sticker it only reads text', async () => {
    const c = client(1005);
    const base = c.makeMessage('x');
    const { text: _text, ...withoutText } = base;
    await emulator.server.addUserMessage({ ...withoutText, sticker: { file_id: 'abc', width: 1, height: 1, is_animated: false, is_video: false, type: 'regular', file_unique_id: 'u' } } as never);
    const [r] = await replies(c, 1);
    expect(r?.message.text).toContain('目前只能处理文字消息');
  });

  it('keeps two users’ dialogues apart when their messages interleave', async () => {
    const a = client(1006);
    const b = client(1007);
    await say(a, '/check', 2);
    await say(b, '/check', 2);
    const aNext = last(await say(a, '1'));
    const bNext = last(await say(b, '2'));
    expect(aNext.message.text).toContain('贵机构属于哪一类');
    expect(bNext.message.text).toContain('第 2/8 步');
    expect(bNext.message.text).toContain('组织实施知识产权公共服务的团队');
  });

  it('answers a re-delivered update once', async () => {
    const c = client(1008);
    // The same update twice, as Telegram sends it again when the bot did not confirm it in time.
    const update = { update_id: 990_001, message: { message_id: 990_001, date: 1, text: '年报啥时候交', chat: { id: 1008, type: 'private' as const, first_name: 'A' }, from: { id: 1008, is_bot: false, first_name: 'A' } } };
    await channel.bot.handleUpdate(update as never);
    await channel.bot.handleUpdate(update as never);
    expect(await replies(c, 2, 2500)).toHaveLength(1);
  });

  it('in a group answers only when mentioned or commanded', async () => {
    const c = client(1009, { chatId: -5001, type: 'group' });
    const chatter = await say(c, '今天开会吗', 1, 1500);
    expect(chatter).toHaveLength(0);
    const [mentioned] = await say(c, '@TestNameBot 网点备案有效期几年', 1);
    expect(mentioned?.message.text).toContain('有效期为三年');
  });

  it('slows down a user who floods the bot without dropping anything', async () => {
    const c = client(1011);
    for (let i = 0; i < 45; i++) await c.sendMessage(c.makeMessage(`/ask 第${i + 1}条 网点有效期几年`));
    // 40 a minute are answered at once; the other 5 wait for the minute to pass (the fake clock moves it).
    const first = await replies(c, 45, 4000);
    expect(first).toHaveLength(40);
    clock.advance(61_000);
    const rest = await replies(c, 5);
    expect(rest).toHaveLength(5);
    expect([...first, ...rest].every((m) => m.message.text.includes('有效期'))).toBe(true);
  });

  it('beyond the bound of waiting messages keeps none of the rest and says so once', async () => {
    const c = client(1012);
    // 150 at once: at most 100 may wait (RATE_QUEUE_MAX); 40 a minute are handled (RATE_LIMIT_PER_MINUTE).
    for (let i = 0; i < 150; i++) await c.sendMessage(c.makeMessage(`/q${i}`));
    const got = await replies(c, 41, 5000);
    for (let minute = 0; minute < 3; minute++) {
      clock.advance(61_000);
      got.push(...(await replies(c, 40, 3000)));
    }
    const texts = got.map((m) => m.message.text);
    expect(texts.filter((t) => t.includes('您一次发来的消息太多了'))).toHaveLength(1);
    const answered = texts.flatMap((t) => /\/q(\d+)/.exec(t)?.[1] ?? []).map(Number);
    expect(answered.length).toBeGreaterThanOrEqual(100);
    expect(answered.length).toBeLessThan(150);
    expect(answered).toEqual([...answered].sort((a, b) => a - b)); // in order, none twice
    expect(new Set(answered).size).toBe(answered.length);
  });

  it('gives admins /stats and refuses it to others', async () => {
    const [denied] = await say(client(1010), '/stats');
    expect(denied?.message.text).toContain('仅限管理员');
    const [stats] = await say(client(9001), '/stats');
    expect(stats?.message.text).toMatch(/提问：\d+/);
    const [reindexDenied] = await say(client(1010), '/reindex');
    expect(reindexDenied?.message.text).toContain('仅限管理员');
    const [reindexed] = await say(client(9001), '/reindex');
    expect(reindexed?.message.text).toMatch(/索引已重建：5 个文件，\d+ 个片段/);
    const [after] = await say(client(1001), '年报啥时候交');
    expect(after?.message.text).toContain('1 月底前');
  });
});
