import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadChannelTexts } from '../../src/channels/channel-texts.js';
import { createWecomChannel, type WecomChannel } from '../../src/channels/wecom/wecom-channel.js';
import { loadConfig } from '../../src/config/config.js';
import { silentLogger } from '../../src/core/logger.js';
import { createApp, type AppDeps } from '../../src/compose.js';
import { QuestionLogReader } from '../../src/storage/question-log-repository.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { readDocx } from '../helpers/docx-reader.js';
import { CORPUS_DIR, tempDir } from '../helpers/paths.js';
import { BOT_ID, BOT_SECRET, startWecomEmulator, type Shown } from '../helpers/wecom-emulator.js';

let emulator: Awaited<ReturnType<typeof startWecomEmulator>>;
let app: AppDeps;
let channel: WecomChannel;
const clock = new FakeClock(Date.parse('2024-12-31T12:00:00+08:00'));

beforeAll(async () => {
  emulator = await startWecomEmulator();
  const config = loadConfig({ DATA_DIR: tempDir(), CORPUS_DIR, EMBEDDER: 'builtin', RATE_LIMIT_PER_MINUTE: '60', WECOM_BOT_ID: BOT_ID, WECOM_BOT_SECRET: BOT_SECRET, WECOM_WS_URL: emulator.url });
  if (!config.wecom) throw new Error('wecom config missing');
  app = await createApp(config, silentLogger, { clock });
  channel = createWecomChannel({ config: config.wecom, gateway: app.gateway, feedback: app.feedback, texts: loadChannelTexts(), logger: silentLogger, streamStepMs: 20 });
  app.connect('wecom', channel.delivery);
  await channel.start();
  await emulator.ready;
}, 60_000);

afterAll(async () => {
  await channel.stop();
  await emulator.stop();
  await app.close();
});

async function until<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** the user writes; resolves when the bot has delivered everything, with what the chat gained */
async function say(userId: string, text: string, group?: string): Promise<{ msgid: string; shown: Shown[] }> {
  const chatId = group ?? userId;
  const before = emulator.chat(chatId).length;
  const msgid = emulator.text(userId, text, group);
  await until('the message to be recorded', () => emulator.chat(chatId).length > before || undefined);
  await app.gateway.settled({ channel: 'wecom', userId, chatId });
  return { msgid, shown: emulator.chat(chatId).slice(before) };
}

const lastCard = (chatId: string): NonNullable<Shown['card']> => {
  const card = emulator.chat(chatId).filter((s) => s.card).at(-1)?.card;
  if (!card) throw new Error('no card shown');
  return card;
};

describe('WeCom intelligent bot against an emulator of the long connection', () => {
  it('streams a cited answer: it appears at once and grows, and carries a feedback id', async () => {
    const { msgid, shown } = await say('zhangsan', '网点备案需要几名专职人员？');
    const stream = shown.find((s) => s.kind === 'stream');
    expect(stream?.contents[0]).toBe(loadChannelTexts().zh.thinking);
    expect(stream?.contents.length).toBeGreaterThanOrEqual(3);
    const final = stream?.contents.at(-1) ?? '';
    expect(final).toContain('5名及以上专职人员');
    expect(final).toContain('《国家知识产权信息公共服务网点备案实施办法（修订）》第五条');
    expect(stream?.finished).toBe(true);
    expect(stream?.feedbackId).toBe(msgid);
    const lengths = stream?.contents.slice(1).map((c) => c.length) ?? [];
    expect(lengths).toEqual([...lengths].sort((a, b) => a - b)); // it grows, never shrinks
  });

  it('stores a 👎 with the question it rates', async () => {
    const { msgid } = await say('lisi', '网点备案有效期几年？');
    emulator.feedback('lisi', msgid, 2, [1]);
    // as the operator console reads it: the rating on the question's own log entry
    const log = new QuestionLogReader(app.sql);
    const rated = await until('the feedback to be stored', async () => (await log.search({ text: '网点备案有效期几年' })).find((q) => q.feedback !== null));
    expect(rated.feedback).toBe('down');
    expect(rated.feedbackReasons).toBe('1');
  });

  it('takes a button press in the self-check, marks the card chosen within 5 s, and goes on', async () => {
    const { shown } = await say('wangwu', '/check');
    expect(shown.map((s) => s.kind)).toEqual(['stream', 'markdown', 'card']);
    const card = lastCard('wangwu');
    // the button shows the choice's number and the start of its label; the text lists it in full
    const listed = shown.find((s) => s.kind === 'markdown')?.contents[0]?.split('\n').find((l) => l.endsWith('. 备案国家知识产权信息公共服务网点'));
    const number = listed?.split('.')[0] ?? '';
    const button = card.buttons.find((b) => b.text.startsWith(`${number}. `));
    if (!button) throw new Error(`no button for the outlet programme: ${JSON.stringify(card.buttons)}`);
    const before = emulator.chat('wangwu').length;
    emulator.press('wangwu', card.taskId, button.key);
    await until('the next step', () => emulator.chat('wangwu').slice(before).find((s) => s.contents.some((c) => c.includes('第 2/14 步'))));
    const pressed = emulator.chat('wangwu').find((s) => s.card?.taskId === card.taskId);
    expect(pressed?.contents).toContain(`已选择：备案国家知识产权信息公共服务网点`);
    expect(emulator.refusals).toEqual([]);
  });

  it('sends the registration draft as a file', async () => {
    await say('zhaoliu', '/register');
    const answers = ['地市级', '某市知识产权服务中心', '某省知识产权局', '确认', '某省', '某市', '某路1号', '事业单位', '财政拨款', '某市市场监管局', '5', '3', '陈主任', '13812345678', '赵科长', '13812345679', '孙八', '13900001111', 'sun@example.cn', '周九', '13900002222', 'zhou@example.cn', '咨询、检索、培训', '案例一：为企业开展专利检索服务。'.repeat(10), '跳过'];
    for (const a of answers) await say('zhaoliu', a);
    const file = await until('the draft file', () => emulator.chat('zhaoliu').find((s) => s.kind === 'file')?.file);
    expect(file.name).toBe('地市级综合性知识产权公共服务机构登记表-草稿.docx');
    const docx = await readDocx(file.data);
    expect(docx.tables[0]?.[0]).toEqual(['名称', '某市知识产权服务中心']);
  }, 60_000);

  it('answers an @-mention in a group chat in the group', async () => {
    const { shown } = await say('qianqi', '网点的备案有效期是多久', 'wrGroup01');
    const final = shown.find((s) => s.kind === 'stream')?.contents.at(-1) ?? '';
    expect(final).toContain('三年');
  });

  it('pushes a nudge as a proactive message', async () => {
    await say('sunba', '/remind 网点 2024-03-15');
    clock.set('2025-01-01T09:30:00+08:00');
    await app.scheduler.tick();
    const nudge = await until('the nudge', () => emulator.chat('sunba').find((s) => s.kind === 'markdown' && s.contents[0]?.includes('⏰ 提醒')));
    expect(nudge.contents[0]).toContain('截止日期：2025年1月31日');
  });

  it('welcomes a user who opens the chat', async () => {
    emulator.enterChat('zhoujiu');
    const welcome = await until('the welcome', () => emulator.chat('zhoujiu').find((s) => s.kind === 'welcome'));
    expect(welcome.contents[0]).toBe(loadChannelTexts().zh.welcome);
    expect(emulator.refusals).toEqual([]);
  });
});
