import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitUntil } from '../helpers/bot-process.js';
import { converse } from '../helpers/converse.js';
import { tempDir } from '../helpers/paths.js';
import { startTelegramBot, type TelegramBot } from '../helpers/telegram-bot.js';
import { emulatedUser, type BotMessage, type TelegramEmulator } from '../helpers/telegram-emulator.js';

const TOKEN = '123456789:FGTtokenFGTtokenFGTtokenFGTtokenFGTt';
let bot: TelegramBot;
let emulator: TelegramEmulator;
let dataDir: string;

beforeAll(async () => {
  bot = await startTelegramBot(TOKEN);
  ({ emulator, dataDir } = bot);
});

afterAll(async () => {
  await bot.stop();
});

/** Every row of every table in which any column holds `needle` (the user's id), by table. */
function rowsMentioning(file: string, needle: string): Record<string, number> {
  const db = new Database(file, { readonly: true });
  const found: Record<string, number> = {};
  const tables = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`).all() as Array<{ name: string }>;
  for (const { name } of tables) {
    const columns = (db.prepare(`PRAGMA table_info(${name})`).all() as Array<{ name: string }>).map((c) => c.name);
    const where = columns.map((c) => `CAST(${c} AS TEXT) LIKE ?`).join(' OR ');
    const n = (db.prepare(`SELECT COUNT(*) AS n FROM ${name} WHERE ${where}`).get(...columns.map(() => `%${needle}%`)) as { n: number }).n;
    if (n > 0) found[name] = n;
  }
  db.close();
  return found;
}

const last = (ms: BotMessage[]): BotMessage => {
  const m = ms[ms.length - 1];
  if (!m) throw new Error('no reply');
  return m;
};

describe('/forget: users own their data', () => {
  it('on Telegram: asks first, then deletes profile, dialogue, nudges and questions; nothing of the user remains in any table', async () => {
    const file = path.join(dataDir, 'bot.sqlite');
    const user = emulatedUser(emulator, TOKEN, 777_001);
    await user.say('/remind 网点 2024-03-15', 2);
    await user.say('网点备案有效期几年，我的电话13812345678');
    await user.say('/check', 2);
    expect(Object.keys(rowsMentioning(file, '777001')).sort()).toEqual(expect.arrayContaining(['profiles', 'question_log', 'sessions']));
    const asked = last(await user.say('/forget'));
    expect(asked.message.text).toContain('将删除我保存的您的全部数据');
    expect(asked.message.text).toContain('提问记录 1 条');
    const done = last(await user.press(asked, '确认删除'));
    expect(done.message.text).toContain('已删除您的数据');
    expect(done.message.text).toContain('单位资料 1 份');
    // The confirmation itself leaves the outbox once delivered.
    expect(await waitUntil(() => Object.keys(rowsMentioning(file, '777001')).length === 0, 5000)).toBe(true);
    const again = last(await user.say('/forget'));
    expect(again.message.text).toContain('没有保存您的任何数据');
  });

  it('“不删除” keeps everything', async () => {
    const user = emulatedUser(emulator, TOKEN, 777_002);
    await user.say('/remind 网点 2024-03-15', 2);
    const asked = last(await user.say('删除我的数据'));
    const kept = last(await user.press(asked, '不删除'));
    expect(kept.message.text).toContain('没有删除任何数据');
    expect(rowsMentioning(path.join(dataDir, 'bot.sqlite'), '777002')['profiles']).toBe(1);
  });

  it('in the terminal: the numbered reply confirms, and the SQLite file keeps nothing of the user', async () => {
    const dir = tempDir();
    const out = await converse(dir, ['/remind 网点 2024-03-15', '网点备案要几个专职人员', '/forget', '1']);
    expect(out).toContain('确认请回复“确认删除”');
    expect(out).toContain('已删除您的数据');
    expect(rowsMentioning(path.join(dir, 'bot.sqlite'), 'terminal-user')).toEqual({});
  });
});

describe('questions log without personal data', () => {
  it('redacts phone numbers, e-mails and ID numbers before writing, so /stats never shows them', async () => {
    const admin = emulatedUser(emulator, TOKEN, 777_003);
    await admin.say('网点备案怎么申请 联系我 13912345678 或 a.b@example.cn 身份证 110101199003071234 什么时候能批');
    const db = new Database(path.join(dataDir, 'bot.sqlite'), { readonly: true });
    const logged = db.prepare(`SELECT question FROM question_log WHERE user_id = '777003'`).all() as Array<{ question: string }>;
    db.close();
    expect(logged).toHaveLength(1);
    expect(logged[0]?.question).not.toMatch(/13912345678|a\.b@example\.cn|110101199003071234/);
    expect(logged[0]?.question).toContain('[电话]');
  });
});

describe('groups: nothing personal in a group chat', () => {
  it('/register in a group points to a private chat (deep link) and starts nothing; the link opens the form privately', async () => {
    const inGroup = emulatedUser(emulator, TOKEN, 777_010, { chatId: -777_010, type: 'group' });
    const [reply] = await inGroup.say('/register');
    expect(reply?.message.text).toContain('不在群里进行');
    const link = /https:\/\/t\.me\/(\w+)\?start=register/.exec(reply?.message.text ?? '');
    expect(link).not.toBeNull();
    const db = new Database(path.join(dataDir, 'bot.sqlite'), { readonly: true });
    expect(db.prepare(`SELECT COUNT(*) AS n FROM sessions WHERE user_id = '777010'`).get()).toEqual({ n: 0 });
    db.close();
    const inPrivate = emulatedUser(emulator, TOKEN, 777_010);
    const opened = await inPrivate.say('/start register', 1);
    expect(last(opened).message.text).toMatch(/第 1\/\d+ 项/);
    // Back in the group, a message is not taken as a form value.
    const [groupAnswer] = await inGroup.say('/ask 网点备案有效期几年');
    expect(groupAnswer?.message.text).toContain('有效期');
    expect(groupAnswer?.message.text).not.toMatch(/第 \d+\/\d+ 项/);
  });
});
