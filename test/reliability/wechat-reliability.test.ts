import { PuppetMock, mock } from 'wechaty-puppet-mock';
import type { Message } from 'wechaty';
import { describe, expect, it } from 'vitest';
import { createWechatChannel } from '../../src/channels/wechat/wechat-channel.js';
import { createApp } from '../../src/compose.js';
import { loadConfig } from '../../src/config/config.js';
import { silentLogger } from '../../src/core/logger.js';
import { openSqlite } from '../../src/storage/sqlite-sql.js';
import { InboxRepository } from '../../src/storage/inbox-repository.js';
import { waitUntil } from '../helpers/bot-process.js';
import { CORPUS_DIR, tempDir } from '../helpers/paths.js';
import path from 'node:path';

/** A bot over wechaty-puppet-mock on dataDir, recording what each contact receives. */
async function wechatBot(dataDir: string, puppetHook?: (puppet: PuppetMock) => void) {
  const config = loadConfig({ DATA_DIR: dataDir, CORPUS_DIR, EMBEDDER: 'builtin', WECHATY_PUPPET: 'wechaty-puppet-mock' });
  if (!config.wechat) throw new Error('wechat config missing');
  const app = await createApp(config, silentLogger);
  const mocker = new mock.Mocker();
  const puppet = new PuppetMock({ mocker });
  puppetHook?.(puppet);
  const channel = createWechatChannel({ config: config.wechat, puppet: puppet as never, gateway: app.gateway, logger: silentLogger, dataDir });
  app.connect('wechat', channel.delivery);
  const received = new Map<string, string[]>();
  channel.wechaty.on('message', (m: Message) => {
    if (!m.self()) return;
    const to = m.room()?.id ?? m.listener()?.id ?? '';
    received.set(to, [...(received.get(to) ?? []), m.text()]);
  });
  await channel.start();
  const me = mocker.createContact({ name: '政策助手' });
  mocker.login(me);
  return {
    app,
    mocker,
    me,
    received: (id: string) => received.get(id) ?? [],
    async close() {
      await channel.stop();
      await app.close();
    },
  };
}

describe('WeChat: the same inbox and outbox guarantees', () => {
  it('a delivery that throws is retried, and every reply arrives once, in order', async () => {
    let failures = 3;
    const bot = await wechatBot(tempDir(), (puppet) => {
      const send = puppet.messageSendText.bind(puppet);
      puppet.messageSendText = async (...args: Parameters<typeof send>) => {
        if (failures-- > 0) throw new Error('wechat server busy');
        return send(...args);
      };
    });
    const amy = bot.mocker.createContact({ name: 'Amy' });
    for (let i = 0; i < 3; i++) amy.say(`/w${i}`).to(bot.me);
    expect(await waitUntil(() => bot.received(amy.id).length >= 3, 20_000)).toBe(true);
    expect(bot.received(amy.id).map((t) => /\/w(\d)/.exec(t)?.[1])).toEqual(['0', '1', '2']);
    expect(failures).toBeLessThan(0);
    await bot.close();
  }, 30_000);

  it('a message recorded before a crash is handled after the restart, once', async () => {
    const dataDir = tempDir();
    // First run: the bot learns who Ben is (his contact must exist for the reply), then dies.
    const first = await wechatBot(dataDir);
    const ben = first.mocker.createContact({ name: 'Ben', id: 'wxid_ben' });
    ben.say('/hello').to(first.me);
    expect(await waitUntil(() => first.received(ben.id).length >= 1, 10_000)).toBe(true);
    await first.close();
    // What a crash between recording and handling leaves: the message in the inbox, unanswered.
    const sql = openSqlite(path.join(dataDir, 'bot.sqlite'));
    await new InboxRepository(sql).accept([{ message: { channel: 'wechat', chatId: 'wxid_ben', userId: 'wxid_ben', kind: 'text', text: '/pending1' }, platformId: 'msg-crash-1', queue: true }], new Date());
    await sql.close();
    const second = await wechatBot(dataDir);
    second.mocker.createContact({ name: 'Ben', id: 'wxid_ben' });
    expect(await waitUntil(() => second.received('wxid_ben').length >= 1, 10_000)).toBe(true);
    await new Promise((r) => setTimeout(r, 500));
    expect(second.received('wxid_ben')).toHaveLength(1);
    expect(second.received('wxid_ben')[0]).toContain('/pending1');
    // The same WeChat message id again (a re-sent event) is not handled twice.
    expect(await second.app.gateway.submit({ channel: 'wechat', chatId: 'wxid_ben', userId: 'wxid_ben', kind: 'text', text: '/pending1' }, 'msg-crash-1')).toBe(false);
    await second.close();
  }, 30_000);

  it('/register in a group asks the user to message the bot directly, and starts nothing there', async () => {
    const bot = await wechatBot(tempDir());
    const cai = bot.mocker.createContact({ name: 'Cai' });
    const room = bot.mocker.createRoom({ topic: '知识产权服务群', memberIdList: [bot.me.id, cai.id] });
    cai.say('/register').to(room);
    expect(await waitUntil(() => bot.received(room.id).length >= 1, 10_000)).toBe(true);
    expect(bot.received(room.id)[0]).toContain('直接给我发消息（不在群里），发送 /register');
    expect(await bot.app.sessions.get({ channel: 'wechat', userId: cai.id })).toBeUndefined();
    await bot.close();
  }, 30_000);
});
