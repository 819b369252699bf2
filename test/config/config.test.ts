import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';

describe('configuration', () => {
  it('defaults to the terminal with the offline embedder', () => {
    const c = loadConfig({}, '/srv/bot');
    expect(c).toMatchObject({ dataDir: '/srv/bot/data', terminal: true, embedder: { choice: 'auto', model: 'bge-small-zh-v1.5', allowDownload: false } });
    expect(c.reminders).toEqual({ leadDays: [30, 7, 1], hour: 9, tickSeconds: 60, catchUpDays: 30 });
    expect(c.telegram).toBeUndefined();
  });

  it('names the bad key in one clear message', () => {
    expect(() => loadConfig({ TELEGRAM_BOT_TOKEN: 'not a token' })).toThrow(/TELEGRAM_BOT_TOKEN/);
    expect(() => loadConfig({ TELEGRAM_BOT_TOKEN: '12345:short' })).toThrow(/TELEGRAM_BOT_TOKEN: looks like/);
    expect(() => loadConfig({ TELEGRAM_BOT_TOKEN: '123456789:AAbbccddeeffgghhiijjkkllmmnnooppqq', TELEGRAM_WEBHOOK_URL: 'https://bot.example.org/tg' })).toThrow(/TELEGRAM_WEBHOOK_SECRET/);
    expect(() => loadConfig({ TELEGRAM_WEBHOOK_URL: 'http://insecure.example.org' })).toThrow(/TELEGRAM_WEBHOOK_URL: must be https/);
    expect(() => loadConfig({ WECHATY_PUPPET: 'wechaty-puppet-service' })).toThrow(/WECHATY_PUPPET_SERVICE_TOKEN/);
    expect(() => loadConfig({ WECHATY_PUPPET: 'wechaty-puppet-official-account', WECHATY_PUPPET_OA_APP_ID: 'wx1' })).toThrow(/WECHATY_PUPPET_OA_APP_SECRET/);
    expect(() => loadConfig({ REMINDER_LEAD_DAYS: '30;7' })).toThrow(/REMINDER_LEAD_DAYS/);
    expect(() => loadConfig({ WECHATY_PUPPET: 'wechaty-puppet-padlocal' })).toThrow(/WECHATY_PUPPET/);
  });

  it('keeps state in the SQLite file unless DATABASE_URL names a PostgreSQL server', () => {
    expect(loadConfig({}).database).toEqual({ kind: 'sqlite' });
    expect(loadConfig({ DATABASE_URL: 'postgres://bot@db.internal:5432/ipbot', DATABASE_SCHEMA: 'bot', INBOX_CLAIM_SECONDS: '20' })).toMatchObject({
      database: { kind: 'postgres', url: 'postgres://bot@db.internal:5432/ipbot', schema: 'bot', poolSize: 10 },
      inboxClaimMs: 20_000,
    });
    expect(() => loadConfig({ DATABASE_URL: 'mysql://bot@db/ipbot' })).toThrow(/DATABASE_URL: a postgres:\/\/ connection URL/);
    expect(() => loadConfig({ DATABASE_URL: 'postgres://bot@db/ipbot', DATABASE_SCHEMA: 'Bot; DROP' })).toThrow(/DATABASE_SCHEMA/);
  });

  it('turns the terminal off when a chat channel is configured, and reads channel settings', () => {
    const c = loadConfig({ TELEGRAM_BOT_TOKEN: '123456789:AAbbccddeeffgghhiijjkkllmmnnooppqq', TELEGRAM_ADMIN_IDS: '1,2', ADMIN_IDS: 'wechat:wxid_a' });
    expect(c.terminal).toBe(false);
    expect(c.telegram).toEqual({ token: '123456789:AAbbccddeeffgghhiijjkkllmmnnooppqq', mode: 'polling' });
    expect([...c.admins].sort()).toEqual(['telegram:1', 'telegram:2', 'wechat:wxid_a']);
    // A self-hosted Bot API server may issue tokens of another shape.
    expect(loadConfig({ TELEGRAM_BOT_TOKEN: 'local:token', TELEGRAM_API_ROOT: 'http://127.0.0.1:8081' }).telegram).toMatchObject({ token: 'local:token', apiRoot: 'http://127.0.0.1:8081' });
  });

  it('reads the Official Account and WeCom settings, naming the one wrong key', () => {
    const oa = { WECHAT_OA_APP_ID: 'wx0123456789abcdef', WECHAT_OA_APP_SECRET: '0123456789abcdef0123456789abcdef', WECHAT_OA_TOKEN: 'tok3n', PUBLIC_BASE_URL: 'https://bot.example.org' };
    const c = loadConfig({ ...oa, WECHAT_OA_SUBSCRIBE_TEMPLATE_ID: 'tmpl_0123456789', WECHAT_OA_SUBSCRIBE_FIELDS: 'thing2=title,date5=due', ADMIN_IDS: 'wechat-oa:oAbc,wecom:zhangsan' });
    expect(c.terminal).toBe(false);
    expect(c.officialAccount).toMatchObject({ appId: 'wx0123456789abcdef', path: '/wechat', replyWithinMs: 4500, linkTtlMinutes: 30, subscribe: { templateId: 'tmpl_0123456789', fields: { thing2: 'title', date5: 'due' }, once: false } });
    expect(c.officialAccount?.linkSecret).toMatch(/^[0-9a-f]{64}$/);
    expect([...c.admins].sort()).toEqual(['wechat-oa:oAbc', 'wecom:zhangsan']);
    expect(() => loadConfig({ ...oa, WECHAT_OA_APP_SECRET: undefined })).toThrow(/WECHAT_OA_APP_SECRET: required/);
    expect(() => loadConfig({ ...oa, PUBLIC_BASE_URL: undefined })).toThrow(/PUBLIC_BASE_URL: required/);
    expect(() => loadConfig({ ...oa, WECHAT_OA_ENCODING_AES_KEY: 'too-short' })).toThrow(/WECHAT_OA_ENCODING_AES_KEY: 43 letters/);
    expect(() => loadConfig({ ...oa, WECHAT_OA_APP_ID: 'gh_123' })).toThrow(/WECHAT_OA_APP_ID: looks like wx/);
    expect(() => loadConfig({ ...oa, WECHAT_OA_SUBSCRIBE_FIELDS: 'thing1=name' })).toThrow(/WECHAT_OA_SUBSCRIBE_FIELDS/);
    expect(loadConfig({ WECOM_BOT_ID: 'aib123456', WECOM_BOT_SECRET: 'secret-123' }).wecom).toEqual({ botId: 'aib123456', secret: 'secret-123' });
    expect(() => loadConfig({ WECOM_BOT_ID: 'aib123456' })).toThrow(/WECOM_BOT_SECRET: required/);
    expect(() => loadConfig({ WECOM_BOT_ID: 'aib123456', WECOM_BOT_SECRET: 'secret-123', WECOM_WS_URL: 'http://x' })).toThrow(/WECOM_WS_URL/);
  });
});
