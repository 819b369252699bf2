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

  it('turns the terminal off when a chat channel is configured, and reads channel settings', () => {
    const c = loadConfig({ TELEGRAM_BOT_TOKEN: '123456789:AAbbccddeeffgghhiijjkkllmmnnooppqq', TELEGRAM_ADMIN_IDS: '1,2', ADMIN_IDS: 'wechat:wxid_a' });
    expect(c.terminal).toBe(false);
    expect(c.telegram).toEqual({ token: '123456789:AAbbccddeeffgghhiijjkkllmmnnooppqq', mode: 'polling' });
    expect([...c.admins].sort()).toEqual(['telegram:1', 'telegram:2', 'wechat:wxid_a']);
    // A self-hosted Bot API server may issue tokens of another shape.
    expect(loadConfig({ TELEGRAM_BOT_TOKEN: 'local:token', TELEGRAM_API_ROOT: 'http://127.0.0.1:8081' }).telegram).toMatchObject({ token: 'local:token', apiRoot: 'http://127.0.0.1:8081' });
  });
});
