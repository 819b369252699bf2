import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOaChannel, OA_MESSAGE_BYTES, type OaChannel } from '../../src/channels/wechat-oa/oa-channel.js';
import { loadChannelTexts } from '../../src/channels/channel-texts.js';
import { loadConfig } from '../../src/config/config.js';
import { silentLogger } from '../../src/core/logger.js';
import { createApp, type AppDeps } from '../../src/compose.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { readDocx } from '../helpers/docx-reader.js';
import { CORPUS_DIR, squash, tempDir } from '../helpers/paths.js';
import { AES_KEY, APP_ID, APP_SECRET, startOaEmulator, TOKEN, type Received } from '../helpers/wechat-oa-emulator.js';

const TEMPLATE = 'tmplDeadline_0001';
let emulator: Awaited<ReturnType<typeof startOaEmulator>>;
let app: AppDeps;
let channel: OaChannel;
const clock = new FakeClock(Date.parse('2024-12-31T12:00:00+08:00'));

beforeAll(async () => {
  emulator = await startOaEmulator();
  const config = loadConfig({
    DATA_DIR: tempDir(),
    CORPUS_DIR,
    EMBEDDER: 'builtin',
    RATE_LIMIT_PER_MINUTE: '60',
    WECHAT_OA_APP_ID: APP_ID,
    WECHAT_OA_APP_SECRET: APP_SECRET,
    WECHAT_OA_TOKEN: TOKEN,
    WECHAT_OA_ENCODING_AES_KEY: AES_KEY,
    WECHAT_OA_PORT: '0',
    WECHAT_OA_API_BASE: emulator.apiBase,
    WECHAT_OA_MENU: 'true',
    WECHAT_OA_SUBSCRIBE_TEMPLATE_ID: TEMPLATE,
    PUBLIC_BASE_URL: 'http://127.0.0.1:1', // replaced below once the port is known
  });
  if (!config.officialAccount) throw new Error('official account config missing');
  app = await createApp(config, silentLogger, { clock });
  // The links must point at the port the server got; the config is built again with it.
  const probe = createOaChannel({ config: config.officialAccount, gateway: app.gateway, consents: app.consents, texts: loadChannelTexts(), logger: silentLogger, dataDir: config.dataDir, clock });
  await probe.start();
  const { port } = probe.address();
  await probe.stop();
  channel = createOaChannel({ config: { ...config.officialAccount, port, publicBaseUrl: `http://127.0.0.1:${port}` }, gateway: app.gateway, consents: app.consents, texts: loadChannelTexts(), logger: silentLogger, dataDir: config.dataDir, clock, health: () => app.health() });
  app.connect('wechat-oa', channel.delivery, () => channel.listening());
  await channel.start();
  emulator.connect(`http://127.0.0.1:${port}/wechat`);
}, 60_000);

afterAll(async () => {
  await channel.stop();
  await emulator.stop();
  await app.close();
});

const settled = (openId: string): Promise<void> => app.gateway.settled({ channel: 'wechat-oa', userId: openId, chatId: openId });

/** the user writes; resolves when every reply is delivered, with the messages the user saw */
async function say(openId: string, text: string): Promise<Received[]> {
  const before = emulator.received(openId).length;
  await emulator.callback(emulator.textXml(openId, text));
  await settled(openId);
  return emulator.received(openId).slice(before);
}

/** the number of a choice in what the user last saw: a menu message's item or a numbered line */
function numberOf(openId: string, label: string): string {
  const last = emulator.received(openId).at(-1);
  const item = last?.items?.find((i) => i.endsWith(`. ${label}`));
  if (item) return item.split(':')[0] ?? '';
  const line = last?.text.split('\n').find((l) => l.endsWith(`. ${label}`));
  if (!line) throw new Error(`“${label}” not offered in: ${last?.text.slice(0, 200)}`);
  return line.split('.')[0] ?? '';
}

describe('WeChat Official Account against an emulator of WeChat’s callbacks and API', () => {
  it('verifies the server URL and refuses a wrong signature', async () => {
    expect(await emulator.verifyUrl('echo-123')).toEqual({ status: 200, body: 'echo-123' });
    const health = await fetch(`http://127.0.0.1:${channel.address().port}/healthz`);
    expect(await health.json()).toMatchObject({ ok: true, database: true, channels: { 'wechat-oa': true } });
    expect((await emulator.verifyUrl('echo-123', true)).status).toBe(403);
    const before = (await app.inbox.pendingUsers(new Date(), 'test')).length;
    const r = await emulator.callback(emulator.textXml('oFAKE', '网点要几名专职人员'), { badSignature: true, tries: 1 });
    expect(r.status).toBe(403);
    expect(emulator.received('oFAKE')).toEqual([]);
    expect((await app.inbox.pendingUsers(new Date(), 'test')).length).toBe(before);
  });

  it('answers a question with its clause as a passive reply within 5 seconds', async () => {
    const r = await emulator.callback(emulator.textXml('oUser1', '网点备案需要几名专职人员？'));
    expect(r.tries).toBe(1);
    expect(r.ms).toBeLessThan(5000);
    expect(r.passive).toContain('5名及以上专职人员');
    expect(r.passive).toContain('《国家知识产权信息公共服务网点备案实施办法（修订）》第五条');
    expect(Buffer.byteLength(r.passive ?? '')).toBeLessThanOrEqual(OA_MESSAGE_BYTES);
    const logged = (await app.sql.get(`SELECT kind, programme, topic, citations, trace FROM question_log WHERE user_id = 'oUser1'`)) as { kind: string; programme: string; topic: string; citations: string; trace: string };
    expect(logged).toMatchObject({ kind: 'answer', programme: 'outlet-filing' });
    expect(logged.topic).toContain('第五条');
    expect(JSON.parse(logged.citations)).toContainEqual({ doc: 'outlet-filing-measures', article: expect.stringContaining('第五条') as string });
    expect((JSON.parse(logged.trace) as { parts: Array<{ reason: string }> }).parts[0]?.reason).toBe('covered');
  });

  it('sends a slow answer as a customer-service message after an empty passive reply', async () => {
    const answers = app.qa.answers;
    const original = answers.answer.bind(answers);
    answers.answer = async (...args) => {
      await new Promise((r) => setTimeout(r, 6000));
      return original(...args);
    };
    try {
      const r = await emulator.callback(emulator.textXml('oSlow', '网点备案有效期几年？'));
      expect(r.tries).toBe(1); // answered (empty) before WeChat's 5 s: no retry, no "暂时无法提供服务"
      expect(r.passive).toBeUndefined();
      expect(r.ms).toBeLessThan(5000);
      await settled('oSlow');
      const seen = emulator.received('oSlow');
      expect(seen.map((m) => m.via)).toEqual(['custom']);
      expect(seen[0]?.text).toContain('三年');
    } finally {
      answers.answer = original;
    }
  }, 20_000);

  it('answers a MsgId that WeChat sends three times once', async () => {
    const xml = emulator.textXml('oRetry', '网点年度工作总结什么时候报？', '7777777777777777777');
    const results = [await emulator.callback(xml, { tries: 1 }), await emulator.callback(xml, { tries: 1 }), await emulator.callback(xml, { tries: 1 })];
    await settled('oRetry');
    expect(results.filter((r) => r.passive !== undefined)).toHaveLength(1);
    expect(emulator.received('oRetry')).toHaveLength(1);
  });

  it('splits a 6,000-byte answer into messages under 2,048 bytes at sentence ends, losing nothing', async () => {
    const doc = app.qa.index.docs.find((d) => Buffer.byteLength(d.text) > 8000);
    if (!doc) throw new Error('no long document in the corpus');
    let long = '';
    for (const sentence of doc.text.match(/[^。\n]+[。\n]/g) ?? []) if (Buffer.byteLength(long + sentence) <= 6000) long += sentence;
    expect(Buffer.byteLength(long)).toBeGreaterThan(5800);
    await say('oLong', '你好'); // the user wrote within 48 hours: customer-service messages are allowed
    const before = emulator.received('oLong').length;
    await app.outbox.enqueue([{ channel: 'wechat-oa', chatId: 'oLong', userId: 'oLong', reply: { text: long } }], clock.now());
    app.sender.notify();
    await settled('oLong');
    const parts = emulator.received('oLong').slice(before);
    expect(parts.length).toBeGreaterThanOrEqual(3);
    for (const p of parts) expect(p.bytes).toBeLessThanOrEqual(OA_MESSAGE_BYTES);
    // each cut is at a sentence end or a line break of the text
    for (const p of parts.slice(0, -1)) expect(p.text.endsWith('。') || long.includes(`${p.text}\n`)).toBe(true);
    expect(squash(parts.map((p) => p.text).join(''))).toBe(squash(long));
  });

  it('retries a customer-service message WeChat’s API failed, without repeating parts already sent', async () => {
    await say('oFlaky', '你好');
    const before = emulator.received('oFlaky').length;
    emulator.failCustomSends(2, 1); // the second part fails twice
    await app.outbox.enqueue([{ channel: 'wechat-oa', chatId: 'oFlaky', userId: 'oFlaky', reply: { text: '第一段。'.repeat(300) } }], clock.now());
    app.sender.notify();
    for (let i = 0; i < 40 && emulator.received('oFlaky').length - before < 2; i++) {
      clock.advance(60_000);
      app.sender.notify();
      await new Promise((r) => setTimeout(r, 100));
    }
    const parts = emulator.received('oFlaky').slice(before);
    expect(parts).toHaveLength(2);
    expect(parts.map((p) => p.text).join('')).toBe('第一段。'.repeat(300));
  });

  it('runs the self-check by numbered replies and menu messages', async () => {
    const u = 'oCheck';
    const intro = await say(u, '/check');
    expect(intro.map((m) => m.via)).toEqual(['passive', 'menu']); // the second reply carries the choices
    expect(intro[1]?.text).toContain('第 1/14 步');
    // a tap on a menu-message item comes back as its number
    const tapped = numberOf(u, '备案国家知识产权信息公共服务网点');
    await emulator.callback(emulator.menuClickXml(u, tapped, '备案国家知识产权信息公共服务网点'));
    await settled(u);
    await say(u, numberOf(u, '高校'));
    await say(u, numberOf(u, '是'));
    await say(u, numberOf(u, '是'));
    await say(u, '6');
    await say(u, '2');
    for (let i = 0; i < 7; i++) await say(u, numberOf(u, '是'));
    const verdict = await say(u, numberOf(u, '省级知识产权局推荐，且已是省级网点'));
    expect(verdict.map((m) => m.text).join('\n')).toContain('结论：按您的回答，各项条件均已满足。');
    // counted for the operators' report, without who
    expect(await app.sql.all(`SELECT flow, event, programme, verdict FROM flow_events WHERE flow = 'self-check' ORDER BY id`)).toEqual([
      { flow: 'self-check', event: 'started', programme: null, verdict: null },
      { flow: 'self-check', event: 'finished', programme: 'outlet-filing', verdict: 'meets' },
    ]);
  }, 60_000);

  it('delivers a registration draft as a signed link that expires and cannot be altered', async () => {
    const u = 'oDraft';
    await say(u, '/register');
    const answers = ['地市级', '某市知识产权服务中心', '某省知识产权局', '确认', '某省', '某市', '某路1号', '事业单位', '财政拨款', '某市市场监管局', '5', '3', '陈主任', '13812345678', '赵科长', '13812345679', '孙八', '13900001111', 'sun@example.cn', '周九', '13900002222', 'zhou@example.cn', '咨询、检索、培训', '案例一：为企业开展专利检索服务。'.repeat(10), '跳过'];
    let seen: Received[] = [];
    for (const a of answers) seen = await say(u, a);
    const linkText = seen.map((m) => m.text).find((t) => t.includes('/files/'));
    const url = linkText?.match(/https?:\/\/\S+/)?.[0];
    if (!url) throw new Error(`no download link in: ${seen.map((m) => m.text).join(' | ')}`);
    const ok = await fetch(url);
    expect(ok.status).toBe(200);
    expect(decodeURIComponent(ok.headers.get('content-disposition') ?? '')).toContain('地市级综合性知识产权公共服务机构登记表-草稿.docx');
    const docx = await readDocx(Buffer.from(await ok.arrayBuffer()));
    expect(docx.tables[0]?.[0]).toEqual(['名称', '某市知识产权服务中心']);
    const altered = url.replace(/sig=([^&])/, (_m, c: string) => `sig=${c === 'A' ? 'B' : 'A'}`);
    expect((await fetch(altered)).status).toBe(403);
    expect((await fetch(url.replace(/exp=(\d+)/, (_m, e: string) => `exp=${Number(e) + 3600}`))).status).toBe(403);
    clock.advance(31 * 60_000);
    expect((await fetch(url)).status).toBe(410);
  }, 60_000);

  it('sends a nudge as a subscription notification to a user who accepted the template; holds it for one who did not', async () => {
    await emulator.acceptSubscription('oSub', TEMPLATE);
    expect(await app.consents.state({ channel: 'wechat-oa', userId: 'oSub' }, TEMPLATE)).toBe('granted');
    await say('oSub', '/remind 网点 2024-03-15');
    await say('oNoSub', '/remind 网点 2024-03-15');
    clock.set('2025-01-01T09:30:00+08:00');
    await app.scheduler.tick();
    await settled('oSub');
    await settled('oNoSub');
    const notice = emulator.received('oSub').at(-1);
    // the user who never accepted: WeChat refused (43101), which the bot now knows
    expect(await app.consents.state({ channel: 'wechat-oa', userId: 'oNoSub' }, TEMPLATE)).toBe('refused');
    expect(notice?.via).toBe('subscribe');
    expect(notice?.items).toContain('time2=2025年1月31日');
    expect(notice?.items?.find((i) => i.startsWith('thing1='))).toContain('工作总结');
    const held = emulator.received('oNoSub').length;
    expect(emulator.received('oNoSub').some((m) => m.text.includes('⏰'))).toBe(false);
    const next = await say('oNoSub', '你好');
    expect(next.length).toBeGreaterThan(0);
    expect(emulator.received('oNoSub').slice(held).some((m) => m.text.includes('⏰ 提醒'))).toBe(true);
  }, 30_000);

  it('answers a plaintext-mode callback in plaintext', async () => {
    const r = await emulator.plainCallback(emulator.textXml('oPlain', '网点备案的有效期是几年'));
    expect(r.status).toBe(200);
    expect(r.body).toMatch(/^<xml><ToUserName><!\[CDATA\[oPlain\]\]><\/ToUserName>/);
    expect(r.body).toContain('三年');
  });

  it('welcomes a new follower and created the menu at start', async () => {
    const r = await emulator.callback(emulator.eventXml('oNew', 'subscribe'));
    expect(r.passive).toBe(loadChannelTexts().zh.welcome);
    expect(emulator.calls).toContain('/cgi-bin/menu/create');
  });
});
