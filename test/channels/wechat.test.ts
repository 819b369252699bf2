import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileBox } from 'file-box';
import { PuppetMock, mock } from 'wechaty-puppet-mock';
import type { Message } from 'wechaty';
import { createWechatChannel, type WechatChannel } from '../../src/channels/wechat/wechat-channel.js';
import { loadConfig } from '../../src/config/config.js';
import { silentLogger } from '../../src/core/logger.js';
import { createApp, type AppDeps } from '../../src/compose.js';
import { readDocx } from '../helpers/docx-reader.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { CORPUS_DIR, tempDir } from '../helpers/paths.js';

interface Sent {
  to: string;
  text: string;
  file?: Buffer;
  fileName?: string;
}

const clock = new FakeClock(Date.parse('2024-12-31T12:00:00+08:00'));
let app: AppDeps;
let channel: WechatChannel;
let mocker: InstanceType<typeof mock.Mocker>;
let botUser: ReturnType<InstanceType<typeof mock.Mocker>['createContact']>;
const sent: Sent[] = [];

beforeAll(async () => {
  const dataDir = tempDir();
  const config = loadConfig({ DATA_DIR: dataDir, CORPUS_DIR, EMBEDDER: 'builtin', WECHATY_PUPPET: 'wechaty-puppet-mock', RATE_LIMIT_PER_MINUTE: '200' });
  if (!config.wechat) throw new Error('wechat config missing');
  app = await createApp(config, silentLogger, { clock });
  mocker = new mock.Mocker();
  const puppet = new PuppetMock({ mocker });
  channel = createWechatChannel({ config: config.wechat, puppet: puppet as never, gateway: app.gateway, logger: silentLogger, dataDir });
  app.connect('wechat', channel.delivery);
  // What the bot says arrives back as its own (self) messages: record them as a user would see them.
  channel.wechaty.on('message', (m: Message) => {
    if (!m.self()) return;
    void (async () => {
      const to = m.room()?.id ?? m.listener()?.id ?? '';
      if (m.type() === channel.wechaty.Message.Type.Text) sent.push({ to, text: m.text() });
      else {
        const box = await m.toFileBox();
        sent.push({ to, text: '', file: await box.toBuffer(), fileName: box.name });
      }
    })();
  });
  await channel.start(); // never await ready() with the mock
  botUser = mocker.createContact({ name: '政策助手' });
  mocker.login(botUser);
});

afterAll(async () => {
  await channel.stop();
  await app.close();
});

/** Waits until the bot has sent `count` more messages to a conversation. */
async function waitFor(to: string, count: number, timeoutMs = 8000): Promise<Sent[]> {
  const before = sent.filter((s) => s.to === to).length;
  const until = Date.now() + timeoutMs;
  while (sent.filter((s) => s.to === to).length < before + count && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
  return sent.filter((s) => s.to === to).slice(before);
}

async function talk(contact: ReturnType<typeof mocker.createContact>, text: string, count = 1): Promise<Sent[]> {
  const wait = waitFor(contact.id, count);
  contact.say(text).to(botUser);
  return wait;
}

describe('WeChat channel with wechaty-puppet-mock', () => {
  it('answers a contact’s question with the cited clause', async () => {
    const alice = mocker.createContact({ name: 'Alice' });
    const [r] = await talk(alice, '网点备案需要几名专职人员？');
    expect(r?.text).toContain('5名及以上专职人员');
    expect(r?.text).toContain('《国家知识产权信息公共服务网点备案实施办法（修订）》第五条');
  });

  it('completes the self-check with numbered replies and Chinese commands', async () => {
    const bob = mocker.createContact({ name: 'Bob' });
    const start = await talk(bob, '自查', 2);
    expect(start[1]?.text).toContain('1. 备案国家知识产权信息公共服务网点');
    expect(start[1]?.text).toContain('回复 1 / 2 / 3');
    let last: Sent[] = [];
    for (const answer of ['1', '1', '1', '1', '6', '2', '1', '1', '1', '1', '1', '1', '1', '1']) last = await talk(bob, answer);
    expect(last[0]?.text).toContain('结论：按您的回答，各项条件均已满足。');
  });

  it('completes a registration and receives the .docx as a file', async () => {
    const carol = mocker.createContact({ name: 'Carol' });
    await talk(carol, '填表');
    const answers = ['地市级', '某市知识产权服务中心', '某省知识产权局', '确认', '某省', '某市', '某路1号', '事业单位', '财政拨款', '某市市场监管局', '5', '3', '陈主任', '13812345678', '赵科长', '13812345679', '孙八', '13900001111', 'sun@example.cn', '周九', '13900002222', 'zhou@example.cn', '咨询、检索、培训', '案例一：为企业开展专利检索服务。'.repeat(10)];
    for (const a of answers) await talk(carol, a);
    const end = await talk(carol, '跳过', 3);
    expect(end.map((e) => e.text).join('\n')).toContain('草稿已生成');
    const file = end.find((s) => s.file);
    expect(file?.fileName).toBe('地市级综合性知识产权公共服务机构登记表-草稿.docx');
    const docx = await readDocx(file?.file ?? Buffer.alloc(0));
    expect(docx.tables[0]?.[0]).toEqual(['名称', '某市知识产权服务中心']);
  });

  it('in a group ignores chatter, answers an @-mention quoting the asker, and keeps state per person', async () => {
    const dave = mocker.createContact({ name: 'Dave' });
    const erin = mocker.createContact({ name: 'Erin' });
    const room = mocker.createRoom({ topic: '知识产权服务群', memberIdList: [botUser.id, dave.id, erin.id] });
    const quiet = waitFor(room.id, 1, 1200);
    dave.say('今天下午开会吗').to(room);
    expect(await quiet).toHaveLength(0);
    const answer = waitFor(room.id, 1);
    dave.say('@政策助手 网点备案有效期几年', [botUser]).to(room);
    const [r] = await answer;
    expect(r?.text).toContain('@Dave');
    expect(r?.text).toContain('有效期为三年');
    // Dave starts the self-check in the group; Erin's message there does not answer Dave's step.
    const started = waitFor(room.id, 2);
    dave.say('/check').to(room);
    await started;
    const erinQ = waitFor(room.id, 1);
    erin.say('@政策助手 2', [botUser]).to(room);
    const [forErin] = await erinQ;
    expect(forErin?.text).toContain('@Erin');
    expect(forErin?.text).not.toContain('第 2/');
  });

  it('delivers a nudge through the same delivery interface', async () => {
    const frank = mocker.createContact({ name: 'Frank' });
    const set = await talk(frank, '提醒 网点 2024-03-15', 2);
    expect(set[0]?.text).toContain('已记录备案日期');
    clock.set('2025-01-01T09:30:00+08:00');
    const nudge = waitFor(frank.id, 1);
    await app.scheduler.tick();
    const [n] = await nudge;
    expect(n?.text).toContain('⏰ 提醒：每年 1 月底前报送上一年度工作总结');
  });

  it('answers an image with the text-only reply', async () => {
    const gina = mocker.createContact({ name: 'Gina' });
    const wait = waitFor(gina.id, 1);
    gina.say(FileBox.fromBase64(Buffer.from('89504e470d0a1a0a', 'hex').toString('base64'), 'photo.png')).to(botUser);
    const [r] = await wait;
    expect(r?.text).toContain('目前只能处理文字消息');
  });
});

describe('WeChat Official Account: nudges wait for the user’s next message', () => {
  it('keeps the nudge in the outbox and sends it before the reply to the next message', async () => {
    const dataDir = tempDir();
    const oaClock = new FakeClock(Date.parse('2024-12-31T12:00:00+08:00'));
    const config = loadConfig({ DATA_DIR: dataDir, CORPUS_DIR, EMBEDDER: 'builtin', WECHATY_PUPPET: 'wechaty-puppet-mock' });
    const oaApp = await createApp(config, silentLogger, { clock: oaClock });
    const oaMocker = new mock.Mocker();
    const oa = createWechatChannel({
      config: { puppet: 'wechaty-puppet-official-account', appId: 'wx-test', appSecret: 'secret', token: 'token', port: 0, name: 'oa-test', acceptFriends: false },
      puppet: new PuppetMock({ mocker: oaMocker }) as never,
      gateway: oaApp.gateway,
      logger: silentLogger,
      dataDir,
    });
    oaApp.connect('wechat', oa.delivery);
    const seen: Array<{ to: string; text: string }> = [];
    oa.wechaty.on('message', (m: Message) => {
      if (m.self()) seen.push({ to: m.listener()?.id ?? '', text: m.text() });
    });
    await oa.start();
    const account = oaMocker.createContact({ name: '公众号' });
    oaMocker.login(account);
    const user = oaMocker.createContact({ name: 'Hana' });
    const waitSeen = async (n: number): Promise<void> => {
      const until = Date.now() + 8000;
      while (seen.filter((s) => s.to === user.id).length < n && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
    };
    user.say('/remind 网点 2024-03-15').to(account);
    await waitSeen(2);
    oaClock.set('2025-01-01T09:30:00+08:00');
    expect((await oaApp.scheduler.tick()).queued).toBe(1);
    await new Promise((r) => setTimeout(r, 200));
    expect(seen.filter((s) => s.to === user.id)).toHaveLength(2); // nothing sent unprompted
    user.say('年报啥时候交').to(account);
    await waitSeen(4);
    const after = seen.filter((s) => s.to === user.id).slice(2);
    expect(after[0]?.text).toContain('⏰ 提醒：每年 1 月底前报送上一年度工作总结');
    expect(after[1]?.text).toContain('1 月底前');
    await oa.stop();
    await oaApp.close();
  });
});

describe('WeChat friend requests', () => {
  async function friendRequest(acceptFriends: boolean): Promise<{ welcomed: string[]; accepted: boolean }> {
    const dataDir = tempDir();
    const fApp = await createApp(loadConfig({ DATA_DIR: dataDir, CORPUS_DIR, EMBEDDER: 'builtin', WECHATY_PUPPET: 'wechaty-puppet-mock' }), silentLogger);
    const fMocker = new mock.Mocker();
    const puppet = new PuppetMock({ mocker: fMocker });
    let accepted = false;
    const accept = puppet.friendshipAccept.bind(puppet);
    puppet.friendshipAccept = async (id: string) => {
      accepted = true;
      return accept(id);
    };
    const ch = createWechatChannel({
      config: { puppet: 'wechaty-puppet-mock', name: 'friends', acceptFriends, welcome: '欢迎！直接发问题即可。' },
      puppet: puppet as never,
      gateway: fApp.gateway,
      logger: silentLogger,
      dataDir,
    });
    const welcomed: string[] = [];
    ch.wechaty.on('message', (m: Message) => {
      if (m.self()) welcomed.push(m.text());
    });
    await ch.start();
    fMocker.login(fMocker.createContact({ name: '政策助手' }));
    const stranger = fMocker.createContact({ name: 'Ivy' });
    await puppet.friendshipPayload('fr-1', { id: 'fr-1', contactId: stranger.id, hello: '你好', type: 2, timestamp: Date.now() } as never);
    puppet.emit('friendship', { friendshipId: 'fr-1' });
    await new Promise((r) => setTimeout(r, 500));
    await ch.stop();
    await fApp.close();
    return { welcomed, accepted };
  }

  it('accepts with a welcome only when configured to', async () => {
    expect(await friendRequest(true)).toEqual({ welcomed: ['欢迎！直接发问题即可。'], accepted: true });
    expect(await friendRequest(false)).toEqual({ welcomed: [], accepted: false });
  });
});
